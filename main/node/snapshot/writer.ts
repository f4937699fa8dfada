import { access, mkdir } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import {
  SNAPSHOT_VERSION,
  type AgentCapture,
  type Binding,
  type FleetState,
  type PaneSnapshot,
  type SaveTrigger,
  type Snapshot,
} from '../../common/base/types.js';
import { InvalidInputError, WriteFailedError, errorMessage } from '../../common/base/errors.js';
import { snapshotIdStamp } from '../../common/snapshot/snapshot-id.js';
import { validateSnapshot } from '../../common/snapshot/validate.js';
import { withChecksum } from '../base/checksum.js';
import { nodeFs, parseTempName, writeFileDurable, type DurableFs } from '../base/durable-file.js';
import { parseSnapshot, snapshotFileName } from './reader.js';
import { LISTING_CACHE_FILE } from './listing-cache.js';
import type { StatePaths } from '../base/state-dir.js';
import { sweepTemps } from '../base/temp-sweep.js';

/** Copies only the fields a snapshot may hold, so registry extras never make it invalid. */
function copyBinding(b: Binding): Binding {
  const out: Binding = {
    sessionId: b.sessionId,
    transcriptPath: b.transcriptPath,
    cwd: b.cwd,
    source: b.source,
    boundAt: b.boundAt,
    eventId: b.eventId,
  };
  if (b.endedAt !== undefined) out.endedAt = b.endedAt;
  if (b.endReason !== undefined) out.endReason = b.endReason;
  if (b.paneId !== undefined) out.paneId = b.paneId;
  if (b.instance !== undefined) out.instance = { ...b.instance };
  return out;
}

function copyAgent(a: AgentCapture): AgentCapture {
  const out: AgentCapture = {
    executable: a.executable,
    args: [...a.args],
    env: { ...a.env },
    envNotCarried: a.envNotCarried.map((e) => ({ name: e.name, reason: e.reason })),
    configDir: a.configDir,
    pid: a.pid,
    registry: a.registry,
  };
  if (a.registrySessionId !== undefined) out.registrySessionId = a.registrySessionId;
  if (a.note !== undefined) out.note = a.note;
  return out;
}

/** What a pane carries besides its binding in format 2 (absent fields stay absent). */
function paneExtras(p: PaneSnapshot): Partial<PaneSnapshot> {
  const out: Partial<PaneSnapshot> = {};
  if (p.pid !== undefined) out.pid = p.pid;
  if (p.agent !== undefined) out.agent = copyAgent(p.agent);
  if (p.program !== undefined)
    out.program =
      p.program.withheld === true ? { argv: [...p.program.argv], withheld: true } : { argv: [...p.program.argv] };
  return out;
}

/** Time-sortable and unique: `20261123T203001123Z-<4 hex>`. */
export function newSnapshotId(now: Date): string {
  return `${snapshotIdStamp(now)}-${randomBytes(2).toString('hex')}`;
}

/**
 * The snapshot of `fleet` at `now`, each pane carrying the binding its role had at that
 * instant. A deep copy: later changes to the inputs do not leak into it.
 */
