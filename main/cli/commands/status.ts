import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { gatherHealth } from '../../node/daemon/health-service.js';
import { shortStatus, formatAge } from '../../common/health/status-line.js';
import { InvalidInputError } from '../../common/base/errors.js';

export async function statusCommand(
  ctx: CliContext,
  out: Output,
  flags: { short?: boolean; staleAfter?: string },
): Promise<number> {
  let staleAfterS: number | undefined;
  if (flags.staleAfter !== undefined) {
    staleAfterS = Number(flags.staleAfter);
    if (!Number.isFinite(staleAfterS) || staleAfterS <= 0)
      throw new InvalidInputError(
        `--stale-after must be a positive number of seconds, got ${JSON.stringify(flags.staleAfter)}`,
      );
  }
  const report = await gatherHealth(
    {
      paths: ctx.paths,
      target: ctx.target,
      settings: ctx.settings.get(),
      clock: ctx.clock,
      settingsPath: ctx.claudeSettingsPath,
      hookCommands: ctx.hookCommands,
    },
    staleAfterS,
  );
  const text = () => {
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
