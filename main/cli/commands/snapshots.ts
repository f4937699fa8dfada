import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { table } from '../output.js';
import { listSnapshots } from '../../node/snapshot/store.js';

export async function snapshotsCommand(ctx: CliContext, out: Output): Promise<number> {
  const listing = await listSnapshots(ctx.paths);
  out.result(listing, () => {
    const rows = listing.valid.map((s) => [
      s.id,
      s.savedAt,
      s.trigger,
      String(s.sessions),
      String(s.panes),
      String(s.claudePanes),
      // An import was read from a save file, not a server: its made-up instance names that file.
      s.trigger === 'import' ? `imported: ${s.instance.socketPath}` : `${s.instance.socketPath} pid ${s.instance.pid}`,
    ]);
    const body =
      rows.length === 0
        ? 'no snapshots yet'
        : table(['ID', 'SAVED', 'TRIGGER', 'SESSIONS', 'PANES', 'CLAUDE', 'SERVER'], rows);
    const bad = listing.corrupt.map((c) => `corrupt: ${c.file}: ${c.reason}`);
    return [body, ...bad].join('\n');
  });
  return 0;
}
