// 13. Permissions: the state dir holds paths and conversation ids that restore types into
// panes. It is created 0700 and every file in it 0600, whatever the umask; a state dir that
// group or others can write to is refused with a clear message (by the library, the hook and
// the CLI), and one that is merely readable is tightened.
import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../../main/common/base/errors.js';
import { ensureStateDir, statePaths } from '../../main/node/base/state-dir.js';
import { appendSaveRecord } from '../../main/node/snapshot/save-log.js';
import { buildSnapshot } from '../../main/node/snapshot/store.js';
import { bindingsFor, sampleFleet } from './helpers/fixtures.js';
import { BIN, LineProc, WORKERS, ensureBuilt, figures, tempState, type TempState } from './helpers/harness.js';

let st: TempState | null = null;
beforeAll(() => ensureBuilt(), 180_000);
afterEach(() => {
  st?.dispose();
  st = null;
});

function walk(dir: string): Array<{ path: string; mode: number; dir: boolean }> {
  const out: Array<{ path: string; mode: number; dir: boolean }> = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = lstatSync(p);
    out.push({ path: p, mode: s.mode & 0o7777, dir: s.isDirectory() });
    if (s.isDirectory()) out.push(...walk(p));
  }
  return out;
}

function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdin = '',
): Promise<{ code: number | null; out: string; err: string }> {
  const lp = new LineProc(spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] }));
  lp.child.stdin?.end(stdin);
  return lp.exited.then(({ code }) => ({ code, out: lp.lines.join('\n'), err: lp.stderr }));
}

const hookPayload = (): string =>
  JSON.stringify({
    session_id: randomUUID(),
    transcript_path: '/t/x.jsonl',
    cwd: '/w',
    hook_event_name: 'SessionStart',
    source: 'startup',
  });

