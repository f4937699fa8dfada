import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensureStateDir, type StatePaths } from '../base/state-dir.js';
import { runTmux, type TmuxTarget } from '../tmux/exec.js';
import { queryInstance } from '../tmux/fleet-query.js';
import { instanceKey, markInstanceHandled } from './store.js';
import { readRestoreContext } from './restore-context.js';

let root: string;
let paths: StatePaths;
let target: TmuxTarget;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fk-rctx-'));
  paths = ensureStateDir(join(root, 'state'));
  target = { socketName: `fk-rctx-${randomBytes(4).toString('hex')}` };
});
afterEach(async () => {
  await runTmux(target, ['kill-server']).catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

describe('readRestoreContext', () => {
  it('reads the listing, the live server (null when none answers) and the handled instances together', async () => {
    const old = { socketPath: '/tmp/x', pid: 1, startTime: 2 };
    await markInstanceHandled(paths, instanceKey(old), 'dismissed');
    const none = await readRestoreContext(paths, target);
    expect(none).toEqual({ listing: { valid: [], corrupt: [] }, current: null, handled: new Set([instanceKey(old)]) });

    await runTmux(target, ['new-session', '-d', '-s', 'ctx']);
    const live = await readRestoreContext(paths, target);
    expect(live.current).toEqual(await queryInstance(target));
    expect(live.current).not.toBeNull();
  });
});
