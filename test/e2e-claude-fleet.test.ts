import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { claudeSandbox, showsPrompt, CLAUDE_BIN, type ClaudeSandbox } from './helpers/claude-env.js';
import { runCli, json } from './helpers/cli.js';

// The whole promise, end to end, with the real tmux and the real Claude Code CLI (offline):
// a fleet of Claude panes, the traps that burned other tools, a killed server, a restore,
// and proof from the screen that every pane holds its own conversation.

interface Pane {
  role: string;
  id: string;
  marker: string;
}

// tmux itself rewrites `$` in session names and strips a trailing `;`; what it can hold must round-trip.
const HOSTILE_SESSION = `beta "q" it's;y`;
const tag = randomBytes(3).toString('hex');

let sb: ClaudeSandbox;
let tmux: TmuxHarness;
let dirs: Record<string, string>;
const panes: Record<string, Pane> = {};

const cli = (args: string[]) => runCli([...args, '--socket', tmux.socket], sb.env);

async function paneByRole(): Promise<Map<string, string>> {
  const out = await tmux.run('list-panes', '-a', '-F', '#{pane_id}\t#{@fleetkeeper-role}');
  const m = new Map<string, string>();
  for (const line of out.split('\n').filter(Boolean)) {
    const [id, role] = line.split('\t');
    if (id && role) m.set(role, id);
  }
  return m;
}

async function startClaude(pane: string, args: string[] = []): Promise<void> {
  await tmux.run('send-keys', '-t', pane, '-l', [CLAUDE_BIN, ...args].join(' '));
  await tmux.run('send-keys', '-t', pane, 'Enter');
}

function transcripts(): string[] {
  const root = join(sb.configDir, 'projects');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => join(root, f));
}

