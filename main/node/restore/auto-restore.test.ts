// restoreOnStart=auto with real tmux (no Claude needed for these decisions): off/ask do nothing,
// existing sessions are never restored over, and one server instance is attempted once only,
// even when its restore did not verify and the next start finds no server again.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Binding } from '../../common/base/types.js';
import { DEFAULT_SETTINGS, type Settings } from '../../common/settings/settings-model.js';
import { ensureStateDir } from '../base/state-dir.js';
import { runTmux, type TmuxTarget } from '../tmux/exec.js';
import { queryFleet } from '../tmux/fleet-query.js';
import { buildSnapshot, writeSnapshot } from '../snapshot/store.js';
import { autoRestoreOnStart } from './auto-restore.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const root = mkdtempSync(join(tmpdir(), 'fk-auto-'));
  const target: TmuxTarget = { socketName: `fk-auto-${randomBytes(4).toString('hex')}` };
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  cleanups.push(() => runTmux(target, ['kill-server']).catch(() => undefined));
  const paths = ensureStateDir(join(root, 'state'));
  const proj = join(root, 'proj');
  mkdirSync(proj);
  await runTmux(target, ['new-session', '-d', '-s', 'work', '-c', proj]);
  await runTmux(target, ['set-option', '-p', '-t', 'work:0.0', '@fleetkeeper-role', 'api']);
  const fleet = await queryFleet(target);
  if (fleet === null) throw new Error('no fleet');
  const sessionId = randomUUID();
  const transcriptPath = join(root, 'claude', 'projects', 'p', `${sessionId}.jsonl`);
  mkdirSync(join(root, 'claude', 'projects', 'p'), { recursive: true });
  writeFileSync(transcriptPath, '{}\n');
  const binding: Binding = {
    sessionId,
    transcriptPath,
    cwd: proj,
    source: 'startup',
    boundAt: new Date().toISOString(),
    eventId: 'e1',
  };
  await writeSnapshot(paths, buildSnapshot(fleet, { api: binding }, 'manual', new Date()));
  await runTmux(target, ['kill-server']);
  await new Promise((r) => setTimeout(r, 300));
  return { paths, target };
}

const settings = (restoreOnStart: Settings['restoreOnStart']): Settings => ({
  ...DEFAULT_SETTINGS,
  restoreOnStart,
  launch: { maxOutstanding: 2, capS: 1, brakeAfter: 3 },
});

describe('autoRestoreOnStart', () => {
  it('ask and off do nothing; sessions that exist are never restored over', async () => {
    const { paths, target } = await setup();
    for (const mode of ['ask', 'off'] as const)
      expect(await autoRestoreOnStart({ paths, target, settings: settings(mode), claudeBin: 'false' })).toMatchObject({
        kind: 'skipped',
      });
    await runTmux(target, ['new-session', '-d', '-s', 'work']);
    const r = await autoRestoreOnStart({ paths, target, settings: settings('auto'), claudeBin: 'false' });
    expect(r).toMatchObject({ kind: 'skipped', why: expect.stringContaining('"work"') });
    expect((await runTmux(target, ['list-panes', '-a', '-F', '#{pane_id}'])).trim().split('\n')).toHaveLength(1);
  });

  it('restores at once (starting the server), then never again for that instance, even unverified', async () => {
    const { paths, target } = await setup();
    // `false` as Claude: the pane never reports, so the restore does not verify.
    const first = await autoRestoreOnStart({
      paths,
      target,
      settings: settings('auto'),
      claudeBin: 'false',
      verifyTimeoutS: 1,
    });
    expect(first).toMatchObject({ kind: 'restored', ok: false, resumes: 1, verified: 0 });
    expect((await runTmux(target, ['list-sessions', '-F', '#{session_name}'])).trim()).toBe('work');
    await runTmux(target, ['kill-server']);
    await new Promise((r) => setTimeout(r, 300));
    const again = await autoRestoreOnStart({ paths, target, settings: settings('auto'), claudeBin: 'false' });
    expect(again).toEqual({ kind: 'skipped', why: 'already attempted for that server' });
    await expect(runTmux(target, ['list-sessions'])).rejects.toThrow();
  }, 60_000);
});
