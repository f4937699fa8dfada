import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { restore, type RestoreReport } from '../../node/restore/service.js';
import type { RestorePlan } from '../../common/restore/plan.js';

export function renderPlan(plan: RestorePlan): string {
  const lines = [`restore plan for snapshot ${plan.snapshotId} (saved ${plan.savedAt})`];
  for (const s of plan.sessions) {
    lines.push(
      s.action === 'create'
        ? `session ${JSON.stringify(s.name)}: create`
        : `session ${JSON.stringify(s.name)}: SKIPPED (a session of that name exists; not touched)`,
    );
    if (s.action !== 'create') continue;
    for (const w of s.windows) {
      lines.push(
        `  window ${w.index} ${JSON.stringify(w.name)}${w.active ? ' (active)' : ''}${w.zoomed ? ' (zoomed)' : ''}`,
      );
      for (const p of w.panes) {
        const what =
          p.action === 'resume'
            ? `resume ${p.sessionId ?? '?'} ${p.title ? `"${p.title}"` : '(untitled)'}`
            : `shell — ${p.reason ?? ''}`;
        lines.push(
          `    ${p.target}  role ${p.role}  cwd ${JSON.stringify(p.cwd)}  ${what}${p.action === 'resume' && p.reason ? ` (${p.reason})` : ''}`,
        );
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
      `${v.status.toUpperCase().padEnd(8)} ${v.role} (${v.paneId}) expected ${v.expected}${v.got !== null && v.got !== v.expected ? ` got ${v.got}` : ''}`,
    );
  }
  const verified = r.verification.filter((v) => v.status === 'verified').length;
  lines.push(`verified ${verified} of ${r.verification.length} resumed conversations`);
  for (const p of r.problems) lines.push(`INCOMPLETE: ${p}`);
  return lines.join('\n');
}

export async function restoreCommand(
  ctx: CliContext,
  out: Output,
  id: string | undefined,
  flags: { dryRun?: boolean; staggerMs?: number; verifyTimeoutS?: number },
): Promise<number> {
  const report = await restore(ctx.paths, ctx.target, id, {
    dryRun: flags.dryRun === true,
    staggerMs: flags.staggerMs ?? 1000,
    verifyTimeoutS: flags.verifyTimeoutS ?? 60,
    claudeBin: ctx.claudeBin,
    clock: ctx.clock,
  });
  out.result(report, () => renderReport(report));
  return report.ok ? 0 : 1;
}
