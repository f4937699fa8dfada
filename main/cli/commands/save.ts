import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { withWriterLock } from '../../node/base/writer-lock.js';
import { saveSnapshot } from '../../node/snapshot/save.js';
import { countPanes } from '../../common/snapshot/counts.js';

export async function saveCommand(ctx: CliContext, out: Output): Promise<number> {
  // One writer at a time: while the daemon or the app is saving, wait for its lock.
  const result = await withWriterLock(
    ctx.paths,
    `cli save (pid ${process.pid})`,
    () =>
      saveSnapshot(
        {
          paths: ctx.paths,
          target: ctx.target,
          registry: ctx.registry,
          settings: ctx.settings.get(),
          clock: ctx.clock,
        },
        'manual',
      ),
    { waitMs: 15_000 },
  );
  const c = countPanes(result.snapshot);
  out.result(
    {
      ok: true,
      id: result.snapshot.id,
      savedAt: result.snapshot.savedAt,
      durationMs: result.snapshot.durationMs,
      ...c,
      rolesAssigned: result.rolesAssigned,
      eventsFolded: result.eventsFolded,
      pruned: result.pruned,
      transcriptProblems: result.transcriptProblems ?? [],
    },
    `saved ${result.snapshot.id} · ${c.sessions} sessions · ${c.panes} panes · ${c.claudePanes} Claude ` +
      `(${result.snapshot.durationMs ?? '?'} ms)` +
      (result.transcriptProblems ?? []).map((p) => `\nwarning: ${p}`).join(''),
  );
  return 0;
}
