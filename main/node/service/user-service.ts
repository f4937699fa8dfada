import { execFile } from 'node:child_process';
import { existsSync, lstatSync } from 'node:fs';
import { mkdir, readFile, rmdir, unlink } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { FleetkeeperError, errorMessage } from '../../common/base/errors.js';
import {
  LAUNCHD_LABEL,
  SYSTEMD_UNIT_NAME,
  launchdPlist,
  lingerAdvice,
  systemdUnit,
  type ServiceSpec,
} from '../../common/service/unit-files.js';
import { writeFileDurable } from '../base/durable-file.js';
import type { StatePaths } from '../base/state-dir.js';
import type { TmuxTarget } from '../tmux/exec.js';
import { XdgAutostart, xdgAutostartFile } from '../desktop/autostart.js';

export interface ServiceHost {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
  user: string;
  uid: number;
}

export function currentHost(env: NodeJS.ProcessEnv = process.env): ServiceHost {
  const info = userInfo();
  return {
    platform: process.platform,
    env,
    home: env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir(),
    user: env.USER || info.username,
    uid: info.uid,
  };
}

function configHome(h: ServiceHost): string {
  const x = h.env.XDG_CONFIG_HOME;
  return x && isAbsolute(x) ? x : join(h.home, '.config');
}

