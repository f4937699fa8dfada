import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readdir, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errorMessage } from '../../common/base/errors.js';
import { alertChannels } from '../../common/alerts/alert-channels.js';
import {
  alertChannelsCheck,
  claudeRegistryCheck,
  desktopCheck,
  diskCheck,
  hooksCheck,
  loginCheck,
  saverCheck,
  serverCheck,
  stateDirCheck,
  tmuxCheck,
  type Check,
} from '../../common/doctor/checks.js';
import { lingerAdvice } from '../../common/service/unit-files.js';
import type { Settings } from '../../common/settings/settings-model.js';
import type { StatePaths } from '../base/state-dir.js';
import { runTmux, socketArgs, type TmuxTarget } from '../tmux/exec.js';
import type { HookCommands } from '../claude/settings-file.js';
import { hooksByDir, liveConfigDirs, snapshotConfigDirs } from '../agent/config-dirs.js';
import { newestValidSnapshot } from '../snapshot/reader.js';
import { readSaverState } from '../daemon/saver-state.js';
import { readDaemonStatus } from '../daemon/status.js';
import { currentDesktopBus, readAlertStatus } from '../alerts/alert-status.js';
import { XdgAutostart, xdgAutostartFile } from '../desktop/autostart.js';
import { readLinger, serviceStatus, type ServiceHost } from '../service/user-service.js';

export interface DoctorInputs {
  paths: StatePaths;
  target: TmuxTarget;
  settings: Settings;
  claudeSettingsPath: string;
  hookCommands: HookCommands;
  host: ServiceHost;
  clock: () => Date;
}

function exec(bin: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) =>
    execFile(bin, args, { env, encoding: 'utf8', timeout: 5_000 }, (err, stdout, stderr) =>
      resolve({ ok: err === null, out: (err === null ? stdout : `${stderr || errorMessage(err)}`).trim() }),
    ),
  );
}

function serverName(t: TmuxTarget): string {
  const a = socketArgs(t);
  return a.length === 0 ? 'the default tmux server' : `tmux ${a.join(' ')}`;
}

/** org.freedesktop.Notifications owned (or activatable) on the session bus, asked with dbus-send. */
async function notificationServer(
  env: NodeJS.ProcessEnv,
  bus: string,
): Promise<{ reachable: boolean; detail: string }> {
  const e = { ...env };
  if (!e.DBUS_SESSION_BUS_ADDRESS) e.DBUS_SESSION_BUS_ADDRESS = `unix:path=${bus.replace(/^session bus /, '')}`;
  const call = (method: string, ...args: string[]) =>
    exec(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--reply-timeout=3000',
        '--dest=org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        `org.freedesktop.DBus.${method}`,
        ...args,
      ],
      e,
    );
  const owner = await call('NameHasOwner', 'string:org.freedesktop.Notifications');
  if (!owner.ok && /ENOENT/.test(owner.out))
    return { reachable: false, detail: 'cannot ask the session bus: dbus-send is not installed (Debian: dbus-bin)' };
  if (!owner.ok) return { reachable: false, detail: `the session bus did not answer: ${owner.out.split('\n')[0]}` };
  if (/boolean true/.test(owner.out))
    return { reachable: true, detail: 'org.freedesktop.Notifications is on the session bus' };
  const act = await call('ListActivatableNames');
  if (act.ok && act.out.includes('"org.freedesktop.Notifications"'))
    return { reachable: true, detail: 'org.freedesktop.Notifications is activatable on the session bus' };
  return { reachable: false, detail: 'no notification server (org.freedesktop.Notifications) on the session bus' };
}

async function sessionsDir(configDir: string): Promise<Parameters<typeof claudeRegistryCheck>[0]> {
  const dir = join(configDir, 'sessions');
  try {
    const names = await readdir(dir);
    return {
      configDir,
      state: 'readable',
      detail: `${dir}: ${names.filter((n) => n.endsWith('.json')).length} entries`,
    };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { configDir, state: 'absent', detail: `no ${dir}` };
    return { configDir, state: 'unreadable', detail: `${dir}: ${errorMessage(err)}` };
  }
}

async function freeSpace(dir: string): Promise<Parameters<typeof diskCheck>[0]> {
  let d = dir;
  while (!existsSync(d) && dirname(d) !== d) d = dirname(d);
  try {
    const s = await statfs(d);
    return { dir, freeBytes: s.bavail * s.bsize, error: null };
  } catch (err) {
    return { dir, freeBytes: null, error: errorMessage(err) };
  }
}

