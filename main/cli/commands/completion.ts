import { cliLauncherPath } from '../context.js';
import { completionScript, type Shell } from '../completion/scripts.js';

/** Prints the completion script for a shell (no state dir, no tmux: safe in a shell's rc file). */
export async function completionCommand(shell: Shell, json: boolean): Promise<number> {
  const script = completionScript(shell, [process.execPath, cliLauncherPath()]);
  process.stdout.write(json ? `${JSON.stringify({ shell, script })}\n` : script);
  return 0;
}
