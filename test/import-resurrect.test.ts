import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TmuxHarness } from './helpers/tmux-harness.js';
import { json, runCli } from './helpers/cli.js';

// `fleetkeeper import-resurrect` end to end: resurrect's save files (one written by
// tmux-resurrect's own save.sh, one hand-made with TABs and odd names) become a snapshot on
// disk, and a real restore into an isolated tmux server brings back the sessions, windows,
// names, layouts, directories, the active window and pane and the zoom.

let root: string;
let env: NodeJS.ProcessEnv;
let tmux: TmuxHarness;
const fixtures = join(import.meta.dirname, 'fixtures', 'resurrect');
const cli = (...args: string[]) => runCli([...args, '--socket', tmux.socket], env);
const snapshotCount = () => {
  try {
    return readdirSync(join(root, 'state', 'snapshots')).filter((f) => f.endsWith('.json')).length;
  } catch {
    return 0;
  }
};

/** A fixture with its /FKROOT directories made real under the test root. */
function placed(name: string, dir: string, file: string): string {
  mkdirSync(dir, { recursive: true });
  const text = readFileSync(join(fixtures, name), 'utf8').replaceAll('/FKROOT', join(root, 'fs'));
  writeFileSync(join(dir, file), text);
  return join(dir, file);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'fk-resurrect-'));
  for (const d of ['proj', 'dir with space', 'tab\tdir']) mkdirSync(join(root, 'fs', d), { recursive: true });
  mkdirSync(join(root, 'home'));
  env = {
    ...process.env,
    FLEETKEEPER_HOME: join(root, 'state'),
    CLAUDE_CONFIG_DIR: join(root, 'claude'),
    HOME: join(root, 'home'),
    SHELL: '/bin/sh',
  };
  for (const k of ['TMUX', 'TMUX_PANE', 'FLEETKEEPER_TMUX_SOCKET', 'XDG_DATA_HOME']) delete env[k];
  tmux = new TmuxHarness(env);
}, 60_000);

afterAll(async () => {
  await tmux.kill();
  rmSync(root, { recursive: true, force: true });
});

