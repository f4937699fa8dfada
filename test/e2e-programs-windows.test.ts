import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { join } from 'node:path';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { runCli, json } from './helpers/cli.js';
import type { PlannedPane } from '../main/common/restore/plan.js';

// Issue 10, items 1 and 2, with real tmux and real Debian programs: vim, less, tail -f and top
// come back with their arguments; a program not on the restore list is not re-run (a canary
// counts its runs); arguments with spaces, quotes, $(), backticks, ';' and unicode are typed back
// exactly, and one with a control character is never typed; window names tmux chose stay
// automatic, names the user gave stay fixed.

let root: string;
let env: NodeJS.ProcessEnv;
let tmux: TmuxHarness;
const cli = (args: string[]) => runCli([...args, '--socket', tmux.socket], env);

/** The foreground process of a pane's terminal: argv from /proc. */
function foregroundArgv(panePid: number): string[] {
  const stat = readFileSync(`/proc/${panePid}/stat`, 'utf8');
  const tpgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[5]);
  return readFileSync(`/proc/${tpgid}/cmdline`, 'utf8').split('\0').slice(0, -1);
}

async function panes(): Promise<Map<string, { id: string; pid: number; window: string; auto: string }>> {
  const out = await tmux.run(
    'list-panes',
    '-a',
    '-F',
    '#{@fleetkeeper-role}\t#{pane_id}\t#{pane_pid}\t#{window_name}\t#{automatic-rename}',
  );
  const m = new Map<string, { id: string; pid: number; window: string; auto: string }>();
  for (const line of out.split('\n').filter(Boolean)) {
    const [role, id, pid, window, auto] = line.split('\t');
    m.set(role!, { id: id!, pid: Number(pid), window: window!, auto: auto! });
  }
  return m;
}

async function type(pane: string, text: string): Promise<void> {
  await tmux.run('send-keys', '-t', pane, '-l', text);
  await tmux.run('send-keys', '-t', pane, 'Enter');
}

const runsOf = (file: string): number =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;

const HOSTILE = ['a b', `q'uo"te`, '$(touch pwned)', '`touch pwned2`', ';', 'é 日本 🚀', '--', ''];

