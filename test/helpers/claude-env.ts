import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withoutTmux } from './fixtures.js';

export const CLAUDE_BIN = realpathSync(fileURLToPath(new URL('../../node_modules/.bin/claude', import.meta.url)));

export interface ClaudeSandbox {
  root: string;
  configDir: string;
  stateDir: string;
  home: string;
  env: NodeJS.ProcessEnv;
}

/**
 * A private world for the real Claude Code CLI, offline (../shared/notes/claude-code-in-tests.md):
 * its own CLAUDE_CONFIG_DIR with onboarding done and every project dir trusted, no API key,
 * no auto-update, and Fleetkeeper's own state dir.
 */
export function claudeSandbox(
  projectDirs: readonly string[],
  root = mkdtempSync(join(tmpdir(), 'fk-e2e-')),
): ClaudeSandbox {
  const configDir = join(root, 'claude');
  const stateDir = join(root, 'state');
  const home = join(root, 'home');
  mkdirSync(configDir, { recursive: true });
  mkdirSync(home, { recursive: true });
  const projects: Record<string, unknown> = {};
  for (const d of projectDirs) projects[d] = { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true };
  writeFileSync(join(configDir, '.claude.json'), JSON.stringify({ hasCompletedOnboarding: true, projects }));
  const env = withoutTmux();
  delete env.ANTHROPIC_API_KEY;
  Object.assign(env, {
    CLAUDE_CONFIG_DIR: configDir,
    FLEETKEEPER_HOME: stateDir,
    FLEETKEEPER_CLAUDE_BIN: CLAUDE_BIN,
    DISABLE_AUTOUPDATER: '1',
    HOME: home,
  });
  return { root, configDir, stateDir, home, env };
}

/** Claude's prompt is on screen. */
export function showsPrompt(screen: string): boolean {
  return screen.includes('❯');
}
