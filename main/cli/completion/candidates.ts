import {
  GLOBAL_OPTIONS,
  findCommand,
  optionsOf,
  plainWords,
  type CommandSpec,
  type CompletionSource,
} from '../command-spec.js';

// What to offer for the word under the cursor, decided from the command table alone; the
// values that live elsewhere (snapshot ids, roles, panes) are named as a source and fetched
// by the caller.

export type CompletionAnswer =
  { kind: 'words'; words: string[] } | { kind: 'source'; source: CompletionSource; prefix: string };

/** `words` is the command line after `fleetkeeper`; its last element is the word being typed. */
export function completionFor(table: readonly CommandSpec[], words: readonly string[]): CompletionAnswer {
  const cur = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  const chain: CommandSpec[] = [];
  let level: readonly CommandSpec[] = table.filter((c) => !c.hidden);
  for (;;) {
    const plain = plainWords(before, optionsOf(chain));
    const next = findCommand(level, plain[chain.length] ?? '');
    if (next === undefined) break;
    chain.push(next);
    if (!next.subcommands) break;
    level = next.subcommands.filter((c) => !c.hidden);
  }
  const known = optionsOf(chain);
  const prev = before[before.length - 1];
  const valueOf = prev?.startsWith('-')
    ? known.find((o) => `--${o.name}` === prev || `-${o.short}` === prev)
    : undefined;
  if (valueOf !== undefined && valueOf.type !== 'boolean') {
    if (valueOf.choices) return filtered(valueOf.choices, cur);
    return { kind: 'source', source: valueOf.complete ?? 'none', prefix: cur };
  }
  if (cur.startsWith('-')) {
    const used = new Set(before);
    const names = known
      .filter((o) => !used.has(`--${o.name}`) || o.repeatable === true)
      .filter((o) => chain.length > 0 || GLOBAL_OPTIONS.includes(o))
      .map((o) => `--${o.name}`);
    return filtered(names, cur);
  }
  const spec = chain[chain.length - 1];
  if (spec === undefined || spec.subcommands)
    return filtered(
      level.map((c) => c.name),
      cur,
    );
  const given = plainWords(before, known).length - chain.length;
  const specs = spec.positionals ?? [];
  const last = specs[specs.length - 1];
  const p = specs[given] ?? (last?.variadic ? last : undefined);
  if (p === undefined) return { kind: 'words', words: [] };
  if (p.choices) return filtered(p.choices, cur);
  if (spec.name === 'help')
    return filtered(
      table.filter((c) => !c.hidden).map((c) => c.name),
      cur,
    );
  return { kind: 'source', source: p.complete ?? 'none', prefix: cur };
}

function filtered(all: readonly string[], prefix: string): CompletionAnswer {
  return { kind: 'words', words: all.filter((w) => w.startsWith(prefix)) };
}
