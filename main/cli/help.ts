import { GLOBAL_OPTIONS, type CommandSpec, type OptionSpec, type PositionalSpec } from './command-spec.js';

// Help text is rendered from the command table, so it cannot drift from what is parsed.

const ENVIRONMENT = `Environment: FLEETKEEPER_HOME (state dir), FLEETKEEPER_TMUX_SOCKET, CLAUDE_CONFIG_DIR,
FLEETKEEPER_CLAUDE_BIN (what restore types, default "claude").`;

function optionSynopsis(o: OptionSpec): string {
  return o.type === 'boolean' ? `--${o.name}` : `--${o.name} ${o.value ?? 'VALUE'}`;
}

function positionalSynopsis(p: PositionalSpec): string {
  const name = p.choices ? p.choices.join('|') : p.name;
  const body = p.variadic ? `${name}...` : name;
  return p.required ? body : `[${body}]`;
}

/** One line: `restore [ID] [--dry-run] [--stagger MS]`, or `hooks install|uninstall|status`. */
export function synopsis(spec: CommandSpec, prefix: readonly string[] = []): string {
  const head = [...prefix, spec.name].join(' ');
  if (spec.subcommands) {
    return `${head} ${spec.subcommands
      .filter((c) => !c.hidden)
      .map((c) => c.name)
      .join('|')}`;
  }
  const parts = [
    head,
    ...(spec.positionals ?? []).map(positionalSynopsis),
    ...(spec.options ?? []).map((o) => `[${optionSynopsis(o)}]`),
  ];
  return parts.join(' ');
}

function optionLines(options: readonly OptionSpec[]): string[] {
  const cells = options.map((o) => [`${o.short ? `-${o.short}, ` : '    '}${optionSynopsis(o)}`, describe(o)]);
  const w = Math.max(...cells.map(([a]) => (a ?? '').length));
  return cells.map(([a, b]) => `  ${(a ?? '').padEnd(w)}  ${b ?? ''}`);
}

function describe(o: OptionSpec): string {
  const bound = o.above !== undefined ? ` (> ${o.above})` : o.min !== undefined ? ` (>= ${o.min})` : '';
  const choices = o.choices ? ` (${o.choices.join(', ')})` : '';
  return `${o.summary}${o.type === 'number' ? bound : ''}${choices}`;
}

export function globalHelp(table: readonly CommandSpec[]): string {
  const visible = table.filter((c) => !c.hidden);
  const rows = visible.map((c) => [synopsis(c), c.summary] as const);
  const lines = [
    'fleetkeeper — brings every tmux pane back with its own Claude conversation',
    '',
    'Usage: fleetkeeper <command> [options]',
    '',
    'Commands:',
  ];
  for (const [syn, summary] of rows) {
    if (syn.length <= 28) lines.push(`  ${syn.padEnd(28)} ${summary}`);
    else lines.push(`  ${syn}`, `  ${''.padEnd(28)} ${summary}`);
  }
  lines.push(
    '',
    'Options for every command:',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    'fleetkeeper <command> --help shows a command’s options and an example.',
    '',
    ENVIRONMENT,
    '',
  );
  return lines.join('\n');
}

export function commandHelp(chain: readonly CommandSpec[]): string {
  const spec = chain[chain.length - 1];
  if (spec === undefined) return '';
  const prefix = chain.slice(0, -1).map((c) => c.name);
  const lines = [`Usage: fleetkeeper ${synopsis(spec, prefix)}`, '', spec.summary];
  if (spec.details) lines.push('', spec.details.trimEnd());
  if (spec.subcommands) {
    lines.push('', 'Commands:');
    for (const sub of spec.subcommands.filter((c) => !c.hidden))
      lines.push(`  ${synopsis(sub, [...prefix, spec.name])}`, `      ${sub.summary}`);
  }
  const own = chain.flatMap((c) => c.options ?? []);
  if (own.length > 0) lines.push('', 'Options:', ...optionLines(own));
  lines.push('', 'Options for every command:', ...optionLines(GLOBAL_OPTIONS));
  lines.push('', 'Example:', ...spec.example.split('\n').map((l) => `  ${l}`), '');
  return lines.join('\n');
}
