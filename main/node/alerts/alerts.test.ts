import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { runAlertCommand } from './alert-command.js';
import { Heartbeat, type HeartbeatOutcome } from './heartbeat.js';
import { AlertService } from './alert-service.js';
import { readAlertStatus } from './alert-status.js';
import { ensureStateDir } from '../base/state-dir.js';
import { RecordingNotifier } from '../desktop/notifier.js';
import { DEFAULT_SETTINGS, type Settings } from '../../common/settings/settings-model.js';
import { alertChannels, desktopBus } from '../../common/alerts/alert-channels.js';

const until = async (pred: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

let dir: string;
let server: Server;
let base: string;
const hits: string[] = [];
let mode: 'ok' | 'fail' | 'hang' = 'ok';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fk-alerts-'));
  server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    if (mode === 'hang') return; // never answers
    res.statusCode = mode === 'ok' ? 200 : 503;
    res.end('x');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('alertCommand', () => {
  it('gets the alert as JSON on stdin and in variables', async () => {
    const out = join(dir, 'got.json');
    const script = join(dir, 'alert.sh');
    writeFileSync(script, `#!/bin/sh\ncat > "${out}"\necho "$FLEETKEEPER_EVENT $FLEETKEEPER_STATE" >> "${out}.env"\n`);
    chmodSync(script, 0o755);
    const r = await runAlertCommand(`'${script}'`, {
      event: 'red',
      state: 'stale',
      title: 'Fleetkeeper: backups are STALE',
      body: 'b',
      document: { event: 'red', report: { state: 'stale' } },
    });
    expect(r).toMatchObject({ ok: true, exitCode: 0 });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ event: 'red', report: { state: 'stale' } });
    expect(readFileSync(`${out}.env`, 'utf8')).toBe('red stale\n');
  });

  it('reports a failure with its exit code and last stderr line, and a timeout kills the whole group', async () => {
    const doc = { event: 'red', state: 'failing', title: 't', body: 'b', document: {} };
    const bad = await runAlertCommand('echo first >&2; echo "mail: no route" >&2; exit 3', doc);
    expect(bad).toMatchObject({ ok: false, exitCode: 3, detail: 'exit 3: mail: no route' });
    const t0 = Date.now();
    const slow = await runAlertCommand('sleep 30 | cat; echo never', doc, { timeoutMs: 300 });
    expect(slow).toMatchObject({ ok: false, timedOut: true });
    expect(slow.detail).toBe('killed after 300 ms (timeout)');
    expect(Date.now() - t0).toBeLessThan(5_000);
    const none = await runAlertCommand('true', doc, { shell: join(dir, 'no-such-shell') });
    expect(none.ok).toBe(false);
    expect(none.detail).toMatch(/could not start .*no-such-shell: .*ENOENT/);
  });
});

describe('heartbeat', () => {
  it('GETs the URL and reports ok; ping() never waits', async () => {
    mode = 'ok';
    hits.length = 0;
    const got: HeartbeatOutcome[] = [];
    const hb = new Heartbeat({ onOutcome: (o) => got.push(o) });
    const t0 = performance.now();
    hb.ping(`${base}/ping/abc`);
    expect(performance.now() - t0).toBeLessThan(50);
    await until(() => got.length === 1);
    expect(hits).toEqual(['GET /ping/abc']);
    expect(got[0]).toMatchObject({ ok: true, detail: 'ok' });
  });

  it('retries a failing monitor a bounded number of times', async () => {
    mode = 'fail';
    hits.length = 0;
    const got: HeartbeatOutcome[] = [];
    const hb = new Heartbeat({ retryDelaysMs: [10, 10], onOutcome: (o) => got.push(o) });
    hb.ping(`${base}/ping/x`);
    await until(() => got.length === 1);
    expect(hits).toHaveLength(3);
    expect(got[0]).toMatchObject({ ok: false, detail: 'HTTP 503 (after 3 attempts)' });
  });

  it('caps requests in flight against a monitor that never answers', async () => {
    mode = 'hang';
    hits.length = 0;
    const got: HeartbeatOutcome[] = [];
    const hb = new Heartbeat({ retryDelaysMs: [], timeoutMs: 500, maxInFlight: 2, onOutcome: (o) => got.push(o) });
    for (let i = 0; i < 5; i++) hb.ping(`${base}/hang`);
    expect(hb.pending).toBe(2);
    expect(got.filter((o) => /skipped: 2 earlier pings/.test(o.detail))).toHaveLength(3);
    await until(() => got.length === 5);
    expect(got.slice(3).every((o) => !o.ok && /no answer within 500 ms/.test(o.detail))).toBe(true);
    expect(hits.length).toBe(2);
    mode = 'ok';
  });
});

