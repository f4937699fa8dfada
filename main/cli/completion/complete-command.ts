import { COMMANDS } from '../command-table.js';
import { completionFor } from './candidates.js';
import type { CompletionSource } from '../command-spec.js';

/** What the shell scripts print to ask for file-name completion instead. */
export const FILE_MARKER = '::file';

/**
 * `fleetkeeper __complete WORD...`: one candidate per line for the last word. Asked by the
 * completion scripts at every TAB, so it must never fail loudly: a missing server or state
 * dir just means no candidates.
 */
export async function completeCommand(words: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const answer = completionFor(COMMANDS, words.length === 0 ? [''] : words);
  let out: string[];
  if (answer.kind === 'words') out = answer.words;
  else if (answer.source === 'file') out = [FILE_MARKER];
  else {
    try {
      out = (await sourceValues(answer.source, socketIn(words), env)).filter((v) => v.startsWith(answer.prefix));
    } catch {
      out = [];
    }
  }
  const unique = [...new Set(out)].filter((w) => w !== '' && !/[\u0000-\u001f\u007f]/.test(w));
  if (unique.length > 0) process.stdout.write(`${unique.join('\n')}\n`);
  return 0;
}

function socketIn(words: readonly string[]): string | undefined {
  const i = words.lastIndexOf('--socket');
  if (i >= 0 && i < words.length - 2) return words[i + 1];
  const eq = words.find((w) => w.startsWith('--socket='));
  return eq?.slice('--socket='.length);
}

async function sourceValues(
  source: CompletionSource,
  socket: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  switch (source) {
    case 'snapshot-id': {
      const [{ resolveStateDir, statePaths }, { listSnapshots }] = await Promise.all([
        import('../../node/base/state-dir.js'),
        import('../../node/snapshot/store.js'),
      ]);
      const listing = await listSnapshots(statePaths(resolveStateDir(env)));
      return listing.valid.map((s) => s.id).reverse();
    }
    case 'role': {
      const [{ resolveStateDir, statePaths }, { RegistryStore }] = await Promise.all([
        import('../../node/base/state-dir.js'),
        import('../../node/journal/registry-store.js'),
      ]);
      const roles = Object.keys(await new RegistryStore(statePaths(resolveStateDir(env))).bindings());
      const live = await tmuxLines(socket, env, ['list-panes', '-a', '-F', '#{@fleetkeeper-role}']);
      return [...roles, ...live].sort();
    }
    case 'session':
      return tmuxLines(socket, env, ['list-sessions', '-F', '#{session_name}']);
    case 'pane':
      return tmuxLines(socket, env, [
        'list-panes',
        '-a',
        '-F',
        '#{pane_id}\n#{session_name}:#{window_index}.#{pane_index}',
      ]);
    case 'file':
    case 'none':
      return [];
  }
}

async function tmuxLines(socket: string | undefined, env: NodeJS.ProcessEnv, args: string[]): Promise<string[]> {
  const [{ runTmux, tmuxTargetFrom }, { parseTmuxEnv }] = await Promise.all([
    import('../../node/tmux/exec.js'),
    import('../../node/tmux/pane-context.js'),
  ]);
  let target = tmuxTargetFrom(socket, env);
  // Typed in a pane: the candidates of the server that pane is on, as the command itself would use.
  const inPane = parseTmuxEnv(env.TMUX, env.TMUX_PANE);
  if (socket === undefined && (env.FLEETKEEPER_TMUX_SOCKET ?? '') === '' && inPane)
    target = { socketPath: inPane.socketPath };
  try {
    return (await runTmux(target, args, 2000)).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}
