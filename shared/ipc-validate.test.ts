import { describe, it, expect } from 'vitest';
import { InvalidInputError } from '../main/common/base/errors.js';
import { DEFAULT_SETTINGS, mergeSettings } from '../main/common/settings/settings-model.js';
import { BRIDGE_VERBS, INVOKE_CHANNELS } from './ipc-contract.js';
import {
  RETENTION_LIMITS,
  SETTINGS_LIMITS,
  validateRequest,
  validateRestoreRequest,
  validateSettingsPatch,
  validateSnapshotId,
} from './ipc-validate.js';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal, got none');
}

describe('validateRequest', () => {
  it('accepts every channel of the contract with a well-formed payload', () => {
    const good: Record<string, unknown> = {
      'restore:preview': { snapshotId: '20250102T030405678Z-ab12' },
      'restore:execute': {
        snapshotId: '20250102T030405678Z-ab12',
        selection: { sessions: ['api', 'web:1'], shellRoles: ['billing-api'] },
      },
      'settings:set': { intervalS: 30 },
    };
    for (const ch of INVOKE_CHANNELS) {
      const v = validateRequest(ch, good[ch]);
      expect(v.channel).toBe(ch);
      expect(v.payload).toEqual(good[ch]);
    }
  });

  it('refuses unknown channels, naming them', () => {
    expect(refusal(() => validateRequest('fs:read', undefined))).toBe('unknown channel "fs:read"');
    expect(refusal(() => validateRequest(42, undefined))).toBe('unknown channel 42');
    expect(refusal(() => validateRequest('constructor', undefined))).toMatch(/unknown channel "constructor"/);
    expect(refusal(() => validateRequest('toString', undefined))).toMatch(/unknown channel/);
  });

  it('refuses a payload on channels that take none', () => {
    expect(refusal(() => validateRequest('health:get', { x: 1 }))).toBe('health:get takes no argument, got {"x":1}');
    expect(refusal(() => validateRequest('hooks:install', 'now'))).toBe('hooks:install takes no argument, got "now"');
    expect(validateRequest('snapshot:save-now', null).payload).toBeUndefined();
  });

  it('every bridge verb maps to a contract channel, and every channel has a verb', () => {
    expect(new Set(Object.values(BRIDGE_VERBS))).toEqual(new Set(INVOKE_CHANNELS));
  });
});

describe('validateSnapshotId', () => {
  it('accepts ordinary ids', () => {
    for (const id of ['20250102T030405678Z-1a2b', '20261123T203001123Z-0123456789abcdef']) {
      expect(validateSnapshotId(id)).toBe(id);
    }
  });

  it('refuses path characters, dot-dot, hidden names, empty, huge and non-strings', () => {
    for (const bad of [
      '../etc/passwd',
      'a/b',
      'a\\b',
      '..',
      'a..b',
      '.hidden',
      '',
      'x'.repeat(129),
      'a b',
      'a\nb',
      'a\0b',
      '%2e%2e',
      '20250102T030405678Z-1a2b/../x',
      '20250102T030405678Z-1a2b\n',
      '20250102T030405678Z-XYZW',
    ]) {
      expect(refusal(() => validateSnapshotId(bad))).toContain('invalid snapshot id');
    }
    expect(refusal(() => validateSnapshotId('../etc/passwd'))).toContain('"../etc/passwd"');
    expect(refusal(() => validateSnapshotId(7))).toBe('snapshot id must be a string, got 7');
    expect(refusal(() => validateRequest('restore:execute', { snapshotId: 7 }))).toBe(
      'snapshot id must be a string, got 7',
    );
    expect(refusal(() => validateRequest('restore:preview', { snapshotId: '../x' }))).toContain(
      'invalid snapshot id "../x"',
    );
  });
});

describe('validateRestoreRequest', () => {
  const id = '20250102T030405678Z-ab12';

  it('keeps a request with or without a selection as is', () => {
    expect(validateRestoreRequest({ snapshotId: id })).toEqual({ snapshotId: id });
    const full = { snapshotId: id, selection: { sessions: ['a b', 'x.y'], shellRoles: ['r1', 'r.2_x-3'] } };
    expect(validateRestoreRequest(full)).toEqual(full);
    expect(validateRestoreRequest({ snapshotId: id, selection: {} })).toEqual({ snapshotId: id, selection: {} });
  });

  it('refuses a request that is not the request object, naming what came', () => {
    expect(refusal(() => validateRestoreRequest(id))).toBe(
      `restore request must be { snapshotId, selection? }, got "${id}"`,
    );
    expect(refusal(() => validateRestoreRequest(undefined))).toBe(
      'restore request must be { snapshotId, selection? }, got undefined',
    );
    expect(refusal(() => validateRestoreRequest([id]))).toContain('got ["');
    expect(refusal(() => validateRestoreRequest({ id }))).toBe('unknown restore request field "id"');
    expect(refusal(() => validateRestoreRequest({ snapshotId: id, dryRun: false }))).toBe(
      'unknown restore request field "dryRun"',
    );
    expect(refusal(() => validateRestoreRequest({ selection: {} }))).toBe(
      'snapshot id must be a string, got undefined',
    );
  });

  it('refuses a malformed selection field by field, naming the bad value', () => {
    const sel = (selection: unknown) => refusal(() => validateRestoreRequest({ snapshotId: id, selection }));
    expect(sel(null)).toBe('selection must be an object, got null');
    expect(sel(['api'])).toBe('selection must be an object, got ["api"]');
    expect(sel({ roles: ['api'] })).toBe('unknown selection field "roles"');
    expect(sel({ sessions: 'api' })).toBe('selection.sessions must be a list of names, got "api"');
    expect(sel({ sessions: [] })).toBe('selection.sessions must name at least one session (leave it out for all)');
    expect(sel({ sessions: ['ok', 3] })).toBe('selection.sessions entries must be names of 1 to 256 characters, got 3');
    expect(sel({ sessions: [''] })).toContain('got ""');
    expect(sel({ sessions: ['s'.repeat(257)] })).toContain('entries must be names of 1 to 256 characters');
    expect(sel({ sessions: Array.from({ length: 1001 }, (_, i) => `s${i}`) })).toBe(
      'selection.sessions names 1001 entries; at most 1000 are accepted',
    );
    expect(sel({ shellRoles: { 0: 'api' } })).toBe('selection.shellRoles must be a list of names, got {"0":"api"}');
    expect(sel({ shellRoles: ['api', 'rm -rf /'] })).toBe('selection.shellRoles: invalid role "rm -rf /"');
    expect(sel({ shellRoles: ['a\nb'] })).toBe('selection.shellRoles: invalid role "a\\nb"');
    expect(sel({ shellRoles: [null] })).toContain('got null');
    expect(sel(JSON.parse('{"__proto__":{"sessions":["x"]}}'))).toBe('unknown selection field "__proto__"');
  });
});

