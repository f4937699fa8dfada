import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { FleetkeeperError, InvalidInputError, errorMessage } from '../common/base/errors.js';
import { makeContext } from './context.js';
import { makeOutput } from './output.js';

export const HELP = `fleetkeeper — brings every tmux pane back with its own Claude conversation

Usage: fleetkeeper <command> [options]

Commands:
  save                         take a verified snapshot now
  status [--short] [--stale-after S]
                               health of the newest snapshot on disk (exit 0 only when fresh);
                               --short prints one line for tmux status-right
  snapshots                    list snapshots
  restore [ID] [--dry-run] [--stagger MS] [--verify-timeout S]
                               plan, recreate and verify (default: the restore default)
  registry                     role -> Claude session binding
  role [NAME] [--pane TARGET] [--force]
                               show or set the role of this pane (or TARGET)
  hooks install|uninstall|status
                               manage Fleetkeeper's entries in Claude's settings.json
  hook session-start|session-end
                               (called by Claude Code) record a hook event from stdin
  daemon [--interval S] [--stale-after S]
                               save on a fixed clock and on layout changes; watch freshness

Options for every command:
  --json           one JSON document on stdout
  --socket NAME    tmux server socket name (tmux -L); default $FLEETKEEPER_TMUX_SOCKET
  -h, --help       this help
  -v, --version    version

Environment: FLEETKEEPER_HOME (state dir), FLEETKEEPER_TMUX_SOCKET, CLAUDE_CONFIG_DIR,
FLEETKEEPER_CLAUDE_BIN (what restore types, default "claude").
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        socket: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        short: { type: 'boolean' },
        'stale-after': { type: 'string' },
        'dry-run': { type: 'boolean' },
        stagger: { type: 'string' },
        'verify-timeout': { type: 'string' },
        pane: { type: 'string' },
        force: { type: 'boolean' },
        interval: { type: 'string' },
      },
    });
  } catch (err) {
    process.stderr.write(`fleetkeeper: ${errorMessage(err)}\n`);
    return 2;
  }
  const { values: v, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (v.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (v.help || command === undefined || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined && !v.help ? 2 : 0;
  }
  const json = v.json === true;
  try {
    const ctx = makeContext({ socket: v.socket, json }, process.env);
    const out = makeOutput(json);
    // Each command loads only its own modules: `save` and `status --short` are on the clock.
    switch (command) {
      case 'save':
        return await (await import('./commands/save.js')).saveCommand(ctx, out);
      case 'status':
        return await (
          await import('./commands/status.js')
        ).statusCommand(ctx, out, { short: v.short, staleAfter: v['stale-after'] });
      case 'snapshots':
        return await (await import('./commands/snapshots.js')).snapshotsCommand(ctx, out);
      case 'restore':
        return await (
          await import('./commands/restore.js')
        ).restoreCommand(ctx, out, rest[0], {
          dryRun: v['dry-run'],
          stagger: v.stagger,
          verifyTimeout: v['verify-timeout'],
        });
      case 'registry':
        return await (await import('./commands/registry.js')).registryCommand(ctx, out);
      case 'role':
        return await (
          await import('./commands/role.js')
        ).roleCommand(ctx, out, rest[0], { pane: v.pane, force: v.force });
      case 'hooks':
        return await (await import('./commands/hooks.js')).hooksCommand(ctx, out, rest[0]);
      case 'daemon':
        return await (
          await import('./commands/daemon.js')
        ).daemonCommand(ctx, { interval: v.interval, staleAfter: v['stale-after'] });
      default:
        throw new InvalidInputError(`unknown command ${JSON.stringify(command)}; see fleetkeeper --help`);
    }
  } catch (err) {
    const msg = errorMessage(err).split('\n')[0] ?? 'failed';
    if (json)
      process.stdout.write(
        `${JSON.stringify({ ok: false, error: msg, code: err instanceof FleetkeeperError ? err.code : 'error' })}\n`,
      );
    process.stderr.write(`fleetkeeper ${command}: ${msg}\n`);
    return err instanceof InvalidInputError ? 2 : 1;
  }
}

process.exitCode = await runCli(process.argv.slice(2));
