// Group 11, hostile names: quotes, $(), backticks, ;, newlines, unicode, tmux #() / #{} / #[]
// formats, trailing ; and leading - in session names, window names, cwds, roles and hook
// payloads, through the real CLI (save, restore, role, hook) on isolated tmux servers. Stored
// exactly, restored exactly (as tmux held them) or refused with a clear error, and canary
// files prove nothing was ever executed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FleetState } from '../../main/common/base/types.js';
import { formatLiteral, tmuxArg } from '../../main/common/restore/commands.js';
import { queryFleet } from '../../main/node/tmux/fleet-query.js';
import { getRole } from '../../main/node/tmux/roles.js';
import { isValidRole } from '../../main/common/base/names.js';
import { readSnapshot } from '../../main/node/snapshot/store.js';
import { readSpool } from '../../main/node/journal/spool.js';
import { ensureBuilt, figures, rng, scaled, seedFromEnv, tempState, type TempState } from './helpers/harness.js';
import { TmuxHarness, cliEnv } from './helpers/h10-support.js';
import { json, runCli } from '../helpers/cli.js';

const seed = seedFromEnv();
const rand = rng(seed);

function hostile(canary: string): string[] {
  const c = canary;
  return [
    `$(touch ${c}-dollar)`,
    `\`touch ${c}-tick\``,
    `#(touch ${c}-hash)`,
    `x#(touch ${c}-hash2);`,
    `a'b"c`,
    `x; touch ${c}-semi;`,
    'trailing;',
    '-leading',
    '--help',
    `new\nline $(touch ${c}-nl)`,
    'tab\there',
    'ünïcødé ✓ 🚀 中文',
    '#{pane_id} #{session_name}',
    '#[fg=red]red',
    'back\\slash\\',
    '$HOME ${PATH} %1 ~',
    "'; touch CANARY; echo '",
    '&& || | > < * ? [ ]',
  ];
}

const POOL = [
  '$',
  '(',
  ')',
  '`',
  ';',
  '"',
  "'",
  '\\',
  '\n',
  '\t',
  '#',
  '{',
  '}',
  '[',
  ']',
  '-',
  ' ',
  'é',
  '🚀',
  '|',
  '&',
  '<',
  '>',
  '*',
  '~',
  'a',
  'z',
  '0',
];

function randomName(canary: string): string {
  let s = rand() < 0.5 ? `$(touch ${canary}-rnd)` : `#(touch ${canary}-rnd)`;
  const n = 1 + Math.floor(rand() * 12);
  for (let i = 0; i < n; i++)
    s = rand() < 0.5 ? s + POOL[Math.floor(rand() * POOL.length)]! : POOL[Math.floor(rand() * POOL.length)]! + s;
  return s;
}

