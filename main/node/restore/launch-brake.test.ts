// The brake with real tmux: a Claude that never answers (here `false`, a real program that
// exits at once, as a logged-out or broken Claude would never report) stops the launching after
// `brakeAfter` silent starts; the other panes stay shells with the reason, and the report says so.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Binding } from '../../common/base/types.js';
import type { RestoreProgress } from '../../common/restore/progress.js';
import { ensureStateDir } from '../base/state-dir.js';
import { runTmux, type TmuxTarget } from '../tmux/exec.js';
import { queryFleet } from '../tmux/fleet-query.js';
import { buildSnapshot, writeSnapshot } from '../snapshot/store.js';
import { restore } from './service.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('launch brake', () => {
  it('stops after repeated silent starts and keeps the rest as shells, saying why', async () => {
    const root = mkdtempSync(join(tmpdir(), 'fk-brake-'));
    const target: TmuxTarget = { socketName: `fk-brake-${randomBytes(4).toString('hex')}` };
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    cleanups.push(() => runTmux(target, ['kill-server']).catch(() => undefined));
    const paths = ensureStateDir(join(root, 'state'));
    const proj = join(root, 'proj');
    mkdirSync(join(root, 'projects'), { recursive: true });
    mkdirSync(proj);
    await runTmux(target, ['new-session', '-d', '-s', 'fleet', '-x', '200', '-y', '60', '-c', proj]);
    for (let i = 1; i < 6; i++) {
      await runTmux(target, ['split-window', '-t', 'fleet:', '-c', proj]);
      await runTmux(target, ['select-layout', '-t', 'fleet:', 'tiled']);
    }
    const bindings: Record<string, Binding> = {};
    const panes = (await runTmux(target, ['list-panes', '-t', 'fleet:', '-F', '#{pane_id}']))
      .split('\n')
      .filter(Boolean);
    for (const [i, p] of panes.entries()) {
      await runTmux(target, ['set-option', '-p', '-t', p, '@fleetkeeper-role', `c${i}`]);
      const sessionId = randomUUID();
      const transcriptPath = join(root, 'projects', `${sessionId}.jsonl`);
      writeFileSync(transcriptPath, '{}\n');
      bindings[`c${i}`] = {
        sessionId,
        transcriptPath,
        cwd: proj,
        source: 'startup',
        boundAt: new Date().toISOString(),
        eventId: `e${i}`,
      };
    }
    const fleet = await queryFleet(target);
    if (fleet === null) throw new Error('no fleet');
    const snap = await writeSnapshot(paths, buildSnapshot(fleet, bindings, 'manual', new Date()));
    await runTmux(target, ['kill-server']);
    await new Promise((r) => setTimeout(r, 300));

    const progress: RestoreProgress[] = [];
    const report = await restore(paths, target, snap.id, {
      claudeBin: 'false',
      pacing: { maxOutstanding: 1, capMs: 1000, brakeAfter: 2 },
      verifyTimeoutS: 1,
      onProgress: (e) => progress.push(e),
    });
    const typed = progress.filter((e) => e.kind === 'pane' && e.state === 'typed');
    const held = report.executed?.panes.filter((p) => p.notStarted !== undefined) ?? [];
    expect(typed).toHaveLength(2);
    expect(held).toHaveLength(4);
    expect(held[0]?.notStarted).toMatch(/2 Claude starts in a row failed/);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/4 Claude panes left as shells: 2 Claude starts in a row failed/);
    expect(report.remaining?.filter((r) => /not started/.test(r))).toHaveLength(4);
    // The panes exist (as shells), so a later restore can complete them.
    expect((await runTmux(target, ['list-panes', '-a', '-F', '#{pane_id}'])).split('\n').filter(Boolean)).toHaveLength(
      6,
    );
  }, 60_000);
});
