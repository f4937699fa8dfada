// Main checks every payload that arrives from the renderer before anything acts on it: the
// renderer is treated as untrusted (a compromised page must not reach the filesystem or tmux
// with a crafted value). Hand-written so every refusal names the bad value.
import { InvalidInputError } from '../main/common/base/errors.js';
import { isSnapshotId } from '../main/common/snapshot/validate.js';
import { checkStaleAfterInterval, RETENTION_LIMITS, SETTINGS_LIMITS } from '../main/common/settings/settings-model.js';
import { INVOKE_CHANNELS, type InvokeChannel, type RequestOf, type SettingsPatch } from './ipc-contract.js';

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
  'restore:preview': validateSnapshotId,
  'restore:execute': validateSnapshotId,
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
