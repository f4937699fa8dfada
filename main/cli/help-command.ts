import { COMMANDS } from './command-table.js';
import { findCommand, UsageError, type CommandSpec, type ParsedArgs } from './command-spec.js';
import { commandHelp, globalHelp } from './help.js';

/** `fleetkeeper help [COMMAND...]`: the same text as `fleetkeeper COMMAND --help`. */
export async function helpCommand(args: ParsedArgs, json = false): Promise<number> {
  const words = (args.positionals.COMMAND as readonly string[] | undefined) ?? [];
  const chain: CommandSpec[] = [];
  let level: readonly CommandSpec[] = COMMANDS;
  for (const w of words) {
    const next = findCommand(level, w);
    if (next === undefined) throw new UsageError(`no command ${JSON.stringify(words.join(' '))}`, ['help']);
    chain.push(next);
    level = next.subcommands ?? [];
  }
  const text = chain.length === 0 ? globalHelp(COMMANDS) : commandHelp(chain);
  process.stdout.write(json ? `${JSON.stringify({ ok: true, help: text })}\n` : text);
  return 0;
}
