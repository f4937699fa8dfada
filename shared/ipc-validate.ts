// Main checks every payload that arrives from the renderer before anything acts on it: the
// renderer is treated as untrusted (a compromised page must not reach the filesystem or tmux
// with a crafted value). Hand-written so every refusal names the bad value.
import { InvalidInputError } from '../main/common/base/errors.js';
import { isSnapshotId } from '../main/common/snapshot/snapshot-id.js';
import { isValidRole } from '../main/common/base/names.js';
import { checkStaleAfterInterval, RETENTION_LIMITS, SETTINGS_LIMITS } from '../main/common/settings/settings-model.js';
import {
  INVOKE_CHANNELS,
  type InvokeChannel,
  type RequestOf,
  type RestoreRequest,
  type RestoreSelectionView,
  type SettingsPatch,
} from './ipc-contract.js';

/** A request that passed validation: its payload has the type its channel declares. */
export interface ValidRequest<C extends InvokeChannel = InvokeChannel> {
  channel: C;
  payload: RequestOf<C>;
}

/** Ranges accepted from the dashboard: the settings model's own (it re-checks them, and the cross-field rule, on merge). */
export { RETENTION_LIMITS, SETTINGS_LIMITS };

/** A short, printable rendering of any value for an error message. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return v.toString();
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = Object.prototype.toString.call(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

export function isInvokeChannel(channel: unknown): channel is InvokeChannel {
  return typeof channel === 'string' && (INVOKE_CHANNELS as readonly string[]).includes(channel);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export function validateSnapshotId(id: unknown): string {
  if (typeof id !== 'string') throw new InvalidInputError(`snapshot id must be a string, got ${describeValue(id)}`);
  // The id becomes a file name under snapshots/: only the core's exact id shape (digits, T, Z,
  // hex) passes, so no separator, dot-dot or control character can reach the filesystem.
  if (!isSnapshotId(id)) {
    throw new InvalidInputError(`invalid snapshot id ${describeValue(id)}: expected the form 20250102T030405678Z-1a2b`);
  }
  return id;
}

/** Bounds on a restore selection: far above any real fleet, low enough that a crafted one costs nothing. */
export const SELECTION_LIMITS = { names: 1000, nameLength: 256 } as const;

function nameList(name: string, v: unknown, check: (item: string) => string | null): string[] {
  if (!Array.isArray(v)) throw new InvalidInputError(`${name} must be a list of names, got ${describeValue(v)}`);
  if (v.length > SELECTION_LIMITS.names)
    throw new InvalidInputError(`${name} names ${v.length} entries; at most ${SELECTION_LIMITS.names} are accepted`);
  return v.map((item: unknown) => {
    if (typeof item !== 'string' || item.length === 0 || item.length > SELECTION_LIMITS.nameLength)
      throw new InvalidInputError(
        `${name} entries must be names of 1 to ${SELECTION_LIMITS.nameLength} characters, got ${describeValue(item)}`,
      );
    const bad = check(item);
    if (bad !== null) throw new InvalidInputError(`${name}: ${bad}`);
    return item;
  });
}

function validateSelection(v: unknown): RestoreSelectionView {
  if (!isPlainObject(v)) throw new InvalidInputError(`selection must be an object, got ${describeValue(v)}`);
  const out: { sessions?: string[]; shellRoles?: string[] } = {};
  for (const key of Object.keys(v)) {
    if (key === 'sessions') {
      out.sessions = nameList('selection.sessions', v[key], () => null);
      // An empty list would read as "everything" to the core: leaving the field out says that.
      if (out.sessions.length === 0)
        throw new InvalidInputError('selection.sessions must name at least one session (leave it out for all)');
    } else if (key === 'shellRoles') {
      out.shellRoles = nameList('selection.shellRoles', v[key], (r) =>
        isValidRole(r) ? null : `invalid role ${describeValue(r)}`,
      );
    } else throw new InvalidInputError(`unknown selection field ${describeValue(key)}`);
  }
  return out;
}

