import { SNAPSHOT_VERSION, type SaveTrigger } from '../base/types.js';
import { isSessionId, isValidRole } from '../base/names.js';
import { isIsoTimestamp, isSnapshotId, snapshotIdStamp } from './snapshot-id.js';

/**
 * Structural validation of a parsed snapshot. Pure: the checksum (which needs a hash) is
 * checked by the node reader. Every field and type is checked because a snapshot is what
 * restore types into panes: a planted or mangled field must make the file not count.
 */

export const SAVE_TRIGGERS: readonly SaveTrigger[] = [
  'interval',
  'change',
  'manual',
  'wake',
  'quit',
  'start',
  'import',
];
const CHECKSUM_RE = /^sha256:[0-9a-f]{64}$/;
/** Keep reports readable: a shredded file would otherwise yield thousands of reasons. */
const MAX_REASONS = 20;

type Obj = Record<string, unknown>;

class Checker {
  readonly reasons: string[] = [];

  add(reason: string): void {
    if (this.reasons.length < MAX_REASONS) this.reasons.push(reason);
    else if (this.reasons.length === MAX_REASONS) this.reasons.push('… more problems not listed');
  }

  obj(v: unknown, at: string, keys: readonly string[], optional: readonly string[] = []): Obj | null {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.add(`${at}: expected an object, got ${describe(v)}`);
      return null;
    }
    const o = v as Obj;
    for (const k of Object.keys(o)) {
      if (!keys.includes(k) && !optional.includes(k)) this.add(`${at}.${k}: unknown field`);
    }
    for (const k of keys) if (!(k in o)) this.add(`${at}.${k}: missing`);
    return o;
  }

  str(o: Obj, k: string, at: string, opts: { nonEmpty?: boolean; optional?: boolean } = {}): void {
    const v = o[k];
    if (v === undefined && opts.optional === true) return;
    if (typeof v !== 'string') this.add(`${at}.${k}: expected a string, got ${describe(v)}`);
    else if (opts.nonEmpty === true && v.length === 0) this.add(`${at}.${k}: must not be empty`);
  }

  int(o: Obj, k: string, at: string, min: number): void {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      this.add(`${at}.${k}: expected an integer ≥ ${min}, got ${describe(v)}`);
    }
  }

  bool(o: Obj, k: string, at: string): void {
    if (typeof o[k] !== 'boolean') this.add(`${at}.${k}: expected true or false, got ${describe(o[k])}`);
  }

  time(o: Obj, k: string, at: string, optional = false): void {
    const v = o[k];
    if (v === undefined && optional) return;
    if (!isIsoTimestamp(v)) this.add(`${at}.${k}: expected an ISO UTC timestamp, got ${describe(v)}`);
  }

  arr(o: Obj, k: string, at: string): unknown[] {
    const v = o[k];
    if (!Array.isArray(v)) {
      this.add(`${at}.${k}: expected an array, got ${describe(v)}`);
      return [];
    }
    return v;
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function checkInstance(c: Checker, v: unknown, at: string): void {
  const o = c.obj(v, at, ['socketPath', 'pid', 'startTime']);
  if (!o) return;
  c.str(o, 'socketPath', at, { nonEmpty: true });
  c.int(o, 'pid', at, 1);
  c.int(o, 'startTime', at, 0);
}

function checkBinding(c: Checker, v: unknown, at: string): void {
  if (v === null) return;
  const o = c.obj(
    v,
    at,
    ['sessionId', 'transcriptPath', 'cwd', 'source', 'boundAt', 'eventId'],
    ['endedAt', 'endReason', 'paneId', 'instance'],
  );
  if (!o) return;
  // Restore types this id into a shell: anything but a UUID is refused here already.
  if (typeof o.sessionId !== 'string' || !isSessionId(o.sessionId)) {
    c.add(`${at}.sessionId: expected a UUID, got ${describe(o.sessionId)}`);
  }
  for (const k of ['transcriptPath', 'cwd', 'source', 'eventId']) c.str(o, k, at);
  c.time(o, 'boundAt', at);
  c.time(o, 'endedAt', at, true);
  c.str(o, 'endReason', at, { optional: true });
  c.str(o, 'paneId', at, { optional: true });
  if (o.instance !== undefined) checkInstance(c, o.instance, `${at}.instance`);
}

const REGISTRY_VERDICTS = ['agree', 'adopted', 'drift', 'unavailable'];

function strArray(c: Checker, o: Obj, k: string, at: string, nonEmpty = false): void {
  const a = c.arr(o, k, at);
  if (nonEmpty && Array.isArray(o[k]) && a.length === 0) c.add(`${at}.${k}: must not be empty`);
  a.forEach((x, i) => {
    if (typeof x !== 'string') c.add(`${at}.${k}[${i}]: expected a string, got ${describe(x)}`);
  });
}

function checkAgent(c: Checker, v: unknown, at: string): void {
  const o = c.obj(
    v,
    at,
    ['executable', 'args', 'env', 'envNotCarried', 'configDir', 'pid', 'registry'],
    ['registrySessionId', 'note'],
  );
  if (!o) return;
  c.str(o, 'executable', at, { nonEmpty: true });
  strArray(c, o, 'args', at);
  const env = o.env;
  if (env === null || typeof env !== 'object' || Array.isArray(env)) c.add(`${at}.env: expected an object`);
  else
    for (const [k, x] of Object.entries(env)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) c.add(`${at}.env: not a variable name: ${describe(k)}`);
      if (typeof x !== 'string') c.add(`${at}.env.${k}: expected a string, got ${describe(x)}`);
    }
  c.arr(o, 'envNotCarried', at).forEach((e, i) => {
    const n = c.obj(e, `${at}.envNotCarried[${i}]`, ['name', 'reason']);
    if (n) for (const k of ['name', 'reason']) c.str(n, k, `${at}.envNotCarried[${i}]`);
  });
  c.str(o, 'configDir', at, { nonEmpty: true });
  c.int(o, 'pid', at, 1);
  if (typeof o.registry !== 'string' || !REGISTRY_VERDICTS.includes(o.registry))
    c.add(`${at}.registry: expected one of ${REGISTRY_VERDICTS.join(', ')}, got ${describe(o.registry)}`);
  if (
    o.registrySessionId !== undefined &&
    (typeof o.registrySessionId !== 'string' || !isSessionId(o.registrySessionId))
  )
    c.add(`${at}.registrySessionId: expected a UUID, got ${describe(o.registrySessionId)}`);
  c.str(o, 'note', at, { optional: true });
}

