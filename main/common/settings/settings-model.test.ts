import { describe, expect, it } from 'vitest';
import { checkStaleAfterInterval, DEFAULT_SETTINGS, mergeSettings, settingsFromStore } from './settings-model.js';

describe('settings', () => {
  it('merges a valid patch and keeps the rest', () => {
    const s = mergeSettings(DEFAULT_SETTINGS, { intervalS: 30, retention: { maxCount: 10 } });
    expect(s.intervalS).toBe(30);
    expect(s.retention.maxCount).toBe(10);
    expect(s.retention.hourlyForS).toBe(DEFAULT_SETTINGS.retention.hourlyForS);
    expect(DEFAULT_SETTINGS.intervalS).toBe(60);
  });

  it.each([
    [{ intervalS: 0 }, /intervalS must be a number from 1/],
    [{ intervalS: '60' }, /got "60"/],
    [{ notifications: 'yes' }, /notifications must be true or false/],
    [{ colour: 'red' }, /unknown setting "colour"/],
    [{ retention: { forever: 1 } }, /unknown retention setting "forever"/],
    [{ staleAfterS: 30 }, /staleAfterS \(30\) must be greater than intervalS \(60\)/],
    [null, /settings must be an object/],
  ])('refuses %j with a message naming the value', (patch, msg) => {
    expect(() => mergeSettings(DEFAULT_SETTINGS, patch)).toThrow(msg);
  });

  it('falls back per field when the stored file holds garbage', () => {
    const s = settingsFromStore({ intervalS: -5, renotifyMinutes: 5, junk: true });
    expect(s.intervalS).toBe(60);
    expect(s.renotifyMinutes).toBe(5);
    expect(settingsFromStore('nope')).toEqual(DEFAULT_SETTINGS);
  });
});

describe('issue 10 settings', () => {
  it('defaults: contents off, restoreOnStart ask, pacing from the cores', () => {
    expect(DEFAULT_SETTINGS.capturePaneContents).toBe(false);
    expect(DEFAULT_SETTINGS.paneContentsLines).toBeGreaterThan(0);
    expect(DEFAULT_SETTINGS.restoreOnStart).toBe('ask');
    expect(DEFAULT_SETTINGS.launch.maxOutstanding).toBe(0);
  });
  it('validates each new field and names the bad value', () => {
    const s = mergeSettings(DEFAULT_SETTINGS, {
      capturePaneContents: true,
      paneContentsLines: 500,
      restoreOnStart: 'auto',
      launch: { maxOutstanding: 4 },
    });
    expect(s).toMatchObject({ capturePaneContents: true, paneContentsLines: 500, restoreOnStart: 'auto' });
    expect(s.launch).toEqual({ ...DEFAULT_SETTINGS.launch, maxOutstanding: 4 });
    expect(() => mergeSettings(DEFAULT_SETTINGS, { restoreOnStart: 'always' })).toThrow(/"always"/);
    expect(() => mergeSettings(DEFAULT_SETTINGS, { capturePaneContents: 'yes' })).toThrow(/"yes"/);
    expect(() => mergeSettings(DEFAULT_SETTINGS, { launch: { fast: 1 } })).toThrow(/"fast"/);
    expect(() => mergeSettings(DEFAULT_SETTINGS, { launch: { capS: 0 } })).toThrow(/capS/);
  });
  it('an older settings file (without them) loads with the defaults', () => {
    expect(settingsFromStore({ intervalS: 30 })).toEqual({ ...DEFAULT_SETTINGS, intervalS: 30 });
  });
});

describe('checkStaleAfterInterval', () => {
  it('refuses stale-after at or below the interval, naming the values as the caller knows them', () => {
    expect(() => checkStaleAfterInterval(60, 61)).not.toThrow();
    expect(() => checkStaleAfterInterval(60, 60)).toThrow(/staleAfterS \(60\) must be greater than intervalS \(60\)/);
    expect(() => checkStaleAfterInterval(90, 30, { interval: '--interval', staleAfter: '--stale-after' })).toThrow(
      /--stale-after \(30\) must be greater than --interval \(90\)/,
    );
  });
});
