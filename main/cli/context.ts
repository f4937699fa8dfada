import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { ensureStateDir, resolveStateDir, statePaths, type StatePaths } from '../node/base/state-dir.js';
import { tmuxTargetFrom, type TmuxTarget } from '../node/tmux/exec.js';
import { SettingsStore, openSettingsFile } from '../node/settings/settings-store.js';
import { RegistryStore } from '../node/journal/registry-store.js';
import { claudeSettingsPath, hookCommands, type HookCommands } from '../node/claude/settings-file.js';
import { parseTmuxEnv } from '../node/tmux/pane-context.js';
import { claudeBinFrom } from '../common/claude/claude-bin.js';
import { transientMount } from '../common/claude/hook-host.js';

/** Everything a command needs, resolved once from flags and the environment contracts. */
export interface CliContext {
  paths: StatePaths;
  target: TmuxTarget;
  env: NodeJS.ProcessEnv;
  settings: SettingsStore;
  registry: RegistryStore;
  claudeSettingsPath: string;
  hookCommands: HookCommands;
  claudeBin: string;
  json: boolean;
  clock: () => Date;
}

/** The launcher that Claude's hook entries must call: absolute, resolved through links. */
export function cliLauncherPath(): string {
  const here = fileURLToPath(import.meta.url);
  return realpathSync(resolve(here, '..', '..', '..', '..', 'bin', 'fleetkeeper.js'));
}

/**
 * The hook command `hooks install` writes: this Node on this CLI. Not when either lives in an
 * AppImage's temporary mount (the CLI run from inside a running AppImage), which anyone can
 * recreate once the app exits: then no command, and install says why (hook-host.ts).
 */
function cliHookCommands(env: NodeJS.ProcessEnv): HookCommands {
  const cli = cliLauncherPath();
  const why = transientMount(process.execPath, env) ?? transientMount(cli, env);
  if (why === null) return hookCommands(process.execPath, cli);
  return {
    sessionStart: '',
    sessionEnd: '',
    unavailable: `Claude hooks cannot be installed from this CLI: ${why}; install them from the app (it keeps a stable copy) or from a fleetkeeper installed with npm`,
  };
}

export function makeContext(
  flags: { socket?: string; json?: boolean },
  env: NodeJS.ProcessEnv = process.env,
  /** `doctor` looks at the state dir as it is: never creates it, never refuses a lax one. */
  opts: { inspectOnly?: boolean } = {},
): CliContext {
  const paths = opts.inspectOnly ? statePaths(resolveStateDir(env)) : ensureStateDir(resolveStateDir(env));
  let target = tmuxTargetFrom(flags.socket, env);
  // Inside a pane with no explicit socket, act on the server the pane belongs to.
  if (flags.socket === undefined && (env.FLEETKEEPER_TMUX_SOCKET ?? '') === '') {
    const inPane = parseTmuxEnv(env.TMUX, env.TMUX_PANE);
    if (inPane) target = { socketPath: inPane.socketPath };
  }
  return {
    paths,
    target,
    env,
    settings: new SettingsStore(openSettingsFile(paths)),
    registry: new RegistryStore(paths),
    claudeSettingsPath: claudeSettingsPath(env),
    hookCommands: cliHookCommands(env),
    // Read when a command types it (restore), so a bad value never stops `status` or `save`.
    get claudeBin(): string {
      return claudeBinFrom(env.FLEETKEEPER_CLAUDE_BIN);
    },
    json: flags.json === true,
    clock: () => new Date(),
  };
}
