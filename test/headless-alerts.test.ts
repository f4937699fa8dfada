import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { CLI, json, runCli } from './helpers/cli.js';

// A headless host end to end: the real `fleetkeeper daemon` with no session bus, settings
// changed through `fleetkeeper config` while it runs, a heartbeat monitor on 127.0.0.1, and
// an alertCommand script that writes what it is given. A SIGSTOPped tmux server makes saves
// fail: the command hears red, then recovery.
describe('headless alerts and live settings', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let tmux: TmuxHarness;
  let daemon: ChildProcess | null = null;
  let log = '';
  let stoppedPid: number | null = null;
  let server: Server;
  const hits: number[] = [];
  let alertsFile: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'fk-headless-'));
    mkdirSync(join(root, 'home'));
    env = {
      ...process.env,
      FLEETKEEPER_HOME: join(root, 'state'),
      CLAUDE_CONFIG_DIR: join(root, 'claude'),
      HOME: join(root, 'home'),
      SHELL: '/bin/sh',
    };
    delete env.TMUX;
    delete env.DBUS_SESSION_BUS_ADDRESS;
    tmux = new TmuxHarness(env);
    server = createServer((req, res) => {
      if (req.url === '/ping/check-1') hits.push(Date.now());
      res.end('OK');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    alertsFile = join(root, 'alerts.jsonl');
    const script = join(root, 'on-alert.sh');
    writeFileSync(script, `#!/bin/sh\ncat >> '${alertsFile}'\n`);
    chmodSync(script, 0o755);
  });

  afterAll(async () => {
    daemon?.kill('SIGKILL');
    if (stoppedPid !== null) process.kill(stoppedPid, 'SIGCONT');
    await tmux.kill();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(root, { recursive: true, force: true });
  });

  it('applies config changes without a restart, pings the heartbeat after saves, runs alertCommand on red and recovery', async () => {
    const port = (server.address() as AddressInfo).port;
    for (const [k, v] of [
      ['intervalS', '10'],
      ['heartbeatUrl', `http://127.0.0.1:${port}/ping/check-1`],
      ['alertCommand', `'${join(root, 'on-alert.sh')}'`],
    ] as const) {
      const r = await runCli(['config', 'set', k, v], env);
      expect(r, r.stderr).toMatchObject({ code: 0, stdout: '' });
    }
    await tmux.run('new-session', '-d', '-s', 'w');
    daemon = spawn(process.execPath, [CLI, 'daemon', '--socket', tmux.socket], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    daemon.stderr?.on('data', (b: Buffer) => (log += b.toString()));
    await waitFor(() => /running \(interval 10 s/.test(log), 20_000, 'the daemon to run');
    await waitFor(() => hits.length >= 1, 20_000, 'the first heartbeat');

    // Every 10 s: at most 2 pings in 8 s. Then 2 s without a restart: 3 or more in 8 s.
    const before = hits.length;
    await new Promise((r) => setTimeout(r, 8_000));
    expect(hits.length - before).toBeLessThanOrEqual(2);
    const set = await runCli(['config', 'set', 'intervalS', '2'], env);
    expect(set.code).toBe(0);
    await waitFor(() => /settings changed: interval 2 s/.test(log), 15_000, 'the daemon to follow the setting');
    const from = hits.length;
    await new Promise((r) => setTimeout(r, 8_000));
    expect(hits.length - from).toBeGreaterThanOrEqual(3);
    const status = json<{ intervalS: number }>(await runCli(['config', 'get', 'intervalS', '--json'], env));
    expect(status).toMatchObject({ key: 'intervalS', value: 2, isDefault: false });

    // No session bus here: one line, once, naming the channels that do work.
    const pid = (await tmux.serverPid())!;
    stoppedPid = pid;
    process.kill(pid, 'SIGSTOP');
    await waitFor(() => existsSync(alertsFile) && readFileSync(alertsFile, 'utf8').includes('"red"'), 60_000, 'red');
    process.kill(pid, 'SIGCONT');
    stoppedPid = null;
    await waitFor(() => readFileSync(alertsFile, 'utf8').includes('"recovery"'), 60_000, 'recovery');
    const docs = readFileSync(alertsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; title: string; report: { state: string } });
    expect(docs[0]).toMatchObject({
      event: 'red',
      title: 'Fleetkeeper: saves are FAILING',
      report: { state: 'failing' },
    });
    expect(docs[docs.length - 1]!.event).toBe('recovery');
    const skipped = log.split('\n').filter((l) => l.includes('desktop notifications skipped'));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatch(/no D-Bus session bus .*alerts go to alertCommand and heartbeatUrl/);
    expect(log).not.toMatch(/notification failed/);

    // status says which channels reach the user, from what the daemon recorded.
    const st = await runCli(['status', '--socket', tmux.socket], env);
    expect(st.stdout).toMatch(/^alerts: desktop off \(no D-Bus session bus.*\) · command live · heartbeat live$/m);
    const sj = json<{ alertChannels: { name: string; live: boolean; detail: string }[] }>(
      await runCli(['status', '--json', '--socket', tmux.socket], env),
    );
    expect(sj.alertChannels.map((c) => [c.name, c.live])).toEqual([
      ['desktop', false],
      ['command', true],
      ['heartbeat', true],
    ]);
    expect(sj.alertChannels[2]!.detail).toMatch(/last delivered/);
    expect(JSON.stringify(sj)).not.toContain('check-1');
  }, 180_000);
});