describe('alert service', () => {
  it('skips desktop notifications once, with one line, when there is no session bus; runs the command; records status', async () => {
    const paths = ensureStateDir(join(dir, 'state'));
    const out = join(dir, 'svc.json');
    const settings: Settings = { ...DEFAULT_SETTINGS, alertCommand: `cat >> '${out}'`, heartbeatUrl: `${base}/hb` };
    const lines: string[] = [];
    const desktop = new RecordingNotifier();
    const env = { PATH: process.env.PATH };
    const svc = new AlertService({ paths, settings: () => settings, desktop, log: (l) => lines.push(l), env });
    const n = {
      title: 'Fleetkeeper: saves are FAILING',
      body: 'x',
      urgency: 'critical',
      action: 'open-dashboard',
    } as const;
    await svc.desktop({ ...n, event: 'red' });
    await svc.desktop({ ...n, event: 'renotify' });
    expect(desktop.sent).toHaveLength(process.platform === 'linux' ? 0 : 2);
    if (process.platform === 'linux') {
      expect(lines).toEqual([
        'desktop notifications skipped: no D-Bus session bus ($DBUS_SESSION_BUS_ADDRESS unset and no /run/user/$UID/bus); alerts go to alertCommand and heartbeatUrl',
      ]);
    }
    svc.command({ ...n, event: 'red' }, null);
    svc.command({ ...n, title: 'back', event: 'recovery' }, null);
    svc.command({ ...n, title: 'not an edge' }, null);
    await svc.idle();
    const docs = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string });
    expect(docs.map((d) => d.event)).toEqual(['red', 'recovery']);
    hits.length = 0;
    svc.saved();
    await until(() => hits.length === 1);
    await svc.stop();
    await until(() => false, 300).catch(() => undefined);
    const st = await readAlertStatus(paths);
    expect(st?.last.command).toMatchObject({ ok: true, detail: 'exit 0' });
    expect(st?.last.heartbeat).toMatchObject({ ok: true });
  });

  it('logs a repeated desktop failure once, and again after a success', async () => {
    const paths = ensureStateDir(join(dir, 'state-2'));
    const lines: string[] = [];
    let fail = true;
    const desktop = {
      notify: () =>
        fail ? Promise.reject(new Error('org.freedesktop.Notifications was not provided')) : Promise.resolve(),
    };
    const env = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' };
    const svc = new AlertService({ paths, settings: () => DEFAULT_SETTINGS, desktop, log: (l) => lines.push(l), env });
    const n = { title: 't', body: 'b', urgency: 'critical', action: 'open-dashboard' } as const;
    for (let i = 0; i < 3; i++) await svc.desktop(n);
    expect(lines).toEqual(['notification failed: org.freedesktop.Notifications was not provided']);
    fail = false;
    await svc.desktop(n);
    fail = true;
    await svc.desktop(n);
    expect(lines).toHaveLength(2);
    await svc.stop();
  });

  it('says which channels are live', () => {
    const noBus = desktopBus({ platform: 'linux', busAddress: undefined, userBusSocket: null });
    expect(noBus.available).toBe(false);
    const ch = alertChannels({
      notifications: true,
      bus: noBus,
      alertCommand: null,
      heartbeatUrl: 'https://hc-ping.com/secret-uuid',
      last: { heartbeat: { ok: false, at: '2026-01-01T00:00:00Z', detail: 'HTTP 503' } },
    });
    expect(ch.map((c) => [c.name, c.live])).toEqual([
      ['desktop', false],
      ['command', false],
      ['heartbeat', false],
    ]);
    expect(ch[2]!.detail).toMatch(/GET https:\/\/hc-ping.com\/… after every save; last attempt failed .*HTTP 503/);
    expect(JSON.stringify(ch)).not.toContain('secret-uuid');
    const withCmd = alertChannels({
      notifications: false,
      bus: noBus,
      alertCommand: "curl -H 'Authorization: Bearer tok-123' https://alerts.example",
      heartbeatUrl: null,
    });
    expect(withCmd[1]).toMatchObject({ name: 'command', live: true, detail: 'runs curl … (alertCommand)' });
    expect(JSON.stringify(withCmd)).not.toContain('tok-123');
  });
});
