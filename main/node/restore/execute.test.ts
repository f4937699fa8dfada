// Real tmux on an isolated socket: build a hostile fleet, read it back with plain list-panes,
// kill the server, restore it, and compare the structure with no client attached.
import { describe, it, expect, afterEach } from 'vitest';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Binding, Snapshot } from '../../common/base/types.js';
import { planRestore } from '../../common/restore/plan.js';
import { layoutChecksum, layoutShape } from '../../common/restore/layout.js';
import { runTmux, type TmuxTarget } from '../tmux/exec.js';
import { gatherPlanEnv } from './env.js';
import { executePlan } from './execute.js';

const US = '\x1f';
const FIELDS = [
  'session_name',
  'window_index',
  'window_name',
  'window_layout',
  'window_active',
  'window_zoomed_flag',
  'pane_index',
  'pane_current_path',
  'pane_active',
  '@fleetkeeper-role',
  'pane_id',
];
type Row = Record<string, string>;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function killServer(t: TmuxTarget): Promise<void> {
  const pid = Number(await runTmux(t, ['display-message', '-p', '#{pid}']).catch(() => '0'));
  await runTmux(t, ['kill-server']).catch(() => undefined);
  for (let i = 0; pid > 0 && i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function listPanes(t: TmuxTarget): Promise<Row[]> {
  const out = await runTmux(t, ['list-panes', '-a', '-F', FIELDS.map((f) => `#{${f}}`).join(US)]);
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => Object.fromEntries(l.split(US).map((v, i) => [FIELDS[i] as string, v])));
}

function toSnapshot(rows: Row[], bindings: Map<string, Binding>): Snapshot {
  const snap: Snapshot = {
    format: 'fleetkeeper-snapshot',
    version: 1,
    id: 'fixture',
    savedAt: new Date().toISOString(),
    trigger: 'manual',
    instance: { socketPath: '', pid: 0, startTime: 0 },
    sessions: [],
    checksum: '',
  };
  for (const r of rows) {
    let s = snap.sessions.find((x) => x.name === r.session_name);
    if (!s) snap.sessions.push((s = { name: r.session_name as string, id: '', windows: [] }));
    let w = s.windows.find((x) => x.index === Number(r.window_index));
    if (!w)
      s.windows.push(
        (w = {
          index: Number(r.window_index),
          id: '',
          name: r.window_name as string,
          layout: r.window_layout as string,
          active: r.window_active === '1',
          zoomed: r.window_zoomed_flag === '1',
          panes: [],
        }),
      );
    const role = r['@fleetkeeper-role'] as string;
    w.panes.push({
      index: Number(r.pane_index),
      id: r.pane_id as string,
      role,
      cwd: r.pane_current_path as string,
      currentCommand: 'bash',
      title: '',
      active: r.pane_active === '1',
      binding: bindings.get(role) ?? null,
    });
  }
  return snap;
}

/** Everything restore must reproduce, keyed by session/window/pane position (ids differ). */
function structure(rows: Row[], baseDelta = 0): Map<string, string> {
  const m = new Map<string, string>();
  const byWin = new Map<string, Row[]>();
  for (const r of rows) {
    const k = `${r.session_name}:${r.window_index}`;
    byWin.set(k, [...(byWin.get(k) ?? []), r]);
  }
  for (const [k, panes] of byWin) {
    const r = panes[0] as Row;
    m.set(
      `${k} window`,
      JSON.stringify([
        r.window_name,
        layoutShape(r.window_layout as string),
        r.window_active,
        r.window_zoomed_flag,
        panes.length,
      ]),
    );
    panes.forEach((p, i) =>
      m.set(
        `${k}.${i} pane`,
        JSON.stringify([
          p.pane_current_path,
          p.pane_active,
          p['@fleetkeeper-role'],
          Number(p.pane_index) - baseDelta - i,
        ]),
      ),
    );
  }
  return m;
}

function mismatches(want: Map<string, string>, got: Map<string, string>): string[] {
  const keys = new Set([...want.keys(), ...got.keys()]);
  return [...keys].filter((k) => want.get(k) !== got.get(k)).map((k) => `${k}: want ${want.get(k)} got ${got.get(k)}`);
}

interface Fleet {
  target: TmuxTarget;
  root: string;
  rows: Row[];
  bindings: Map<string, Binding>;
  argvDir: string;
  claudeBin: string;
  pwned: string;
}

/**
 * The tmux servers here (including the one executePlan starts) inherit this process's
 * environment: give their shells a private HOME and plain /bin/sh, so the machine's login
 * profile (slow, lock-taking rc files) neither slows the test nor is killed half-way through.
 */
function isolateShells(home: string): void {
  const saved = {
    HOME: process.env.HOME,
    SHELL: process.env.SHELL,
    ENV: process.env.ENV,
    BASH_ENV: process.env.BASH_ENV,
    TMUX: process.env.TMUX,
  };
  Object.assign(process.env, { HOME: home, SHELL: '/bin/sh' });
  for (const k of ['ENV', 'BASH_ENV', 'TMUX']) delete process.env[k];
  cleanups.push(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
}

async function buildFleet(): Promise<Fleet> {
  const root = mkdtempSync(join(tmpdir(), 'fk-restore-'));
  isolateShells(root);
  const target: TmuxTarget = { socketName: `fk-restore-${randomBytes(4).toString('hex')}` };
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  cleanups.push(() => killServer(target));
  const pwned = join(root, 'PWNED');
  const dirs = ['sp ace', `q'uo"te`, 'dol$HOME', 'semi;', `hash#{session_name}#(touch ${pwned})`, 'plain'].map((d) =>
    join(root, 'cwd', d),
  );
  for (const d of dirs) mkdirSync(d, { recursive: true });
  const [space, quote, dollar, semi, hash, plain] = dirs as [string, string, string, string, string, string];
  const lit = (v: string): string => v.replace(/#/g, '##').replace(/;$/, '\\;');
  const t = (args: string[]): Promise<string> => runTmux(target, args);
  // Original server: base-index 1, so restoring into a fresh server (base 0) must move windows.
  const s1 = (
    await t([
      'start-server',
      ';',
      'set',
      '-g',
      'base-index',
      '1',
      ';',
      'new-session',
      '-d',
      '-s',
      `we'ird $name`,
      '-n',
      `editor 'q'`,
      '-c',
      lit(space),
      '-x',
      '160',
      '-y',
      '50',
      '-P',
      '-F',
      '#{session_id}',
    ])
  ).trim();
  await t([
    'split-window',
    '-h',
    '-t',
    `${s1}:1`,
    '-c',
    lit(quote),
    ';',
    'split-window',
    '-v',
    '-t',
    `${s1}:1`,
    '-c',
    lit(dollar),
    ';',
    'select-pane',
    '-t',
    `${s1}:1.1`,
  ]);
  await t(['new-window', '-t', `${s1}:2`, '-n', lit(`logs; #(touch ${pwned})`), '-c', lit(semi)]);
  await t([
    'new-window',
    '-t',
    `${s1}:4`,
    '-n',
    'zoomed',
    '-c',
    lit(hash),
    ';',
    'split-window',
    '-t',
    `${s1}:4`,
    '-c',
    lit(plain),
    ';',
    'resize-pane',
    '-Z',
    '-t',
    `${s1}:4.0`,
    ';',
    'select-window',
    '-t',
    `${s1}:2`,
  ]);
  const s2 = (
    await t([
      'new-session',
      '-d',
      '-s',
      lit('#{hash}'),
      '-c',
      lit(hash),
      '-x',
      '120',
      '-y',
      '40',
      '-P',
      '-F',
      '#{session_id}',
    ])
  ).trim();
  await t(['split-window', '-v', '-t', `${s2}:1`, '-c', lit(space), ';', 'select-pane', '-t', `${s2}:1.0`]);
  const s3 = (
    await t([
      'new-session',
      '-d',
      '-s',
      lit('tail;'),
      '-n',
      '-dash',
      '-c',
      lit(plain),
      '-x',
      '100',
      '-y',
      '30',
      '-P',
      '-F',
      '#{session_id}',
    ])
  ).trim();
  await t([
    'new-window',
    '-t',
    `${s3}:3`,
    '-c',
    lit(quote),
    ';',
    'split-window',
    '-h',
    '-t',
    `${s3}:3`,
    '-c',
    lit(quote),
    ';',
    'split-window',
    '-h',
    '-t',
    `${s3}:3`,
    '-c',
    lit(quote),
    ';',
    'select-window',
    '-t',
    `${s3}:1`,
  ]);
  const ids = (await t(['list-panes', '-a', '-F', '#{pane_id}'])).trim().split('\n');
  await t(ids.flatMap((id, i) => [...(i > 0 ? [';'] : []), 'set', '-p', '-t', id, '@fleetkeeper-role', `r${i}`]));

  await new Promise((r) => setTimeout(r, 300)); // let pane_current_path settle
  const rows = await listPanes(target);

  // Bindings in each pane's own cwd: four live conversations (r1 and r6 share a cwd, r6 ended by
  // the kill-server as on a reboot), one the user exited, one whose transcript is gone.
  const transcripts = join(root, 'projects');
  mkdirSync(transcripts);
  const bindings = new Map<string, Binding>();
  const bind = (role: string, extra: Partial<Binding> = {}, write = true): void => {
    const cwd = rows.find((r) => r['@fleetkeeper-role'] === role)?.pane_current_path as string;
    const sessionId = randomUUID();
    const transcriptPath = join(transcripts, `${sessionId}.jsonl`);
    if (write)
      writeFileSync(
        transcriptPath,
        `${JSON.stringify({ type: 'user', message: { role: 'user', content: `hello from ${role}` } })}\n`,
      );
    bindings.set(role, {
      sessionId,
      transcriptPath,
      cwd,
      source: 'startup',
      boundAt: new Date().toISOString(),
      eventId: role,
      ...extra,
    });
  };
  bind('r1');
  bind('r6', { endedAt: new Date().toISOString(), endReason: 'other' });
  bind('r7');
  bind('r9', { endedAt: new Date().toISOString(), endReason: 'prompt_input_exit' });
  bind('r10', {}, false);
  bind('r11');

  const argvDir = join(root, 'argv');
  mkdirSync(argvDir);
  const binDir = join(root, `bin dir 'x' $y`);
  mkdirSync(binDir);
  const claudeBin = join(binDir, 'claude');
  writeFileSync(
    claudeBin,
    `#!/bin/sh\n{ pwd; for a in "$@"; do printf '%s\\n' "$a"; done; } > '${argvDir}'/"\${TMUX_PANE#%}.txt"\n`,
  );
  chmodSync(claudeBin, 0o755);
  return { target, root, rows, bindings, argvDir, claudeBin, pwned };
}

describe('executePlan against real tmux', () => {
  it('rebuilds a hostile fleet exactly, with no client, and types exactly the right resume', async () => {
    const f = await buildFleet();
    expect(f.rows.length).toBe(12);
    const snapshot = toSnapshot(f.rows, f.bindings);
    await killServer(f.target);

    const plan = planRestore(
      snapshot,
      await gatherPlanEnv(f.target, { HOME: f.root, FLEETKEEPER_CLAUDE_BIN: f.claudeBin }),
    );
    expect(plan.counts).toEqual({ sessions: 3, skipped: 0, panes: 12, resumes: 4, shells: 8 });
    const byRole = new Map(plan.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes)).map((p) => [p.role, p]));
    expect(byRole.get('r9')?.reason).toMatch(/exited before the snapshot/);
    expect(byRole.get('r10')?.reason).toMatch(/transcript .* is gone/);
    expect(byRole.get('r1')?.title).toBe('hello from r1');

    const t0 = Date.now();
    const res = await executePlan(f.target, plan, { claudeBin: f.claudeBin, staggerMs: 200 });
    const elapsed = Date.now() - t0;
    expect(res.warnings).toEqual([]);
    expect(res.renamedSessions).toEqual([]);
    expect(res.panes.length).toBe(12);
    expect(await runTmux(f.target, ['list-clients'])).toBe('');

    const after = await listPanes(f.target);
    expect(mismatches(structure(f.rows), structure(after))).toEqual([]);
    expect(new Set(after.map((r) => r.pane_id))).toEqual(new Set(res.panes.map((p) => p.paneId)));
    expect(res.instance.pid).toBe(Number(await runTmux(f.target, ['display-message', '-p', '#{pid}'])));

    // The fake claude recorded cwd + argv: exactly `--resume <id>` in the binding's cwd, nothing else.
    const resumes = res.panes.filter((p) => p.action === 'resume');
    expect(resumes.map((p) => p.role).sort()).toEqual(['r1', 'r11', 'r6', 'r7']);
    const deadline = Date.now() + 15_000;
    while (readdirSync(f.argvDir).length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(f.argvDir).length).toBe(4);
    for (const p of resumes) {
      const b = f.bindings.get(p.role) as Binding;
      expect(p.sessionId).toBe(b.sessionId);
      expect(readFileSync(join(f.argvDir, `${p.paneId.slice(1)}.txt`), 'utf8')).toBe(
        `${b.cwd}\n--resume\n${b.sessionId}\n`,
      );
    }
    const starts = resumes.map((p) => Date.parse(p.startedAt ?? ''));
    for (let i = 1; i < starts.length; i++)
      expect((starts[i] as number) - (starts[i - 1] as number)).toBeGreaterThanOrEqual(190);
    expect(existsSync(f.pwned)).toBe(false);
    console.log(`restore of 12 panes / 7 windows / 3 sessions: ${elapsed} ms including 3 x 200 ms stagger`);

    // Restoring twice creates nothing new.
    const again = planRestore(
      snapshot,
      await gatherPlanEnv(f.target, { HOME: f.root, FLEETKEEPER_CLAUDE_BIN: f.claudeBin }),
    );
    expect(again.counts).toMatchObject({ sessions: 0, skipped: 3, panes: 0 });
    const res2 = await executePlan(f.target, again, { claudeBin: f.claudeBin, staggerMs: 0 });
    expect(res2.panes).toEqual([]);
    expect(res2.skippedSessions.length).toBe(3);
    expect(await listPanes(f.target)).toEqual(after);
  });

  it('restores into a running server with other base indexes, never re-applying a live role', async () => {
    const f = await buildFleet();
    const snapshot = toSnapshot(f.rows, f.bindings);
    await killServer(f.target);
    await runTmux(f.target, [
      'new-session',
      '-d',
      '-s',
      'keep',
      ';',
      'set',
      '-g',
      'base-index',
      '5',
      ';',
      'set',
      '-g',
      'pane-base-index',
      '1',
      ';',
      'set',
      '-p',
      '@fleetkeeper-role',
      'r0',
    ]);
    const plan = planRestore(
      snapshot,
      await gatherPlanEnv(f.target, { HOME: f.root, FLEETKEEPER_CLAUDE_BIN: f.claudeBin }),
    );
    const r0 = plan.sessions[0]?.windows[0]?.panes[0];
    expect(r0).toMatchObject({ role: 'r0', applyRole: false });
    const res = await executePlan(f.target, plan, { claudeBin: f.claudeBin, staggerMs: 0 });
    expect(res.warnings).toEqual([]);
    const after = (await listPanes(f.target)).filter((r) => r.session_name !== 'keep');
    const want = structure(
      f.rows.map((r) => (r['@fleetkeeper-role'] === 'r0' ? { ...r, '@fleetkeeper-role': '' } : r)),
    );
    expect(mismatches(want, structure(after, 1))).toEqual([]);
  });

  it('builds the fleet in one tmux invocation; after a refused command, finished sessions are kept and the rest rebuilt alone', async () => {
    const f = await buildFleet();
    const snapshot = toSnapshot(f.rows, f.bindings);
    await killServer(f.target);
    // Every tmux invocation, logged by a shim in front of the real tmux.
    const log = join(f.root, 'tmux.log');
    const shim = join(f.root, 'tmux-shim');
    // One record per invocation, ended by RS: an argument may hold a newline (the escaped formats do).
    writeFileSync(shim, `#!/bin/sh\nprintf '%s\\036' "$*" >> '${log}'\nexec tmux "$@"\n`);
    chmodSync(shim, 0o755);
    const target: TmuxTarget = { ...f.target, bin: shim };
    const calls = (): string[] =>
      readFileSync(log, 'utf8')
        .split('\x1e')
        .filter((l) => l !== '');

    // 1. Everything goes well: 3 sessions, 12 panes, one tmux process, exact.
    writeFileSync(log, '');
    const whole = await executePlan(
      target,
      planRestore(snapshot, await gatherPlanEnv(f.target, { HOME: f.root, FLEETKEEPER_CLAUDE_BIN: '/bin/false' })),
      {
        claudeBin: '/bin/false',
        staggerMs: 0,
      },
    );
    const builds = calls().filter((l) => l.includes(' new-session '));
    expect(builds).toHaveLength(1);
    expect(builds[0]?.match(/ rename-session /g)).toHaveLength(3);
    expect(calls().filter((l) => l.includes('kill-session'))).toEqual([]);
    expect(whole.warnings).toEqual([]);
    expect(whole.panes).toHaveLength(12);
    expect(mismatches(structure(f.rows), structure(await listPanes(f.target)))).toEqual([]);
    await killServer(f.target);

    // 2. In one chain: "we'ird $name" (fine), then '#{hash}', whose 3x1 first window has no room
    // for its second pane, then 'tail;', whose name someone else takes after planning.
    const plan = planRestore(snapshot, await gatherPlanEnv(target, { HOME: f.root }));
    const stored = "we'ird \\$name"; // tmux keeps session names vis-encoded
    plan.sessions.sort(
      (x, y) => ['we', '#{', 'ta'].indexOf(x.name.slice(0, 2)) - ['we', '#{', 'ta'].indexOf(y.name.slice(0, 2)),
    );
    expect(plan.sessions.map((s) => s.name)).toEqual([stored, '#{hash}', 'tail;']);
    const w0 = plan.sessions[1]?.windows[0];
    if (!w0) throw new Error('fixture lost #{hash}');
    const tiny = '3x1,0,0{1x1,0,0,1,1x1,2,0,2}';
    w0.layout = `${layoutChecksum(tiny)},${tiny}`;
    await runTmux(f.target, [
      'new-session',
      '-d',
      '-s',
      'tail\\;',
      '-n',
      'theirs',
      ';',
      'set-option',
      '-p',
      '@fleetkeeper-role',
      'canary',
    ]);
    const theirs = await listPanes(f.target);
    writeFileSync(log, '');

    const res = await executePlan(target, plan, { claudeBin: f.claudeBin, staggerMs: 0 });
    const after = await listPanes(f.target);
    // The whole of "we'ird $name" (4 windows, 6 panes, layouts, roles, active, zoom) came from the one chain.
    expect(
      calls().filter((l) => l.includes(' new-session ') && l.includes(' rename-session -t =fk-restore-')),
    ).toHaveLength(1);
    expect(calls().filter((l) => / rename-session .* we'ird \$name/.test(l))).toHaveLength(1);
    const weird = (rows: Row[]): Row[] => rows.filter((r) => r.session_name === stored);
    expect(mismatches(structure(weird(f.rows)), structure(weird(after)))).toEqual([]);
    expect(weird(after)).toHaveLength(6);
    expect(res.panes.map((p) => p.paneId)).toEqual(weird(after).map((r) => r.pane_id));
    expect(res.panes.every((p) => p.target.startsWith(`${stored}:`))).toBe(true);

    expect(res.warnings).toEqual([
      expect.stringMatching(/^session "#\{hash\}" only partly created: .*no space for new pane/),
      expect.stringMatching(/^session "tail;" not created: .*duplicate session: tail;/),
    ]);
    expect(res.skippedSessions).toEqual(['tail;']);
    expect(after.filter((r) => r.session_name === 'tail;')).toEqual(theirs);
    expect(after.filter((r) => r.session_name === '#{hash}').length).toBeGreaterThan(0);
    // Nothing left under a temporary name or with the build's temporary index options.
    const sessions = (await runTmux(f.target, ['list-sessions', '-F', '#{session_id}\t#{session_name}']))
      .split('\n')
      .filter((l) => l !== '');
    expect(sessions.filter((l) => l.includes('\tfk-restore-'))).toEqual([]);
    for (const win of new Set(after.map((r) => `${r.session_name}\t${r.window_index}`))) {
      const [name, index] = win.split('\t') as [string, string];
      const id = sessions.find((l) => l.endsWith(`\t${name}`))?.split('\t')[0];
      expect(await runTmux(f.target, ['show-options', '-w', '-t', `${id}:${index}`, 'pane-base-index'])).toBe('');
      expect(await runTmux(f.target, ['show-options', '-t', `${id}:`, 'base-index'])).toBe('');
    }
  });
});
