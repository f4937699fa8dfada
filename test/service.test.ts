import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { CLI, runCli } from './helpers/cli.js';
import { parseSystemdWords } from '../main/common/service/unit-files.js';
import { shellQuote } from '../main/common/base/shell-quote.js';
import { desktopEntry } from '../main/node/desktop/autostart.js';

function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

// `fleetkeeper service` against the real things: the unit is checked by systemd's own
// verifier, and its exact ExecStart (with its Environment=) is run by bash against an
// isolated tmux server until a snapshot appears. There is no user systemd in the test
// container, so install takes the "write the unit and say what to run" path.
describe('service install / status / uninstall', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let tmux: TmuxHarness;
  let unitFile: string;
  let daemon: ChildProcess | null = null;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'fk-svc-'));
    for (const d of ['home', 'cfg', 'tmux', 'rt']) mkdirSync(join(root, d), { mode: 0o700 });
    env = {
      ...process.env,
      HOME: join(root, 'home'),
      XDG_CONFIG_HOME: join(root, 'cfg'),
      FLEETKEEPER_HOME: join(root, 'state'),
      CLAUDE_CONFIG_DIR: join(root, 'claude'),
      TMUX_TMPDIR: join(root, 'tmux'),
      SHELL: '/bin/sh',
    };
    delete env.TMUX;
    delete env.FLEETKEEPER_TMUX_SOCKET;
    tmux = new TmuxHarness(env);
    unitFile = join(root, 'cfg', 'systemd', 'user', 'fleetkeeper.service');
  });

  afterAll(async () => {
    daemon?.kill('SIGKILL');
    await tmux.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('writes a unit that systemd-analyze verifies, says what to run, and whose ExecStart really saves', async () => {
    const r = await runCli(['service', 'install', '--socket', tmux.socket], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${unitFile}: installed`);
    expect(r.stdout).toMatch(
      /to start it, run: systemctl --user daemon-reload && systemctl --user enable --now fleetkeeper.service/,
    );
    expect(r.stdout).toMatch(/loginctl enable-linger/);
    const unit = readFileSync(unitFile, 'utf8');

    const verify = (file: string) =>
      spawnSync('systemd-analyze', ['--user', 'verify', file], {
        env: { ...env, XDG_RUNTIME_DIR: join(root, 'rt') },
        encoding: 'utf8',
      });
    const ok = verify(unitFile);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stderr.split('\n').filter((l) => l.includes('fleetkeeper'))).toEqual([]);
    // The verifier does fail on a broken unit (so the pass above means something).
    const bad = join(root, 'rt', 'fleetkeeper.service');
    writeFileSync(bad, unit.replace(/^ExecStart="[^"]*"/m, 'ExecStart="/nonexistent/node"'));
    const no = verify(bad);
    expect(no.status).not.toBe(0);
    expect(no.stderr).toMatch(/\/nonexistent\/node is not executable/);

    // Everything the daemon needs is pinned in the unit: run exactly that under a bare
    // environment (what a user manager provides: HOME, USER) and see it save.
    const assignments = [...unit.matchAll(/^Environment=(.*)$/gm)].map((m) => parseSystemdWords(m[1]!, false)[0]!);
    expect(assignments).toContain(`FLEETKEEPER_HOME=${join(root, 'state')}`);
    const uid = process.getuid!();
    expect(assignments).toContain(`FLEETKEEPER_TMUX_SOCKET=${join(root, 'tmux', `tmux-${uid}`, tmux.socket)}`);
    expect(assignments.some((x) => x.startsWith('TMUX_TMPDIR='))).toBe(false);
    const argv = parseSystemdWords(/^ExecStart=(.*)$/m.exec(unit)![1]!);
    const line = `exec env -i HOME=${shellQuote(env.HOME!)} USER=root ${assignments.map(shellQuote).join(' ')} ${argv.map(shellQuote).join(' ')}`;
    await tmux.run('new-session', '-d', '-s', 'svc');
    let log = '';
    daemon = spawn('bash', ['-c', line], { stdio: ['ignore', 'ignore', 'pipe'] });
    daemon.stderr?.on('data', (b: Buffer) => (log += b.toString()));
    const snaps = join(root, 'state', 'snapshots');
    await waitFor(() => tree(snaps).some((f) => f.endsWith('.json')), 30_000, 'a snapshot').catch((e: Error) => {
      throw new Error(`${e.message}; daemon log:\n${log}`);
    });
    daemon.kill('SIGTERM');
    await new Promise((res) => daemon!.once('exit', res));
    daemon = null;
  }, 90_000);

  it('a daemon started with no locale at all (cron, env -i) still saves', async () => {
    await tmux.run('new-session', '-d', '-s', 'nolocale');
    const state = join(root, 'state-nolocale');
    const line = `exec env -i HOME=${shellQuote(env.HOME!)} PATH=/usr/bin:/bin FLEETKEEPER_HOME=${shellQuote(state)} TMUX_TMPDIR=${shellQuote(env.TMUX_TMPDIR!)} ${shellQuote(process.execPath)} ${shellQuote(CLI)} daemon --socket ${shellQuote(tmux.socket)}`;
    let log = '';
    daemon = spawn('bash', ['-c', line], { stdio: ['ignore', 'ignore', 'pipe'] });
    daemon.stderr?.on('data', (b: Buffer) => (log += b.toString()));
    await waitFor(() => tree(join(state, 'snapshots')).some((f) => f.endsWith('.json')), 30_000, 'a snapshot').catch(
      (e: Error) => {
        throw new Error(`${e.message}; daemon log:\n${log}`);
      },
    );
    expect(log).not.toMatch(/save failed/);
    daemon.kill('SIGTERM');
    await new Promise((res) => daemon!.once('exit', res));
    daemon = null;
  }, 60_000);

  it('status follows the enablement link; uninstall leaves nothing behind', async () => {
    const before = tree(join(root, 'cfg'));
    const notEnabled = await runCli(['service', 'status'], env);
    expect(notEnabled.code).toBe(1);
    expect(notEnabled.stdout).toMatch(/installed, not enabled/);
    // What `systemctl --user enable` creates.
    const wants = join(root, 'cfg', 'systemd', 'user', 'default.target.wants');
    mkdirSync(wants);
    symlinkSync('../fleetkeeper.service', join(wants, 'fleetkeeper.service'));
    const enabled = await runCli(['service', 'status', '--json'], env);
    expect(JSON.parse(enabled.stdout)).toMatchObject({ installed: true, enabled: true });
    expect(enabled.code).toBe(0);

    const u = await runCli(['service', 'uninstall'], env);
    expect(u.code, u.stderr).toBe(0);
    expect(u.stdout).toContain(join(wants, 'fleetkeeper.service'));
    expect(tree(join(root, 'cfg'))).toEqual([]);
    expect(before).toContain(join('systemd', 'user', 'fleetkeeper.service'));
    const gone = await runCli(['service', 'status'], env);
    expect(gone.code).toBe(1);
    expect(gone.stdout).toMatch(/not installed/);
    const again = await runCli(['service', 'uninstall', '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ ok: true, removed: [] });
  }, 60_000);

  it('with a user manager: enables and starts through systemctl --user, reads lingering from loginctl', async () => {
    // No user systemd in this container: stand-ins for systemctl and loginctl at the process
    // boundary record their arguments and answer like the real ones (the real systemctl's
    // "no user manager" path is the test above).
    const bin = join(root, 'bin');
    mkdirSync(bin);
    const calls = join(root, 'calls.log');
    const wants = join(root, 'cfg', 'systemd', 'user', 'default.target.wants');
    writeFileSync(
      join(bin, 'systemctl'),
      `#!/bin/sh
echo "$*" >> '${calls}'
case "$2" in
  enable) mkdir -p '${wants}' && ln -sf ../fleetkeeper.service '${wants}/fleetkeeper.service' ;;
  disable) rm -f '${wants}/fleetkeeper.service' ;;
  is-enabled) [ -L '${wants}/fleetkeeper.service' ] && echo enabled || { echo disabled; exit 1; } ;;
  is-active) echo active ;;
esac
exit 0
`,
      { mode: 0o755 },
    );
    writeFileSync(join(bin, 'loginctl'), '#!/bin/sh\necho Linger=no\n', { mode: 0o755 });
    const fenv = { ...env, PATH: `${bin}:${env.PATH}`, USER: 'ann' };
    const r = await runCli(['service', 'install', '--socket', tmux.socket], fenv);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/fleetkeeper.service: installed, enabled, running \(systemd --user\)/);
    expect(r.stdout).toMatch(/lingering is off for ann.*sudo loginctl enable-linger ann/);
    expect(r.stdout).not.toMatch(/to start it, run/);
    expect(readFileSync(calls, 'utf8')).toMatch(
      /--user daemon-reload\n--user enable fleetkeeper.service\n--user restart fleetkeeper.service\n/,
    );
    const st = await runCli(['service', 'status', '--json'], fenv);
    expect(JSON.parse(st.stdout)).toMatchObject({ installed: true, enabled: true, active: true, linger: false });
    expect(st.code).toBe(0);
    const u = await runCli(['service', 'uninstall'], fenv);
    expect(u.code, u.stderr).toBe(0);
    expect(readFileSync(calls, 'utf8')).toMatch(/--user disable --now fleetkeeper.service\n/);
    expect(tree(join(root, 'cfg'))).toEqual([]);
  }, 60_000);

  it('refuses a second saver where the tray app starts at login, unless forced', async () => {
    const entry = join(root, 'cfg', 'autostart', 'fleetkeeper.desktop');
    mkdirSync(join(root, 'cfg', 'autostart'));
    writeFileSync(entry, desktopEntry(['/opt/Fleetkeeper/fleetkeeper']));
    const r = await runCli(['service', 'install'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the tray app already starts at login \(.*fleetkeeper.desktop\).*--force/);
    expect(existsSync(unitFile)).toBe(false);
    const j = await runCli(['service', 'install', '--json'], env);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, code: 'service-conflict' });
    const f = await runCli(['service', 'install', '--force'], env);
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toMatch(/both save this state dir, one save at a time under its writer lock/);
    expect((await runCli(['service', 'uninstall'], env)).code).toBe(0);
    rmSync(entry);
    expect(tree(join(root, 'cfg'))).toEqual(['autostart']);
  }, 60_000);
});
