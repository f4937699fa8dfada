import { readFileSync } from 'node:fs';
import { InvalidInputError, errorCode, errorMessage } from '../common/base/errors.js';
import { COMMANDS } from './command-table.js';
import { findCommand, parseCommandLine, UsageError, type CommandSpec } from './command-spec.js';
import { commandHelp, globalHelp, synopsis } from './help.js';
import { makeOutput } from './output.js';
import type { CliContext } from './context.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The chain of specs named by a parsed path (for help and usage lines). */
function chainOf(path: readonly string[]): CommandSpec[] {
  const chain: CommandSpec[] = [];
  let level: readonly CommandSpec[] = COMMANDS;
  for (const name of path) {
    const c = findCommand(level, name);
    if (c === undefined) break;
    chain.push(c);
    level = c.subcommands ?? [];
  }
  return chain;
}

/** --json is honoured even when the rest of the line does not parse: errors are JSON too. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

function fail(err: unknown, json: boolean, path: readonly string[]): number {
  const msg = errorMessage(err).split('\n')[0] ?? 'failed';
  const code = errorCode(err);
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: msg, code })}\n`);
  const who = ['fleetkeeper', ...path].join(' ');
  process.stderr.write(`${who}: ${msg}\n`);
  if (err instanceof UsageError && !json) {
    const chain = chainOf(err.commandPath);
    const last = chain[chain.length - 1];
    process.stderr.write(
      last
        ? `usage: fleetkeeper ${synopsis(last, err.commandPath.slice(0, -1))}\n`
        : 'usage: fleetkeeper <command> [options]; see fleetkeeper --help\n',
    );
  }
  return err instanceof InvalidInputError ? 2 : 1;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  // Completion queries carry the user's half-typed words verbatim: not parsed as ours.
  if (argv[0] === '__complete')
    return (await import('./completion/complete-command.js')).completeCommand(argv.slice(1), process.env);
  const json = wantsJson(argv);
  let parsed;
  try {
    parsed = parseCommandLine(COMMANDS, argv);
  } catch (err) {
    return fail(err, json, err instanceof UsageError ? err.commandPath : []);
  }
  const { spec, args } = parsed;
  if (args.options.version === true) {
    process.stdout.write(json ? `${JSON.stringify({ version: version() })}\n` : `${version()}\n`);
    return 0;
  }
  if (args.options.help === true || spec === undefined) {
    if (spec === undefined && args.options.help !== true && json)
      return fail(new UsageError('no command given; see fleetkeeper --help', []), json, []);
    const text = spec === undefined ? globalHelp(COMMANDS) : commandHelp(chainOf(args.path));
    process.stdout.write(json ? `${JSON.stringify({ ok: true, help: text })}\n` : text);
    return spec === undefined && args.options.help !== true ? 2 : 0;
  }
  const run = spec.run;
  if (run === undefined) return fail(new UsageError(`${spec.name} needs a subcommand`, args.path), json, args.path);
  let ctx: CliContext | undefined;
  try {
    return await run({
      args,
      json,
      env: process.env,
      out: makeOutput(json),
      context: async () => {
        ctx ??= (await import('./context.js')).makeContext(
          { socket: typeof args.options.socket === 'string' ? args.options.socket : undefined, json },
          process.env,
        );
        return ctx;
      },
    });
  } catch (err) {
    return fail(err, json, args.path);
  }
}