describe('permissions', () => {
  it('under umask 000 every writer creates 0700 dirs and 0600 files', async () => {
    st = tempState('perms');
    const fresh = join(st.dir, 'fresh-state');
    const fleet = sampleFleet();
    const draftFile = join(st.dir, 'draft.json');
    writeFileSync(draftFile, JSON.stringify(buildSnapshot(fleet, bindingsFor(fleet), 'manual', new Date())));
    const env = { PATH: process.env.PATH, HOME: st.dir };
    const r = await run(
      'bash',
      ['-c', 'umask 000; exec "$0" "$@"', process.execPath, join(WORKERS, 'perms.mjs'), fresh, draftFile],
      env,
    );
    expect(r.out, r.err).toMatch(/done$/);
    expect(r.out).toMatch(/lock-mode 384/); // 0600 while held
    // The hook too, as Claude runs it, into another fresh dir.
    const hookHome = join(st.dir, 'hook-state');
    const h = await run(
      'bash',
      ['-c', 'umask 000; exec "$0" "$@"', process.execPath, BIN, 'hook', 'session-start'],
      { ...env, FLEETKEEPER_HOME: hookHome },
      hookPayload(),
    );
    expect(h).toMatchObject({ code: 0, out: '', err: '' });
    const entries = [
      { path: fresh, mode: lstatSync(fresh).mode & 0o7777, dir: true },
      ...walk(fresh),
      { path: hookHome, mode: lstatSync(hookHome).mode & 0o7777, dir: true },
      ...walk(hookHome),
    ];
    const bad = entries.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600)).map((e) => `${e.path} ${e.mode.toString(8)}`);
    expect(bad).toEqual([]);
    const files = entries.filter((e) => !e.dir);
    expect(files.length).toBeGreaterThanOrEqual(15);
    figures(
      `permissions: umask 000: ${entries.length - files.length} dirs all 0700, ${files.length} files all 0600 (events, archive, registry, snapshot, daemon status, handled, settings, lock)`,
    );
  });

  it('a state dir that group or others can write is refused with a clear message; a readable one is tightened', async () => {
    st = tempState('perms-refuse');
    const env = { PATH: process.env.PATH, HOME: st.dir };
    const refused: string[] = [];
    for (const mode of [0o777, 0o1777, 0o770, 0o722]) {
      const root = join(st.dir, `lax-${mode.toString(8)}`);
      mkdirSync(root);
      chmodSync(root, mode);
      expect(() => ensureStateDir(root)).toThrow(InvalidInputError);
      expect(() => ensureStateDir(root)).toThrow(/writable by group or others.*chmod 700/);
      // The hook records nothing there, says why on stderr, and never fails Claude.
      const h = await run(
        process.execPath,
        [BIN, 'hook', 'session-start'],
        { ...env, FLEETKEEPER_HOME: root },
        hookPayload(),
      );
      expect(h.code).toBe(0);
      expect(h.out).toBe('');
      expect(h.err).toMatch(/state dir.*writable by group or others/);
      expect(existsSync(join(root, 'spool', 'new')) ? readdirSync(join(root, 'spool', 'new')) : []).toEqual([]);
      // The CLI refuses with a one-line reason and a non-zero exit.
      const c = await run(process.execPath, [BIN, 'snapshots'], { ...env, FLEETKEEPER_HOME: root });
      expect(c.code).not.toBe(0);
      expect(c.err.trim().split('\n').length).toBeLessThanOrEqual(2);
      expect(c.err).toMatch(/writable by group or others/);
      refused.push(mode.toString(8));
    }
    // Through a symlink: the target's mode is what counts.
    const laxTarget = join(st.dir, 'lax-target');
    mkdirSync(laxTarget);
    chmodSync(laxTarget, 0o777);
    const link = join(st.dir, 'link-state');
    symlinkSync(laxTarget, link);
    expect(() => ensureStateDir(link)).toThrow(/writable by group or others/);
    // Readable but not writable by others: tightened to 0700, not refused.
    const readable = join(st.dir, 'readable');
    mkdirSync(readable);
    chmodSync(readable, 0o755);
    ensureStateDir(readable);
    expect(lstatSync(readable).mode & 0o777).toBe(0o700);
    figures(
      `permissions: state dirs of mode ${refused.join(', ')} and a symlink to a 777 dir refused by the library, the hook (exit 0, nothing recorded, reason on stderr) and the CLI (non-zero, one line); 755 tightened to 700`,
    );
  });

  // Issue 12, finding 5: the same rule for everything inside the state dir.
  it('inside the state dir: a symlinked saves.jsonl or snapshots/, a 0777 snapshots/ or a 0666 file are refused', async () => {
    st = tempState('perms-inside');
    const env = { PATH: process.env.PATH, HOME: st.dir };
    const outside = join(st.dir, 'outside');
    mkdirSync(outside);
    const victim = join(outside, 'victim.txt');
    writeFileSync(victim, 'untouched\n');
    const fresh = (name: string): string => {
      const root = join(st!.dir, name);
      ensureStateDir(root);
      return root;
    };
    const cases: Array<{ what: string; root: string; message: RegExp }> = [];

    let root = fresh('saves-link');
    symlinkSync(victim, join(root, 'saves.jsonl'));
    cases.push({
      what: 'saves.jsonl → a file outside',
      root,
      message: /saves\.jsonl in the state dir is a symbolic link/,
    });

    root = fresh('snapshots-link');
    rmSync(join(root, 'snapshots'), { recursive: true });
    symlinkSync(outside, join(root, 'snapshots'));
    cases.push({
      what: 'snapshots/ → a folder outside',
      root,
      message: /snapshots in the state dir is a symbolic link/,
    });

    root = fresh('snapshots-777');
    chmodSync(join(root, 'snapshots'), 0o777);
    cases.push({
      what: 'snapshots/ 0777',
      root,
      message: /snapshots in the state dir is writable by group or others \(mode 777\); run: chmod 700/,
    });

    root = fresh('spool-new-777');
    chmodSync(join(root, 'spool', 'new'), 0o777);
    cases.push({ what: 'spool/new 0777', root, message: /new in the state dir is writable by group or others/ });

    root = fresh('registry-666');
    writeFileSync(join(root, 'registry.json'), '{}');
    chmodSync(join(root, 'registry.json'), 0o666);
    cases.push({
      what: 'registry.json 0666',
      root,
      message: /registry\.json in the state dir is writable by group or others \(mode 666\); run: chmod 600/,
    });

    for (const c of cases) {
      expect(() => ensureStateDir(c.root), c.what).toThrow(InvalidInputError);
      expect(() => ensureStateDir(c.root), c.what).toThrow(c.message);
      const r = await run(process.execPath, [BIN, 'save'], { ...env, FLEETKEEPER_HOME: c.root });
      expect(r.code, c.what).toBe(2);
      expect(r.err.trim().split('\n'), c.what).toHaveLength(1);
      expect(r.err, c.what).toMatch(c.message);
    }
    // Even past the check (a link planted later), the save log is never appended through a link.
    await expect(
      appendSaveRecord(statePaths(cases[0]!.root), { at: new Date().toISOString(), trigger: 'manual', ok: true }),
    ).rejects.toThrow();
    expect(readFileSync(victim, 'utf8')).toBe('untouched\n');
    expect(readdirSync(outside)).toEqual(['victim.txt']);
    // Readable by others only: tightened, not refused.
    root = fresh('snapshots-755');
    chmodSync(join(root, 'snapshots'), 0o755);
    ensureStateDir(root);
    expect(lstatSync(join(root, 'snapshots')).mode & 0o777).toBe(0o700);
    figures(
      `permissions inside the state dir: ${cases.map((c) => c.what).join(', ')}: refused by the library and the CLI (exit 2, one line); the save log never appended through a link; a 755 snapshots/ tightened to 700`,
    );
  });
});