function sessionIdWithMarker(marker: string): string {
  const hits = transcripts().filter((t) => readFileSync(t, 'utf8').includes(marker));
  expect(hits, `exactly one transcript holds ${marker}`).toHaveLength(1);
  return (hits[0] ?? '').replace(/^.*\//, '').replace(/\.jsonl$/, '');
}

describe('end to end with real tmux and real Claude Code', () => {
  beforeAll(async () => {
    const root = (await import('node:fs')).mkdtempSync('/tmp/fk-e2e-');
    dirs = {
      a: join(root, 'proj-a'),
      b: join(root, 'proj-b'),
      hostile: join(root, `proj c 'q' $HOME;x`),
      d: join(root, 'proj-d'),
      gone: join(root, 'soon-gone'),
    };
    for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
    sb = claudeSandbox(Object.values(dirs), root);
    tmux = new TmuxHarness(sb.env);
    expect((await cli(['hooks', 'install'])).code).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await tmux?.kill();
    // Dying Claudes still run their SessionEnd hooks for a moment after the server is gone.
    await new Promise((r) => setTimeout(r, 1500));
    if (sb) rmSync(sb.root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('brings every pane back with its own conversation, verified', async () => {
    // --- the fleet: 3 sessions, several windows, 8 Claude panes, two cwds shared by two panes each
    await tmux.run('new-session', '-d', '-s', 'alpha', '-n', 'api', '-x', '200', '-y', '50', '-c', dirs.a!);
    await tmux.run('split-window', '-t', 'alpha:api', '-h', '-c', dirs.a!);
    await tmux.run('new-window', '-t', 'alpha:', '-n', 'web', '-c', dirs.b!);
    await tmux.run('split-window', '-t', 'alpha:web', '-v', '-c', dirs.b!);
    await tmux.run('split-window', '-t', 'alpha:web', '-h', '-c', dirs.hostile!);
    await tmux.run('new-session', '-d', '-s', HOSTILE_SESSION, '-n', 'ops', '-x', '200', '-y', '50', '-c', dirs.d!);
    await tmux.run('split-window', '-t', `${HOSTILE_SESSION}:ops`, '-h', '-c', dirs.d!);
    await tmux.run('split-window', '-t', `${HOSTILE_SESSION}:ops`, '-v', '-c', dirs.d!);
    await tmux.run('new-session', '-d', '-s', 'gamma', '-n', 'misc', '-x', '200', '-y', '50', '-c', dirs.gone!);
    await tmux.run('select-window', '-t', 'alpha:api');
    await tmux.run('resize-pane', '-Z', '-t', 'alpha:api.1');

    const ids = (await tmux.run('list-panes', '-a', '-F', '#{pane_id}')).split('\n').filter(Boolean);
    const roles = ['api-1', 'api-2', 'web', 'web-tests', 'hostile', 'ops', 'exiter', 'gone-transcript', 'gone-cwd'];
    expect(ids).toHaveLength(roles.length);
    for (const [i, role] of roles.entries()) {
      const id = ids[i]!;
      const r = await cli(['role', role, '--pane', id]);
      expect(r.code, r.stderr).toBe(0);
      panes[role] = { role, id, marker: `marker-${role}-${tag}` };
    }
    // An invalid role is refused with the value named, and changes nothing.
    const bad = await cli(['role', 'no spaces; please', '--pane', ids[0]!]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('no spaces; please');

    const claudeRoles = roles.filter((r) => r !== 'gone-cwd');
    for (const role of claudeRoles) {
      await startClaude(panes[role]!.id);
      await new Promise((r) => setTimeout(r, 700));
    }
    for (const role of claudeRoles) {
      await waitFor(async () => showsPrompt(await tmux.capture(panes[role]!.id)), 60_000, `claude prompt in ${role}`);
    }
    for (const role of claudeRoles) {
      await tmux.run('send-keys', '-t', panes[role]!.id, '-l', panes[role]!.marker);
      await tmux.run('send-keys', '-t', panes[role]!.id, 'Enter');
    }
    await waitFor(
      () => claudeRoles.every((r) => transcripts().some((t) => readFileSync(t, 'utf8').includes(panes[r]!.marker))),
      60_000,
      'every transcript',
    );

    // --- traps
    // /clear gives the pane a new session id; the conversation after the clear must come back.
    await tmux.run('send-keys', '-t', panes.web!.id, '-l', '/clear');
    await tmux.run('send-keys', '-t', panes.web!.id, 'Enter');
    await new Promise((r) => setTimeout(r, 2500));
    const afterClear = `after-clear-${tag}`;
    await tmux.run('send-keys', '-t', panes.web!.id, '-l', afterClear);
    await tmux.run('send-keys', '-t', panes.web!.id, 'Enter');
    await waitFor(
      () => transcripts().some((t) => readFileSync(t, 'utf8').includes(afterClear)),
      30_000,
      'post-clear transcript',
    );
    // The user exits Claude in one pane before the snapshot: it must come back as a shell.
    await tmux.run('send-keys', '-t', panes.exiter!.id, '-l', '/exit');
    await tmux.run('send-keys', '-t', panes.exiter!.id, 'Enter');
    await waitFor(
      async () =>
        (await tmux.run('display', '-p', '-t', panes.exiter!.id, '#{pane_current_command}')).trim() === 'bash',
      30_000,
      'exiter back at the shell',
    );
    // A pane moved to another session keeps its role and its conversation.
    await tmux.run('break-pane', '-d', '-s', panes.ops!.id, '-t', 'alpha:', '-n', 'moved-ops');
    // The user skimmed old transcripts: the newest file by mtime belongs to no pane.
    const decoyDir = join(sb.configDir, 'projects', dirs.a!.replace(/[^A-Za-z0-9]/g, '-'));
    mkdirSync(decoyDir, { recursive: true });
    const decoy = join(decoyDir, `${randomUUID()}.jsonl`);
    writeFileSync(
      decoy,
      `${JSON.stringify({ type: 'user', message: { role: 'user', content: 'decoy conversation' } })}\n`,
    );
    const future = new Date(Date.now() + 3600_000);
    utimesSync(decoy, future, future);

    const expected: Record<string, string> = {};
    for (const role of claudeRoles)
      expected[role] = sessionIdWithMarker(role === 'web' ? afterClear : panes[role]!.marker);

    // --- save, and the truth about it
    const saved = await cli(['save', '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    const registry = json<Record<string, { sessionId: string; endedAt?: string; endReason?: string }>>(
      await cli(['registry', '--json']),
    );
    for (const role of claudeRoles) expect(registry[role]?.sessionId, role).toBe(expected[role]);
    expect(registry.exiter?.endReason).toBe('prompt_input_exit');
    const status = await cli(['status', '--json']);
    expect(json<{ state: string }>(status).state, status.stdout).toMatch(/fresh|hooks-missing/);

    // --- after the save: a transcript Claude deleted, a cwd that vanished, then the "reboot"
    rmSync(transcripts().find((t) => t.includes(expected['gone-transcript']!))!);
    rmSync(dirs.gone!, { recursive: true });
    await tmux.kill();
    // Each Claude fired SessionEnd(other) while dying: the bindings stay, ended only by 'other'.
    const ended = json<Record<string, { sessionId: string; endReason?: string }>>(await cli(['registry', '--json']));
    for (const role of ['api-1', 'api-2', 'web', 'web-tests', 'hostile', 'ops']) {
      expect(ended[role]?.sessionId, role).toBe(expected[role]);
      expect([undefined, 'other'], role).toContain(ended[role]?.endReason);
    }

    // --- dry run: the plan names each conversation and every reason
    const dry = await cli(['restore', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = json<{
      plan: {
        sessions: Array<{
          name: string;
          windows: Array<{
            panes: Array<{
              role: string;
              action: string;
              sessionId?: string;
              title?: string | null;
              reason?: string;
              cwd: string;
            }>;
          }>;
        }>;
      };
    }>(dry).plan;
    const planned = new Map(plan.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes)).map((p) => [p.role, p]));
    for (const role of ['api-1', 'api-2', 'web', 'web-tests', 'hostile', 'ops']) {
      expect(planned.get(role)?.action, role).toBe('resume');
      expect(planned.get(role)?.sessionId, role).toBe(expected[role]);
    }
    expect(planned.get('api-1')?.title).toContain(panes['api-1']!.marker);
    expect(planned.get('exiter')?.action).toBe('shell');
    // Deleted after the save, but kept by Fleetkeeper (issue 10): put back and resumed.
    expect(planned.get('gone-transcript')?.action).toBe('resume');
    expect(planned.get('gone-transcript')?.reason).toContain("transcript restored from Fleetkeeper's copy");
    expect(planned.get('gone-cwd')?.cwd).toBe(sb.home);
    expect(plan.sessions.map((s) => s.name).sort()).toEqual(['alpha', HOSTILE_SESSION, 'gamma'].sort());

    const dryText = await cli(['restore', '--dry-run']);
    console.log(dryText.stdout);
    expect(dryText.stdout).toContain(`resume ${expected['api-1']}`);

    // --- restore for real, with verification from the journal
    const restored = await cli(['restore', '--json', '--stagger', '400', '--verify-timeout', '90']);
    const report = json<{ ok: boolean; verification: Array<{ role: string; status: string }> }>(restored);
    expect(report.verification.map((v) => `${v.role}:${v.status}`).sort()).toEqual(
      ['api-1', 'api-2', 'web', 'web-tests', 'hostile', 'ops', 'gone-transcript'].map((r) => `${r}:verified`).sort(),
    );
    console.log(report.verification.map((v) => `${v.role}: ${v.status}`).join('\n'));
    expect(report.ok).toBe(true);
    expect(restored.code).toBe(0);

    // --- the screen is the proof: each pane shows its own message and no other's
    const live = await paneByRole();
    const markers = Object.fromEntries(claudeRoles.map((r) => [r, r === 'web' ? afterClear : panes[r]!.marker]));
    for (const role of ['api-1', 'api-2', 'web', 'web-tests', 'hostile', 'ops', 'gone-transcript']) {
      const id = live.get(role);
      expect(id, `pane for ${role}`).toBeDefined();
      await waitFor(
        async () => (await tmux.capture(id!)).includes(markers[role]!),
        60_000,
        `${role} shows its conversation`,
      );
      const screen = await tmux.capture(id!);
      for (const [other, m] of Object.entries(markers))
        if (other !== role) expect(screen, `${role} must not show ${other}`).not.toContain(m);
      expect(screen).not.toContain('decoy conversation');
    }
    expect(await tmux.capture(live.get('web')!)).not.toContain(panes.web!.marker);
    // The moved pane came back where it was moved to.
    expect((await tmux.run('display', '-p', '-t', live.get('ops')!, '#{session_name}:#{window_name}')).trim()).toBe(
      'alpha:moved-ops',
    );

    // --- restoring twice duplicates nothing
    const before = (await tmux.run('list-panes', '-a', '-F', '#{pane_id}')).split('\n').filter(Boolean).length;
    const again = json<{ plan: { counts: { skipped: number; sessions: number } } }>(
      await cli(['restore', '--json', '--verify-timeout', '5']),
    );
    expect(again.plan.counts.skipped).toBe(3);
    const after = (await tmux.run('list-panes', '-a', '-F', '#{pane_id}')).split('\n').filter(Boolean).length;
    expect(after).toBe(before);
  }, 600_000);
});
