// Issue 12, finding 4: what a snapshot no longer holds. Shells put the running command line in the
// pane title (`mysql -u root -p…`), and restore never used it: a real save on a real tmux server
// stores no title; a version-1 snapshot written before (test/fixtures/snapshot-v1.json, with
// titles) still validates and loads.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TmuxHarness } from './helpers/tmux-harness.js';
import { json, runCli } from './helpers/cli.js';
import { ensureStateDir } from '../main/node/base/state-dir.js';
import { readSnapshot } from '../main/node/snapshot/store.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/snapshot-v1.json', import.meta.url));

describe('snapshots hold no pane titles (issue 12, finding 4)', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let tmux: TmuxHarness;

  beforeAll(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'fk-privacy-')));
    env = {
      ...process.env,
      HOME: root,
      SHELL: '/bin/sh',
      FLEETKEEPER_HOME: join(root, 'state'),
      CLAUDE_CONFIG_DIR: join(root, 'claude'),
    };
    delete env.TMUX;
    delete env.TMUX_PANE;
    tmux = new TmuxHarness(env);
    await tmux.run('new-session', '-d', '-s', 'db', '-c', root);
    await tmux.run('select-pane', '-t', 'db', '-T', 'mysql -u root -pHunter2-secret');
  });

  afterAll(async () => {
    await tmux.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('a real save stores no title, so no command line from one', async () => {
    expect((await tmux.run('display', '-p', '-t', 'db', '#{pane_title}')).trim()).toBe(
      'mysql -u root -pHunter2-secret',
    );
    const r = await runCli(['save', '--json', '--socket', tmux.socket], env);
    expect(r.code, r.stderr).toBe(0);
    const dir = join(root, 'state', 'snapshots');
    const file = readdirSync(dir).find((n) => n.endsWith('.json'))!;
    const text = readFileSync(join(dir, file), 'utf8');
    expect(text).not.toContain('Hunter2');
    expect(text).not.toContain('"title"');
    const snap = await readSnapshot(ensureStateDir(join(root, 'state')), json<{ id: string }>(r).id);
    expect(snap.sessions[0]!.windows[0]!.panes[0]).not.toHaveProperty('title');
  });

  it('an older snapshot that has titles still validates and loads', async () => {
    const paths = ensureStateDir(join(root, 'old-state'));
    const id = (JSON.parse(readFileSync(FIXTURE, 'utf8')) as { id: string }).id;
    copyFileSync(FIXTURE, join(paths.snapshots, `${id}.json`));
    const snap = await readSnapshot(paths, id);
    expect(snap.version).toBe(1);
    expect(snap.sessions[0]!.windows[0]!.panes[0]).toHaveProperty('title');
  });
});
