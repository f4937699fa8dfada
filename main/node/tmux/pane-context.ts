import type { PaneContext, ServerInstance } from '../../common/base/types.js';
import { TmuxError } from '../../common/base/errors.js';
import { defaultRole } from '../../common/base/names.js';
import { runTmux, type TmuxTarget } from './exec.js';
import { INSTANCE_FORMAT, parseInstance, ROLE_OPTION } from '../../common/tmux/fleet-format.js';

// Where the hook runs: the live pane at that instant. Everything comes from ONE tmux call so
// a hook never makes Claude wait, plus one more only the first time a pane has no role.

const PANE_RE = /^%\d+$/;
/** Unit separator: not a role character, and tmux prints it in session names as `\037`. */
const SEP = '\x1f';
const BEGIN = `FKB${SEP}`;
const END = `${SEP}FKE\n`;

/** `$TMUX` is `socket,pid,session`; the socket path may itself contain commas. */
export function parseTmuxEnv(
  tmuxVar: string | undefined,
  tmuxPane: string | undefined,
): { socketPath: string; paneId: string } | null {
  if (tmuxVar === undefined || tmuxPane === undefined || !PANE_RE.test(tmuxPane)) return null;
  const parts = tmuxVar.split(',');
  if (parts.length < 3) return null;
  const socketPath = parts.slice(0, -2).join(',');
  // `tmux -S ""` would silently talk to another server: never an empty (or relative) path.
  if (socketPath === '' || !socketPath.startsWith('/')) return null;
  return { socketPath, paneId: tmuxPane };
}

// The instance in the one escaped INSTANCE_FORMAT (its own fields TAB-separated inside ours).
const DISPLAY_FMT = [
  'FKB',
  INSTANCE_FORMAT,
  '#{pane_id}',
  '#{window_index}',
  '#{pane_index}',
  `#{${ROLE_OPTION}}`,
  '#{session_name}',
  'FKE',
].join(SEP);
const LIST_FMT = `FKP${SEP}#{pane_id}${SEP}#{${ROLE_OPTION}}`;

export interface ParsedLookup {
  context: Omit<PaneContext, 'role'>;
  role: string;
  taken: Set<string>;
}

const toInt = (s: string | undefined): number | null => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null);

/** Parses the output of the chained display + list-panes call; null when it is not ours. */
export function parseLookupOutput(out: string): ParsedLookup | null {
  const begin = out.indexOf(BEGIN);
  const end = out.indexOf(END, begin);
  if (begin < 0 || end < 0) return null;
  const fields = out.slice(begin, end).split(SEP);
  // Session name last: whatever it contains, the fixed fields before it stay aligned.
  const [, instanceText, paneId, winS, paneS, role, ...sessionParts] = fields;
  let instance: ServerInstance;
  try {
    instance = parseInstance(instanceText ?? '');
  } catch {
    return null;
  }
  const windowIndex = toInt(winS);
  const paneIndex = toInt(paneS);
  if (instance.socketPath === '') return null;
  if (paneId === undefined || !PANE_RE.test(paneId) || windowIndex === null || paneIndex === null) return null;
  const taken = new Set<string>();
  for (const line of out.slice(end + END.length).split('\n')) {
    if (!line.startsWith(`FKP${SEP}`)) continue;
    const r = line.split(SEP).slice(2).join(SEP);
    if (r !== '') taken.add(r);
  }
  return {
    context: {
      instance,
      paneId,
      sessionName: sessionParts.join(SEP),
      windowIndex,
      paneIndex,
    },
    role: role ?? '',
    taken,
  };
}

/**
 * The pane this process runs in, from `$TMUX`/`$TMUX_PANE`, or null outside tmux. A pane
 * without a role gets a unique default, stored in the pane option so it sticks.
 * Rejects with TmuxError when tmux fails or exceeds `timeoutMs` in total.
 */
export async function lookupPaneContext(
  env: NodeJS.ProcessEnv,
  opts: { timeoutMs?: number; tmuxBin?: string } = {},
): Promise<PaneContext | null> {
  const where = parseTmuxEnv(env.TMUX, env.TMUX_PANE);
  if (where === null) return null;
  const deadline = Date.now() + (opts.timeoutMs ?? 2_000);
  const target: TmuxTarget =
    opts.tmuxBin !== undefined ? { socketPath: where.socketPath, bin: opts.tmuxBin } : { socketPath: where.socketPath };
  const remaining = (): number => {
    const ms = deadline - Date.now();
    if (ms <= 0) throw new TmuxError(`tmux pane lookup exceeded ${opts.timeoutMs ?? 2_000} ms`, 'timeout');
    return ms;
  };
  const out = await runTmux(
    target,
    ['display-message', '-p', '-t', where.paneId, '-F', DISPLAY_FMT, ';', 'list-panes', '-a', '-F', LIST_FMT],
    remaining(),
  );
  const parsed = parseLookupOutput(out);
  if (parsed === null)
    throw new TmuxError(
      `unexpected reply from tmux for pane ${where.paneId}: ${JSON.stringify(out.slice(0, 200))}`,
      'command-failed',
    );
  if (parsed.role !== '') return { ...parsed.context, role: parsed.role };
  const role = defaultRole(
    parsed.context.sessionName,
    parsed.context.windowIndex,
    parsed.context.paneIndex,
    parsed.taken,
  );
  await runTmux(target, ['set-option', '-p', '-t', parsed.context.paneId, ROLE_OPTION, role], remaining());
  return { ...parsed.context, role };
}
