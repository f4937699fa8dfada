import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { importResurrect } from '../../node/snapshot/import-resurrect.js';
import { countPanes } from '../../common/snapshot/counts.js';

export async function importResurrectCommand(ctx: CliContext, out: Output, file: string | undefined): Promise<number> {
  const r = await importResurrect(ctx.paths, file, ctx.env, ctx.clock);
  const c = countPanes(r.snapshot);
  out.result(
    { ok: true, id: r.snapshot.id, file: r.file, ...c, notes: r.notes },
    [
      `imported ${r.file} as snapshot ${r.snapshot.id} · ${c.sessions} sessions · ${c.windows} windows · ${c.panes} panes`,
      ...r.notes.map((n) => `note: ${n}`),
      `no Claude conversations (tmux-resurrect never knew them): restore gives every pane a shell in its directory`,
      `restore it: fleetkeeper restore ${r.snapshot.id}`,
    ].join('\n'),
  );
  return 0;
}
