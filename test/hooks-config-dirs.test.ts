import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { runCli, json } from './helpers/cli.js';

// Hooks in every Claude config dir in use (issue 9): --config-dir (repeatable), --all (every
// config dir a Claude of the fleet runs under, and the default), status naming the uncovered.
const FAKE = fileURLToPath(new URL('./helpers/fake-claude-bin/claude', import.meta.url));

let root: string;
let env: NodeJS.ProcessEnv;
let tmux: TmuxHarness;
const cli = (args: string[]) => runCli([...args, '--socket', tmux.socket], env);
const hooked = (dir: string): boolean =>
  existsSync(join(dir, 'settings.json')) &&
  readFileSync(join(dir, 'settings.json'), 'utf8').includes('hook session-start');

describe('hooks install --config-dir / --all', () => {
  beforeAll(() => {
    root = mkdtempSync('/tmp/fk-hookdirs-');
    for (const d of ['home', 'default', 'a', 'b', 'work']) mkdirSync(join(root, d));
    env = {
      ...process.env,
      HOME: join(root, 'home'),
      FLEETKEEPER_HOME: join(root, 'state'),
      CLAUDE_CONFIG_DIR: join(root, 'default'),
    };
    delete env.TMUX;
    delete env.TMUX_PANE;
    tmux = new TmuxHarness(env);
  });
  afterAll(async () => {
    await tmux?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('installs in each dir named, idempotently, and refuses --config-dir with --all', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const first = await cli(['hooks', 'install', '--config-dir', a, '--config-dir', b, '--json']);
    expect(first.code, first.stderr).toBe(0);
    const r = json<{ configDirs: Array<{ configDir: string; changed: boolean }> }>(first);
    expect(r.configDirs.map((d) => [d.configDir, d.changed])).toEqual([
      [a, true],
      [b, true],
    ]);
    expect([hooked(a), hooked(b), hooked(join(root, 'default'))]).toEqual([true, true, false]);
    const again = json<{ configDirs: Array<{ changed: boolean }> }>(
      await cli(['hooks', 'install', '--config-dir', a, '--config-dir', b, '--json']),
    );
    expect(again.configDirs.map((d) => d.changed)).toEqual([false, false]);
    const both = await cli(['hooks', 'install', '--config-dir', a, '--all']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--config-dir and --all/);
  });

  it('status names a config dir in use without hooks; --all covers it and the default', async () => {
    const work = join(root, 'work');
    await tmux.run('new-session', '-d', '-s', 's', '-x', '120', '-y', '30', '-c', root);
    await tmux.run('send-keys', '-t', 's', '-l', `CLAUDE_CONFIG_DIR=${work} ${FAKE}`);
    await tmux.run('send-keys', '-t', 's', 'Enter');
    await waitFor(
      () => existsSync(join(work, 'sessions')) && readdirSync(join(work, 'sessions')).length > 0,
      30_000,
      'the stand-in',
    );
    const st = await cli(['hooks', 'status', '--json']);
    expect(st.code).toBe(1);
    expect(json<{ uncovered: string[] }>(st).uncovered.sort()).toEqual([join(root, 'default'), work].sort());
    const text = await cli(['hooks', 'status']);
    expect(text.stdout).toContain(`[in use by the fleet]`);
    expect(text.stdout).toContain(`not covered: `);

    const all = await cli(['hooks', 'install', '--all', '--json']);
    expect(all.code, all.stderr).toBe(0);
    expect(
      json<{ configDirs: Array<{ configDir: string }> }>(all)
        .configDirs.map((d) => d.configDir)
        .sort(),
    ).toEqual([join(root, 'default'), work].sort());
    expect([hooked(work), hooked(join(root, 'default'))]).toEqual([true, true]);
    const ok = await cli(['hooks', 'status', '--json']);
    expect(ok.code, ok.stdout).toBe(0);
    expect(json<{ uncovered: string[] }>(ok).uncovered).toEqual([]);
  });
});
