// Roles live in the pane user option @fleetkeeper-role, so tmux itself carries them with the
// pane through move/break/join/swap-pane and moves between sessions.
import { InvalidInputError, TmuxError } from '../../common/base/errors.js';
import { decodeField, escapedFormat, ROLE_OPTION, uniquePanes } from '../../common/tmux/fleet-format.js';
import { tmuxArg } from '../../common/tmux/quoting.js';
import { assertValidRole, defaultRole, isValidRole } from '../../common/base/names.js';
import type { FleetState, PaneSnapshot, Problem, SessionSnapshot, WindowSnapshot } from '../../common/base/types.js';
import { queryFleet } from './fleet-query.js';
import { runTmux, type TmuxTarget } from './exec.js';

function assertPaneTarget(paneTarget: string): string {
  if (paneTarget.trim() === '' || /[\u0000-\u001f]/.test(paneTarget)) {
    throw new InvalidInputError(`invalid tmux pane target ${JSON.stringify(paneTarget)}`);
  }
  return tmuxArg(paneTarget);
}

/** The role of one pane (its own option, as the fleet query sees it), or null when unset. */
export async function getRole(target: TmuxTarget, paneTarget: string): Promise<string | null> {
  const out = await runTmux(target, [
    '-u',
    'display-message',
    '-p',
    '-t',
    assertPaneTarget(paneTarget),
    `#{pane_id}\t${escapedFormat(ROLE_OPTION)}`,
  ]);
  const line = out.replace(/\n$/, '');
  const tab = line.indexOf('\t');
  // display-message prints with an empty context (and exits 0) when the target does not exist.
  if (!/^%\d+$/.test(line.slice(0, tab))) throw noPane(paneTarget);
  const role = decodeField(line.slice(tab + 1));
  return role === '' ? null : role;
}

function noPane(paneTarget: string): TmuxError {
  return new TmuxError(`no tmux pane matches ${JSON.stringify(paneTarget)}`, 'command-failed');
}

async function paneIdOf(target: TmuxTarget, paneTarget: string): Promise<string> {
  const id = (
    await runTmux(target, ['display-message', '-p', '-t', assertPaneTarget(paneTarget), '#{pane_id}'])
  ).trim();
  if (!/^%\d+$/.test(id)) throw noPane(paneTarget);
  return id;
}

function where(session: SessionSnapshot, window: WindowSnapshot, pane: PaneSnapshot): string {
  return `${pane.id} (${JSON.stringify(session.name)}:${window.index}.${pane.index})`;
}

/**
 * Gives `role` to the pane. Refuses when another live pane holds it; with `force` the role
 * moves: it is set here and removed from the other holder(s) in the same tmux invocation.
 */
export async function setRole(
  target: TmuxTarget,
  paneTarget: string,
  role: string,
  opts: { force?: boolean } = {},
): Promise<void> {
  assertValidRole(role);
  const paneId = await paneIdOf(target, paneTarget);
  const fleet = await queryFleet(target);
  if (!fleet) throw new TmuxError('no tmux server', 'no-server');
  const all = uniquePanes(fleet);
  const me = all.find((p) => p.pane.id === paneId);
  const holders = all.filter((p) => p.pane.role === role && p.pane.id !== paneId);
  if (holders.length > 0 && opts.force !== true) {
    const mine = me ? where(me.session, me.window, me.pane) : paneId;
    throw new InvalidInputError(
      `role ${JSON.stringify(role)} is already held by pane ${holders.map((h) => where(h.session, h.window, h.pane)).join(', ')}; ` +
        `refusing to give it to pane ${mine} as well (force moves it)`,
    );
  }
  const args = ['set-option', '-p', '-t', paneId, ROLE_OPTION, role];
  for (const h of holders) args.push(';', 'set-option', '-p', '-u', '-t', h.pane.id, ROLE_OPTION);
  await runTmux(target, args);
}

const ROLE_LIST_FORMAT = `#{pane_id}\t${escapedFormat(ROLE_OPTION)}`;

function parseRoleList(out: string): Map<string, string> {
  const roles = new Map<string, string>();
  for (const line of out.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) roles.set(line.slice(0, tab), decodeField(line.slice(tab + 1)));
  }
  return roles;
}

/**
 * Every pane seen without a role gets a unique default (names.ts), all set in ONE tmux
 * invocation that also reads the roles back. `set-option -o` never overwrites a role someone
 * set in the meantime; the returned fleet carries what tmux actually holds.
 */
export async function assignDefaultRoles(
  target: TmuxTarget,
  fleet: FleetState,
): Promise<{ fleet: FleetState; assigned: Array<{ paneId: string; role: string }> }> {
  const panes = uniquePanes(fleet);
  const taken = new Set(panes.map((p) => p.pane.role).filter((r) => isValidRole(r)));
  // A role someone set in tmux by hand that is not a valid name would make every snapshot
  // invalid (no backups at all): it is replaced by a default, like a missing one.
  const wanted: Array<{ paneId: string; role: string; replaces: string }> = [];
  for (const { session, window, pane } of panes) {
    if (isValidRole(pane.role)) continue;
    const role = defaultRole(session.name, window.index, pane.index, taken);
    taken.add(role);
    wanted.push({ paneId: pane.id, role, replaces: pane.role });
  }
  if (wanted.length === 0) return { fleet, assigned: [] };

  const run = (items: typeof wanted) => {
    const args: string[] = [];
    for (const w of items) {
      // -o (only if unset) so a role set meanwhile is never overwritten; an invalid one is.
      const flags = w.replaces === '' ? ['-p', '-o', '-q'] : ['-p', '-q'];
      args.push('set-option', ...flags, '-t', w.paneId, ROLE_OPTION, w.role, ';');
    }
    args.push('list-panes', '-a', '-F', ROLE_LIST_FORMAT);
    return runTmux(target, args);
  };
  let out: string;
  try {
    out = await run(wanted);
  } catch (err) {
    // One vanished pane stops the whole chain: retry once with the panes still alive.
    if (!(err instanceof TmuxError) || err.reason !== 'command-failed') throw err;
    const live = parseRoleList(await runTmux(target, ['list-panes', '-a', '-F', ROLE_LIST_FORMAT]));
    out = await run(wanted.filter((w) => live.get(w.paneId) === w.replaces));
  }
  const actual = parseRoleList(out);
  const assigned = wanted.filter((w) => actual.get(w.paneId) === w.role).map(({ paneId, role }) => ({ paneId, role }));
  const result: FleetState = structuredClone(fleet);
  for (const s of result.sessions) {
    for (const w of s.windows) {
      for (const p of w.panes) {
        const held = actual.get(p.id);
        if (!isValidRole(p.role) && held !== undefined) p.role = held;
      }
    }
  }
  return { fleet: result, assigned };
}

/** Two (or more) live panes holding one role. A pane of a linked window counts once. */
export function findRoleConflicts(fleet: FleetState): Problem[] {
  const byRole = new Map<string, string[]>();
  for (const { session, window, pane } of uniquePanes(fleet)) {
    if (pane.role === '') continue;
    const list = byRole.get(pane.role) ?? [];
    list.push(where(session, window, pane));
    byRole.set(pane.role, list);
  }
  const problems: Problem[] = [];
  for (const [role, holders] of byRole) {
    if (holders.length < 2) continue;
    problems.push({
      code: 'role-conflict',
      message: `role ${JSON.stringify(role)} is held by ${holders.length} live panes: ${holders.join(', ')}`,
    });
  }
  return problems;
}
