import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CLAUDE_CLI_VERSION, CLAUDE_OPTIONS, type ClaudeOption } from './cli-options.js';

const CLAUDE = fileURLToPath(new URL('../../../node_modules/.bin/claude', import.meta.url));

/** The option lines of Commander's help: `  -r, --resume [value]   text`. */
function parseHelp(help: string): ClaudeOption[] {
  const out: ClaudeOption[] = [];
  for (const line of help.split('\n')) {
    const m = /^ {2}(-[^ ].*?)(?: {2,}|$)/.exec(line);
    if (!m) continue;
    const spec = (m[1] as string).trim();
    const names: string[] = [];
    let arity: ClaudeOption['arity'] = 'none';
    for (const part of spec.split(/, | /)) {
      if (part.startsWith('-')) names.push(part);
      else if (part.startsWith('<')) arity = part.endsWith('...>') ? 'variadic' : 'required';
      else if (part.startsWith('[')) arity = part.endsWith('...]') ? 'variadic' : 'optional';
    }
    out.push({ names, arity });
  }
  return out;
}

describe('the Claude option table', () => {
  it('is the installed Claude Code version', () => {
    const v = execFileSync(CLAUDE, ['--version'], {
      encoding: 'utf8',
      env: { ...process.env, DISABLE_AUTOUPDATER: '1' },
    });
    expect(v).toContain(CLAUDE_CLI_VERSION);
  });

  it('matches `claude --help` of the installed CLI option for option', () => {
    const help = execFileSync(CLAUDE, ['--help'], {
      encoding: 'utf8',
      env: { ...process.env, DISABLE_AUTOUPDATER: '1' },
    });
    const parsed = parseHelp(help);
    expect(parsed.length).toBeGreaterThan(40);
    const key = (o: ClaudeOption): string => `${o.names.join(',')} ${o.arity}`;
    expect(parsed.map(key).sort()).toEqual(CLAUDE_OPTIONS.map(key).sort());
  });
});
