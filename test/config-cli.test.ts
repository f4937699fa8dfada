import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { json, runCli } from './helpers/cli.js';

// `fleetkeeper config` through the real CLI and the real settings.json: every key of the
// model, the model's own one-line errors (exit 2, nothing written), unset back to default.
describe('fleetkeeper config', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  const file = () => join(root, 'state', 'settings.json');

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'fk-config-'));
    env = { ...process.env, FLEETKEEPER_HOME: join(root, 'state'), HOME: root };
    delete env.TMUX;
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('lists every setting with dotted keys and marks defaults', async () => {
    const r = await runCli(['config', 'list'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^intervalS\s+60 {2}\(default\)$/m);
    expect(r.stdout).toMatch(/^retention\.maxCount\s+500 {2}\(default\)$/m);
    expect(r.stdout).toMatch(/^alertCommand\s+null {2}\(default\)$/m);
    const j = json<{ keys: { key: string }[]; settings: { intervalS: number } }>(
      await runCli(['config', 'list', '--json'], env),
    );
    expect(j.settings.intervalS).toBe(60);
    expect(j.keys.map((k) => k.key)).toContain('heartbeatUrl');
  });

  it('sets quietly, gets back, unsets to the default', async () => {
    const s = await runCli(['config', 'set', 'retention.maxCount', '42'], env);
    expect(s).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(JSON.parse(readFileSync(file(), 'utf8')).retention.maxCount).toBe(42);
    expect((await runCli(['config', 'get', 'retention.maxCount'], env)).stdout).toBe('42\n');
    const url = 'https://hc-ping.com/0d1c2b3a';
    expect((await runCli(['config', 'set', 'heartbeatUrl', url], env)).code).toBe(0);
    expect(json(await runCli(['config', 'get', 'heartbeatUrl', '--json'], env))).toMatchObject({
      key: 'heartbeatUrl',
      value: url,
      default: null,
      isDefault: false,
    });
    expect((await runCli(['config', 'unset', 'retention.maxCount'], env)).code).toBe(0);
    expect((await runCli(['config', 'get', 'retention.maxCount'], env)).stdout).toBe('500\n');
    expect((await runCli(['config', 'set', 'heartbeatUrl', 'null'], env)).code).toBe(0);
    expect((await runCli(['config', 'get', 'heartbeatUrl'], env)).stdout).toBe('null\n');
  });

  it.each([
    [['set', 'intervalS', 'often'], /intervalS must be a number from 1 to 86400, got "often"/],
    [['set', 'notifications', 'maybe'], /notifications must be true or false, got "maybe"/],
    [['set', 'heartbeatUrl', 'file:///etc/passwd'], /heartbeatUrl must be an http:\/\/ or https:\/\/ URL or null/],
    [['set', 'staleAfterS', '5'], /staleAfterS \(5\) must be greater than intervalS \(60\)/],
    [['set', 'colour', 'red'], /unknown setting "colour"/],
    [['get', 'retention'], /"retention"; it is a group: use one of retention\./],
  ])('refuses %j with one line naming the value, exit 2, nothing written', async (args, msg) => {
    const before = (() => {
      try {
        return readFileSync(file(), 'utf8');
      } catch {
        return null;
      }
    })();
    const r = await runCli(['config', ...args], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')[0]).toMatch(msg);
    const j = await runCli(['config', ...args, '--json'], env);
    expect(json(j)).toMatchObject({ ok: false, code: 'invalid-input', error: expect.stringMatching(msg) });
    const after = (() => {
      try {
        return readFileSync(file(), 'utf8');
      } catch {
        return null;
      }
    })();
    expect(after).toBe(before);
  });
});
