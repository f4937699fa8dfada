import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { CorruptFileError } from '../../common/base/errors.js';
import { JsonFileStore } from './json-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fk-json-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('JsonFileStore', () => {
  it('round-trips, writes 0600, leaves no temp file, and reads as an empty object when missing', () => {
    const s = new JsonFileStore(join(dir, 'settings.json'));
    expect(s.store).toEqual({});
    s.store = { intervalS: 30, nested: { a: [1, 'two'] } };
    expect(new JsonFileStore(s.path).store).toEqual({ intervalS: 30, nested: { a: [1, 'two'] } });
    expect(statSync(s.path).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('shares its file format with conf / electron-store both ways', () => {
    const conf = new Conf<Record<string, unknown>>({ cwd: dir, configName: 'registry' });
    conf.store = { version: 1, roles: { api: { x: 1 } } };
    const ours = new JsonFileStore(join(dir, 'registry.json'));
    expect(ours.store).toEqual({ version: 1, roles: { api: { x: 1 } } });
    ours.store = { version: 1, roles: {} };
    expect(new Conf<Record<string, unknown>>({ cwd: dir, configName: 'registry' }).store).toEqual({
      version: 1,
      roles: {},
    });
  });

  it('refuses a damaged file with an error naming it, and does not overwrite it on read', () => {
    const path = join(dir, 'registry.json');
    writeFileSync(path, '{"version": 1, "roles": {');
    expect(() => new JsonFileStore(path).store).toThrow(CorruptFileError);
    expect(() => new JsonFileStore(path).store).toThrow(/registry\.json: not valid JSON/);
    expect(readFileSync(path, 'utf8')).toBe('{"version": 1, "roles": {');
    writeFileSync(path, '[1,2]');
    expect(() => new JsonFileStore(path).store).toThrow(/not a JSON object/);
  });

  it('a failed write leaves the previous file intact', () => {
    const s = new JsonFileStore(join(dir, 'nope', 'settings.json'));
    expect(() => {
      s.store = { a: 1 };
    }).toThrow(/could not write .*settings\.json/);
  });
});
