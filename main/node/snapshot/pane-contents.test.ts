// Pane contents with real tmux: every shell pane's screen captured in one chained call, by key;
// only colour sequences survive sanitizing; the sidecar is read back only when its digest matches.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Snapshot } from '../../common/base/types.js';
import { ensureStateDir } from '../base/state-dir.js';
import { runTmux, type TmuxTarget } from '../tmux/exec.js';
import { queryFleet } from '../tmux/fleet-query.js';
import {
  capturePaneContents,
  contentsPath,
  readPaneContents,
  sanitizeContents,
  writePaneContents,
} from './pane-contents.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('pane contents', () => {
  it('captures every shell pane of a fleet, by its saved target', async () => {
    const target: TmuxTarget = { socketName: `fk-contents-${randomBytes(4).toString('hex')}` };
    cleanups.push(() => runTmux(target, ['kill-server']).catch(() => undefined));
    await runTmux(target, ['new-session', '-d', '-s', 'a', '-x', '200', '-y', '60', 'bash --norc']);
    for (let i = 1; i < 8; i++) {
      await runTmux(target, ['split-window', '-t', 'a:', 'bash --norc']);
      await runTmux(target, ['select-layout', '-t', 'a:', 'tiled']);
    }
    const panes = (await runTmux(target, ['list-panes', '-t', 'a:', '-F', '#{pane_id}'])).split('\n').filter(Boolean);
    for (const [i, p] of panes.entries()) await runTmux(target, ['send-keys', '-t', p, `echo screen-${i}-x`, 'Enter']);
    const fleet = await queryFleet(target);
    if (fleet === null) throw new Error('no fleet');
    for (let t = 0; t < 50; t++) {
      const r = await capturePaneContents(target, fleet, 100);
      if (Object.keys(r.contents).length === 8 && Object.values(r.contents).every((c) => /screen-\d-x\n/.test(c)))
        break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const { contents } = await capturePaneContents(target, fleet, 100);
    expect(Object.keys(contents).sort()).toEqual(panes.map((_, i) => `a:0.${i}`).sort());
    for (let i = 0; i < 8; i++) expect(contents[`a:0.${i}`]).toMatch(new RegExp(`screen-${i}-x`));
  });

  it('keeps colours, drops every other control sequence', () => {
    expect(sanitizeContents('a\x1b[1;31mred\x1b[0m b\x1b]52;c;aGk=\x07c\x1b[2Jd\x07e\x00')).toBe(
      'a\x1b[1;31mred\x1b[0m bcde',
    );
  });

  it('the sidecar is read back only when it matches the digest in the snapshot', async () => {
    const root = mkdtempSync(join(tmpdir(), 'fk-contents-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const paths = ensureStateDir(join(root, 'state'));
    const id = '20260101T000000000Z-abcd';
    const ref = await writePaneContents(paths, id, { 'a:0.0': 'hello' });
    const snap = { id, paneContents: ref } as unknown as Snapshot;
    expect((await readPaneContents(paths, snap))?.get('a:0.0')).toBe('hello');
    writeFileSync(contentsPath(paths, id), Buffer.alloc(ref.bytes));
    await expect(readPaneContents(paths, snap)).rejects.toThrow(/digest/);
  });
});
