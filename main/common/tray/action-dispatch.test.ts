import { describe, it, expect } from 'vitest';
import { actionId, parseAction, type ActionIntent } from './action-dispatch.js';
import { InvalidInputError } from '../base/errors.js';

describe('parseAction', () => {
  it.each<[string, ActionIntent]>([
    ['save-now', { kind: 'save-now' }],
    ['open-dashboard', { kind: 'open-dashboard' }],
    ['install-hooks', { kind: 'install-hooks' }],
    ['toggle-autostart', { kind: 'toggle-autostart' }],
    ['quit', { kind: 'quit' }],
    ['restore-preview:20250101T120000000Z-ab12', { kind: 'restore-preview', snapshotId: '20250101T120000000Z-ab12' }],
  ])('%s → intent, and back', (id, intent) => {
    expect(parseAction(id)).toEqual(intent);
    expect(actionId(intent)).toBe(id);
  });

  it.each([
    ['', /unknown action id ""/],
    ['Quit', /unknown action id "Quit"/],
    ['save-now ', /unknown action id "save-now "/],
    ['restore-preview:', /invalid snapshot id ""/],
    ['restore-preview:../../etc/passwd', /invalid snapshot id "..\/..\/etc\/passwd"/],
    ['restore-preview:a/b', /invalid snapshot id "a\/b"/],
    ['restore-preview:.hidden', /invalid snapshot id ".hidden"/],
    ['restore-preview:20250101T120000.000Z-ab12', /invalid snapshot id/],
    ['restore-preview:20250101T120000000Z-ab12\n', /invalid snapshot id/],
  ])('refuses %j', (id, message) => {
    expect(() => parseAction(id)).toThrow(InvalidInputError);
    expect(() => parseAction(id)).toThrow(message);
  });

  it('refuses non-strings, naming the value', () => {
    expect(() => parseAction(42)).toThrow('action id must be a string, got 42');
    expect(() => parseAction(undefined)).toThrow(InvalidInputError);
  });

  it('refuses to build an id for a bad snapshot id', () => {
    expect(() => actionId({ kind: 'restore-preview', snapshotId: 'a b' })).toThrow(/invalid snapshot id "a b"/);
  });
});
