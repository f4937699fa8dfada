// Issue 12, finding 3, at the plan: a terminal acts on ^U, CR, ^C… before the shell sees any
// quote, so a pane whose typed line would hold a control character (below 0x20, or 0x7f) in any
// word is planned as a shell with the reason, and nothing of it is ever typed.
import { describe, it, expect } from 'vitest';
import type { AgentCapture, Binding, Snapshot } from '../base/types.js';
import { planRestore, type PlanEnv } from './plan.js';

const ID = '11111111-1111-4111-8111-111111111111';
const binding: Binding = {
  sessionId: ID,
  transcriptPath: `/c/projects/p/${ID}.jsonl`,
  cwd: '/proj',
  source: 'startup',
  boundAt: '2025-01-01T00:00:00.000Z',
  eventId: 'e-1',
};
const agent = (over: Partial<AgentCapture>): AgentCapture => ({
  executable: 'claude',
  args: [],
  env: {},
  envNotCarried: [],
  configDir: '/home/u/.claude',
  pid: 42,
  registry: 'agree',
  ...over,
});

function plan(a: AgentCapture | undefined, override: string | null = null) {
  const snapshot: Snapshot = {
    format: 'fleetkeeper-snapshot',
    version: 2,
    id: 'snap-1',
    savedAt: '2025-01-01T00:01:00.000Z',
    trigger: 'interval',
    instance: { socketPath: '/tmp/tmux-0/default', pid: 10, startTime: 1000 },
    sessions: [
      {
        name: 's',
        id: '$0',
        windows: [
          {
            index: 0,
            id: '@0',
            name: 'w',
            layout: 'b25f,80x24,0,0,0',
            active: true,
            zoomed: false,
            panes: [
              {
                index: 0,
                id: '%0',
                role: 'api',
                cwd: '/proj',
                currentCommand: 'claude',
                active: true,
                binding,
                ...(a ? { agent: a } : {}),
              },
            ],
          },
        ],
      },
    ],
    checksum: 'sha256:x',
  };
  const env: PlanEnv = {
    existingSessions: new Set(),
    liveRoles: new Set(),
    dirExists: () => true,
    transcriptExists: () => true,
    titleOf: () => 'a title',
    home: '/home/u',
    claudeBinOverride: override,
  };
  return planRestore(snapshot, env).sessions[0]!.windows[0]!.panes[0]!;
}

describe('the plan never types a control character', () => {
  it('resumes a clean pane, with the exact line', () => {
    const p = plan(agent({ args: ['--model', 'opus'] }));
    expect(p.action).toBe('resume');
    expect(p.command).toBe(`claude --model opus --resume ${ID}`);
  });

  const controls = [...Array.from({ length: 0x20 }, (_, i) => i), 0x7f].map((c) => String.fromCharCode(c));
  it.each([
    ['the captured executable', (c: string) => plan(agent({ executable: `/bin/true${c}touch canary\r` }))],
    ['an argument', (c: string) => plan(agent({ args: ['--model', `opus${c}touch canary`] }))],
    ['a variable value', (c: string) => plan(agent({ env: { CLAUDE_CONFIG_DIR: `/home/u/.c${c}touch canary` } }))],
    [
      'FLEETKEEPER_CLAUDE_BIN (if it ever got past its reader)',
      (c: string) => plan(undefined, `/bin/true${c}touch canary`),
    ],
  ])('%s: every control character gives a shell with the reason', (_what, planned) => {
    for (const c of controls) {
      const p = planned(c);
      expect(p.action, JSON.stringify(c)).toBe('shell');
      expect(p.reason).toMatch(/control character \(\\x[0-9a-f]{2}\)/);
      expect(p.command).toBeUndefined();
    }
  });
});
