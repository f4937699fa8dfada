import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, mergeSettings, type Settings } from './settings-model.js';
import {
  findSettingKey,
  parseSettingValue,
  patchFor,
  setPatch,
  settingKeys,
  unsetPatch,
  valueAt,
} from './setting-keys.js';

const set = (s: Settings, key: string, raw: string): Settings => mergeSettings(s, setPatch(key, raw));

describe('settings as dotted keys', () => {
  it('lists every leaf of the model, nested groups flattened', () => {
    const keys = settingKeys().map((k) => k.key);
    expect(keys).toContain('intervalS');
    expect(keys).toContain('retention.maxCount');
    expect(keys).toContain('alertCommand');
    expect(keys).not.toContain('retention');
    // Every leaf of the defaults is reachable by its key and nothing else is listed.
    for (const k of settingKeys()) expect(valueAt(DEFAULT_SETTINGS, k.key)).toEqual(k.default);
    const leaves = (o: object): number =>
      Object.values(o).reduce<number>(
        (n, v) =>
          n + (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length ? leaves(v) : 1),
        0,
      );
    expect(keys).toHaveLength(leaves(DEFAULT_SETTINGS));
  });

  it('derives a new setting from the model alone (a list and a map)', () => {
    const model = { ...DEFAULT_SETTINGS, programs: ['vim'], env: {} } as unknown as Settings;
    const k = settingKeys(model);
    expect(k.find((x) => x.key === 'programs')?.kind).toBe('list');
    expect(k.find((x) => x.key === 'env')?.kind).toBe('map');
    expect(
      parseSettingValue(
        k.find((x) => x.key === 'programs')!,
        '["htop","vim"]',
      ),
    ).toEqual(['htop', 'vim']);
    expect(() =>
      parseSettingValue(
        k.find((x) => x.key === 'programs')!,
        'htop',
      ),
    ).toThrow('programs must be a JSON array, got "htop"');
  });

  it('sets nested values, numbers, booleans and nullable strings through the model', () => {
    let s = set(DEFAULT_SETTINGS, 'retention.maxCount', '20');
    expect(s.retention.maxCount).toBe(20);
    expect(s.retention.hourlyForS).toBe(DEFAULT_SETTINGS.retention.hourlyForS);
    s = set(s, 'notifications', 'false');
    expect(s.notifications).toBe(false);
    s = set(s, 'alertCommand', 'echo "red" >> /tmp/x');
    expect(s.alertCommand).toBe('echo "red" >> /tmp/x');
    s = set(s, 'alertCommand', 'null');
    expect(s.alertCommand).toBeNull();
    s = set(s, 'heartbeatUrl', 'https://hc-ping.com/abc');
    expect(s.heartbeatUrl).toBe('https://hc-ping.com/abc');
    expect(patchFor('a.b.c', 1)).toEqual({ a: { b: { c: 1 } } });
  });

  it.each([
    ['intervalS', 'soon', /intervalS must be a number from 1 to 86400, got "soon"/],
    ['intervalS', '0', /intervalS must be a number from 1 to 86400, got 0/],
    ['notifications', 'yes', /notifications must be true or false, got "yes"/],
    ['heartbeatUrl', 'ftp://x', /heartbeatUrl must be an http:\/\/ or https:\/\/ URL or null, got "ftp:\/\/x"/],
    ['alertCommand', '   ', /alertCommand must be a one-line shell command/],
    ['staleAfterS', '10', /staleAfterS \(10\) must be greater than intervalS \(60\)/],
  ])('refuses %s=%s with the model’s own message', (key, raw, msg) => {
    expect(() => set(DEFAULT_SETTINGS, key, raw)).toThrow(msg);
  });

  it('names an unknown key, and a group with its members', () => {
    expect(() => findSettingKey('colour')).toThrow('unknown setting "colour"; see fleetkeeper config list');
    expect(() => findSettingKey('retention')).toThrow(/it is a group: use one of retention\.keepAllNewerThanS/);
  });

  it('unset returns a key to its default', () => {
    const s = set(set(DEFAULT_SETTINGS, 'retention.maxCount', '7'), 'heartbeatUrl', 'http://127.0.0.1:1/x');
    const back = mergeSettings(mergeSettings(s, unsetPatch('retention.maxCount')), unsetPatch('heartbeatUrl'));
    expect(back).toEqual(DEFAULT_SETTINGS);
  });
});