/** Every check, in the order a user would fix them. */
export async function runDoctor(i: DoctorInputs): Promise<Check[]> {
  const env = i.host.env;
  const now = i.clock().getTime();
  const checks: Check[] = [];

  const v = await exec(i.target.bin ?? 'tmux', ['-V'], env);
  checks.push(tmuxCheck(v.ok ? v.out : null, v.ok ? null : v.out));
  let sessions = 0;
  let serverError: string | null = null;
  try {
    sessions = (await runTmux(i.target, ['list-sessions', '-F', '#{session_id}'], 5_000))
      .split('\n')
      .filter(Boolean).length;
  } catch (err) {
    serverError = errorMessage(err);
  }
  checks.push(
    serverCheck({ reachable: serverError === null, sessions, server: serverName(i.target), error: serverError }),
  );

  let st: { mode: number; uid: number } | null = null;
  try {
    st = statSync(i.paths.root);
  } catch {
    st = null;
  }
  checks.push(
    stateDirCheck({
      dir: i.paths.root,
      exists: st !== null,
      mode: st?.mode ?? 0,
      ownerUid: st?.uid ?? -1,
      uid: i.host.uid,
    }),
  );

  const snap = await newestValidSnapshot(i.paths).catch(() => null);
  const live = await liveConfigDirs(i.target).catch(() => []);
  const dirs = await hooksByDir(i.claudeSettingsPath, [...live, ...snapshotConfigDirs(snap)], i.hookCommands);
  for (const d of dirs) checks.push(hooksCheck(d));
  for (const d of dirs) checks.push(claudeRegistryCheck(await sessionsDir(d.configDir)));

  const saver = await readSaverState(i.paths);
  const ds = saver.running ? await readDaemonStatus(i.paths).catch(() => null) : null;
  const failing = ds !== null && ds.consecutiveFailures > 0 ? ds.lastError : null;
  const age = snap === null ? null : Math.max(0, (now - Date.parse(snap.savedAt)) / 1000);
  checks.push(
    saverCheck({
      running: saver.running,
      detail: saver.detail,
      lastSaveAgeS: age,
      staleAfterS: saver.staleAfterS ?? i.settings.staleAfterS,
      failing,
    }),
  );

  const supported = i.host.platform === 'linux' || i.host.platform === 'darwin';
  const service = supported ? await serviceStatus(i.host) : null;
  const autostart =
    i.host.platform === 'linux' ? await new XdgAutostart(xdgAutostartFile(env, i.host.home), []).read() : null;
  const linger =
    service?.installed && i.host.platform === 'linux' ? lingerAdvice(await readLinger(i.host), i.host.user) : null;
  checks.push(
    ...loginCheck({
      supported,
      platform: i.host.platform,
      service: { installed: service?.installed ?? false, enabled: service?.enabled ?? null, file: service?.file ?? '' },
      autostart,
      lingerAdvice: linger,
    }),
  );

  const bus = currentDesktopBus(env, i.host.platform);
  const server =
    i.host.platform === 'linux' && bus.available && i.settings.notifications
      ? await notificationServer(env, bus.detail)
      : null;
  const other = [
    i.settings.alertCommand !== null ? 'alertCommand' : '',
    i.settings.heartbeatUrl !== null ? 'heartbeatUrl' : '',
  ].filter(Boolean);
  checks.push(
    desktopCheck({
      platform: i.host.platform,
      notifications: i.settings.notifications,
      bus,
      server,
      otherChannels: other,
    }),
  );

  checks.push(diskCheck(await freeSpace(i.paths.root)));

  const last = (await readAlertStatus(i.paths))?.last ?? {};
  const desktopUsable = bus.available && (server === null || server.reachable);
  const channels = alertChannels({
    notifications: i.settings.notifications,
    bus: desktopUsable ? bus : { available: false, detail: server?.detail ?? bus.detail },
    alertCommand: i.settings.alertCommand,
    heartbeatUrl: i.settings.heartbeatUrl,
    last: { ...last, desktop: desktopUsable ? last.desktop : null },
  });
  checks.push(
    alertChannelsCheck(channels, (c) =>
      c.name === 'command'
        ? i.settings.alertCommand !== null
        : c.name === 'heartbeat'
          ? i.settings.heartbeatUrl !== null
          : desktopUsable && i.settings.notifications,
    ),
  );
  return checks;
}
