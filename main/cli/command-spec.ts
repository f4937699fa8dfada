import { InvalidInputError } from '../common/base/errors.js';
import type { CliContext } from './context.js';
import type { Output } from './output.js';

// The CLI is one declarative table of these. Parsing, per-command help, the refusal of
// stray arguments (exit 2) and shell completion are all derived from it, so a command is
// added by adding an entry — never by teaching four places about it.

/** What a shell completion offers for an option's value or a positional. */
export type CompletionSource = 'snapshot-id' | 'role' | 'session' | 'pane' | 'file' | 'none';

export interface OptionSpec {
  /** Long name without the dashes. */
  name: string;
  /** 'number' values are parsed and checked against `min` (inclusive) or `above` (exclusive). */
  type: 'boolean' | 'string' | 'number';
  short?: string;
  /** Placeholder shown in help, e.g. 'S' for seconds. */
  value?: string;
  summary: string;
  min?: number;
  above?: number;
  choices?: readonly string[];
  complete?: CompletionSource;
  /** A string option given any number of times; its value is the list, in order. */
  repeatable?: boolean;
}

export interface PositionalSpec {
  name: string;
  required?: boolean;
  /** Takes every remaining positional (must be last). */
  variadic?: boolean;
  choices?: readonly string[];
  complete?: CompletionSource;
}

export type OptionValue = string | number | boolean | readonly string[];

export interface ParsedArgs {
  /** The command path, e.g. ['hooks', 'install']. */
  path: readonly string[];
  options: Readonly<Record<string, OptionValue | undefined>>;
  positionals: Readonly<Record<string, string | readonly string[] | undefined>>;
}

export interface RunIo {
  args: ParsedArgs;
  out: Output;
  json: boolean;
  env: NodeJS.ProcessEnv;
  /** Built on first use: commands that do not touch the state dir never create it. */
  context(): Promise<CliContext>;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** Extra lines for `--help` (what it does in detail, exit codes). */
  details?: string;
  options?: readonly OptionSpec[];
  positionals?: readonly PositionalSpec[];
  /** Verbs (`hooks install`): a command has either subcommands or its own run. */
  subcommands?: readonly CommandSpec[];
  example: string;
  /** Not in the help listing (internal entry points such as `hook` and `__complete`). */
  hidden?: boolean;
  /** Loads the command's module (dynamic import: start-up stays lazy) and runs it. */
  run?: (io: RunIo) => Promise<number>;
}

export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { name: 'json', type: 'boolean', summary: 'one JSON document on stdout (errors included)' },
  {
    name: 'socket',
    type: 'string',
    value: 'NAME',
    summary: 'tmux server: socket name (tmux -L) or absolute path (-S); default $FLEETKEEPER_TMUX_SOCKET',
  },
  { name: 'help', short: 'h', type: 'boolean', summary: 'help for the command' },
  { name: 'version', short: 'v', type: 'boolean', summary: 'print the version' },
];

/** A usage error: the entry point answers it with exit 2 and the command's usage line. */
export class UsageError extends InvalidInputError {
  constructor(
    message: string,
    readonly commandPath: readonly string[],
  ) {
    super(message);
  }
}

export interface ParsedCommandLine {
  spec: CommandSpec | undefined;
  args: ParsedArgs;
}

export function findCommand(table: readonly CommandSpec[], name: string): CommandSpec | undefined {
  return table.find((c) => c.name === name);
}

export function optionsOf(path: readonly CommandSpec[]): OptionSpec[] {
  return [...GLOBAL_OPTIONS, ...path.flatMap((c) => c.options ?? [])];
}

function checkNumber(o: OptionSpec, raw: string, path: readonly string[]): number {
  const n = raw.trim() === '' ? NaN : Number(raw);
  const bound =
    o.above !== undefined
      ? ` greater than ${o.above}`
      : o.min !== undefined
        ? o.min === 0
          ? ' (0 or more)'
          : ` of at least ${o.min}`
        : '';
  if (!Number.isFinite(n) || (o.above !== undefined && n <= o.above) || (o.min !== undefined && n < o.min)) {
    const what = o.above === 0 ? 'a positive number' : `a number${bound}`;
    throw new UsageError(`--${o.name} must be ${what}, got ${JSON.stringify(raw)}`, path);
  }
  return n;
}

/**
 * Parses argv against the table: the command path is walked first (options may appear
 * anywhere), then each option is typed and checked, then positionals are matched to the
 * spec's arity. Anything left over is refused rather than ignored.
 */
