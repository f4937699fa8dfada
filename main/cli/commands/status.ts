import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { gatherHealth } from '../../node/daemon/health-service.js';
import { readSaverState } from '../../node/daemon/saver-state.js';
import { shortStatus, tmuxStatus } from '../../common/health/status-line.js';
import { formatAge } from '../../common/base/format-age.js';
import { keptUsage, type KeptUsage } from '../../node/claude/kept-transcripts.js';
import { channelsLine, liveAlertChannels } from '../../node/alerts/alert-status.js';

const mb = (n: number): string => `${(n / 1048576).toFixed(1)} MB`;

function keptLine(k: KeptUsage): string {
  return `kept transcripts: ${k.count} · ${mb(k.bytes)} (${mb(k.bytes - k.sharedBytes)} of it not shared with Claude's own files)`;
}

export async function statusCommand(
  ctx: CliContext,
  out: Output,
  flags: { short?: boolean; tmux?: boolean; staleAfterS?: number },
): Promise<number> {
  // The one-line forms run on tmux's clock: they show freshness only.
  const saverP = flags.short || flags.tmux ? null : readSaverState(ctx.paths);
  const keptP = flags.short || flags.tmux ? null : keptUsage(ctx.paths);
  const alertsP = flags.short || flags.tmux ? null : liveAlertChannels(ctx.paths, ctx.settings.get(), ctx.env);
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
  const saver = saverP === null ? null : await saverP;
  const kept = keptP === null ? null : await keptP;
  const alertChannels = alertsP === null ? null : await alertsP;
  const text = () => {
    if (flags.tmux) return tmuxStatus(report);
    if (flags.short) return shortStatus(report);
    const age = report.ageSeconds === null ? 'never' : `${formatAge(report.ageSeconds, 'compact')} ago`;
    const c = report.counts;
    const lines = [
      `${report.state.toUpperCase()} (${report.colour}): ${report.reason}`,
      `newest snapshot: ${report.newestSnapshotId ?? 'none'} · saved ${age}`,
      `${c.sessions} sessions · ${c.windows} windows · ${c.panes} panes · ${c.claudePanes} Claude`,
      saver === null || saver.running
        ? `saver: ${saver?.detail ?? '?'}`
        : `saver: NONE — ${saver.detail}; start one: fleetkeeper daemon (or the tray app)`,
      ...(kept === null ? [] : [keptLine(kept)]),
      ...(alertChannels === null ? [] : [`alerts: ${channelsLine(alertChannels)}`]),
      ...report.problems.map((p) => `problem [${p.code}]: ${p.message}`),
    ];
    return lines.join('\n');
  };
  const extra = {
    ...(saver === null ? {} : { saver }),
    ...(kept === null ? {} : { keptTranscripts: kept }),
    ...(alertChannels === null ? {} : { alertChannels }),
  };
  out.result({ ...report, ...extra }, text);
  return report.state === 'fresh' ? 0 : 1;
}
