import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../common/base/errors.js';
import type { FleetState } from '../../common/base/types.js';
import { TmuxHarness } from '../../../test/helpers/tmux-harness.js';
import { tempDir, withoutTmux } from '../../../test/helpers/fixtures.js';
import { queryFleet } from './fleet-query.js';
import { assignDefaultRoles, findRoleConflicts, getRole, setRole } from './roles.js';
import { ROLE_OPTION } from '../../common/tmux/fleet-format.js';
import { tmuxArg } from '../../common/tmux/quoting.js';
import type { TmuxTarget } from './exec.js';

const env = withoutTmux();

const temp = tempDir('roles');
const dir = temp.dir;
let harness: TmuxHarness | null = null;
afterEach(async () => {
  await harness?.kill();
  harness = null;
});
afterAll(() => temp.dispose());

async function server(): Promise<{ h: TmuxHarness; t: TmuxTarget }> {
  const h = (harness = new TmuxHarness(env));
  await h.run('-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '120', '-y', '40');
  return { h, t: { socketName: h.socket } };
}

/** Where tmux says the pane is now: `session:window.pane`. */
const locate = (h: TmuxHarness, paneId: string) =>
  h.run('display-message', '-p', '-t', paneId, '#{session_name}:#{window_index}.#{pane_index}').then((s) => s.trim());

function roleAt(fleet: FleetState, location: string): string | undefined {
  for (const s of fleet.sessions)
    for (const w of s.windows)
      for (const p of w.panes) {
        if (`${s.name}:${w.index}.${p.index}` === location) return p.role;
      }
  return undefined;
}

describe('roles with real tmux', () => {
  it('sets and gets a role; refuses invalid names, naming the value', async () => {
    const { h, t } = await server();
    expect(await getRole(t, 'main:0.0')).toBeNull();
    await setRole(t, 'main:0.0', 'api');
    expect(await getRole(t, 'main:0.0')).toBe('api');
    for (const bad of ['', 'a b', 'x;', 'é', 'a/b', 'x'.repeat(65), '$(touch x)']) {
      await expect(setRole(t, 'main:0.0', bad)).rejects.toThrow(InvalidInputError);
      await expect(setRole(t, 'main:0.0', bad)).rejects.toThrow(JSON.stringify(bad));
    }
    expect(await getRole(t, 'main:0.0')).toBe('api');
    await expect(getRole(t, '%999')).rejects.toMatchObject({
      reason: 'command-failed',
      message: 'no tmux pane matches "%999"',
    });
    await expect(setRole(t, 'nosuch:0.0', 'api')).rejects.toThrow(/no tmux pane matches "nosuch:0.0"/);
    // A trailing `;` in an argv element would split the tmux command line; tmuxArg keeps it.
    await h.run('set-option', '-p', '-t', 'main:0.0', '@probe', tmuxArg('ends;'));
    expect(await h.run('show-options', '-p', '-v', '-t', 'main:0.0', '@probe')).toBe('ends;\n');
    await expect(getRole(t, '')).rejects.toThrow(/invalid tmux pane target ""/);
  });

  it('refuses a duplicate naming both panes; force moves the role', async () => {
    const { h, t } = await server();
    await h.run('split-window', '-t', 'main:0');
    const [a, b] = (await h.run('list-panes', '-t', 'main:0', '-F', '#{pane_id}')).trim().split('\n');
    await setRole(t, a!, 'api');
    await setRole(t, a!, 'api'); // the same pane again is not a conflict
    const err = await setRole(t, b!, 'api').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toContain(`${a} ("main":0.0)`);
    expect((err as Error).message).toContain(`${b} ("main":0.1)`);
    expect(await getRole(t, b!)).toBeNull();
    await setRole(t, b!, 'api', { force: true });
    expect(await getRole(t, b!)).toBe('api');
    expect(await getRole(t, a!)).toBeNull();
    expect(findRoleConflicts((await queryFleet(t))!)).toEqual([]);
  });

  it('the role travels with the pane through move, break, join, swap and to another session', async () => {
    const { h, t } = await server();
    await h.run('split-window', '-t', 'main:0');
    await h.run('new-window', '-t', 'main');
    await h.run('new-session', '-d', '-s', 'other');
    const [p1, p2] = (await h.run('list-panes', '-t', 'main:0', '-F', '#{pane_id}')).trim().split('\n') as [
      string,
      string,
    ];
    const p3 = (await h.run('display-message', '-p', '-t', 'main:1.0', '#{pane_id}')).trim();
    await setRole(t, p1, 'first');
    await setRole(t, p2, 'second');
    await setRole(t, p3, 'third');

    const check = async (step: string) => {
      const fleet = (await queryFleet(t))!;
      for (const [id, role] of [
        [p1, 'first'],
        [p2, 'second'],
        [p3, 'third'],
      ] as const) {
        expect(await getRole(t, id), `${step}: ${id}`).toBe(role);
        expect(roleAt(fleet, await locate(h, id)), `${step}: ${id} in the fleet`).toBe(role);
      }
      expect(findRoleConflicts(fleet)).toEqual([]);
    };
    const before = await locate(h, p2);
    await h.run('move-pane', '-s', p2, '-t', 'main:1.0');
    expect(await locate(h, p2)).not.toBe(before);
    await check('move-pane');
    await h.run('break-pane', '-d', '-s', p2, '-t', 'main:');
    expect(await locate(h, p2)).toMatch(/^main:2\.0$/);
    await check('break-pane');
    await h.run('join-pane', '-s', p2, '-t', p1);
    await check('join-pane');
    const [l1, l3] = [await locate(h, p1), await locate(h, p3)];
    await h.run('swap-pane', '-s', p1, '-t', p3);
    expect([await locate(h, p1), await locate(h, p3)]).toEqual([l3, l1]);
    await check('swap-pane');
    await h.run('move-pane', '-s', p1, '-t', 'other:0.0');
    expect(await locate(h, p1)).toMatch(/^other:0\.1$/);
    await check('move to another session');
    await h.run('break-pane', '-d', '-s', p3, '-t', 'other:');
    expect(await locate(h, p3)).toMatch(/^other:/);
    await check('break-pane into another session');
  });

  it('assigns unique defaults in one tmux invocation and returns them in the fleet', async () => {
    const { h, t } = await server();
    await h.run('split-window', '-t', 'main:0');
    await h.run('new-session', '-d', '-s', 'x y');
    await h.run('new-session', '-d', '-s', 'x_y');
    // This pane already holds the name main:0.1 would get by default.
    await setRole(t, 'main:0.0', 'main-0.1');
    const fleet = (await queryFleet(t))!;

    const log = join(dir, 'calls.log');
    const wrapper = join(dir, 'tmux-counting');
    writeFileSync(wrapper, `#!/bin/sh\necho call >> '${log}'\nexec tmux "$@"\n`);
    chmodSync(wrapper, 0o755);
    const { fleet: filled, assigned } = await assignDefaultRoles({ ...t, bin: wrapper }, fleet);
    expect(readFileSync(log, 'utf8')).toBe('call\n');

    expect(assigned.map((a) => a.role).sort()).toEqual(['main-0.1_2', 'x_y-0.0', 'x_y-0.0_2'].sort());
    const roles = new Map<string, string>();
    for (const s of filled.sessions) for (const w of s.windows) for (const p of w.panes) roles.set(p.id, p.role);
    expect(new Set(roles.values()).size).toBe(4);
    for (const [id, role] of roles) expect(await getRole(t, id)).toBe(role);
    expect(roleAt(filled, 'main:0.0')).toBe('main-0.1');
    expect(roleAt(fleet, 'main:0.1')).toBe(''); // the input fleet is not mutated
    expect(await assignDefaultRoles(t, filled)).toEqual({ fleet: filled, assigned: [] });
  });

  it('replaces a role set by hand in tmux that is not a valid name, so saves keep working', async () => {
    const { h, t } = await server();
    await h.run('split-window', '-t', 'main:0');
    await h.run('set-option', '-p', '-t', 'main:0.0', ROLE_OPTION, 'not valid; $(x)');
    await setRole(t, 'main:0.1', 'keep-me');
    const fleet = (await queryFleet(t))!;
    expect(roleAt(fleet, 'main:0.0')).toBe('not valid; $(x)');
    const { fleet: filled, assigned } = await assignDefaultRoles(t, fleet);
    expect(assigned).toEqual([{ paneId: expect.stringMatching(/^%/), role: 'main-0.0' }]);
    expect(roleAt(filled, 'main:0.0')).toBe('main-0.0');
    expect(roleAt(filled, 'main:0.1')).toBe('keep-me');
    expect(await getRole(t, 'main:0.0')).toBe('main-0.0');
  });

  it('never overwrites a role set meanwhile, and survives a pane that vanished', async () => {
    const { h, t } = await server();
    await h.run('split-window', '-t', 'main:0');
    await h.run('split-window', '-t', 'main:0');
    const fleet = (await queryFleet(t))!;
    const [a, b, c] = fleet.sessions[0]!.windows[0]!.panes.map((p) => p.id) as [string, string, string];
    await h.run('set-option', '-p', '-t', a, ROLE_OPTION, 'chosen-by-user');
    await h.run('kill-pane', '-t', b);
    const { fleet: filled, assigned } = await assignDefaultRoles(t, fleet);
    expect(assigned).toEqual([{ paneId: c, role: 'main-0.2' }]);
    expect(await getRole(t, a)).toBe('chosen-by-user');
    expect(filled.sessions[0]!.windows[0]!.panes.map((p) => p.role)).toEqual(['chosen-by-user', '', 'main-0.2']);
  });

  it('finds two live panes with one role, but not a linked window listed twice', async () => {
    const { h, t } = await server();
    await h.run('split-window', '-t', 'main:0');
    await h.run('new-session', '-d', '-s', 'other');
    await h.run('link-window', '-s', 'main:0', '-t', 'other:5');
    await setRole(t, 'main:0.0', 'solo');
    const linked = (await queryFleet(t))!;
    expect(
      linked.sessions.flatMap((s) => s.windows).filter((w) => w.panes.some((p) => p.role === 'solo')),
    ).toHaveLength(2);
    expect(findRoleConflicts(linked)).toEqual([]);
    await h.run('set-option', '-p', '-t', 'main:0.1', ROLE_OPTION, 'solo');
    const problems = findRoleConflicts((await queryFleet(t))!);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.code).toBe('role-conflict');
    expect(problems[0]!.message).toMatch(
      /^role "solo" is held by 2 live panes: %\d+ \("main":0\.0\), %\d+ \("main":0\.1\)$/,
    );
  });
});
