// `fleetkeeper hook` as Claude runs it: a real `node bin/fleetkeeper.js hook ...` process.
import { describe, it, expect, beforeAll, beforeEach, afterEach } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import {
  mkdtempSync,
  rmSync,
  statSync,
  readdirSync,
  writeFileSync,
  readFileSync,
  chmodSync,
  existsSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { statePaths } from '../main/node/base/state-dir.js';
import { readSpool } from '../main/node/journal/spool.js';
import { hasValidChecksum } from '../main/node/base/checksum.js';
import { shellCommand, shellQuote } from '../main/common/base/shell-quote.js';
import { defaultRole } from '../main/common/base/names.js';

const repo = resolve(import.meta.dirname, '..');
const bin = join(repo, 'bin', 'fleetkeeper.js');

let dir: string;
let home: string;

beforeAll(() => {
  const built = join(repo, 'dist', 'main', 'cli', 'hook.cjs');
  expect(statSync(built).mtimeMs).toBeGreaterThanOrEqual(statSync(join(repo, 'main', 'cli', 'hook-entry.ts')).mtimeMs);
}, 120_000);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fk-hook-'));
  home = join(dir, 'state');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: dir, FLEETKEEPER_HOME: home, ...extra };
}

/** stdin: a string is written and closed; null closes at once; 'leave-open' writes nothing and never closes. */
function runHook(args: string[], stdin: string | null | { openWith: string }, env = baseEnv()): Promise<Run> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [bin, 'hook', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', rej);
    p.on('close', (code) => res({ code, stdout, stderr, ms: performance.now() - t0 }));
    p.stdin.on('error', () => undefined);
    if (stdin === null) p.stdin.end();
    else if (typeof stdin === 'string') p.stdin.end(stdin);
    else p.stdin.write(stdin.openWith);
  });
}

function payload(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const id = randomUUID();
  return {
    session_id: id,
    transcript_path: `/c/projects/-w/${id}.jsonl`,
    cwd: '/w',
    hook_event_name: 'SessionStart',
    source: 'startup',
    model: 'x',
    ...extra,
  };
}

async function events() {
  const r = await readSpool(statePaths(home));
  expect(r.corrupt).toEqual([]);
  return r.events;
}

describe('fleetkeeper hook (real subprocess)', () => {
  it('records a SessionStart outside tmux as unbound, prints nothing, exits 0 well within 1 s', async () => {
    const p = payload();
    const r = await runHook(['session-start'], JSON.stringify(p));
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(r.ms).toBeLessThan(1_000);
    const [e, ...rest] = await events();
    expect(rest).toEqual([]);
    expect(e).toMatchObject({
      kind: 'session-start',
      sessionId: p.session_id,
      transcriptPath: p.transcript_path,
      cwd: '/w',
      source: 'startup',
      pane: null,
    });
    expect(hasValidChecksum(e)).toBe(true);
    expect(readdirSync(statePaths(home).spoolTmp)).toEqual([]);
  });

  it('records a SessionEnd with its reason', async () => {
    const r = await runHook(
      ['session-end'],
      JSON.stringify(payload({ hook_event_name: 'SessionEnd', source: undefined, reason: 'other' })),
    );
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect((await events())[0]).toMatchObject({ kind: 'session-end', reason: 'other', pane: null });
  });

  const bad: [string, string[], string | null, RegExp][] = [
    ['not JSON', ['session-start'], '{"session_id": "abc', /not JSON/],
    [
      'a session id that is not a UUID',
      ['session-start'],
      JSON.stringify(payload({ session_id: '$(rm -rf ~)' })),
      /not a UUID/,
    ],
    ['a missing cwd', ['session-start'], JSON.stringify(payload({ cwd: 7 })), /cwd/],
    ['an empty stdin', ['session-start'], null, /empty stdin/],
    ['an unknown hook kind', ['session-middle'], JSON.stringify(payload()), /unknown hook kind/],
    [
      'a SessionEnd payload sent to session-start',
      ['session-start'],
      JSON.stringify(payload({ hook_event_name: 'SessionEnd' })),
      /hook_event_name/,
    ],
  ];
  for (const [label, args, input, problem] of bad) {
    it(`records ${label} as a malformed event, stdout empty, exit 0`, async () => {
      const r = await runHook(args, input);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^fleetkeeper hook: malformed hook input recorded: .*\n$/);
      const [e, ...rest] = await events();
      expect(rest).toEqual([]);
      expect(e?.kind).toBe('malformed');
      expect(e?.problem).toMatch(problem);
      expect(e?.raw).toBe((input ?? '').slice(0, 4096));
    });
  }

  it('keeps only the first 4 KB of a large malformed input', async () => {
    const big = 'x'.repeat(100_000);
    expect((await runHook(['session-start'], big)).code).toBe(0);
    expect((await events())[0]?.raw).toHaveLength(4096);
  });

  it('gives up on a stdin that never closes and still records what arrived, within ~1 s', async () => {
    const p = payload();
    const r = await runHook(['session-start'], { openWith: JSON.stringify(p) });
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.ms).toBeGreaterThan(650);
    expect(r.ms).toBeLessThan(1_200);
    expect((await events())[0]).toMatchObject({ kind: 'session-start', sessionId: p.session_id });
  });

  it('finishes within ~1 s with tmux hanging, recording the event as unbound', async () => {
    const fakeBin = join(dir, 'bin');
    mkdirSync(fakeBin);
    writeFileSync(join(fakeBin, 'tmux'), '#!/bin/sh\nexec sleep 30\n');
    chmodSync(join(fakeBin, 'tmux'), 0o755);
    const env = baseEnv({
      PATH: `${fakeBin}:${process.env.PATH ?? ''}`,
      TMUX: '/tmp/fk-no-such/sock,1,0',
      TMUX_PANE: '%1',
    });
    const r = await runHook(['session-start'], JSON.stringify(payload()), env);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.ms).toBeLessThan(1_200);
    expect(r.stderr).toMatch(/pane lookup failed/);
    expect((await events())[0]).toMatchObject({ kind: 'session-start', pane: null });
  });

  it('refuses a state dir others can write to: nothing on stdout, exit 0, one line on stderr', async () => {
    mkdirSync(home, { mode: 0o777 });
    chmodSync(home, 0o777);
    const r = await runHook(['session-start'], JSON.stringify(payload()));
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toMatch(
      /^fleetkeeper hook: cannot use the state dir, event NOT recorded: .*writable by group or others.*\n$/,
    );
  });

  it('20 hooks fired at the same instant: every event lands in spool/new, none torn, none lost', async () => {
    const sent = Array.from({ length: 20 }, () => payload());
    const runs = await Promise.all(sent.map((p) => runHook(['session-start'], JSON.stringify(p))));
    for (const r of runs) expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const got = await events();
    expect(got.map((e) => e.sessionId).sort()).toEqual(sent.map((p) => p.session_id).sort());
    expect(new Set(got.map((e) => e.id)).size).toBe(20);
    expect(readdirSync(statePaths(home).spoolNew)).toHaveLength(20);
    expect(readdirSync(statePaths(home).spoolTmp)).toEqual([]);
    const slowest = Math.max(...runs.map((r) => r.ms));
    console.log(`20 concurrent hooks: slowest ${Math.round(slowest)} ms`);
  });
});