export function parseCommandLine(table: readonly CommandSpec[], argv: readonly string[]): ParsedCommandLine {
  // Walk the command path; the options known so far say which of them take the next word.
  const chain: CommandSpec[] = [];
  let level: readonly CommandSpec[] = table;
  for (;;) {
    const words = plainWords(argv, optionsOf(chain));
    const next = findCommand(level, words[chain.length] ?? '');
    if (next === undefined) break;
    chain.push(next);
    if (!next.subcommands) break;
    level = next.subcommands;
  }
  return resolveOptions(argv, chain);
}

/** The words of argv that are not options or option values (unknown options count as flags here). */
export function plainWords(argv: readonly string[], known: readonly OptionSpec[]): string[] {
  const takesValue = new Set<string>();
  for (const o of known) {
    if (o.type === 'boolean') continue;
    takesValue.add(`--${o.name}`);
    if (o.short) takesValue.add(`-${o.short}`);
  }
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-' || !a.startsWith('-')) words.push(a);
    else if (takesValue.has(a)) i++;
  }
  return words;
}

function resolveOptions(argv: readonly string[], chain: CommandSpec[]): ParsedCommandLine {
  const path = chain.map((c) => c.name);
  const known = optionsOf(chain);
  const byName = new Map(known.map((o) => [o.name, o]));
  const byShort = new Map(known.filter((o) => o.short).map((o) => [o.short as string, o]));
  const options: Record<string, OptionValue | undefined> = {};
  const words: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (a === '-' || !a.startsWith('-')) {
      words.push(a);
      continue;
    }
    const long = a.startsWith('--');
    const eq = long ? a.indexOf('=') : -1;
    const key = long ? (eq < 0 ? a.slice(2) : a.slice(2, eq)) : a.slice(1);
    const shorts = long ? [] : [...key];
    const specs = long ? [byName.get(key)] : shorts.map((s) => byShort.get(s));
    for (const [k, o] of specs.entries()) {
      if (o === undefined) {
        const shown = long ? `--${key}` : `-${shorts[k] ?? ''}`;
        throw new UsageError(`does not take the option ${shown}`, path);
      }
      if (o.type === 'boolean') {
        if (eq >= 0) throw new UsageError(`--${o.name} takes no value, got ${JSON.stringify(a)}`, path);
        options[o.name] = true;
        continue;
      }
      let value: string | undefined = eq >= 0 ? a.slice(eq + 1) : undefined;
      if (value === undefined) {
        if (!long && k !== specs.length - 1)
          throw new UsageError(`-${o.short ?? ''} needs a value and must come last in ${JSON.stringify(a)}`, path);
        value = argv[i + 1];
        if (value === undefined) throw new UsageError(`--${o.name} needs a value (${o.value ?? 'VALUE'})`, path);
        i++;
      }
      if (o.choices && !o.choices.includes(value))
        throw new UsageError(`--${o.name} must be one of ${o.choices.join(', ')}, got ${JSON.stringify(value)}`, path);
      const prior = options[o.name];
      if (o.repeatable) options[o.name] = [...(Array.isArray(prior) ? (prior as string[]) : []), value];
      else options[o.name] = o.type === 'number' ? checkNumber(o, value, path) : value;
    }
  }
  const spec = chain[chain.length - 1];
  const rest = words.slice(chain.length);
  const positionals: Record<string, string | readonly string[] | undefined> = {};
  const args: ParsedArgs = { path, options, positionals };
  if (spec === undefined) {
    const first = words[0];
    if (first !== undefined)
      throw new UsageError(`unknown command ${JSON.stringify(first)}; see fleetkeeper --help`, []);
    return { spec, args };
  }
  if (options.help === true || options.version === true) return { spec, args };
  if (spec.subcommands) {
    const names = spec.subcommands.filter((c) => !c.hidden).map((c) => c.name);
    const got = rest[0];
    throw new UsageError(
      got === undefined ? `needs one of: ${names.join(', ')}` : `takes ${names.join(', ')}; got ${JSON.stringify(got)}`,
      path,
    );
  }
  let ri = 0;
  for (const p of spec.positionals ?? []) {
    if (p.variadic) {
      positionals[p.name] = rest.slice(ri);
      if (p.required && ri >= rest.length) throw new UsageError(`needs ${p.name}`, path);
      ri = rest.length;
      break;
    }
    const v = rest[ri];
    if (v === undefined) {
      if (p.required) throw new UsageError(`needs ${p.name}`, path);
      break;
    }
    if (p.choices && !p.choices.includes(v))
      throw new UsageError(`takes ${p.choices.join(', ')} as ${p.name}, got ${JSON.stringify(v)}`, path);
    positionals[p.name] = v;
    ri++;
  }
  if (ri < rest.length)
    throw new UsageError(`does not take the argument ${JSON.stringify(rest[ri])}; see --help`, path);
  return { spec, args };
}
