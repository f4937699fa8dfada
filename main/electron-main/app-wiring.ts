// Builds the tray app from the real core: state dir, tmux target, registry and settings (in
// stores the caller opens: electron-store in the app, the CLI's JSON files otherwise), the Daemon (the app IS
// the daemon while it runs), the dashboard service, autostart, and the controller.
// Electron-free, so test/app-wiring.test.ts runs exactly this under plain Node.
import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Snapshot } from '../common/base/types.js';
import { FleetkeeperError } from '../common/base/errors.js';
import type { TrayPlatform } from '../common/tray/tray-model.js';
import { claudeBinFrom } from '../common/claude/claude-bin.js';
import { chooseHookHost, transientMount } from '../common/claude/hook-host.js';
import { installHookCopy } from '../node/claude/hook-copy.js';
import { ensureStateDir, resolveStateDir, type StatePaths } from '../node/base/state-dir.js';
import { tmuxTargetFrom, type TmuxTarget } from '../node/tmux/exec.js';
import { AlertService } from '../node/alerts/alert-service.js';
import { NotificationPolicy, policyConfig } from '../common/health/notification-policy.js';
import { SettingsStore, openSettingsFile, type SettingsBackend } from '../node/settings/settings-store.js';
import { RegistryStore, openRegistryFile, type ConfLike } from '../node/journal/registry-store.js';
import {
  claudeSettingsPath,
  hookCommands,
  hooksStatus,
  installHooks,
  type HookCommands,
} from '../node/claude/settings-file.js';
import { Daemon } from '../node/daemon/daemon.js';
import { DashboardService } from '../dashboard/dashboard-service.js';
import { restoreCandidates, instanceKey } from '../node/snapshot/store.js';
import { readRestoreContext } from '../node/snapshot/restore-context.js';
import { autoRestoreMessage, autoRestoreOnStart } from '../node/restore/auto-restore.js';
import { createAutostart, type Autostart, type LaunchInfo, type LoginItemsApi } from '../node/desktop/autostart.js';
import { AppController, type RestoreOffer } from './app-controller.js';
import type { ElectronSurface } from './electron-surface.js';

export interface AppWiringOptions {
  env: NodeJS.ProcessEnv;
  surface: ElectronSurface;
  platform: NodeJS.Platform;
  launch: LaunchInfo;
  /** Where build/icons' tree lives (resources/icons when packaged). */
  iconDir: string;
  /** The Claude hook's command: the packaged CLI wrapper, or Node + bin/fleetkeeper.js in dev. */
  hookCommands: HookCommands;
  /** electron-store in the app; when omitted, the same JSON files the CLI uses (JsonFileStore). */
  openStore?: (name: 'registry' | 'settings', paths: StatePaths) => ConfLike & SettingsBackend;
  loginItems?: LoginItemsApi;
  autostart?: Autostart;
  clock?: () => Date;
  tzOffsetMinutes?: () => number;
  tickMs?: number;
  daemon?: { debounceMs?: number; watchdogMs?: number; serverPollMs?: number };
  log?: (line: string) => void;
}

export interface WiredApp {
  controller: AppController;
  daemon: Daemon;
  dashboard: DashboardService;
  paths: StatePaths;
  target: TmuxTarget;
  settings: SettingsStore;
}

/** Snapshots for the Restore ▸ menu, with the previous instance's last healthy one marked. */
export async function restoreOffer(paths: StatePaths, target: TmuxTarget): Promise<RestoreOffer> {
  const { listing, current, handled } = await readRestoreContext(paths, target);
  const candidates = restoreCandidates(listing, current, handled);
  const first = candidates[0];
  const fromPrevious =
    first !== undefined &&
    (current === null || instanceKey(first.instance) !== instanceKey(current)) &&
    !handled.has(instanceKey(first.instance));
  return { snapshots: listing.valid, previousInstanceId: fromPrevious ? first.id : null };
}

/** The first `node` on PATH: absolute, a regular file, and not inside a temporary mount. */
function nodeOnPath(env: NodeJS.ProcessEnv): string | undefined {
  return (env.PATH ?? '')
    .split(delimiter)
    .map((d) => join(d, 'node'))
    .find((p) => isAbsolute(p) && existsSync(p) && transientMount(p, env) === null);
}

/**
 * The hook command for this run, decided by chooseHookHost (common/claude/hook-host.ts). Installed
 * app: the sh wrapper in resources/bin, which runs the unpacked CLI with the app's own binary as
 * Node. AppImage: its mount is temporary and can be recreated by anyone, so the one-file hook is
 * copied into the user's data dir (verified) and run by a Node on PATH; without one, refused with
 * the reason. Dev: a real Node (npm's, else the first on PATH) on bin/fleetkeeper.js, the same
 * command `fleetkeeper hooks install` writes.
 */