describe('fleetkeeper hook inside a real tmux pane', () => {
  let sock: string;
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', sock, ...args], { encoding: 'utf8' });

  beforeEach(() => {
    sock = `fk-hook-${randomBytes(4).toString('hex')}`;
  });
  afterEach(async () => {
    let pid = 0;
    try {
      pid = Number(tmux('display', '-p', '#{pid}').trim());
      tmux('kill-server');
    } catch {
      return;
    }
    for (let i = 0; i < 100; i++) {
      try {
        if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) break;
        process.kill(pid, 0);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('carries the pane id, the server instance and the auto-assigned role (and sets it on the pane)', async () => {
    const p = payload();
    const input = join(dir, 'payload.json');
    writeFileSync(input, JSON.stringify(p));
    const out = join(dir, 'out');
    const cmd = `${shellCommand([process.execPath, bin, 'hook', 'session-start'])} < ${shellQuote(input)} > ${shellQuote(out)} 2> ${shellQuote(`${out}.err`)}; echo $? > ${shellQuote(`${out}.rc`)}; sleep 600`;
    tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'fleet', '-x', '120', '-y', '40', 'sleep 600');
    tmux('new-window', '-t', 'fleet:3', '-e', `FLEETKEEPER_HOME=${home}`, cmd);
    // The shell creates the .rc file before `echo` writes into it: wait for its content.
    for (let i = 0; i < 250 && !(existsSync(`${out}.rc`) && readFileSync(`${out}.rc`, 'utf8').includes('\n')); i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(readFileSync(`${out}.rc`, 'utf8').trim()).toBe('0');
    expect(readFileSync(out, 'utf8')).toBe('');
    expect(readFileSync(`${out}.err`, 'utf8')).toBe('');
    const [paneId, socketPath, pid, startTime] = tmux(
      'display',
      '-p',
      '-t',
      'fleet:3',
      '-F',
      '#{pane_id}\t#{socket_path}\t#{pid}\t#{start_time}',
    )
      .trim()
      .split('\t');
    const role = defaultRole('fleet', 3, 0, new Set());
    const [e, ...rest] = await events();
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ kind: 'session-start', sessionId: p.session_id });
    expect(e?.pane).toEqual({
      instance: { socketPath, pid: Number(pid), startTime: Number(startTime) },
      paneId,
      role,
      sessionName: 'fleet',
      windowIndex: 3,
      paneIndex: 0,
    });
    expect(tmux('display', '-p', '-t', paneId as string, '#{@fleetkeeper-role}').trim()).toBe(role);
  });
});
