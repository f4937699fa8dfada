/** `1 pane`, `3 panes`, `2 Claude conversations`: the count and the word that goes with it. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
