import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { restore, type RestoreReport } from '../../node/restore/service.js';
import type { PlannedSession, RestorePlan } from '../../common/restore/plan.js';
import { pacingPolicy } from '../../common/restore/pacing.js';
import { progressLine } from '../../common/restore/progress.js';
import { availableParallelism } from 'node:os';

const SESSION_ACTION: Record<PlannedSession['action'], (reason?: string) => string> = {
  create: () => 'create',
  complete: () => 'COMPLETE (built by an earlier restore of this snapshot: its missing Claude panes are started)',
  'skip-exists': (reason) =>
    reason === 'already restored from this snapshot'
      ? 'SKIPPED (already restored from this snapshot)'
      : 'SKIPPED (a session of that name exists; not touched)',
  'not-selected': () => 'not selected (still on offer)',
};

export function renderPlan(plan: RestorePlan): string {
  const lines = [`restore plan for snapshot ${plan.snapshotId} (saved ${plan.savedAt})`];
  if (plan.note !== undefined) lines.push(`note: ${plan.note}`);
  for (const s of plan.sessions) {
    lines.push(`session ${JSON.stringify(s.name)}: ${SESSION_ACTION[s.action](s.reason)}`);
    if (s.action !== 'create' && s.action !== 'complete') continue;
    for (const w of s.windows) {
      lines.push(
        `  window ${w.index} ${JSON.stringify(w.name)}${w.active ? ' (active)' : ''}${w.zoomed ? ' (zoomed)' : ''}`,
      );
      for (const p of w.panes) {
        if (s.action === 'complete' && p.livePaneId === undefined) {
          lines.push(`    ${p.target}  role ${p.role}  left as it is${p.reason ? ` (${p.reason})` : ''}`);
          continue;
        }
        const what =
          p.action === 'resume'
            ? `resume ${p.sessionId ?? '?'} ${p.title ? `"${p.title}"` : '(untitled)'}`
            : p.action === 'program'
              ? 'program'
              : `shell — ${p.reason ?? ''}`;
        lines.push(
          `    ${p.target}  role ${p.role}  cwd ${JSON.stringify(p.cwd)}  ${what}` +
            (p.action !== 'shell' && p.reason ? ` (${p.reason})` : ''),
        );
        // The exact line that will be typed, and what it leaves out.
        if (p.command !== undefined && p.action !== 'shell') lines.push(`      types: ${p.command}`);
        for (const n of p.notCarried ?? []) lines.push(`      not carried: ${n.name} — ${n.reason}`);
      }
    }
  }
  const c = plan.counts;
  lines.push(
    `${c.sessions} sessions (${c.skipped} skipped) · ${c.panes} panes · ${c.resumes} resumes · ${c.shells} shells`,
  );
  return lines.join('\n');
}

function renderReport(r: RestoreReport): string {
  const lines = [renderPlan(r.plan)];
  if (r.dryRun) return `${lines.join('\n')}\n(dry run: nothing was changed)`;
  for (const v of r.verification) {
    lines.push(
      `${v.status.toUpperCase().padEnd(8)} ${v.role} (${v.paneId}) expected ${v.expected}` +
        (v.got !== null && v.got !== v.expected ? ` got ${v.got}` : ''),
    );
  }
  const verified = r.verification.filter((v) => v.status === 'verified').length;
  lines.push(`verified ${verified} of ${r.verification.length} resumed conversations`);
  for (const p of r.problems) lines.push(`INCOMPLETE: ${p}`);
  if (r.interrupted) lines.push('INTERRUPTED: stopped launching; run the same restore again to complete it');
  for (const p of r.remaining ?? []) lines.push(`still on offer: ${p}`);
  return lines.join('\n');
}

export async function restoreCommand(
  ctx: CliContext,
  out: Output,
  id: string | undefined,
  flags: {
    dryRun?: boolean;
    staggerMs?: number;
    verifyTimeoutS?: number;
    sessions?: readonly string[];
    roles?: readonly string[];
  },
): Promise<number> {
  const settings = ctx.settings.get();
  // Ctrl-C / SIGTERM stop the launching; the report (what was created, what is missing) still prints.
  const abort = new AbortController();
  const stop = (sig: string): void => {
    if (!abort.signal.aborted) process.stderr.write(`fleetkeeper restore: ${sig}: stopping after the current step\n`);
    abort.abort();
  };
  const onInt = (): void => stop('SIGINT');
  const onTerm = (): void => stop('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const report = await restore(ctx.paths, ctx.target, id, {
      dryRun: flags.dryRun === true,
      pacing: pacingPolicy(settings.launch, availableParallelism(), flags.staggerMs),
      verifyTimeoutS: flags.verifyTimeoutS ?? 60,
      claudeBin: ctx.claudeBin,
      clock: ctx.clock,
      restorePrograms: settings.restorePrograms,
      selection: { sessions: flags.sessions ?? [], roles: flags.roles ?? [] },
      signal: abort.signal,
      onProgress: (e) => process.stderr.write(`${progressLine(e)}\n`),
    });
    out.result(report, () => renderReport(report));
    return report.ok ? 0 : report.interrupted ? 130 : 1;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