describe('programs on the restore list and window names, through a kill-server and a restore', () => {
  beforeAll(() => {
    root = mkdtempSync('/tmp/fk-progs-');
    const home = join(root, 'home');
    mkdirSync(home);
    mkdirSync(join(root, 'work'));
    writeFileSync(join(root, 'work', 'notes.md'), 'notes\n');
    writeFileSync(join(root, 'work', 'log.txt'), Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n'));
    writeFileSync(join(root, 'work', 'app.log'), 'started\n');
    // Records its arguments (one JSON line per run), then waits: proves exactly what was typed.
    writeFileSync(
      join(root, 'fk-argv'),
      `#!/usr/bin/env node\nrequire('fs').appendFileSync(${JSON.stringify(join(root, 'argv.jsonl'))}, JSON.stringify(process.argv.slice(2)) + '\\n');\nsetInterval(() => {}, 1e6);\n`,
    );
    chmodSync(join(root, 'fk-argv'), 0o755);
    env = { ...process.env, HOME: home, FLEETKEEPER_HOME: join(root, 'state') };
    delete env.TMUX;
    delete env.TMUX_PANE;
    tmux = new TmuxHarness(env);
  });

  afterAll(async () => {
    await tmux?.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('restores listed programs with their arguments, never an unlisted one, and names as tmux had them', async () => {
    const work = join(root, 'work');
    const argvBin = join(root, 'fk-argv');
    await tmux.run('new-session', '-d', '-s', 'progs', '-n', 'editor', '-x', '160', '-y', '40', '-c', work);
    await tmux.run('new-window', '-t', 'progs:', '-c', work); // automatic name
    await tmux.run('new-window', '-t', 'progs:', '-c', work); // automatic name
    await tmux.run('new-window', '-t', 'progs:', '-n', 'monitor', '-c', work);
    await tmux.run('new-window', '-t', 'progs:', '-c', work); // automatic, unlisted program
    await tmux.run('new-window', '-t', 'progs:', '-n', 'hostile', '-c', work);
    await tmux.run('new-window', '-t', 'progs:', '-n', 'control', '-c', work);
    const ids = (await tmux.run('list-panes', '-s', '-t', 'progs', '-F', '#{pane_id}')).split('\n').filter(Boolean);
    const roles = ['vim', 'less', 'tail', 'top', 'unlisted', 'hostile', 'control'];
    for (const [i, role] of roles.entries()) expect((await cli(['role', role, '--pane', ids[i]!])).code).toBe(0);
    const pane = Object.fromEntries(roles.map((r, i) => [r, ids[i]!]));
    expect(
      (await cli(['config', 'set', 'restorePrograms', JSON.stringify(['vim', 'less', 'tail', 'top', '~fk-argv'])]))
        .code,
    ).toBe(0);

    await type(pane.vim!, 'vim notes.md');
    await type(pane.less!, 'less log.txt');
    await type(pane.tail!, 'tail -f app.log');
    await type(pane.top!, 'top -d 5');
    await type(pane.unlisted!, `sh -c 'echo ran >> ${join(root, 'canary')}; exec sleep 1000'`);
    const quoted = HOSTILE.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    await type(pane.hostile!, `${argvBin} ${quoted}`);
    // A newline inside an argument (typed as $'…'): the program sees it; a restore must not type it.
    await type(pane.control!, `${argvBin} $'line1\\nline2'`);
    const want: Record<string, string[]> = {
      vim: ['vim', 'notes.md'],
      less: ['less', 'log.txt'],
      tail: ['tail', '-f', 'app.log'],
      top: ['top', '-d', '5'],
    };
    await waitFor(
      async () => {
        const live = await panes();
        return (
          Object.entries(want).every(
            ([r, argv]) => JSON.stringify(foregroundArgv(live.get(r)!.pid)) === JSON.stringify(argv),
          ) &&
          existsSync(join(root, 'canary')) &&
          runsOf(join(root, 'argv.jsonl')) === 2
        );
      },
      120_000,
      'every program running',
    );
    // tmux renames automatic windows on its own clock: wait until it has.
    await waitFor(async () => (await panes()).get('tail')?.window === 'tail', 30_000, 'automatic name "tail"');
    const before = await panes();
    expect(before.get('tail')?.auto).toBe('1');

    const saved = await cli(['save', '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    // An unlisted program's command line may hold a secret and is never run again: only its name is kept.
    const snapDir = join(root, 'state', 'snapshots');
    const snapFile = readdirSync(snapDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .at(-1)!;
    const onDisk = readFileSync(join(snapDir, snapFile), 'utf8');
    expect(onDisk).not.toContain('exec sleep');
    const stored = (
      JSON.parse(onDisk) as {
        sessions: Array<{ windows: Array<{ panes: Array<{ role: string; program?: unknown }> }> }>;
      }
    ).sessions.flatMap((s) => s.windows.flatMap((w) => w.panes));
    expect(stored.find((p) => p.role === 'unlisted')?.program).toEqual({ argv: ['sleep'], withheld: true });
    expect(stored.find((p) => p.role === 'tail')?.program).toEqual({ argv: ['tail', '-f', 'app.log'] });
    await tmux.kill();

    const dry = json<{
      plan: {
        sessions: Array<{
          windows: Array<{ name: string; automaticRename?: boolean; panes: PlannedPane[] }>;
        }>;
      };
    }>(await cli(['restore', '--dry-run', '--json']));
    const windows = dry.plan.sessions[0]!.windows;
    const planned = new Map(windows.flatMap((w) => w.panes).map((p) => [p.role, p]));
    expect(planned.get('vim')).toMatchObject({ action: 'program', command: 'vim notes.md' });
    expect(planned.get('top')).toMatchObject({ action: 'program', command: 'top -d 5' });
    expect(planned.get('unlisted')?.action).toBe('shell');
    expect(planned.get('unlisted')?.reason).toMatch(/"sleep" not restored \(not in restorePrograms when saved/);
    expect(planned.get('hostile')?.action).toBe('program');
    expect(planned.get('control')?.action).toBe('shell');
    expect(planned.get('control')?.reason).toMatch(/control character \(\\x0a\)/);
    expect(windows.map((w) => w.automaticRename)).toEqual([false, true, true, false, true, false, false]);
    const dryText = await cli(['restore', '--dry-run']);
    expect(dryText.stdout).toContain('"sleep" not restored (not in restorePrograms when saved');

    const restored = await cli(['restore', '--json', '--verify-timeout', '5']);
    expect(restored.code, restored.stderr + restored.stdout).toBe(0);
    await waitFor(
      async () => {
        const live = await panes();
        return Object.entries(want).every(
          ([r, argv]) => JSON.stringify(foregroundArgv(live.get(r)!.pid)) === JSON.stringify(argv),
        );
      },
      120_000,
      'every listed program back with its arguments',
    );
    await waitFor(() => runsOf(join(root, 'argv.jsonl')) === 3, 60_000, 'the hostile program re-run once');
    const runs = readFileSync(join(root, 'argv.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    // Run 1: hostile typed by the test; run 2: the control pane by the test; run 3: the restore.
    expect(runs[2]).toEqual(HOSTILE);
    expect(existsSync(join(work, 'pwned'))).toBe(false);
    expect(existsSync(join(work, 'pwned2'))).toBe(false);
    // The unlisted program was not run again; the control-character pane is a plain shell.
    expect(readFileSync(join(root, 'canary'), 'utf8')).toBe('ran\n');
    const after = await panes();
    expect(foregroundArgv(after.get('control')!.pid)[0]).toMatch(/bash|sh$/);

    // Fixed names stay fixed; automatic names are automatic again and follow the program.
    expect(after.get('vim')?.window).toBe('editor');
    expect(after.get('vim')?.auto).toBe('0');
    expect(after.get('top')?.window).toBe('monitor');
    expect(after.get('top')?.auto).toBe('0');
    for (const r of ['less', 'tail', 'unlisted']) expect(after.get(r)?.auto, r).toBe('1');
    await waitFor(
      async () => (await panes()).get('unlisted')?.window !== 'sleep',
      10_000,
      'the unlisted window renamed after its shell',
    );
    await waitFor(async () => (await panes()).get('tail')?.window === 'tail', 30_000, 'automatic name "tail" again');
  }, 600_000);
});
