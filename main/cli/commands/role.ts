import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { getRole, setRole } from '../../node/tmux/roles.js';
import { InvalidInputError } from '../../common/base/errors.js';

export async function roleCommand(
  ctx: CliContext,
  out: Output,
  name: string | undefined,
  flags: { pane?: string; force?: boolean },
): Promise<number> {
  const pane = flags.pane ?? ctx.env.TMUX_PANE;
  if (pane === undefined || pane === '') {
    throw new InvalidInputError('not inside a tmux pane: pass --pane TARGET (e.g. --pane %3 or --pane work:1.0)');
  }
  if (name === undefined) {
    const role = await getRole(ctx.target, pane);
    out.result({ pane, role }, role ?? '(no role yet)');
    return 0;
  }
  await setRole(ctx.target, pane, name, { force: flags.force === true });
  out.result({ pane, role: name }, `role of ${pane} is now ${name}`);
  return 0;
}