describe('validateSettingsPatch', () => {
  it('keeps a valid partial patch as is', () => {
    const p = { intervalS: 120, staleAfterS: 900, notifications: false, retention: { maxCount: 50 } };
    expect(validateSettingsPatch(p)).toEqual(p);
  });

  it('refuses wrong types, unknown keys and non-objects with the offending value named', () => {
    expect(refusal(() => validateSettingsPatch({ intervalS: '60' }))).toBe(
      'intervalS must be a whole number from 1 to 86400, got "60"',
    );
    expect(refusal(() => validateSettingsPatch({ intervalS: 0 }))).toBe(
      'intervalS must be a whole number from 1 to 86400, got 0',
    );
    expect(refusal(() => validateSettingsPatch({ intervalS: 1.5 }))).toContain('got 1.5');
    expect(refusal(() => validateSettingsPatch({ intervalS: Number.NaN }))).toContain('got null');
    expect(refusal(() => validateSettingsPatch({ staleAfterS: 1e9 }))).toContain(
      'staleAfterS must be a whole number from 2 to 604800, got 1000000000',
    );
    expect(refusal(() => validateSettingsPatch({ renotifyMinutes: -1 }))).toContain('renotifyMinutes');
    expect(refusal(() => validateSettingsPatch({ notifications: 'yes' }))).toBe(
      'notifications must be true or false, got "yes"',
    );
    expect(refusal(() => validateSettingsPatch({ colour: 'red' }))).toBe('unknown setting "colour"');
    expect(refusal(() => validateSettingsPatch(JSON.parse('{"__proto__":{"intervalS":1}}')))).toBe(
      'unknown setting "__proto__"',
    );
    expect(refusal(() => validateSettingsPatch({ retention: { forever: 1 } }))).toBe(
      'unknown retention setting "forever"',
    );
    expect(refusal(() => validateSettingsPatch({ retention: { maxCount: 0 } }))).toContain('retention.maxCount');
    expect(refusal(() => validateSettingsPatch({ retention: [1] }))).toBe('retention must be an object, got [1]');
    expect(refusal(() => validateSettingsPatch([]))).toBe('settings must be an object, got []');
    expect(refusal(() => validateSettingsPatch(null))).toBe('settings must be an object, got null');
    expect(refusal(() => validateSettingsPatch(new Date(0)))).toContain('settings must be an object');
    expect(refusal(() => validateSettingsPatch({ intervalS: 600, staleAfterS: 600 }))).toBe(
      'staleAfterS (600) must be greater than intervalS (600)',
    );
  });

  it('agrees with the settings model at every range boundary', () => {
    // A permissive base so only the field under test can fail the model's checks.
    const base = { ...DEFAULT_SETTINGS, intervalS: 1, staleAfterS: 7 * 86_400 };
    const probe = (patch: Record<string, unknown>) => {
      let ipc = true;
      let model = true;
      try {
        validateSettingsPatch(patch);
      } catch {
        ipc = false;
      }
      try {
        mergeSettings(base, patch);
      } catch {
        model = false;
      }
      return { ipc, model };
    };
    for (const [k, [lo, hi]] of Object.entries(SETTINGS_LIMITS)) {
      for (const v of [lo - 1, lo, hi, hi + 1]) {
        if (k === 'staleAfterS' && v <= 1) continue; // the model's cross-field rule, not a range
        const r = probe({ [k]: v });
        expect(r, `${k}=${v}`).toEqual({ ipc: r.model, model: r.model });
      }
    }
    for (const [k, [lo, hi]] of Object.entries(RETENTION_LIMITS)) {
      for (const v of [lo - 1, lo, hi, hi + 1]) {
        const r = probe({ retention: { [k]: v } });
        expect(r, `retention.${k}=${v}`).toEqual({ ipc: r.model, model: r.model });
      }
    }
  });
});