/** A preview or restore request: `{ snapshotId, selection? }`, every field checked. */
export function validateRestoreRequest(req: unknown): RestoreRequest {
  if (!isPlainObject(req))
    throw new InvalidInputError(`restore request must be { snapshotId, selection? }, got ${describeValue(req)}`);
  for (const key of Object.keys(req))
    if (key !== 'snapshotId' && key !== 'selection')
      throw new InvalidInputError(`unknown restore request field ${describeValue(key)}`);
  const out: RestoreRequest = { snapshotId: validateSnapshotId(req.snapshotId) };
  if (req.selection !== undefined) out.selection = validateSelection(req.selection);
  return out;
}

function integerIn(name: string, v: unknown, [lo, hi]: readonly [number, number]): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new InvalidInputError(`${name} must be a whole number from ${lo} to ${hi}, got ${describeValue(v)}`);
  }
  return v;
}

export function validateSettingsPatch(patch: unknown): SettingsPatch {
  if (!isPlainObject(patch)) throw new InvalidInputError(`settings must be an object, got ${describeValue(patch)}`);
  const out: SettingsPatch = {};
  for (const key of Object.keys(patch)) {
    const v = patch[key];
    if (key === 'notifications') {
      if (typeof v !== 'boolean')
        throw new InvalidInputError(`notifications must be true or false, got ${describeValue(v)}`);
      out.notifications = v;
    } else if (key === 'retention') {
      if (!isPlainObject(v)) throw new InvalidInputError(`retention must be an object, got ${describeValue(v)}`);
      const r: NonNullable<SettingsPatch['retention']> = {};
      for (const rk of Object.keys(v)) {
        if (!Object.hasOwn(RETENTION_LIMITS, rk))
          throw new InvalidInputError(`unknown retention setting ${describeValue(rk)}`);
        const k = rk as keyof typeof RETENTION_LIMITS;
        r[k] = integerIn(`retention.${k}`, v[rk], RETENTION_LIMITS[k]);
      }
      out.retention = r;
    } else if (Object.hasOwn(SETTINGS_LIMITS, key)) {
      const k = key as keyof typeof SETTINGS_LIMITS;
      out[k] = integerIn(k, v, SETTINGS_LIMITS[k]);
    } else {
      throw new InvalidInputError(`unknown setting ${describeValue(key)}`);
    }
  }
  if (out.intervalS !== undefined && out.staleAfterS !== undefined)
    checkStaleAfterInterval(out.intervalS, out.staleAfterS);
  return out;
}

function noPayload(payload: unknown, channel: InvokeChannel): void {
  if (payload !== undefined && payload !== null) {
    throw new InvalidInputError(`${channel} takes no argument, got ${describeValue(payload)}`);
  }
}

type PayloadValidators = { [C in InvokeChannel]: (payload: unknown, channel: C) => RequestOf<C> };

/** One validator per channel: a channel added to the contract does not compile until it has one. */
const PAYLOAD_VALIDATORS: PayloadValidators = {
  'health:get': noPayload,
  'registry:list': noPayload,
  'snapshots:list': noPayload,
  'restore:preview': validateRestoreRequest,
  'restore:execute': validateRestoreRequest,
  'settings:get': noPayload,
  'settings:set': validateSettingsPatch,
  'hooks:status': noPayload,
  'hooks:install': noPayload,
  'snapshot:save-now': noPayload,
} satisfies Record<InvokeChannel, unknown>;

/** Checks the payload of a known channel; returns it with its channel's request type, or throws InvalidInputError. */
export function validatePayload<C extends InvokeChannel>(channel: C, payload: unknown): RequestOf<C> {
  const validate: PayloadValidators[C] = PAYLOAD_VALIDATORS[channel];
  return validate(payload, channel);
}

/** Checks a channel name and its payload; returns them typed, or throws InvalidInputError. */
export function validateRequest(channel: unknown, payload: unknown): ValidRequest {
  if (!isInvokeChannel(channel)) throw new InvalidInputError(`unknown channel ${describeValue(channel)}`);
  return { channel, payload: validatePayload(channel, payload) };
}
