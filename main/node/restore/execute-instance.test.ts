// The server instance a restore reports must be the one tmux has, even when its socket path
// holds a tab, a newline or a backslash (paths are free-form): the instance is read through
// the one escaped INSTANCE_FORMAT, both from what new-session printed and when nothing was built.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planRestore } from '../../common/restore/plan.js';
import { withChecksum } from '../base/checksum.js';
import type { Snapshot } from '../../common/base/types.js';
import { runTmux, type TmuxTarget } from '../tmux/exec.js';
import { queryFleet, queryInstance } from '../tmux/fleet-query.js';
import { buildSnapshot } from '../snapshot/writer.js';
import { gatherPlanEnv } from './env.js';
import { executePlan } from './execute.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('executePlan on a server whose socket path has odd characters', () => {
  it('reports the instance with the socket path byte for byte, built or skipped', async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'fk-sock-')));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const home = join(root, 'home');
    mkdirSync(home);
    const saved = { SHELL: process.env.SHELL, TMUX: process.env.TMUX };
    process.env.SHELL = '/bin/sh';
    delete process.env.TMUX;
    cleanups.push(() => void Object.assign(process.env, saved));
    const socketPath = join(root, 'a\tb\\c\nd');
    const target: TmuxTarget = { socketPath };
    cleanups.push(() => runTmux(target, ['kill-server']).catch(() => undefined));

    await runTmux(target, ['new-session', '-d', '-s', 'odd', '-c', root]);
    const live = await queryFleet(target);
    expect(live?.instance.socketPath).toBe(socketPath);
    const snapshot = withChecksum<Snapshot>(buildSnapshot(live!, {}, 'manual', new Date()));
    await runTmux(target, ['kill-server']);

    const built = await executePlan(target, planRestore(snapshot, await gatherPlanEnv(target, { HOME: home })), {
      claudeBin: '/bin/false',
      staggerMs: 0,
    });
    expect(built.skippedSessions).toEqual([]);
    const now = await queryInstance(target);
    expect(now?.socketPath).toBe(socketPath);
    expect(built.instance).toEqual(now);

    // Again: the session exists, nothing is built, the instance comes from asking the server.
    const skipped = await executePlan(target, planRestore(snapshot, await gatherPlanEnv(target, { HOME: home })), {
      claudeBin: '/bin/false',
      staggerMs: 0,
    });
    expect(skipped.skippedSessions).toEqual(['odd']);
    expect(skipped.instance).toEqual(now);
  }, 60_000);
});