function checkPane(c: Checker, v: unknown, at: string, version: number): void {
  const o = c.obj(
    v,
    at,
    ['index', 'id', 'role', 'cwd', 'currentCommand', 'active', 'binding'],
    // The pane title is no longer stored (issue 12); snapshots that have it still load.
    version >= 2 ? ['title', 'pid', 'agent', 'program'] : ['title'],
  );
  if (!o) return;
  if (o.pid !== undefined) c.int(o, 'pid', at, 1);
  if (o.agent !== undefined) checkAgent(c, o.agent, `${at}.agent`);
  if (o.program !== undefined) {
    const pr = c.obj(o.program, `${at}.program`, ['argv'], ['withheld']);
    if (pr) strArray(c, pr, 'argv', `${at}.program`, true);
    if (pr && pr.withheld !== undefined && pr.withheld !== true)
      c.add(`${at}.program.withheld: expected true, got ${describe(pr.withheld)}`);
  }
  c.int(o, 'index', at, 0);
  for (const k of ['id', 'cwd', 'currentCommand']) c.str(o, k, at);
  c.str(o, 'title', at, { optional: true });
  if (typeof o.role !== 'string' || !isValidRole(o.role)) c.add(`${at}.role: not a valid role: ${describe(o.role)}`);
  c.bool(o, 'active', at);
  checkBinding(c, o.binding, `${at}.binding`);
}

function checkWindow(c: Checker, v: unknown, at: string, version: number): void {
  const o = c.obj(
    v,
    at,
    ['index', 'id', 'name', 'layout', 'active', 'zoomed', 'panes'],
    version >= 2 ? ['automaticRename'] : [],
  );
  if (!o) return;
  if (o.automaticRename !== undefined) c.bool(o, 'automaticRename', at);
  c.int(o, 'index', at, 0);
  for (const k of ['id', 'name']) c.str(o, k, at);
  c.str(o, 'layout', at, { nonEmpty: true });
  c.bool(o, 'active', at);
  c.bool(o, 'zoomed', at);
  const panes = c.arr(o, 'panes', at);
  if (Array.isArray(o.panes) && panes.length === 0) c.add(`${at}.panes: a window has at least one pane`);
  panes.forEach((p, i) => checkPane(c, p, `${at}.panes[${i}]`, version));
}

function checkSession(c: Checker, v: unknown, at: string, version: number): void {
  const o = c.obj(v, at, ['name', 'id', 'windows']);
  if (!o) return;
  c.str(o, 'name', at, { nonEmpty: true });
  c.str(o, 'id', at);
  const windows = c.arr(o, 'windows', at);
  if (Array.isArray(o.windows) && windows.length === 0) c.add(`${at}.windows: a session has at least one window`);
  windows.forEach((w, i) => checkWindow(c, w, `${at}.windows[${i}]`, version));
}

