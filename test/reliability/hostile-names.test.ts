// Group 11, hostile names: quotes, $(), backticks, ;, newlines, unicode, tmux #() / #{} / #[]
// formats, trailing ; and leading - in session names, window names, cwds, roles and hook
// payloads, through the real CLI (save, restore, role, hook) on isolated tmux servers. Stored
// exactly, restored exactly (as tmux held them) or refused with a clear error, and canary
// files prove nothing was ever executed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FleetState } from '../../main/common/base/types.js';
import { formatLiteral, tmuxArg } from '../../main/common/tmux/quoting.js';
import { queryFleet } from '../../main/node/tmux/fleet-query.js';
import { getRole } from '../../main/node/tmux/roles.js';
import { isValidRole } from '../../main/common/base/names.js';
import { readSnapshot } from '../../main/node/snapshot/store.js';
import { readSpool } from '../../main/node/journal/spool.js';
import { ensureBuilt, figures, rng, scaled, seedFromEnv, tempState, type TempState } from './helpers/harness.js';
import { TmuxHarness, cliEnv, waitFor } from './helpers/h10-support.js';
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

  // Issue 12, finding 3: a terminal acts on ^U, CR, ^C… before the shell sees any quote, so
  // `FLEETKEEPER_CLAUDE_BIN=$'/bin/true\x15touch canary\r'` once made a pane run `touch canary`.
  it('control characters in every typed field: refused where read, never typed, 0 canaries', async () => {
    await tmux.kill();
    const cc = ['\x15', '\r', '\n', '\x03', '\x1b', '\x7f', '\x04', '\x1a', '\t'];
    const evil = (tag: string, i: number): string => `x${cc[i % cc.length]}touch ${canary}-${tag}${i}\r`;
    // A recorder stands in for Claude (the typed line is what is under test): it notes where it ran.
    const calls = join(st.dir, 'claude-calls');
    const fake = join(st.dir, 'fake-claude');
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\t%s\\0' "$PWD" "$*" >> '${calls}'\n`, { mode: 0o755 });
    const base = join(st.dir, 'cc-cwds');
    mkdirSync(base, { recursive: true });
    const cwds = cc.map((_, i) => join(base, asDirName(evil('cwd', i))));
    for (const d of cwds) mkdirSync(d);
    for (const [i, cwd] of cwds.entries()) {
      await tmux.run(
        'new-session',
        '-d',
        '-s',
        tmuxArg(formatLiteral(`cc${i}${evil('session', i)}`)),
        '-n',
        tmuxArg(formatLiteral(evil('window', i))),
        '-c',
        cwd,
      );
    }
    await runCli(['save', '--socket', tmux.socket], env);
    const [sock, pid] = (await tmux.run('display', '-p', '#{socket_path}\t#{pid}')).trim().split('\t');
    // Session names come back vis-encoded (one line each); a cwd may hold a newline, so go by name.
    const panes = (await tmux.run('list-panes', '-a', '-F', '#{pane_id}\t#{session_name}')).trim().split('\n');
    const ids: string[] = [];
    for (const [i, line] of panes.entries()) {
      const [pane, name] = line.split('\t') as [string, string];
      const cwd = cwds[Number(/^cc(\d+)/.exec(name)?.[1])]!;
      // Half the panes a real conversation; the others a session id that is not one (with a payload).
      const id = i % 2 === 0 ? randomUUID() : evil('sid', i);
      const transcript = join(st.dir, `t-${i}.jsonl`);
      writeFileSync(transcript, '{"type":"user","message":{"content":"hi"}}\n');
      if (i % 2 === 0) ids.push(id);
      const payload = JSON.stringify({
        session_id: id,
        transcript_path: transcript,
        cwd,
        hook_event_name: 'SessionStart',
        source: 'startup',
      });
      const r = await runCli(['hook', 'session-start'], { ...env, TMUX: `${sock},${pid},0`, TMUX_PANE: pane }, payload);
      expect(r.code).toBe(0);
    }
    const save = await runCli(['save', '--json', '--socket', tmux.socket], env);
    expect(save.code, save.stderr).toBe(0);
    await tmux.kill();

    // The canary of the finding, through a real restore: refused where it is read, one line.
    const bad = await runCli(['restore', '--stagger', '0', '--socket', tmux.socket], {
      ...env,
      FLEETKEEPER_CLAUDE_BIN: `/bin/true\x15touch ${canary}-bin\r`,
    });
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('FLEETKEEPER_CLAUDE_BIN contains a control character (\\x15)');
    expect(await tmux.serverPid()).toBeNull();

    // Names, window names and cwds full of control characters: built through tmux argv, never typed.
    const ok = await runCli(['restore', '--json', '--stagger', '0', '--verify-timeout', '1', '--socket', tmux.socket], {
      ...env,
      FLEETKEEPER_CLAUDE_BIN: fake,
    });
    const report = json<{ plan: { sessions: { windows: { panes: { action: string; reason?: string }[] }[] }[] } }>(ok);
    const planned = report.plan.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes));
    expect(planned.filter((p) => p.action === 'resume')).toHaveLength(ids.length);
    expect(
      planned.filter((p) => p.action === 'shell').every((p) => /not a UUID|no Claude binding/.test(p.reason ?? '')),
    ).toBe(true);
    const ran = (): Array<{ cwd: string; args: string }> =>
      existsSync(calls)
        ? readFileSync(calls, 'utf8')
            .split('\0')
            .slice(0, -1)
            .map((r) => ({ cwd: r.slice(0, r.lastIndexOf('\t')), args: r.slice(r.lastIndexOf('\t') + 1) }))
        : [];
    await waitFor(() => ran().length >= ids.length, 20_000, 'every resume typed');
    // Each resume ran in its own control-character cwd, with exactly its own id.
    for (const id of ids)
      expect(
        ran().some((r) => r.args === `--resume ${id}` && cwds.includes(r.cwd)),
        id,
      ).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(canaries()).toEqual([]);
    figures(
      `11 control characters: FLEETKEEPER_CLAUDE_BIN with ^U/CR refused by restore (exit 2, one line, no server started); ${cwds.length} sessions whose names, window names and cwds hold ${cc.length} kinds of control characters restored, ${ids.length} resumes typed in those cwds, ${panes.length - ids.length} panes whose hook sent a non-UUID session id left without a binding (a shell); 0 canaries`,
    );
  }, 120_000);
});