export async function appHookCommands(opts: {
  packaged: boolean;
  resourcesPath: string;
  appPath: string;
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  userDataDir?: string;
}): Promise<HookCommands> {
  const host = chooseHookHost({
    packaged: opts.packaged,
    platform: opts.platform ?? process.platform,
    resourcesPath: opts.resourcesPath,
    env: opts.env,
    userDataDir: opts.userDataDir ?? '',
  });
  // No safe command: the app still runs, hooks show as missing with the reason, install refuses.
  const unavailable = (why: string): HookCommands => ({ sessionStart: '', sessionEnd: '', unavailable: why });
  if (host.kind === 'refuse') return unavailable(`Claude hooks cannot be installed: ${host.reason}`);
  if (host.kind === 'wrapper') return hookCommands('/bin/sh', host.wrapper);
  if (host.kind === 'user-copy') {
    const node = nodeOnPath(opts.env);
    if (node === undefined)
      return unavailable(
        `Claude hooks cannot be installed from this AppImage: ${host.why}, so the hook must run from a copy in ${host.target} under a Node.js (>= 20) on PATH, and none was found; install Node.js, or use the .deb`,
      );
    await installHookCopy(host.source, host.target);
    return hookCommands(node, host.target);
  }
  const fromNpm = opts.env.npm_node_execpath;
  const node = fromNpm !== undefined && isAbsolute(fromNpm) ? fromNpm : nodeOnPath(opts.env);
  if (node === undefined)
    throw new FleetkeeperError(
      'no Node found (npm_node_execpath or node on PATH) for the Claude hook command',
      'no-node',
    );
  return hookCommands(node, join(opts.appPath, 'bin', 'fleetkeeper.js'));
}

export function wireApp(o: AppWiringOptions): WiredApp {
  const paths = ensureStateDir(resolveStateDir(o.env, o.platform));
  const target = tmuxTargetFrom(undefined, o.env);
  const clock = o.clock ?? (() => new Date());
  const settings = new SettingsStore(o.openStore ? o.openStore('settings', paths) : openSettingsFile(paths));
  const registry = new RegistryStore(
    paths,
    o.openStore ? () => o.openStore!('registry', paths) : () => openRegistryFile(paths),
  );
  const claudeSettings = claudeSettingsPath(o.env);
  let controller: AppController | null = null;
  // alertCommand and heartbeatUrl reach a user the tray cannot (away from this screen); the
  // tray's own notifications stay with the controller. Its policy ignores `notifications`.
  const alerts = new AlertService({ paths, settings: () => settings.get(), desktop: null, log: o.log ?? (() => {}) });
  const alertPolicy = new NotificationPolicy(
    () => policyConfig(settings.get(), { desktop: false, tzOffsetMinutes: -clock().getTimezoneOffset() }),
    clock,
  );
  alertPolicy.handle({ kind: 'start' });
  const d = new Daemon({
    paths,
    target,
    registry,
    clock,
    settings: () => settings.get(),
    claudeSettingsPath: claudeSettings,
    hookCommands: o.hookCommands,
    ...o.daemon,
    onHealth: (report) => {
      void controller?.onHealth(report);
      for (const n of alertPolicy.handle({ kind: 'health', report })) alerts.command(n, report);
    },
    onSaved: () => alerts.saved(),
    log: o.log,
    // restoreOnStart=auto: the same code path as the daemon command's (autoRestoreOnStart).
    startRestore: async (signal) => {
      const outcome = await autoRestoreOnStart({
        paths,
        target,
        settings: settings.get(),
        claudeBin: claudeBinFrom(o.env.FLEETKEEPER_CLAUDE_BIN),
        signal,
      });
      const msg = autoRestoreMessage(outcome);
      if (msg === null) return;
      o.log?.(`restore at start: ${msg.title}: ${msg.body}`);
      await o.surface.notify({ title: msg.title, body: msg.body, urgency: msg.ok ? 'normal' : 'critical' });
    },
  });
  const saveNow = async (trigger: Parameters<Daemon['saveNow']>[0]): Promise<Snapshot> => {
    const r = await d.saveNow(trigger);
    if (r === null)
      throw new FleetkeeperError(d.health?.reason ?? 'the save did not complete (no tmux server?)', 'save-failed');
    return r.snapshot;
  };
  const dashboard = new DashboardService({
    paths,
    target,
    settings,
    registry,
    clock,
    claudeSettingsPath: claudeSettings,
    hookCommands: o.hookCommands,
    // Read at each restore: a value with a control character fails that restore, loudly, not the app.
    get claudeBin(): string {
      return claudeBinFrom(o.env.FLEETKEEPER_CLAUDE_BIN);
    },
    saveNow,
    wakeGraceUntil: () => d.wakeGrace,
    onSettingsChanged: () => {
      d.retime();
      controller?.render();
    },
  });
  const autostart =
    o.autostart ?? createAutostart({ platform: o.platform, launch: o.launch, loginItems: o.loginItems });
  controller = new AppController({
    surface: o.surface,
    daemon: d,
    dashboard,
    autostart,
    hooks: {
      status: async () => (await hooksStatus(claudeSettings, o.hookCommands)).state,
      install: async () => {
        await installHooks(claudeSettings, o.hookCommands);
        return (await hooksStatus(claudeSettings, o.hookCommands)).state;
      },
    },
    snapshots: () => restoreOffer(paths, target),
    settings: () => settings.get(),
    iconDir: o.iconDir,
    platform: trayPlatform(o.platform),
    clock,
    tzOffsetMinutes: o.tzOffsetMinutes,
    tickMs: o.tickMs,
    log: o.log,
  });
  return { controller, daemon: d, dashboard, paths, target, settings };
}

export function trayPlatform(p: NodeJS.Platform): TrayPlatform {
  return p === 'darwin' || p === 'win32' ? p : 'linux';
}
