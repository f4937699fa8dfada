// A running Claude's launch arguments → the ones a relaunch keeps. Parsed the way Claude's own
// parser (Commander) reads them, with the option table of the installed version, so a value
// that looks like a flag or a prompt after a variadic option lands where Claude put it.
import { CLAUDE_OPTIONS, CONVERSATION_OPTIONS, type ClaudeOption } from './cli-options.js';

export interface NormalizedArgs {
  /** Kept words, verbatim and in order. */
  kept: string[];
  /** Dropped words (conversation selection, one-shot run, a prompt), for the report. */
  dropped: string[];
}

const BY_NAME: ReadonlyMap<string, ClaudeOption> = new Map(
  CLAUDE_OPTIONS.flatMap((o) => o.names.map((n) => [n, o] as const)),
);

const isOptionLike = (w: string): boolean => w.length > 1 && w.startsWith('-');

/** The words the option at `i` consumes (itself included), given its arity. */
function span(args: readonly string[], i: number, arity: ClaudeOption['arity'], inline: boolean): number {
  if (inline || arity === 'none') return 1;
  if (arity === 'required') return i + 1 < args.length ? 2 : 1;
  let n = 1;
  if (arity === 'optional') return i + 1 < args.length && !isOptionLike(args[i + 1] as string) ? 2 : 1;
  while (i + n < args.length && !isOptionLike(args[i + n] as string)) n++;
  return n;
}

/**
 * `args` is argv after the executable. Drops `--resume`/`-r` (with its value when it has one),
 * `--continue`/`-c`, `--session-id`, `--fork-session`, `--print`/`-p`, `--from-pr`,
 * `--teleport`, positional prompts and everything after `--`; keeps every other word.
 * An option this table does not know is kept with the next word when that is not an option
 * (it may be its value: dropping a value would change what Claude runs).
 */
export function normalizeClaudeArgs(args: readonly string[]): NormalizedArgs {
  const kept: string[] = [];
  const dropped: string[] = [];
  let i = 0;
  while (i < args.length) {
    const w = args[i] as string;
    if (w === '--') {
      dropped.push(...args.slice(i));
      break;
    }
    if (!isOptionLike(w)) {
      dropped.push(w);
      i++;
      continue;
    }
    let name = w;
    let inline = false;
    if (w.startsWith('--') && w.includes('=')) {
      name = w.slice(0, w.indexOf('='));
      inline = true;
    } else if (!w.startsWith('--') && w.length > 2) {
      // -rVALUE / -dhooks: a short option with its value attached, or a cluster of flags.
      const head = BY_NAME.get(w.slice(0, 2));
      if (head !== undefined && head.arity !== 'none') {
        name = w.slice(0, 2);
        inline = true;
      } else if ([...w.slice(1)].every((c) => BY_NAME.get(`-${c}`)?.arity === 'none')) {
        const flags = [...w.slice(1)].map((c) => `-${c}`);
        if (flags.some((f) => CONVERSATION_OPTIONS.has(f))) {
          const keep = flags.filter((f) => !CONVERSATION_OPTIONS.has(f));
          if (keep.length > 0) kept.push(`-${keep.map((f) => f.slice(1)).join('')}`);
          dropped.push(w);
        } else kept.push(w);
        i++;
        continue;
      }
    }
    const opt = BY_NAME.get(name);
    const n = opt
      ? span(args, i, opt.arity, inline)
      : inline || i + 1 >= args.length || isOptionLike(args[i + 1] as string)
        ? 1
        : 2;
    const words = args.slice(i, i + n);
    if (opt !== undefined && CONVERSATION_OPTIONS.has(name)) dropped.push(...words);
    else kept.push(...words);
    i += n;
  }
  return { kept, dropped };
}
