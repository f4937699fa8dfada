/** Presentation lives at the entry point: one JSON document with --json, text otherwise. */
export interface Output {
  json: boolean;
  result(doc: unknown, text: string | (() => string)): void;
}

export function makeOutput(json: boolean, write: (s: string) => void = (s) => process.stdout.write(s)): Output {
  return {
    json,
    result(doc, text) {
      if (json) write(`${JSON.stringify(doc, null, 2)}\n`);
      else {
        const t = typeof text === 'function' ? text() : text;
        if (t !== '') write(t.endsWith('\n') ? t : `${t}\n`);
      }
    },
  };
}

/** Renders rows as aligned columns. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
