// Which of a Claude process's environment variables a relaunch carries. An allow-list: the
// config dir (the account), the non-secret variables that choose the model or the provider,
// and the user's own `claudeEnv` names. A name that looks like a secret is never stored, even
// when the user lists it: only its name is reported, so the plan can say why it is missing.
import type { EnvNotCarried } from '../base/types.js';

/** Always carried when set: the account, the model, the provider and its non-secret routing. */
export const CLAUDE_ENV_ALLOW: readonly string[] = [
  'CLAUDE_CONFIG_DIR',
  'ANTHROPIC_MODEL',
  'ANTHROPIC_SMALL_FAST_MODEL',
  'ANTHROPIC_DEFAULT_OPUS_MODEL',
  'ANTHROPIC_DEFAULT_SONNET_MODEL',
  'ANTHROPIC_DEFAULT_HAIKU_MODEL',
  'CLAUDE_CODE_SUBAGENT_MODEL',
  'ANTHROPIC_BASE_URL',
  'CLAUDE_CODE_USE_BEDROCK',
  'CLAUDE_CODE_USE_VERTEX',
  'CLAUDE_CODE_USE_FOUNDRY',
  'ANTHROPIC_BEDROCK_BASE_URL',
  'ANTHROPIC_VERTEX_BASE_URL',
  'ANTHROPIC_VERTEX_PROJECT_ID',
  'ANTHROPIC_FOUNDRY_RESOURCE',
  'CLOUD_ML_REGION',
  'AWS_REGION',
  'AWS_PROFILE',
];

/** KEY, TOKEN, SECRET, PASSWORD, CREDENTIAL, AUTH anywhere in the name, any case. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|AUTH/i;

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** A portable variable name (what `env NAME=value` and every shell accept). */
export function isEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** Secret-looking variables that matter to Claude are named in the plan when they were set. */
const CLAUDE_RELATED = /^(ANTHROPIC_|CLAUDE_|AWS_|GOOGLE_|AZURE_)/;

export interface FilteredEnv {
  env: Record<string, string>;
  notCarried: EnvNotCarried[];
}

/**
 * `environ` is the process environment; `userNames` the `claudeEnv` setting. Values are copied
 * only for allowed, non-secret names that are set; names are checked, values never inspected.
 */
export function filterClaudeEnv(environ: ReadonlyMap<string, string>, userNames: readonly string[]): FilteredEnv {
  const env: Record<string, string> = {};
  const notCarried: EnvNotCarried[] = [];
  const noted = new Set<string>();
  const note = (name: string, reason: string): void => {
    if (noted.has(name)) return;
    noted.add(name);
    notCarried.push({ name, reason });
  };
  const listed = new Set(userNames);
  for (const name of [...CLAUDE_ENV_ALLOW, ...userNames]) {
    if (!isEnvName(name)) continue;
    if (looksSecret(name)) {
      if (environ.has(name) || listed.has(name))
        note(name, 'its name looks like a secret: never stored (set it in your shell profile)');
      continue;
    }
    const v = environ.get(name);
    // defineProperty: a listed name like __proto__ must be a plain key, not the prototype.
    if (v !== undefined && !Object.hasOwn(env, name))
      Object.defineProperty(env, name, { value: v, enumerable: true, writable: true, configurable: true });
  }
  for (const name of environ.keys()) {
    if (CLAUDE_RELATED.test(name) && looksSecret(name))
      note(name, 'its name looks like a secret: never stored (set it in your shell profile)');
  }
  return { env, notCarried };
}
