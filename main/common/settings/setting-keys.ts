// The settings model seen as flat dotted keys (`retention.maxCount`), for `fleetkeeper config`.
// Everything is derived from DEFAULT_SETTINGS and validated by mergeSettings, so a setting
// added to the model is listed, parsed and checked here with no change to this file.
import { InvalidInputError } from '../base/errors.js';
import { DEFAULT_SETTINGS, type Settings } from './settings-model.js';

export type SettingValue = unknown;

export interface SettingKey {
  key: string;
  /** The kind of value, from the default: number, boolean, string, list, or nullable (a string or null). */
  kind: 'number' | 'boolean' | 'string' | 'list' | 'map' | 'nullable';
  default: SettingValue;
}

function isGroup(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function kindOf(v: unknown): SettingKey['kind'] {
  if (v === null) return 'nullable';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  return 'string';
}

/** Every leaf of the model, nested groups flattened to dotted keys, in the model's order. */
export function settingKeys(defaults: Settings = DEFAULT_SETTINGS): SettingKey[] {
  const out: SettingKey[] = [];
  const walk = (obj: Record<string, unknown>, prefix: string): void => {
    for (const [k, v] of Object.entries(obj)) {
      const key = `${prefix}${k}`;
      // An empty object is a map the user fills (names are theirs), not a group of settings.
      if (isGroup(v) && Object.keys(v).length > 0) walk(v, `${key}.`);
      else if (isGroup(v)) out.push({ key, kind: 'map', default: v });
      else out.push({ key, kind: kindOf(v), default: v });
    }
  };
  walk(defaults as unknown as Record<string, unknown>, '');
  return out;
}

export function findSettingKey(key: string, defaults: Settings = DEFAULT_SETTINGS): SettingKey {
  const found = settingKeys(defaults).find((k) => k.key === key);
  if (found === undefined) {
    const group = settingKeys(defaults).filter((k) => k.key.startsWith(`${key}.`));
    const hint =
      group.length > 0
        ? `; it is a group: use one of ${group.map((k) => k.key).join(', ')}`
        : '; see fleetkeeper config list';
    throw new InvalidInputError(`unknown setting ${JSON.stringify(key)}${hint}`);
  }
  return found;
}

export function valueAt(settings: Settings, key: string): SettingValue {
  let v: unknown = settings;
  for (const part of key.split('.')) v = isGroup(v) ? v[part] : undefined;
  return v;
}

/** `retention.maxCount`, 5 → `{ retention: { maxCount: 5 } }`: the shape mergeSettings takes. */
export function patchFor(key: string, value: SettingValue): Record<string, unknown> {
  const parts = key.split('.');
  let patch: unknown = value;
  for (let i = parts.length - 1; i >= 0; i--) patch = { [parts[i]!]: patch };
  return patch as Record<string, unknown>;
}

/**
 * What the user typed, as a value of the key's kind. Numbers and booleans are converted only
 * when they look like one, so the model's own error names the value otherwise; lists are JSON
 * arrays; a nullable key takes `null` or the text as is. Range and shape checks stay in the model.
 */
export function parseSettingValue(k: SettingKey, raw: string): SettingValue {
  switch (k.kind) {
    case 'number':
      return /^\s*-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(raw) ? Number(raw) : raw;
    case 'boolean':
      return raw === 'true' ? true : raw === 'false' ? false : raw;
    case 'list':
    case 'map': {
      let v: unknown;
      try {
        v = JSON.parse(raw);
      } catch {
        v = undefined;
      }
      const ok = k.kind === 'list' ? Array.isArray(v) : isGroup(v);
      const what = k.kind === 'list' ? 'a JSON array' : 'a JSON object';
      if (!ok) throw new InvalidInputError(`${k.key} must be ${what}, got ${JSON.stringify(raw)}`);
      return v;
    }
    case 'nullable':
      return raw === 'null' ? null : raw;
    case 'string':
      return raw;
  }
}

/** The patch for `set KEY RAW`; the store validates it with the model (its one-line errors). */
export function setPatch(key: string, raw: string): Record<string, unknown> {
  const k = findSettingKey(key);
  return patchFor(k.key, parseSettingValue(k, raw));
}

/** The patch for `unset KEY`: that key back to its default. */
export function unsetPatch(key: string): Record<string, unknown> {
  const k = findSettingKey(key);
  return patchFor(k.key, k.default);
}

/** One value as the user would type it back: strings bare, everything else as JSON. */
export function formatSettingValue(v: SettingValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