export function serviceFiles(h: ServiceHost): { file: string; wants: string | null } {
  if (h.platform === 'darwin')
    return { file: join(h.home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`), wants: null };
  const dir = join(configHome(h), 'systemd', 'user');
  return { file: join(dir, SYSTEMD_UNIT_NAME), wants: join(dir, 'default.target.wants', SYSTEMD_UNIT_NAME) };
}

/** Where `tmux -L name` puts its socket: $TMUX_TMPDIR (else /tmp, not $TMPDIR) / tmux-UID / name. */
export function tmuxSocketPath(h: ServiceHost, name: string): string {
  const dir = h.env.TMUX_TMPDIR && isAbsolute(h.env.TMUX_TMPDIR) ? h.env.TMUX_TMPDIR : '/tmp';
  return join(dir, `tmux-${h.uid}`, name);
}

/**
 * The daemon exactly as `fleetkeeper daemon` runs by hand, with the state dir and the tmux
 * server pinned as absolute paths: a systemd or launchd environment has neither the user's
 * FLEETKEEPER_HOME nor their TMUX_TMPDIR.
 */
export function serviceSpec(
  h: ServiceHost,
  paths: StatePaths,
  target: TmuxTarget,
  launcher: { node: string; cli: string },
): ServiceSpec {
  const socket = target.socketPath ?? tmuxSocketPath(h, target.socketName ?? 'default');
  const env: Record<string, string> = { FLEETKEEPER_HOME: paths.root, FLEETKEEPER_TMUX_SOCKET: socket };
  if (h.env.PATH) env.PATH = h.env.PATH;
  // A user manager may start us with no locale at all; tmux's control mode then escapes every
  // non-ASCII byte and a save's fleet query comes back unparseable (seen: every save refused).
  for (const k of ['LANG', 'LC_ALL', 'LC_CTYPE']) if (/utf-?8/i.test(h.env[k] ?? '')) env[k] = h.env[k]!;
  if (env.LANG === undefined && env.LC_ALL === undefined && env.LC_CTYPE === undefined) env.LANG = 'C.UTF-8';
  if (h.env.CLAUDE_CONFIG_DIR) env.CLAUDE_CONFIG_DIR = h.env.CLAUDE_CONFIG_DIR;
  if (h.env.FLEETKEEPER_CLAUDE_BIN) env.FLEETKEEPER_CLAUDE_BIN = h.env.FLEETKEEPER_CLAUDE_BIN;
  return {
    argv: [launcher.node, launcher.cli, 'daemon'],
    env,
    description: `Fleetkeeper daemon: saves the tmux server at ${socket} into ${paths.root}`,
    logFile: h.platform === 'darwin' ? join(paths.root, 'daemon.log') : undefined,
  };
}

interface Run {
  ok: boolean;
  out: string;
}

function run(bin: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(bin, args, { env, encoding: 'utf8', timeout: 20_000 }, (err, stdout, stderr) =>
      resolve({ ok: err === null, out: `${stdout}${stderr}`.trim() }),
    );
  });
}

/** `systemctl --user` works here (a user manager and its bus are reachable). */
async function userSystemd(h: ServiceHost): Promise<{ ok: boolean; why: string }> {
  const r = await run('systemctl', ['--user', 'show-environment'], h.env);
  return r.ok ? { ok: true, why: '' } : { ok: false, why: r.out.split('\n')[0] || 'systemctl --user failed' };
}

/** Lingering from loginctl, else from /var/lib/systemd/linger; null when neither can tell. */
export async function readLinger(h: ServiceHost): Promise<boolean | null> {
  const r = await run('loginctl', ['show-user', h.user, '-p', 'Linger'], h.env);
  const m = /^Linger=(yes|no)$/m.exec(r.out);
  if (r.ok && m) return m[1] === 'yes';
  if (existsSync(join('/var/lib/systemd/linger', h.user))) return true;
  return existsSync('/var/lib/systemd/linger') ? false : null;
}

export interface ServiceReport {
  platform: string;
  file: string;
  installed: boolean;
  enabled: boolean | null;
  active: boolean | null;
  manager: string;
  linger: boolean | null;
  notes: string[];
  /** Commands the user still has to run (empty when we ran them). */
  todo: string[];
}

async function appAutostartOn(h: ServiceHost): Promise<string | null> {
  if (h.platform !== 'linux') return null;
  const st = await new XdgAutostart(xdgAutostartFile(h.env, h.home), []).read();
  return st.enabled ? xdgAutostartFile(h.env, h.home) : null;
}

function exists(p: string | null): boolean {
  if (p === null) return false;
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

export async function serviceStatus(h: ServiceHost): Promise<ServiceReport> {
  const { file, wants } = serviceFiles(h);
  const installed = exists(file);
  const notes: string[] = [];
  const todo: string[] = [];
  if (h.platform === 'darwin') {
    const r = await run('launchctl', ['print', `gui/${h.uid}/${LAUNCHD_LABEL}`], h.env);
    return {
      platform: 'darwin',
      file,
      installed,
      enabled: installed,
      active: r.ok,
      manager: 'launchd',
      linger: null,
      notes,
      todo,
    };
  }
  const sd = await userSystemd(h);
  let enabled: boolean | null = exists(wants);
  let active: boolean | null = null;
  if (sd.ok) {
    enabled = (await run('systemctl', ['--user', 'is-enabled', SYSTEMD_UNIT_NAME], h.env)).out === 'enabled';
    active = (await run('systemctl', ['--user', 'is-active', SYSTEMD_UNIT_NAME], h.env)).out === 'active';
  } else notes.push(`systemctl --user is not available here (${sd.why}): cannot ask whether it runs`);
  const linger = await readLinger(h);
  const advice = installed ? lingerAdvice(linger, h.user) : null;
  if (advice !== null) notes.push(advice);
  const manager = sd.ok ? 'systemd --user' : 'systemd --user (not reachable)';
  return { platform: h.platform, file, installed, enabled, active, manager, linger, notes, todo };
}

export class ServiceConflictError extends FleetkeeperError {
  constructor(message: string) {
    super(message, 'service-conflict');
  }
}

export async function installService(h: ServiceHost, spec: ServiceSpec, force: boolean): Promise<ServiceReport> {
  if (h.platform !== 'linux' && h.platform !== 'darwin')
    throw new FleetkeeperError(`a login service is not supported on ${h.platform}`, 'unsupported');
  const app = await appAutostartOn(h);
  if (app !== null && !force)
    throw new ServiceConflictError(
      `the tray app already starts at login (${app}) and saves this state dir: a second saver is not needed. Turn off "Start at login" in the app, or pass --force to run both (they share the state dir's writer lock, one save at a time, but save on two clocks and alarm twice)`,
    );
  const { file } = serviceFiles(h);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const text = h.platform === 'darwin' ? launchdPlist(spec) : systemdUnit(spec);
  await writeFileDurable(file, text, undefined, 0o644);
  const todo: string[] = [];
  if (h.platform === 'darwin') {
    await run('launchctl', ['bootout', `gui/${h.uid}/${LAUNCHD_LABEL}`], h.env);
    const r = await run('launchctl', ['bootstrap', `gui/${h.uid}`, file], h.env);
    if (!r.ok) todo.push(`launchctl bootstrap gui/${h.uid} ${file}`);
  } else {
    const sd = await userSystemd(h);
    const steps = [['daemon-reload'], ['enable', SYSTEMD_UNIT_NAME], ['restart', SYSTEMD_UNIT_NAME]];
    if (sd.ok) {
      for (const s of steps) {
        const r = await run('systemctl', ['--user', ...s], h.env);
        if (!r.ok) throw new FleetkeeperError(`systemctl --user ${s.join(' ')} failed: ${r.out}`, 'service-failed');
      }
    } else todo.push(`systemctl --user daemon-reload && systemctl --user enable --now ${SYSTEMD_UNIT_NAME}`);
  }
  const report = await serviceStatus(h);
  if (app !== null)
    report.notes.unshift(
      `the tray app also starts at login (${app}): both save this state dir, one save at a time under its writer lock, each on its own clock and each alarming`,
    );
  return { ...report, todo };
}

/** Stops and disables the service, then removes the unit and its enablement link: nothing is left. */
export async function uninstallService(h: ServiceHost): Promise<{ removed: string[]; notes: string[] }> {
  const { file, wants } = serviceFiles(h);
  const notes: string[] = [];
  if (h.platform === 'darwin') {
    await run('launchctl', ['bootout', `gui/${h.uid}/${LAUNCHD_LABEL}`], h.env);
  } else if (h.platform === 'linux') {
    const sd = await userSystemd(h);
    if (sd.ok) await run('systemctl', ['--user', 'disable', '--now', SYSTEMD_UNIT_NAME], h.env);
    else notes.push(`systemctl --user is not available (${sd.why}): if the daemon still runs, stop it by hand`);
  }
  const removed: string[] = [];
  for (const p of [wants, file]) {
    if (p === null || !exists(p)) continue;
    try {
      await unlink(p);
      removed.push(p);
    } catch (err) {
      throw new FleetkeeperError(`cannot remove ${p}: ${errorMessage(err)}`, 'service-failed', { cause: err });
    }
  }
  // The directories install may have created, if nothing else lives there (rmdir refuses otherwise).
  if (wants !== null)
    for (const d of [dirname(wants), dirname(file), dirname(dirname(file))]) await rmdir(d).catch(() => undefined);
  if (h.platform === 'linux' && (await userSystemd(h)).ok) await run('systemctl', ['--user', 'daemon-reload'], h.env);
  return { removed, notes };
}

/** The unit or plist as installed, for status and tests. */
export async function readServiceFile(h: ServiceHost): Promise<string | null> {
  return readFile(serviceFiles(h).file, 'utf8').catch(() => null);
}
