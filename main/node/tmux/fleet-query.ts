// tmux state → FleetState, in one tmux process or through the open control client.
import { existsSync } from 'node:fs';
import { TmuxError } from '../../common/base/errors.js';
import { INSTANCE_FORMAT, PANE_FORMAT, parseFleet, parseInstance } from '../../common/tmux/fleet-format.js';
import { quoteTmuxArg } from '../../common/tmux/quoting.js';
import type { FleetState, ServerInstance } from '../../common/base/types.js';
import type { ControlClient } from './control-client.js';
import { runTmux, type TmuxTarget } from './exec.js';
import { runningProcess } from '../base/pid-alive.js';

/**
 * argv (after the socket arguments) for ONE tmux process printing the instance line, then one
 * line per pane. `-u`: without a UTF-8 locale tmux replaces every non-ASCII byte by `_`.
 */
export function fleetQueryArgs(): string[] {
  return ['-u', 'display-message', '-p', INSTANCE_FORMAT, ';', 'list-panes', '-a', '-F', PANE_FORMAT];
}

const DELETED = ' (deleted)';

/**
 * Linux reports the cwd of a process whose directory was removed as `<path> (deleted)`. Keep
 * the path it had, so restore can say that this directory is gone (or use it if re-created);
 * a directory really named `… (deleted)` that exists is left alone.
 */
export function normalizeCwd(cwd: string): string {
  if (!cwd.endsWith(DELETED) || existsSync(cwd)) return cwd;
  return cwd.slice(0, -DELETED.length);
}

function finish(fleet: FleetState): FleetState {
  for (const s of fleet.sessions) for (const w of s.windows) for (const p of w.panes) p.cwd = normalizeCwd(p.cwd);
  return fleet;
}

function splitOutput(stdout: string): string[] {
  const lines = stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** null when no server is running; TmuxError when tmux is missing or the query fails. */
export async function queryFleet(target: TmuxTarget): Promise<FleetState | null> {
  let stdout: string;
  try {
    stdout = await runTmux(target, fleetQueryArgs());
  } catch (err) {
    if (err instanceof TmuxError && err.reason === 'no-server') return null;
    throw err;
  }
  const [instanceLine, ...paneLines] = splitOutput(stdout);
  if (instanceLine === undefined) throw new TmuxError('tmux printed nothing for the fleet query', 'command-failed');
  return finish(parseFleet(instanceLine, paneLines));
}

/** The same query through an open control client (two commands, no new process). */
export async function queryFleetVia(client: ControlClient): Promise<FleetState> {
  const instance = await client.command(`display-message -p ${quoteTmuxArg(INSTANCE_FORMAT)}`);
  const panes = await client.command(`list-panes -a -F ${quoteTmuxArg(PANE_FORMAT)}`);
  if (instance.length !== 1)
    throw new TmuxError(
      `unexpected tmux output for the server instance: ${JSON.stringify(instance)}`,
      'command-failed',
    );
  return finish(parseFleet(instance[0] ?? '', panes));
}

/** The server instance through an open control client. */
export async function queryInstanceVia(client: ControlClient): Promise<ServerInstance> {
  const lines = await client.command(`display-message -p ${quoteTmuxArg(INSTANCE_FORMAT)}`);
  if (lines.length !== 1)
    throw new TmuxError(`unexpected tmux output for the server instance: ${JSON.stringify(lines)}`, 'command-failed');
  return parseInstance(lines[0] ?? '');
}

export async function queryInstance(target: TmuxTarget): Promise<ServerInstance | null> {
  let stdout: string;
  try {
    stdout = await runTmux(target, ['-u', 'display-message', '-p', INSTANCE_FORMAT]);
  } catch (err) {
    if (err instanceof TmuxError && err.reason === 'no-server') return null;
    throw err;
  }
  return parseInstance(splitOutput(stdout)[0] ?? '');
}

/** tmux prints its start to the second; /proc dates the fork to 10 ms: allow the gap between. */
const START_TOLERANCE_MS = 2000;

/**
 * Is `instance` still the server running, as a save's last check asks: on Linux from
 * /proc/<pid> (a running process named tmux that started when the instance did), which costs two file
 * reads instead of a tmux process; anything else, or no match, asks tmux through `target`.
 */
export async function instanceStillUp(target: TmuxTarget, instance: ServerInstance): Promise<ServerInstance | null> {
  if (process.platform === 'linux' && serverProcessMatches(instance)) return instance;
  return queryInstance(target);
}

function serverProcessMatches(i: ServerInstance): boolean {
  const p = runningProcess(i.pid);
  return (
    p !== null &&
    p.comm.startsWith('tmux') &&
    p.startedAtMs !== null &&
    Math.abs(p.startedAtMs - i.startTime * 1000) <= START_TOLERANCE_MS
  );
}
