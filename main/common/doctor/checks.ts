// `fleetkeeper doctor`: each check decided from facts gathered elsewhere, each failure with
// the command that fixes it. A check that does not apply here is skipped with why; a warning
// is shown but does not fail the run.
import type { AlertChannel } from '../alerts/alert-channels.js';
import { formatAge } from '../base/format-age.js';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface Check {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

export const MIN_TMUX: readonly [number, number] = [3, 2];
export const MIN_FREE_BYTES = 200 * 1024 * 1024;

const pass = (id: string, title: string, detail: string): Check => ({ id, title, status: 'pass', detail });
const fail = (id: string, title: string, detail: string, fix: string): Check => ({
  id,
  title,
  status: 'fail',
  detail,
  fix,
});
const skip = (id: string, title: string, detail: string): Check => ({ id, title, status: 'skip', detail });

export function tmuxCheck(version: string | null, error: string | null): Check {
  const title = 'tmux installed';
  if (version === null) return fail('tmux', title, error ?? 'tmux not found', 'install tmux 3.2 or newer');
  const m = /(\d+)\.(\d+)/.exec(version);
  const ok =
    m !== null && (Number(m[1]) > MIN_TMUX[0] || (Number(m[1]) === MIN_TMUX[0] && Number(m[2]) >= MIN_TMUX[1]));
  return ok
    ? pass('tmux', title, version)
    : fail('tmux', title, `${version} is older than ${MIN_TMUX.join('.')}`, 'install tmux 3.2 or newer');
}

export function serverCheck(f: { reachable: boolean; sessions: number; server: string; error: string | null }): Check {
  const title = 'tmux server reachable';
  if (!f.reachable)
    return fail(
      'server',
      title,
      `${f.server}: ${f.error ?? 'no server'}`,
      'start tmux, or point Fleetkeeper at your server with --socket NAME / FLEETKEEPER_TMUX_SOCKET',
    );
  return pass('server', title, `${f.server}: ${f.sessions} session${f.sessions === 1 ? '' : 's'}`);
}

export function stateDirCheck(f: { dir: string; exists: boolean; mode: number; ownerUid: number; uid: number }): Check {
  const title = 'state dir private';
  if (!f.exists) return pass('state-dir', title, `${f.dir} does not exist yet (created 0700 on first use)`);
  const quoted = JSON.stringify(f.dir);
  if (f.uid >= 0 && f.ownerUid !== f.uid)
    return fail(
      'state-dir',
      title,
      `${f.dir} belongs to uid ${f.ownerUid}, not to you (uid ${f.uid})`,
      `sudo chown -R "$USER" ${quoted}`,
    );
  if ((f.mode & 0o022) !== 0)
    return fail(
      'state-dir',
      title,
      `${f.dir} is writable by group or others (mode ${(f.mode & 0o777).toString(8)}): anyone could plant a session id that restore would type`,
      `chmod 700 ${quoted}`,
    );
  return pass('state-dir', title, `${f.dir} (mode ${(f.mode & 0o777).toString(8)})`);
}

export function hooksCheck(d: { configDir: string; state: string; detail: string }): Check {
  const title = `Claude hooks in ${d.configDir}`;
  if (d.state === 'installed') return pass(`hooks:${d.configDir}`, title, 'SessionStart and SessionEnd installed');
  return fail(
    `hooks:${d.configDir}`,
    title,
    `${d.state}: ${d.detail}`,
    `fleetkeeper hooks install --config-dir ${JSON.stringify(d.configDir)}`,
  );
}

export function claudeRegistryCheck(d: {
  configDir: string;
  state: 'readable' | 'absent' | 'unreadable';
  detail: string;
}): Check {
  const id = `claude-sessions:${d.configDir}`;
  const title = `Claude session registry in ${d.configDir}`;
  if (d.state === 'readable') return pass(id, title, d.detail);
  if (d.state === 'absent')
    return skip(id, title, `no interactive Claude has run under ${d.configDir} yet (${d.detail})`);
  return fail(id, title, d.detail, `chmod u+rx ${JSON.stringify(`${d.configDir}/sessions`)}`);
}

export function saverCheck(f: {
  running: boolean;
  detail: string;
  lastSaveAgeS: number | null;
  staleAfterS: number;
  /** The running saver's last error, when its latest attempts failed. */
  failing: string | null;
}): Check {
  const title = 'daemon or app saving';
  if (!f.running)
    return fail(
      'saver',
      title,
      `nobody saves this state dir: ${f.detail}`,
      'fleetkeeper service install (or run fleetkeeper daemon, or start the tray app)',
    );
  const age = f.lastSaveAgeS === null ? 'no snapshot yet' : `last save ${formatAge(f.lastSaveAgeS)} ago`;
  if (f.failing !== null)
    return fail(
      'saver',
      title,
      `${f.detail}, but its saves fail: ${f.failing} (${age})`,
      'fleetkeeper status (for the whole report)',
    );
  if (f.lastSaveAgeS !== null && f.lastSaveAgeS > f.staleAfterS)
    return fail('saver', title, `${f.detail}, but ${age}`, 'fleetkeeper status (for the reason); fleetkeeper save');
  return pass('saver', title, `${f.detail}; ${age}`);
}

export function loginCheck(f: {
  supported: boolean;
  platform: string;
  service: { installed: boolean; enabled: boolean | null; file: string };
  autostart: { enabled: boolean; detail: string } | null;
  lingerAdvice: string | null;
}): Check[] {
  const title = 'starts at login';
  if (!f.supported) return [skip('login', title, `no login service on ${f.platform}`)];
  const out: Check[] = [];
  if (f.service.installed && f.service.enabled !== false) {
    out.push(pass('login', title, `service ${f.service.file}`));
    if (f.autostart?.enabled)
      out.push({
        id: 'two-savers',
        title: 'one saver at login',
        status: 'warn',
        detail: `both the service and the tray app (${f.autostart.detail}) start at login: two clocks, two alarms`,
        fix: 'fleetkeeper service uninstall, or turn off "Start at login" in the app',
      });
    if (f.lingerAdvice !== null)
      out.push({
        id: 'linger',
        title: 'runs without a login',
        status: 'warn',
        detail: f.lingerAdvice,
        fix: 'sudo loginctl enable-linger "$USER"',
      });
  } else if (f.autostart?.enabled) out.push(pass('login', title, `tray app: ${f.autostart.detail}`));
  else
    out.push(
      fail(
        'login',
        title,
        f.service.installed
          ? `${f.service.file} is installed but not enabled`
          : 'neither the login service nor the tray app’s autostart entry is set up: after a reboot nothing saves',
        'fleetkeeper service install (or "Start at login" in the tray app)',
      ),
    );
  return out;
}

export function desktopCheck(f: {
  platform: string;
  notifications: boolean;
  bus: { available: boolean; detail: string };
  server: { reachable: boolean; detail: string } | null;
  otherChannels: string[];
}): Check {
  const id = 'desktop';
  const title = 'desktop notifications';
  if (f.platform !== 'linux') return skip(id, title, `not checked on ${f.platform}`);
  if (!f.notifications) return skip(id, title, 'turned off (notifications is false)');
  const fix = "fleetkeeper config set alertCommand '…' or fleetkeeper config set heartbeatUrl https://…";
  const missing = !f.bus.available ? f.bus.detail : f.server !== null && !f.server.reachable ? f.server.detail : null;
  if (missing === null) return pass(id, title, f.server?.detail ?? f.bus.detail);
  if (f.otherChannels.length > 0)
    return skip(id, title, `headless here (${missing}); alerts go to ${f.otherChannels.join(' and ')}`);
  return fail(id, title, `${missing}, and no other alert channel is set: an alarm would reach nobody`, fix);
}

export function diskCheck(f: { dir: string; freeBytes: number | null; error: string | null }): Check {
  const title = 'disk space';
  if (f.freeBytes === null)
    return fail('disk', title, `cannot read free space at ${f.dir}: ${f.error}`, 'check the filesystem');
  const mb = Math.floor(f.freeBytes / (1024 * 1024));
  return f.freeBytes < MIN_FREE_BYTES
    ? fail(
        'disk',
        title,
        `only ${mb} MB free where ${f.dir} lives: saves will fail`,
        `free space on that filesystem, or fleetkeeper config set retention.maxCount 100`,
      )
    : pass('disk', title, `${mb} MB free at ${f.dir}`);
}

export function alertChannelsCheck(channels: readonly AlertChannel[], configured: (c: AlertChannel) => boolean): Check {
  const title = 'alert channels';
  const live = channels.filter((c) => c.live);
  const broken = channels.filter((c) => !c.live && configured(c));
  const list = channels.map((c) => `${c.name}: ${c.live ? 'live' : 'off'} (${c.detail})`).join('; ');
  if (broken.length > 0)
    return fail(
      'alerts',
      title,
      list,
      `fix ${broken.map((c) => c.name).join(' and ')} (see its last error), then: fleetkeeper doctor`,
    );
  if (live.length === 0)
    return fail('alerts', title, list, "fleetkeeper config set alertCommand '…' (or heartbeatUrl)");
  return pass('alerts', title, `live: ${live.map((c) => c.name).join(', ')} — ${list}`);
}

/** Exit 0 only when no applicable check failed. */
export function doctorExitCode(checks: readonly Check[]): number {
  return checks.some((c) => c.status === 'fail') ? 1 : 0;
}

const MARK: Readonly<Record<CheckStatus, string>> = { pass: 'ok  ', fail: 'FAIL', warn: 'warn', skip: 'skip' };

/** One screen: a line per check, its fix indented under a failure. */
export function formatChecks(checks: readonly Check[]): string {
  const lines: string[] = [];
  for (const c of checks) {
    lines.push(`${MARK[c.status]}  ${c.title}: ${c.detail}`);
    if (c.fix !== undefined && (c.status === 'fail' || c.status === 'warn')) lines.push(`      fix: ${c.fix}`);
  }
  const failed = checks.filter((c) => c.status === 'fail').length;
  lines.push(failed === 0 ? 'all applicable checks passed' : `${failed} check${failed === 1 ? '' : 's'} failed`);
  return lines.join('\n');
}
