import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Snapshot } from '../../common/base/types.js';
import { SNAPSHOT_VERSION } from '../../common/base/types.js';
import { planRestore, type PlanEnv } from '../../common/restore/plan.js';
import { withChecksum } from '../base/checksum.js';
import { ensureStateDir } from '../base/state-dir.js';
import { buildSnapshot } from './writer.js';
import { listSnapshots, parseSnapshot, readSnapshot } from './reader.js';

// The format step of issue 9: a snapshot written before it (checked in, written by that code)
// still validates, lists and plans a restore; the new format round-trips; a newer format than
// this code knows is refused whole, with a message saying so.
const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/snapshot-v1.json', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'fk-format-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const env: PlanEnv = {
  existingSessions: new Set(),
  liveRoles: new Set(),
  dirExists: () => true,
  transcriptExists: () => true,
  titleOf: () => 'fixture conversation',
  home: '/home/u',
};

describe('snapshot format versions', () => {
  const v1 = readFileSync(FIXTURE, 'utf8');
  const v1Id = (JSON.parse(v1) as Snapshot).id;

  it('a version-1 snapshot written by the earlier code validates, lists and restores as before', async () => {
    const parsed = parseSnapshot(v1, v1Id);
    expect(parsed.ok).toBe(true);
    const paths = ensureStateDir(join(root, 'v1'));
    copyFileSync(FIXTURE, join(paths.snapshots, `${v1Id}.json`));
    const listing = await listSnapshots(paths);
    expect(listing.corrupt).toEqual([]);
    expect(listing.valid.map((s) => [s.id, s.panes, s.claudePanes])).toEqual([[v1Id, 3, 1]]);
    const plan = planRestore(await readSnapshot(paths, v1Id), env);
    const panes = plan.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes));
    expect(panes.map((p) => p.action)).toEqual(['resume', 'shell', 'shell']);
    // No agent was captured then: the line is the one restore typed before the format step.
    expect(panes[0]?.command).toBe('claude --resume 0b7c3a52-5d1e-4c8e-9f0a-6f1e2d3c4b5a');
    expect(plan.sessions[0]?.windows.every((w) => w.automaticRename === undefined)).toBe(true);
  });

  it('a version-1 snapshot may not carry version-2 fields (it would be half-understood)', () => {
    const o = JSON.parse(v1) as Partial<Snapshot> & Pick<Snapshot, 'sessions'>;
    o.sessions[0]!.windows[0]!.automaticRename = true;
    delete o.checksum;
    const r = parseSnapshot(JSON.stringify(withChecksum(o as Omit<Snapshot, 'checksum'>)), v1Id);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/automaticRename: unknown field/);
  });

  it('writes version 2 with the agent, the program and automatic names, and reads it back', () => {
    const fleet = JSON.parse(v1) as Snapshot;
    const w = fleet.sessions[0]!.windows[0]!;
    w.automaticRename = true;
    w.panes[0]!.pid = 4242;
    w.panes[0]!.agent = {
      executable: '/opt/claude',
      args: ['--model', 'opus'],
      env: { CLAUDE_CONFIG_DIR: '/c' },
      envNotCarried: [{ name: 'ANTHROPIC_API_KEY', reason: 'secret' }],
      configDir: '/c',
      pid: 4243,
      registry: 'agree',
      registrySessionId: '0b7c3a52-5d1e-4c8e-9f0a-6f1e2d3c4b5a',
    };
    w.panes[1]!.program = { argv: ['vim', 'notes.md'] };
    const snap = withChecksum<Snapshot>(buildSnapshot(fleet, {}, 'manual', new Date('2026-11-30T02:00:00.000Z')));
    expect(snap.version).toBe(SNAPSHOT_VERSION);
    const r = parseSnapshot(JSON.stringify(snap), snap.id);
    expect(r.ok, !r.ok ? r.reason : '').toBe(true);
    const back = r.ok ? r.snapshot.sessions[0]!.windows[0]! : null;
    expect(back?.automaticRename).toBe(true);
    expect(back?.panes[0]?.agent?.args).toEqual(['--model', 'opus']);
    expect(back?.panes[1]?.program?.argv).toEqual(['vim', 'notes.md']);
  });

  it('a newer format is refused whole with a clear message, never restored half-understood', async () => {
    const o = JSON.parse(v1) as { version: number; checksum?: string; sessions: Array<{ windows: object[] }> };
    o.version = SNAPSHOT_VERSION + 1;
    Object.assign(o.sessions[0]!.windows[0]!, { somethingNew: { x: 1 } });
    delete o.checksum;
    const text = JSON.stringify(withChecksum(o as unknown as Omit<Snapshot, 'checksum'>));
    const r = parseSnapshot(text, v1Id);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe(
      `snapshot format version ${SNAPSHOT_VERSION + 1} is newer than this Fleetkeeper understands (versions 1 to ${SNAPSHOT_VERSION}): update Fleetkeeper to use it; it was not read`,
    );
    const paths = ensureStateDir(join(root, 'v3'));
    writeFileSync(join(paths.snapshots, `${v1Id}.json`), text);
    const listing = await listSnapshots(paths);
    expect(listing.valid).toEqual([]);
    expect(listing.corrupt[0]?.reason).toMatch(/newer than this Fleetkeeper/);
    await expect(readSnapshot(paths, v1Id)).rejects.toThrow(/newer than this Fleetkeeper/);
  });
});
