import { describe, expect, it } from 'vitest';
import { DEFAULT_RESTORE_PROGRAMS, DEFAULT_SETTINGS, mergeSettings, settingsFromStore } from './settings-model.js';

describe('claudeEnv and restorePrograms settings', () => {
  it("default to no extra variables and tmux-resurrect's list", () => {
    expect(DEFAULT_SETTINGS.claudeEnv).toEqual([]);
    expect(DEFAULT_SETTINGS.restorePrograms).toEqual([...DEFAULT_RESTORE_PROGRAMS]);
    expect(DEFAULT_RESTORE_PROGRAMS.join(' ')).toBe('vi vim nvim emacs man less more tail top htop irssi weechat mutt');
  });

  it('an older settings file without them loads with the defaults', () => {
    const s = settingsFromStore({ intervalS: 30 });
    expect(s.intervalS).toBe(30);
    expect(s.claudeEnv).toEqual([]);
    expect(s.restorePrograms).toContain('vim');
  });

  it('accepts variable names and list entries, refusing bad ones with the value named', () => {
    expect(mergeSettings(DEFAULT_SETTINGS, { claudeEnv: ['MY_PROJECT', 'HTTPS_PROXY'] }).claudeEnv).toEqual([
      'MY_PROJECT',
      'HTTPS_PROXY',
    ]);
    expect(() => mergeSettings(DEFAULT_SETTINGS, { claudeEnv: ['A-B'] })).toThrow(/claudeEnv.*"A-B"/);
    expect(() => mergeSettings(DEFAULT_SETTINGS, { claudeEnv: 'X' })).toThrow(/claudeEnv/);
    expect(mergeSettings(DEFAULT_SETTINGS, { restorePrograms: ['vim', '~npm run dev'] }).restorePrograms).toEqual([
      'vim',
      '~npm run dev',
    ]);
    expect(() => mergeSettings(DEFAULT_SETTINGS, { restorePrograms: ['~'] })).toThrow(/restorePrograms/);
    expect(() => mergeSettings(DEFAULT_SETTINGS, { restorePrograms: ['vim\nrm'] })).toThrow(/restorePrograms/);
  });
});
