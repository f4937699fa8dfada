// The exact line a restore types into a pane: Claude relaunched as it was (variables,
// executable, kept arguments, `--resume <id>`), or a program from the restore list. Every word
// is shell-quoted; a word with a control character is never typed (the pane gets a shell and
// the reason). Variables go through `env` so bash, zsh and fish all read the line the same way
// (fish before 3.1 has no `NAME=value cmd`), and a user's alias or function named like the
// executable is bypassed only when there are variables to set.
import type { AgentCapture, EnvNotCarried } from '../base/types.js';
import { assertSessionId } from '../base/names.js';
import { controlCharIn, shellCommand } from '../base/shell-quote.js';
import { isEnvName, looksSecret } from '../claude/env-filter.js';

export type TypedLine = { ok: true; argv: string[]; line: string } | { ok: false; reason: string };

export interface ClaudeLine {
  typed: TypedLine;
  /** Variables set for the saved Claude that the line does not carry, and why. */
  notCarried: EnvNotCarried[];
}

const short = (s: string): string => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

function refuse(argvLabels: Array<[string, string]>): string | null {
  for (const [label, word] of argvLabels) {
    const c = controlCharIn(word);
    if (c !== null) return `${label} contains a control character (${c}): nothing typed, the pane is a shell`;
  }
  return null;
}

/**
 * `override` is FLEETKEEPER_CLAUDE_BIN: it replaces the executable only. Without a capture (a
 * format-1 snapshot, or no /proc) the line is today's `claude --resume <id>`.
 */
export function claudeLine(agent: AgentCapture | undefined, sessionId: string, override: string | null): ClaudeLine {
  const id = assertSessionId(sessionId);
  const executable = override !== null && override !== '' ? override : (agent?.executable ?? 'claude');
  const notCarried: EnvNotCarried[] = (agent?.envNotCarried ?? []).map((e) => ({ ...e }));
  const assignments: string[] = [];
  const labels: Array<[string, string]> = [[`the Claude executable ${short(executable)}`, executable]];
  for (const [name, value] of Object.entries(agent?.env ?? {})) {
    // A hand-edited snapshot is data too: the same rules as at capture.
    if (!isEnvName(name)) notCarried.push({ name, reason: 'not a valid variable name' });
    else if (looksSecret(name)) notCarried.push({ name, reason: 'its name looks like a secret: never carried' });
    else {
      assignments.push(`${name}=${value}`);
      labels.push([`variable ${name}`, value]);
    }
  }
  const args = agent?.args ?? [];
  args.forEach((a, i) => labels.push([`argument ${i + 1} ${short(a)}`, a]));
  const bad = refuse(labels);
  if (bad !== null) return { typed: { ok: false, reason: bad }, notCarried };
  if (assignments.length > 0 && executable.includes('='))
    return {
      typed: {
        ok: false,
        reason: `the Claude executable ${short(executable)} contains '=': env would read it as a variable`,
      },
      notCarried,
    };
  const argv = [...(assignments.length > 0 ? ['env', ...assignments] : []), executable, ...args, '--resume', id];
  return { typed: { ok: true, argv, line: shellCommand(argv) }, notCarried };
}

/** A listed program with its arguments, typed into the pane's shell so quitting it leaves the shell. */
export function programLine(argv: readonly string[]): TypedLine {
  if (argv.length === 0 || argv[0] === '') return { ok: false, reason: 'no program to run' };
  const bad = refuse(argv.map((a, i) => [i === 0 ? `the program ${short(a)}` : `argument ${i} ${short(a)}`, a]));
  if (bad !== null) return { ok: false, reason: bad };
  return { ok: true, argv: [...argv], line: shellCommand(argv) };
}
