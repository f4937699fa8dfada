import { realpathSync } from 'node:fs';
import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { getRole, setRole } from '../../node/tmux/roles.js';
import { parseTmuxEnv } from '../../node/tmux/pane-context.js';
import { runTmux } from '../../node/tmux/exec.js';
import { InvalidInputError, TmuxError } from '../../common/base/errors.js';

const canonical = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/**
 * `$TMUX_PANE` (%id) is a handle of the server the pane lives on; the same %id on another
 * server is another pane. Used without --pane, it is only valid against its own server.
 */
async function ownPane(ctx: CliContext): Promise<string> {
  const paneVar = ctx.env.TMUX_PANE;
  if (paneVar === undefined || paneVar === '')
    throw new InvalidInputError('not inside a tmux pane: pass --pane TARGET (e.g. --pane %3 or --pane work:1.0)');
  const own = parseTmuxEnv(ctx.env.TMUX, paneVar);
  if (own === null)
    throw new InvalidInputError(
      `TMUX_PANE is ${JSON.stringify(paneVar)} but $TMUX does not name its server (${JSON.stringify(ctx.env.TMUX ?? '')}); pass --pane TARGET`,
    );
  if (ctx.target.socketPath !== undefined && canonical(ctx.target.socketPath) === canonical(own.socketPath))
    return own.paneId;
  const named = ctx.target.socketName !== undefined ? ` (socket ${JSON.stringify(ctx.target.socketName)})` : '';
  const targetPath = (await runTmux(ctx.target, ['display-message', '-p', '#{socket_path}'])).trim();
  if (targetPath !== '' && canonical(targetPath) === canonical(own.socketPath)) return own.paneId;
  throw new InvalidInputError(
    `this pane ${own.paneId} belongs to the tmux server at ${own.socketPath}, but the target server is ${targetPath || 'another one'}${named}; ` +
      `its ${own.paneId} is a different pane. Pass --pane TARGET to name a pane on that server`,
  );
}

/** An unknown pane is bad input (exit 2), not a tmux failure. */
function unknownPane(err: unknown, pane: string): never {
  if (
    err instanceof TmuxError &&
    err.reason === 'command-failed' &&
    /can't find|no tmux pane matches/i.test(err.message)
  )
    throw Object.assign(new InvalidInputError(`no tmux pane matches ${JSON.stringify(pane)}`), { cause: err });
  throw err;
}

export async function roleCommand(
  ctx: CliContext,
  out: Output,
  name: string | undefined,
  flags: { pane?: string; force?: boolean },
): Promise<number> {
  const pane = flags.pane ?? (await ownPane(ctx));
  if (name === undefined) {
    const role = await getRole(ctx.target, pane).catch((e: unknown) => unknownPane(e, pane));
    out.result({ pane, role }, role ?? '(no role yet)');
    return 0;
  }
  await setRole(ctx.target, pane, name, { force: flags.force === true }).catch((e: unknown) => unknownPane(e, pane));
  out.result({ pane, role: name }, `role of ${pane} is now ${name}`);
  return 0;
}