export function buildSnapshot(
  fleet: FleetState,
  bindings: Readonly<Record<string, Binding>>,
  trigger: SaveTrigger,
  now: Date,
): Omit<Snapshot, 'checksum'> {
  return {
    format: 'fleetkeeper-snapshot',
    version: SNAPSHOT_VERSION,
    id: newSnapshotId(now),
    savedAt: now.toISOString(),
    trigger,
    instance: { socketPath: fleet.instance.socketPath, pid: fleet.instance.pid, startTime: fleet.instance.startTime },
    sessions: fleet.sessions.map((s) => ({
      name: s.name,
      id: s.id,
      windows: s.windows.map((w) => ({
        index: w.index,
        id: w.id,
        name: w.name,
        layout: w.layout,
        active: w.active,
        zoomed: w.zoomed,
        ...(w.automaticRename !== undefined ? { automaticRename: w.automaticRename } : {}),
        panes: w.panes.map((p) => {
          // hasOwn: a role named "constructor" must not pick up Object.prototype.constructor.
          const b = Object.hasOwn(bindings, p.role) ? bindings[p.role] : undefined;
          return {
            index: p.index,
            id: p.id,
            role: p.role,
            cwd: p.cwd,
            currentCommand: p.currentCommand,
            active: p.active,
            binding: b === undefined ? null : copyBinding(b),
            ...paneExtras(p),
          };
        }),
      })),
    })),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** The bytes of a snapshot file: what the writer writes and the catalog recognises. */
export function snapshotText(snap: Snapshot): string {
  return `${JSON.stringify(snap, null, 1)}\n`;
}

/**
 * Writes a snapshot so that it counts only once it is on disk and reads back valid: checksum,
 * validation, durable write (temp, full-write loop, fsync, rename, fsync dir), then read back
 * and validate what is on disk (its checksum is recomputed only when the bytes differ from the
 * ones written). On any failure the new file is withdrawn (its id is
 * fresh, so nothing else is lost) and WriteFailedError is thrown; older snapshots are untouched.
 */
export async function writeSnapshot(
  paths: StatePaths,
  snap: Omit<Snapshot, 'checksum'>,
  fs: DurableFs = nodeFs,
): Promise<Snapshot> {
  const full = withChecksum<Snapshot>(snap);
  const reasons = validateSnapshot(full);
  if (reasons.length > 0)
    throw new InvalidInputError(
      `refusing to write an invalid snapshot ${JSON.stringify(snap.id)}: ${reasons.join('; ')}`,
    );
  await mkdir(paths.snapshots, { recursive: true, mode: 0o700 });
  const target = join(paths.snapshots, snapshotFileName(full.id));
  if (await exists(target)) throw new WriteFailedError(target, 'a snapshot with this id already exists');
  const withdraw = async (): Promise<void> => {
    await fs
      .unlink(target)
      .catch(() => nodeFs.unlink(target))
      .catch(() => undefined);
  };
  const text = snapshotText(full);
  try {
    await writeFileDurable(target, text, fs, 0o600);
  } catch (err) {
    await withdraw();
    throw err instanceof WriteFailedError ? err : new WriteFailedError(target, errorMessage(err), { cause: err });
  }
  let back: Buffer;
  try {
    back = await fs.readFile(target);
  } catch (err) {
    await withdraw();
    throw new WriteFailedError(target, `read-back failed: ${errorMessage(err)}`, { cause: err });
  }
  // Exactly the bytes written: their checksum is the one just computed from this snapshot, so
  // hashing them again (the larger half of a read-back's CPU) is skipped; they are still parsed
  // and validated as read.
  if (back.equals(Buffer.from(text))) {
    const again = JSON.parse(text) as unknown;
    const invalid = validateSnapshot(again);
    if (invalid.length === 0) return again as Snapshot;
    await withdraw();
    throw new WriteFailedError(target, `read-back does not validate: ${invalid.join('; ')}`);
  }
  const parsed = parseSnapshot(back, full.id);
  if (!parsed.ok || parsed.snapshot.checksum !== full.checksum) {
    await withdraw();
    throw new WriteFailedError(
      target,
      `read-back does not validate: ${parsed.ok ? 'checksum differs from what was written' : parsed.reason}`,
    );
  }
  return parsed.snapshot;
}

const STATUS_FILES = ['daemon-status.json', 'restore-handled.json', LISTING_CACHE_FILE];

/**
 * Removes the temp files of killed durable writes of snapshots (snapshots/) and of the status
 * files in the state root (daemon-status.json, restore-handled.json). A temp whose writer
 * still runs is a write in flight and is left alone. Returns how many were removed.
 */
export async function sweepSnapshotAndStatusTemps(paths: StatePaths, now: Date = new Date()): Promise<number> {
  const inSnapshots = await sweepTemps(paths.snapshots, parseTempName, now);
  const inRoot = await sweepTemps(
    paths.root,
    (name) => {
      const t = parseTempName(name);
      return t !== null && STATUS_FILES.includes(t.target) ? t : null;
    },
    now,
  );
  return inSnapshots + inRoot;
}
