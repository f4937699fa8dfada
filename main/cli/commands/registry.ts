import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { table } from '../output.js';

export async function registryCommand(ctx: CliContext, out: Output): Promise<number> {
  const bindings = await ctx.registry.bindings();
  out.result(bindings, () => {
    const rows = Object.entries(bindings)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([role, b]) => [
        role,
        b.sessionId,
        b.source,
        b.boundAt,
        b.endedAt ? `ended ${b.endReason ?? ''}`.trim() : 'live',
        b.cwd,
      ]);
    return rows.length === 0
      ? 'no bindings yet (are the Claude hooks installed? fleetkeeper hooks status)'
      : table(['ROLE', 'SESSION', 'SOURCE', 'BOUND', 'STATE', 'CWD'], rows);
  });
  return 0;
}