/** Directory names can hold anything but '/' and NUL. */
function asDirName(s: string): string {
  return s.replace(/\//g, '∕');
}

interface Shape {
  session: string;
  windows: Array<{ name: string; cwd: string; role: string }>;
}

function shape(f: FleetState): Shape[] {
  return f.sessions
    .map((s) => ({
      session: s.name,
      windows: s.windows.map((w) => ({ name: w.name, cwd: w.panes[0]!.cwd, role: w.panes[0]!.role })),
    }))
    .sort((a, b) => (a.session < b.session ? -1 : a.session > b.session ? 1 : 0));
}

describe('11 hostile names', () => {
  let st: TempState;
  let env: NodeJS.ProcessEnv;
  let tmux: TmuxHarness;
  let canary: string;
  const canaries = () => readdirSync(st.dir).filter((n) => n.startsWith('CANARY'));

  beforeAll(() => {
    ensureBuilt();
    st = tempState('h10-names');
    env = cliEnv(st.dir, { FLEETKEEPER_HOME: st.root });
    tmux = new TmuxHarness(env);
    canary = join(st.dir, 'CANARY');
  }, 180_000);

  afterAll(async () => {
    await tmux.kill();
    st.dispose();
  });

  it('session names, window names and cwds: stored exactly, restored exactly, never executed', async () => {
    const names = [...hostile(canary)];
    const extra = scaled(12);
    for (let i = 0; i < extra; i++) names.push(randomName(canary));
    const base = join(st.dir, 'cwds');
    mkdirSync(base);
    const planned: Array<{ session: string; window: string; cwd: string }> = [];
    let refusedByTmux = 0;
    for (let i = 0; i < names.length; i++) {
      const n = names[i]!;
      const cwd = join(base, `${i}-${asDirName(n)}`);
      mkdirSync(cwd);
      const session = `${n}${i}`;
      const window = names[(i + 3) % names.length]!;
      try {
        // Our own setup escapes exactly like restore does; the canary would catch it if not.
        await tmux.run(
          'new-session',
          '-d',
          '-s',
          tmuxArg(formatLiteral(session)),
          '-n',
          tmuxArg(formatLiteral(window)),
          '-c',
          tmuxArg(formatLiteral(cwd)),
          '-x',
          '80',
          '-y',
          '24',
        );
        await tmux.run(
          'new-window',
          '-d',
          '-t',
          `${(await tmux.run('list-sessions', '-F', '#{session_id}')).trim().split('\n').at(-1)!}:`,
          '-n',
          tmuxArg(formatLiteral(`${window}2`)),
          '-c',
          tmuxArg(formatLiteral(cwd)),
        );
        planned.push({ session, window, cwd });
      } catch {
        refusedByTmux++;
      }
    }
    expect(canaries()).toEqual([]);
    const before = await queryFleet({ socketName: tmux.socket });
    expect(before).not.toBeNull();
    // tmux holds window names and cwds exactly as given.
    const live = new Set(before!.sessions.flatMap((s) => s.windows.map((w) => `${w.name}\u0000${w.panes[0]!.cwd}`)));
    for (const p of planned) expect(live.has(`${p.window}\u0000${p.cwd}`), JSON.stringify(p)).toBe(true);

    const save = await runCli(['save', '--json', '--socket', tmux.socket], env);
    expect(save.code, save.stderr).toBe(0);
    const saved = await readSnapshot(st.paths, json<{ id: string }>(save).id);
    // Stored exactly what tmux held (roles were assigned by the save: compare after it).
    const held = await queryFleet({ socketName: tmux.socket });
    expect(shape({ instance: held!.instance, sessions: saved.sessions })).toEqual(shape(held!));
    expect(canaries()).toEqual([]);

    await tmux.kill();
    const restore = await runCli(['restore', '--json', '--stagger', '0', '--socket', tmux.socket], env);
    expect(restore.code, restore.stdout.slice(-2000) + restore.stderr).toBe(0);
    const after = await queryFleet({ socketName: tmux.socket });
    expect(shape(after!)).toEqual(shape(held!));
    expect(canaries()).toEqual([]);
    const sessions = held!.sessions.length;
    figures(
      `11 names: ${names.length} hostile session/window names and cwds (${extra} random, seed ${seed}), ${sessions} sessions × 2 windows (${refusedByTmux} refused by tmux itself): snapshot = what tmux held, restore = what tmux held, roles kept; 0 canaries`,
    );
  }, 60_000);

  it('hostile roles are refused with a clear error; a hostile role set behind our back never executes', async () => {
    if ((await tmux.serverPid()) === null) await tmux.run('new-session', '-d', '-s', 'roles');
    const pane = (await tmux.run('display', '-p', '#{pane_id}')).trim();
    const roles = hostile(canary);
    let refused = 0;
    let accepted = 0;
    for (const role of roles) {
      const r = await runCli(['role', '--pane', pane, '--socket', tmux.socket, '--', role], env);
      if (isValidRole(role)) {
        // '-leading' and '--help' are valid role names: set as one argv element, held exactly.
        expect(r.code, `${role}: ${r.stderr}`).toBe(0);
        expect(await getRole({ socketName: tmux.socket }, pane)).toBe(role);
        accepted++;
        continue;
      }
      expect(r.code, `${role}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('invalid role');
      refused++;
    }
    // Behind our back: set straight in tmux (the user's own tmux command).
    await tmux.run('set-option', '-p', '-t', pane, '@fleetkeeper-role', `$(touch ${canary}-role)`);
    const save = await runCli(['save', '--json', '--socket', tmux.socket], env);
    const status = await runCli(['status', '--json', '--socket', tmux.socket], env);
    expect(canaries()).toEqual([]);
    const outcome = save.code === 0 ? 'saved' : `save refused: ${save.stderr.trim()}`;
    if (save.code !== 0) {
      expect(save.stderr.trim().split('\n')).toHaveLength(1);
      expect(save.stderr).toContain('touch');
    }
    figures(
      `11 roles: ${refused}/${roles.length} hostile roles refused by \`role\` (exit 2, one line), ${accepted} valid ones ('-leading', '--help') held exactly; a hostile role set directly in tmux: ${outcome.slice(0, 160)}; status ${json<{ state: string }>(status).state}; 0 canaries`,
    );
  }, 60_000);

  it('hook payloads: hostile cwd and transcript_path stored exactly in the spool, never executed', async () => {
    const values = [...hostile(canary)];
    const n = scaled(20);
    for (let i = 0; i < n; i++) values.push(randomName(canary));
    const ids = new Map<string, string>();
    for (const v of values) {
      const id = randomUUID();
      ids.set(id, v);
      const payload = JSON.stringify({
        session_id: id,
        transcript_path: v,
        cwd: v,
        hook_event_name: 'SessionStart',
        source: v,
      });
      const r = await runCli(['hook', 'session-start'], env, payload);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
    }
    const spool = await readSpool(st.paths);
    let exact = 0;
    for (const [id, v] of ids) {
      const e = spool.events.find((x) => x.sessionId === id);
      expect(e, `event for ${JSON.stringify(v)}`).toBeDefined();
      expect(e!.cwd).toBe(v);
      expect(e!.transcriptPath).toBe(v);
      expect(e!.source).toBe(v);
      exact++;
    }
    expect(spool.corrupt).toEqual([]);
    expect(canaries()).toEqual([]);
    expect(existsSync(`${canary}-dollar`)).toBe(false);
    figures(
      `11 hook payloads: ${values.length} hostile cwd/transcript_path/source strings through \`hook session-start\`: ${exact} stored exactly, 0 corrupt, 0 canaries`,
    );
  }, 60_000);
});