describe('fleetkeeper import-resurrect', () => {
  it('without a save: exit 2 naming both places looked in', async () => {
    const r = await cli('import-resurrect', '--json');
    expect(r.code).toBe(2);
    expect(json<{ error: string }>(r).error).toMatch(
      /\.tmux\/resurrect\/last and .*\.local\/share\/tmux\/resurrect\/last/,
    );
  });

  it('a malformed save is refused whole, every bad line numbered, nothing written', async () => {
    const before = snapshotCount();
    const r = await cli('import-resurrect', placed('malformed.save', join(root, 'bad'), 'save.txt'), '--json');
    expect(r.code).toBe(2);
    const err = json<{ ok: boolean; error: string }>(r).error;
    for (const n of [2, 3, 5, 6, 7]) expect(err).toContain(`line ${n}:`);
    expect(err).toContain('nothing was written');
    expect(snapshotCount()).toBe(before);
  });

  it('a symlink leading out of its directory and a FIFO are refused, without hanging', async () => {
    const dir = join(root, 'unsafe');
    mkdirSync(dir);
    symlinkSync('/etc/passwd', join(dir, 'last'));
    expect((await cli('import-resurrect', join(dir, 'last'))).code).toBe(2);
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    const fifo = await cli('import-resurrect', join(dir, 'fifo'));
    expect(fifo.code).toBe(2);
    expect(fifo.stderr).toMatch(/FIFO/);
  });

  it("resurrect's own save (its `last` link in ~/.tmux/resurrect), then a real restore of the import", async () => {
    const dir = join(root, 'home', '.tmux', 'resurrect');
    placed('tmux-resurrect-cff343c.save', dir, 'tmux_resurrect_20261130T015416.txt');
    symlinkSync('tmux_resurrect_20261130T015416.txt', join(dir, 'last'));
    const r = await cli('import-resurrect', '--json');
    expect(r.code).toBe(0);
    const doc = json<{ ok: boolean; id: string; file: string; sessions: number; panes: number }>(r);
    expect(doc).toMatchObject({
      ok: true,
      sessions: 2,
      panes: 6,
      file: join(dir, 'tmux_resurrect_20261130T015416.txt'),
    });
    const list = json<{ valid: Array<{ id: string; trigger: string }> }>(await cli('snapshots', '--json'));
    expect(list.valid.find((s) => s.id === doc.id)?.trigger).toBe('import');
    expect((await cli('snapshots')).stdout).toMatch(
      new RegExp(`${doc.id} .* import .*imported: .*tmux_resurrect_20261130T015416\\.txt`),
    );

    const plan = await cli('restore', doc.id, '--dry-run');
    expect(plan.stdout).toMatch(/note: imported from tmux-resurrect .* never knew the Claude conversations/);
    const restored = await cli('restore', doc.id, '--verify-timeout', '5');
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    const panes = (
      await tmux.run(
        'list-panes',
        '-a',
        '-F',
        '#{session_name}|#{window_index}|#{window_name}|#{window_active}|#{window_zoomed_flag}|#{pane_index}|#{pane_active}|#{pane_current_path}',
      )
    )
      .trim()
      .split('\n')
      .sort();
    const fs = join(root, 'fs');
    expect(panes).toEqual(
      [
        `odd name|0|w$;x|1|0|0|1|${fs}`,
        `work|0|editor|0|0|0|0|${fs}/proj`,
        `work|0|editor|0|0|1|1|${fs}/dir with space`,
        `work|1|tabbed\tname|1|1|0|0|${fs}/tab\tdir`,
        `work|1|tabbed\tname|1|1|1|0|${fs}`,
        `work|1|tabbed\tname|1|1|2|1|${fs}/proj`,
      ].sort(),
    );
    const layouts = (await tmux.run('list-windows', '-t', 'work', '-F', '#{window_layout}')).trim().split('\n');
    expect(layouts).toEqual([
      // The same geometry; the pane ids in a layout are the new server's.
      expect.stringMatching(/^\w{4},120x40,0,0\{60x40,0,0,\d+,59x40,61,0,\d+\}$/),
      expect.stringMatching(/^\w{4},120x40,0,0\[120x20,0,0,\d+,120x19,0,21\{60x19,0,21,\d+,59x19,61,21,\d+\}\]$/),
    ]);
  }, 120_000);

  it('the hand-made save with TABs and odd names, from $XDG_DATA_HOME, restored next to the first', async () => {
    const xdg = join(root, 'xdg');
    const dir = join(xdg, 'tmux', 'resurrect');
    placed('odd-names.save', dir, 'tmux_resurrect_1.txt');
    symlinkSync('tmux_resurrect_1.txt', join(dir, 'last'));
    rmSync(join(root, 'home', '.tmux'), { recursive: true });
    const r = await runCli(['import-resurrect', '--json', '--socket', tmux.socket], { ...env, XDG_DATA_HOME: xdg });
    expect(r.code, r.stderr).toBe(0);
    const id = json<{ id: string }>(r).id;
    // "main" is new; the restore of the first import left "work" and "odd name" alone.
    const restored = await cli('restore', id, '--verify-timeout', '5');
    expect(restored.code, restored.stdout + restored.stderr).toBe(0);
    const windows = (
      await tmux.run(
        'list-windows',
        '-a',
        '-F',
        '#{session_name}|#{window_index}|#{window_name}|#{window_active}|#{window_zoomed_flag}',
      )
    )
      .trim()
      .split('\n');
    expect(windows).toEqual(
      expect.arrayContaining([
        'main|0|editor|0|0',
        'main|1|tab\there|1|1',
        'we\\tird|0|w:1|1|0',
        `we\\tird|1|back\\slash 'q' "dq" $x;|0|0`,
      ]),
    );
    const cwd = (await tmux.run('display', '-p', '-t', 'main:1.0', '#{pane_current_path}')).trim();
    expect(cwd).toBe(join(root, 'fs', 'tab\tdir'));
  }, 120_000);
});
