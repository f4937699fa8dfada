import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { TmuxError } from '../../common/base/errors.js';
import type { FleetState, PaneSnapshot } from '../../common/base/types.js';
import { TmuxHarness, waitFor } from '../../../test/helpers/tmux-harness.js';
import { tempDir, withoutTmux } from '../../../test/helpers/fixtures.js';
import { ControlClient } from './control-client.js';
import {
  fleetQueryArgs,
  instanceStillUp,
  normalizeCwd,
  queryFleet,
  queryFleetVia,
  queryInstance,
  queryInstanceVia,
} from './fleet-query.js';
import { socketArgs } from './exec.js';

const env = withoutTmux();

const temp = tempDir('fleet-q');
const root = temp.dir;
const canary = join(root, 'canary');
let harness: TmuxHarness | null = null;
let client: ControlClient | null = null;

afterEach(async () => {
  await client?.dispose();
  client = null;
  await harness?.kill();
  harness = null;
});
afterAll(() => temp.dispose());

/** tmux's argv parser takes a trailing `;` as a command separator; `\;` is a literal one. */
const arg = (s: string) => (s.endsWith(';') ? `${s.slice(0, -1)}\\;` : s);

// A pane whose foreground process sits in `dir` (pane_current_path follows it).
const inDir = (dir: string) => ['sh', '-c', 'cd "$1" && exec sleep 600', 'sh', dir];

const HOSTILE = [
  'a b',
  `'"$(touch ${canary})\`;x`,
  'new\nline',
  'tab\there',
  'uni é 日本 🚀',
  'back\\slash \\n',
  'ends;',
];

function allPanes(f: FleetState): PaneSnapshot[] {
  return f.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes));
}

