// The Claude config dirs in use: the default one, those the live fleet's Claudes run under (read
// from /proc now) and those the newest snapshot recorded. Hooks must be in every one of them:
// a Claude under another CLAUDE_CONFIG_DIR reads that dir's settings.json only.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Problem, Snapshot } from '../../common/base/types.js';
import { uniquePanes } from '../../common/tmux/fleet-format.js';
import type { TmuxTarget } from '../tmux/exec.js';
import { queryFleet } from '../tmux/fleet-query.js';
import { hooksStatus, type HookCommands, type HooksStatus } from '../claude/settings-file.js';
import { configDirOf } from './capture.js';
import { procAvailable, scanPane, type ProcSource } from './proc-scan.js';

export function snapshotConfigDirs(snap: Snapshot | null): string[] {
  const dirs = new Set<string>();
  for (const s of snap?.sessions ?? [])
    for (const w of s.windows) for (const p of w.panes) if (p.agent !== undefined) dirs.add(p.agent.configDir);
  return [...dirs];
}

/** Config dirs of the Claudes running in the live fleet (none without a server or /proc). */
export async function liveConfigDirs(target: TmuxTarget, src: ProcSource = { root: '/proc' }): Promise<string[]> {
  if (!procAvailable(src)) return [];
  const fleet = await queryFleet(target).catch(() => null);
  const dirs = new Set<string>();
  for (const { pane } of fleet === null ? [] : uniquePanes(fleet)) {
    if (pane.pid === undefined) continue;
    const c = scanPane(src, pane.pid).claude;
    if (c !== null) dirs.add(configDirOf(c.environ, homedir()));
  }
  return [...dirs];
}

export interface DirHooks extends HooksStatus {
  configDir: string;
}

/**
 * The hooks state of each dir, the default first, each once. `withDefault: false` leaves the
 * default dir out (the caller has read its settings already: the watchdog, every tick).
 */
export async function hooksByDir(
  defaultSettingsPath: string,
  dirs: readonly string[],
  cmds: HookCommands,
  opts: { withDefault?: boolean } = {},
): Promise<DirHooks[]> {
  const defaultDir = defaultSettingsPath.replace(/\/settings\.json$/, '');
  const wanted = opts.withDefault === false ? dirs.filter((d) => d !== defaultDir) : [defaultDir, ...dirs];
  const all = [...new Set(wanted)];
  return Promise.all(
    all.map(async (configDir) => {
      const path = configDir === defaultDir ? defaultSettingsPath : join(configDir, 'settings.json');
      const s = await hooksStatus(path, cmds).catch((e: Error): HooksStatus => ({
        state: 'invalid',
        settingsPath: path,
        detail: e.message,
      }));
      return { ...s, configDir };
    }),
  );
}

/**
 * What status reports about the agents in the newest snapshot: panes adopted from Claude's
 * registry, drift, moves, a registry that was unavailable, and config dirs in use without hooks.
 */
export async function agentProblems(
  snap: Snapshot | null,
  defaultSettingsPath: string,
  cmds: HookCommands,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  if (snap === null) return problems;
  for (const s of snap.sessions)
    for (const w of s.windows)
      for (const p of w.panes) {
        const a = p.agent;
        if (a === undefined) continue;
        const where = `pane ${s.name}:${w.index}.${p.index} (role ${p.role})`;
        if (a.registry === 'adopted')
          problems.push({
            code: 'claude-adopted',
            message: `${where}: adopted ${a.registrySessionId ?? '?'} from Claude's own registry (no hook record)`,
          });
        else if (a.registry === 'drift')
          problems.push({ code: 'claude-drift', message: `${where}: ${a.note ?? 'hooks and registry disagree'}` });
        else if (a.registry === 'unavailable')
          problems.push({
            code: 'claude-registry-unavailable',
            message: `${where}: second source unavailable (${a.note ?? 'no registry file'}); the hooks alone decide`,
          });
        else if (a.note !== undefined) problems.push({ code: 'claude-moved', message: `${where}: ${a.note}` });
      }
  const defaultDir = defaultSettingsPath.replace(/\/settings\.json$/, '');
  const others = snapshotConfigDirs(snap).filter((d) => d !== defaultDir);
  for (const d of await hooksByDir(defaultSettingsPath, others, cmds, { withDefault: false }))
    if (d.state !== 'installed')
      problems.push({
        code: 'hooks-missing-config-dir',
        message: `Claude config dir ${d.configDir} is in use but its settings lack Fleetkeeper's hooks (${d.state}); run: fleetkeeper hooks install --config-dir ${d.configDir}`,
      });
  return problems;
}

export function defaultConfigDirOf(settingsPath: string): string {
  return settingsPath.replace(/\/settings\.json$/, '') || join(homedir(), '.claude');
}