export function newerFormatReason(version: number): string {
  return `snapshot format version ${version} is newer than this Fleetkeeper understands (versions 1 to ${SNAPSHOT_VERSION}): update Fleetkeeper to use it; it was not read`;
}

/**
 * Reasons why `value` is not a well-formed snapshot (empty when it is). Never throws.
 * `requireChecksum: false` checks a draft before its checksum is computed.
 */
export function validateSnapshot(value: unknown, opts: { requireChecksum?: boolean } = {}): string[] {
  const c = new Checker();
  const required = ['format', 'version', 'id', 'savedAt', 'trigger', 'instance', 'sessions'];
  const withSum = opts.requireChecksum !== false;
  const o = c.obj(
    value,
    'snapshot',
    withSum ? [...required, 'checksum'] : required,
    withSum
      ? ['durationMs', 'importedFrom', 'paneContents']
      : ['durationMs', 'importedFrom', 'paneContents', 'checksum'],
  );
  if (!o) return c.reasons;
  if (o.format !== 'fleetkeeper-snapshot')
    c.add(`snapshot.format: expected "fleetkeeper-snapshot", got ${describe(o.format)}`);
  // A newer format is refused whole, with one clear reason: never restored half-understood.
  if (typeof o.version === 'number' && Number.isInteger(o.version) && o.version > SNAPSHOT_VERSION)
    return [newerFormatReason(o.version)];
  const version = o.version === 1 || o.version === 2 ? o.version : 0;
  if (version === 0)
    c.add(`snapshot.version: expected an integer from 1 to ${SNAPSHOT_VERSION}, got ${describe(o.version)}`);
  if (typeof o.id !== 'string' || !isSnapshotId(o.id)) c.add(`snapshot.id: not a snapshot id: ${describe(o.id)}`);
  c.time(o, 'savedAt', 'snapshot');
  // The id is stamped from savedAt, so file-name order is time order and the newest valid
  // snapshot can be found by reading from the newest name down.
  if (
    typeof o.id === 'string' &&
    isSnapshotId(o.id) &&
    isIsoTimestamp(o.savedAt) &&
    !o.id.startsWith(`${snapshotIdStamp(new Date(o.savedAt))}-`)
  ) {
    c.add(`snapshot.id: ${o.id} does not match savedAt ${o.savedAt}`);
  }
  if (typeof o.trigger !== 'string' || !(SAVE_TRIGGERS as readonly string[]).includes(o.trigger)) {
    c.add(`snapshot.trigger: expected one of ${SAVE_TRIGGERS.join(', ')}, got ${describe(o.trigger)}`);
  }
  checkInstance(c, o.instance, 'snapshot.instance');
  c.arr(o, 'sessions', 'snapshot').forEach((s, i) => checkSession(c, s, `snapshot.sessions[${i}]`, version));
  if (
    o.durationMs !== undefined &&
    (typeof o.durationMs !== 'number' || !Number.isFinite(o.durationMs) || o.durationMs < 0)
  ) {
    c.add(`snapshot.durationMs: expected a number ≥ 0, got ${describe(o.durationMs)}`);
  }
  if (o.paneContents !== undefined) {
    const pc = c.obj(o.paneContents, 'snapshot.paneContents', ['sha256', 'bytes', 'panes']);
    if (pc && (typeof pc.sha256 !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(pc.sha256)))
      c.add(`snapshot.paneContents.sha256: expected sha256:<64 hex>, got ${describe(pc.sha256)}`);
    for (const k of ['bytes', 'panes'] as const)
      if (pc && (typeof pc[k] !== 'number' || !Number.isInteger(pc[k]) || (pc[k] as number) < 0))
        c.add(`snapshot.paneContents.${k}: expected an integer ≥ 0, got ${describe(pc[k])}`);
  }
  if (o.importedFrom !== undefined) {
    const src = c.obj(o.importedFrom, 'snapshot.importedFrom', ['tool', 'file']);
    if (src && src.tool !== 'tmux-resurrect')
      c.add(`snapshot.importedFrom.tool: expected "tmux-resurrect", got ${describe(src.tool)}`);
    if (src) c.str(src, 'file', 'snapshot.importedFrom', { nonEmpty: true });
    if (o.trigger !== 'import') c.add(`snapshot.importedFrom: only on an imported snapshot (trigger "import")`);
  }
  if (withSum && (typeof o.checksum !== 'string' || !CHECKSUM_RE.test(o.checksum))) {
    c.add(`snapshot.checksum: expected sha256:<64 hex>, got ${describe(o.checksum)}`);
  }
  return c.reasons;
}