describe('queryFleet / queryFleetVia with real tmux', () => {
  it('returns null without a server and throws when tmux is missing', async () => {
    expect(await queryFleet({ socketName: `fk-fleet-none-${process.pid}` })).toBeNull();
    expect(await queryInstance({ socketName: `fk-fleet-none-${process.pid}` })).toBeNull();
    await expect(queryFleet({ socketName: 'x', bin: '/nonexistent/tmux' })).rejects.toMatchObject({
      reason: 'missing',
    });
    await expect(queryFleet({ socketName: 'x', bin: '/nonexistent/tmux' })).rejects.toBeInstanceOf(TmuxError);
  });

  it('reads hostile session/window names, titles, cwds and roles back exactly, via both routes', async () => {
    const h = (harness = new TmuxHarness(env));
    const dirs = HOSTILE.map((name, i) => {
      const d = join(root, `d${i} ${name.replace(/\//g, '_')}\r\u0001\u001b`);
      mkdirSync(d);
      return d;
    });
    await h.run('-f', '/dev/null', 'new-session', '-d', '-s', 'plain', '-x', '120', '-y', '40', ...inDir(dirs[0]!));
    for (const [i, name] of HOSTILE.entries()) {
      await h.run('new-session', '-d', '-s', arg(`s ${name}`), ...inDir(dirs[i]!));
      await h.run('new-window', '-d', '-t', 'plain', '-n', arg(`w ${name}`), ...inDir(dirs[i]!));
    }
    const paneIds = (await h.run('list-panes', '-a', '-F', '#{pane_id}')).trim().split('\n');
    const titles = new Map<string, string>();
    const roles = new Map<string, string>();
    for (const [i, id] of paneIds.entries()) {
      const name = HOSTILE[i % HOSTILE.length]!;
      // tmux refuses titles with control characters; everything else must survive.
      const title = `t ${name.replace(/[\n\t]/g, ' ')}`;
      titles.set(id, title);
      roles.set(id, `r ${name}`);
      await h.run('select-pane', '-t', id, '-T', arg(title));
      await h.run('set-option', '-p', '-t', id, '@fleetkeeper-role', arg(`r ${name}`));
    }
    await waitFor(
      async () =>
        (await h.run('list-panes', '-a', '-F', '#{pane_current_command}')).split('\n').filter((c) => c === 'sleep')
          .length === paneIds.length,
      10_000,
      'sleep in every pane',
    );

    const viaExec = await queryFleet({ socketName: h.socket });
    expect(viaExec).not.toBeNull();
    const fleet = viaExec!;
    client = await ControlClient.connect({ target: { socketName: h.socket } });
    const viaControl = await queryFleetVia(client);
    expect(viaControl).toEqual(fleet);

    // Session names: tmux itself stores them vis-escaped (a newline becomes `\n`); what we read
    // must be exactly what tmux holds, which `#{session_name}` of each session id prints plainly.
    for (const s of fleet.sessions) {
      const held = await h.run('display-message', '-p', '-t', s.id, '#{session_name}');
      expect(`${s.name}\n`).toBe(held);
    }
    expect(fleet.sessions.map((s) => s.name).sort()).toEqual(
      [
        'plain',
        ...HOSTILE.map((n) => `s ${n}`.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t')),
      ].sort(),
    );
    // Window names from `new-window -n` and cwds are stored raw: exact, control characters included.
    const plain = fleet.sessions.find((s) => s.name === 'plain')!;
    expect(plain.windows.map((w) => w.name).slice(1)).toEqual(HOSTILE.map((n) => `w ${n}`));
    expect(plain.windows.map((w) => w.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(plain.windows.slice(1).map((w) => w.panes[0]!.cwd)).toEqual(dirs);
    for (const p of allPanes(fleet)) {
      expect(p.title).toBe(titles.get(p.id));
      expect(p.role).toBe(roles.get(p.id));
      expect(p.currentCommand).toBe('sleep');
      expect(p.binding).toBeNull();
    }
    expect(plain.windows[0]).toMatchObject({
      layout: expect.stringMatching(/^[0-9a-f]{4},120x40,0,0,\d+$/),
      active: true,
      zoomed: false,
    });
    expect(existsSync(canary)).toBe(false);

    expect(fleet.instance.pid).toBe(await h.serverPid());
    expect(fleet.instance.socketPath).toMatch(new RegExp(`/${h.socket}$`));
    expect(await queryInstance({ socketName: h.socket })).toEqual(fleet.instance);
    expect(await queryInstanceVia(client)).toEqual(fleet.instance);
  });

  it('reports zoom, active pane and window, and the path of a deleted cwd', async () => {
    const h = (harness = new TmuxHarness(env));
    const gone = join(root, 'about to go');
    const kept = join(root, 'really named (deleted)');
    mkdirSync(gone);
    mkdirSync(kept);
    await h.run('-f', '/dev/null', 'new-session', '-d', '-s', 'z', '-x', '120', '-y', '40', ...inDir(gone));
    await h.run('split-window', '-d', '-t', 'z:0', ...inDir(kept));
    await h.run('new-window', '-t', 'z', '-n', 'second');
    await h.run('resize-pane', '-Z', '-t', 'z:0.1');
    await waitFor(
      async () => (await h.run('list-panes', '-t', 'z:0', '-F', '#{pane_current_command}')) === 'sleep\nsleep\n',
      10_000,
      'sleep in both panes',
    );
    rmSync(gone, { recursive: true });
    expect((await h.run('display-message', '-p', '-t', 'z:0.0', '#{pane_current_path}')).trim()).toBe(
      `${gone} (deleted)`,
    );

    const fleet = (await queryFleet({ socketName: h.socket }))!;
    const [w0, w1] = fleet.sessions[0]!.windows;
    expect(w0).toMatchObject({ index: 0, zoomed: true, active: false });
    expect(w1).toMatchObject({ index: 1, name: 'second', zoomed: false, active: true });
    expect(w0!.panes.map((p) => [p.index, p.active, p.cwd])).toEqual([
      [0, false, gone],
      [1, true, kept],
    ]);
    expect(normalizeCwd(`${kept}`)).toBe(kept);
  });

  it('instanceStillUp: the same server from /proc without a tmux call; a dead or other one is not', async () => {
    const h = (harness = new TmuxHarness(env));
    await h.run('new-session', '-d', '-s', 'up');
    const inst = (await queryInstance({ socketName: h.socket }))!;
    // A socket with no server behind it: only /proc can answer (Linux), so no tmux call was made.
    const nowhere = { socketName: `fk-fleet-none-${process.pid}` };
    if (process.platform === 'linux') expect(await instanceStillUp(nowhere, inst)).toBe(inst);
    // Started an hour apart: not this server, whatever the pid says; tmux is asked.
    const older = { ...inst, startTime: inst.startTime - 3600 };
    expect(await instanceStillUp({ socketName: h.socket }, older)).toEqual(inst);
    await h.kill();
    harness = null;
    expect(await instanceStillUp({ socketName: h.socket }, inst)).toBeNull();
  });

  it('runs as ONE tmux process with the documented argv', () => {
    const argv = fleetQueryArgs();
    expect(argv.filter((a) => a === ';')).toHaveLength(1);
    expect(argv.slice(0, 4)).toEqual(['-u', 'display-message', '-p', argv[3]]);
    expect(socketArgs({ socketName: 's' })).toEqual(['-L', 's']);
  });
});
