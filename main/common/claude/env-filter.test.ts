import { describe, expect, it } from 'vitest';
import { filterClaudeEnv, looksSecret } from './env-filter.js';

const environ = (o: Record<string, string>) => new Map(Object.entries(o));

describe('filterClaudeEnv', () => {
  it('carries the config dir and the model/provider variables, nothing else by default', () => {
    const r = filterClaudeEnv(
      environ({
        CLAUDE_CONFIG_DIR: '/home/u/.claude-work',
        ANTHROPIC_MODEL: 'opus',
        CLAUDE_CODE_USE_BEDROCK: '1',
        AWS_REGION: 'eu-west-1',
        PATH: '/usr/bin',
        HOME: '/home/u',
        EDITOR: 'vim',
      }),
      [],
    );
    expect(r.env).toEqual({
      CLAUDE_CONFIG_DIR: '/home/u/.claude-work',
      ANTHROPIC_MODEL: 'opus',
      CLAUDE_CODE_USE_BEDROCK: '1',
      AWS_REGION: 'eu-west-1',
    });
    expect(r.notCarried).toEqual([]);
  });

  it("adds the user's own names, but never one that looks like a secret, and says so", () => {
    const r = filterClaudeEnv(
      environ({
        MY_PROJECT: 'p1',
        ANTHROPIC_API_KEY: 'canary-secret-1',
        CLAUDE_CODE_OAUTH_TOKEN: 'canary-secret-2',
        MY_PASSWORD: 'canary-secret-3',
        GITHUB_TOKEN: 'canary-secret-4',
      }),
      ['MY_PROJECT', 'MY_PASSWORD', 'db_auth', 'NOT_SET'],
    );
    expect(r.env).toEqual({ MY_PROJECT: 'p1' });
    expect(r.notCarried.map((n) => n.name).sort()).toEqual(
      ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN', 'MY_PASSWORD', 'db_auth'].sort(),
    );
    expect(JSON.stringify(r)).not.toContain('canary-secret');
    for (const n of r.notCarried) expect(n.reason).toMatch(/secret/);
  });

  it('recognises secret-looking names in any case', () => {
    for (const n of ['API_KEY', 'apikey', 'Token', 'MY_SECRET', 'PASSWORD', 'AWS_CREDENTIALS', 'x_auth_y'])
      expect(looksSecret(n), n).toBe(true);
    for (const n of ['CLAUDE_CONFIG_DIR', 'ANTHROPIC_MODEL', 'AWS_PROFILE']) expect(looksSecret(n), n).toBe(false);
  });

  it('a listed __proto__ is a plain key, and invalid names are ignored', () => {
    const r = filterClaudeEnv(
      new Map([
        ['__proto__', 'x'],
        ['A-B', 'y'],
      ]),
      ['__proto__', 'A-B'],
    );
    expect(Object.getPrototypeOf(r.env)).toBe(Object.prototype);
    expect(Object.keys(r.env)).toEqual(['__proto__']);
  });
});
