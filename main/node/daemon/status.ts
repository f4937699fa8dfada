import { CorruptFileError, InvalidInputError, errorMessage } from '../../common/base/errors.js';
import { isIsoTimestamp } from '../../common/snapshot/snapshot-id.js';
import { hasValidChecksum, withChecksum } from '../base/checksum.js';
import { nodeFs, writeFileDurable, type DurableFs } from '../base/durable-file.js';
import { readRegularText } from '../base/safe-read.js';
import type { StatePaths } from '../base/state-dir.js';

/** A status is a few hundred bytes; a file far bigger is not ours. */
const MAX_STATUS_BYTES = 1024 * 1024;

/**
 * What the daemon last did, on disk, so a separate `status` process (CLI, tray) can say
 * "failing" with the daemon's reason. Freshness itself never comes from here: it comes from
 * the snapshots read back from disk (principle 3).
 */
export interface DaemonStatus {
  pid: number;
  startedAt: string;
  intervalS: number;
  staleAfterS: number;
  lastAttemptAt: string | null;
  lastOkAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
  state: 'connected' | 'no-server' | 'stopped';
}

interface DaemonStatusFile extends DaemonStatus {
  format: 'fleetkeeper-daemon-status';
  version: 1;
  checksum: string;
}

const STATES: ReadonlyArray<DaemonStatus['state']> = ['connected', 'no-server', 'stopped'];
const FIELDS = [
  'pid',
  'startedAt',
  'intervalS',
  'staleAfterS',
  'lastAttemptAt',
  'lastOkAt',
  'lastError',
  'consecutiveFailures',
  'state',
] as const;
/** A reason is shown in a tooltip and a notification: keep it bounded. */
const MAX_ERROR_CHARS = 2000;

/** Reasons why `v` is not a DaemonStatus (empty when it is). */
export function validateDaemonStatus(v: unknown): string[] {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return ['expected an object'];
  const o = v as Record<string, unknown>;
  const r: string[] = [];
  const posInt = (k: string, min: number): void => {
    const x = o[k];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min)
      r.push(`${k}: expected an integer ≥ ${min}, got ${JSON.stringify(x)}`);
  };
  posInt('pid', 1);
  posInt('consecutiveFailures', 0);
  for (const k of ['intervalS', 'staleAfterS']) {
    const x = o[k];
    if (typeof x !== 'number' || !Number.isFinite(x) || x <= 0)
      r.push(`${k}: expected a number > 0, got ${JSON.stringify(x)}`);
  }
  if (!isIsoTimestamp(o.startedAt)) r.push(`startedAt: expected an ISO timestamp, got ${JSON.stringify(o.startedAt)}`);
  for (const k of ['lastAttemptAt', 'lastOkAt']) {
    if (o[k] !== null && !isIsoTimestamp(o[k]))
      r.push(`${k}: expected an ISO timestamp or null, got ${JSON.stringify(o[k])}`);
  }
  if (o.lastError !== null && typeof o.lastError !== 'string')
    r.push(`lastError: expected a string or null, got ${JSON.stringify(o.lastError)}`);
  if (!STATES.includes(o.state as DaemonStatus['state']))
    r.push(`state: expected one of ${STATES.join(', ')}, got ${JSON.stringify(o.state)}`);
  return r;
}

export async function writeDaemonStatus(paths: StatePaths, s: DaemonStatus, fs: DurableFs = nodeFs): Promise<void> {
  const clean: DaemonStatus = {
    ...Object.fromEntries(FIELDS.map((k) => [k, s[k]])),
    lastError: s.lastError === null ? null : s.lastError.slice(0, MAX_ERROR_CHARS),
  } as DaemonStatus;
  const reasons = validateDaemonStatus(clean);
  if (reasons.length > 0)
    throw new InvalidInputError(`refusing to write an invalid daemon status: ${reasons.join('; ')}`);
  const file = withChecksum<DaemonStatusFile>({ format: 'fleetkeeper-daemon-status', version: 1, ...clean });
  await writeFileDurable(paths.daemonStatus, `${JSON.stringify(file, null, 1)}\n`, fs, 0o600);
}

/** The daemon's last status, null when no daemon ever wrote one; CorruptFileError when damaged. */
export async function readDaemonStatus(paths: StatePaths): Promise<DaemonStatus | null> {
  let raw: string;
  try {
    raw = await readRegularText(paths.daemonStatus, MAX_STATUS_BYTES);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CorruptFileError(paths.daemonStatus, `unreadable: ${errorMessage(err)}`, { cause: err });
  }
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (err) {
    throw new CorruptFileError(paths.daemonStatus, `not JSON (${errorMessage(err)})`, { cause: err });
  }
  const o = v as Partial<DaemonStatusFile> | null;
  if (o === null || typeof o !== 'object' || o.format !== 'fleetkeeper-daemon-status' || o.version !== 1) {
    throw new CorruptFileError(paths.daemonStatus, 'not a fleetkeeper daemon status file');
  }
  const reasons = validateDaemonStatus(o);
  if (reasons.length > 0) throw new CorruptFileError(paths.daemonStatus, reasons.join('; '));
  if (!hasValidChecksum(o)) throw new CorruptFileError(paths.daemonStatus, 'checksum mismatch');
  const f = o as DaemonStatusFile;
  return Object.fromEntries(FIELDS.map((k) => [k, f[k]])) as unknown as DaemonStatus;
}

/**
 * Whether the process that wrote `s` still runs. A status left by a daemon that was killed
 * says "connected" forever; readers must not trust it without this check.
 */
export function daemonAlive(s: DaemonStatus): boolean {
  if (s.state === 'stopped') return false;
  try {
    process.kill(s.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
