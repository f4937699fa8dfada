import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { gatherHealth } from '../../node/daemon/health-service.js';
import { shortStatus, formatAge, tmuxStatus } from '../../common/health/status-line.js';

export async function statusCommand(
  ctx: CliContext,
  out: Output,
  flags: { short?: boolean; tmux?: boolean; staleAfterS?: number },
): Promise<number> {
  const report = await gatherHealth(
    {
      paths: ctx.paths,
      target: ctx.target,
      settings: ctx.settings.get(),
      clock: ctx.clock,
      settingsPath: ctx.claudeSettingsPath,
      hookCommands: ctx.hookCommands,
    },
    flags.staleAfterS,
  );
  const text = () => {
    if (flags.tmux) return tmuxStatus(report);
    if (flags.short) return shortStatus(report);
    const age = report.ageSeconds === null ? 'never' : `${formatAge(report.ageSeconds)} ago`;
    const c = report.counts;
    const lines = [
      `${report.state.toUpperCase()} (${report.colour}): ${report.reason}`,
      `newest snapshot: ${report.newestSnapshotId ?? 'none'} · saved ${age}`,
      `${c.sessions} sessions · ${c.windows} windows · ${c.panes} panes · ${c.claudePanes} Claude`,
      ...report.problems.map((p) => `problem [${p.code}]: ${p.message}`),
    ];
    return lines.join('\n');
  };
  out.result(report, text);
  return report.state === 'fresh' ? 0 : 1;
}
