import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `$CLAUDE_CONFIG_DIR` (Claude Code's own variable), else `~/.claude`. */
export function claudeConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.CLAUDE_CONFIG_DIR;
  if (explicit !== undefined && explicit !== '') return resolve(explicit);
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
  return join(home, '.claude');
}

/** The user settings file Claude Code reads its hooks from. */
export function claudeSettingsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(claudeConfigDir(env), 'settings.json');
}
