// Types each listed program back into its new pane's shell (`vim notes.md`, `tail -f app.log`),
// once the shell drew its prompt, so quitting the program leaves the shell.
import { errorMessage } from '../../common/base/errors.js';
import { typeLineArgs } from '../../common/restore/commands.js';
import { runTmux, type TmuxTarget } from '../tmux/exec.js';
import { waitForPrompts } from './launch.js';
import type { ExecutedPane, ExecuteOptions, ExecuteResult } from './execute.js';

export async function typePrograms(
  target: TmuxTarget,
  panes: readonly ExecutedPane[],
  opts: ExecuteOptions,
  result: ExecuteResult,
): Promise<void> {
  const programs = panes.filter((p) => p.action === 'program' && p.command !== undefined);
  if (programs.length === 0) return;
  const notReady = await waitForPrompts(
    target,
    programs.map((p) => p.paneId),
    opts.shellReadyTimeoutMs ?? 10_000,
  );
  for (const p of programs) {
    if (opts.signal?.aborted) {
      p.action = 'shell';
      p.notStarted = 'interrupted before the program was typed';
      continue;
    }
    if (notReady.has(p.paneId))
      result.warnings.push(`pane ${p.paneId}: no shell prompt seen; typed the program anyway`);
    try {
      await runTmux(target, typeLineArgs(p.paneId, p.command as string));
      p.startedAt = new Date().toISOString();
    } catch (err) {
      p.action = 'shell';
      p.notStarted = `program not typed: ${errorMessage(err)}`;
      result.warnings.push(`pane ${p.target} (${p.paneId}): program not typed: ${errorMessage(err)}`);
    }
  }
}
