// `fleetkeeper hook session-start` as Claude Code runs it: a valid payload on stdin, inside a
// pane of the fleet ($TMUX, $TMUX_PANE), alone and 20 at once, against `node -e 0` run the same way.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import { runTmux } from '../main/node/tmux/exec.js';
import type { Fleet } from './fleet.js';
import { quantile, runChild, runOk, type RunResult } from './stats.js';

export interface HookFigures {
  alone: { oursP50: number; oursP95: number; nodeP50: number; nodeP95: number };
  burst: { oursP50: number; oursP95: number; nodeP50: number; nodeP95: number };
  recorded: number;
  expected: number;
  stderr: string[];
}

interface PaneEnv {
  env: NodeJS.ProcessEnv;
  cwd: string;
}

async function paneEnvs(fleet: Fleet, stateRoot: string): Promise<PaneEnv[]> {
  const out = await runTmux(fleet.target, [
    'list-panes',
    '-a',
    '-F',
    '#{socket_path}\t#{pid}\t#{session_id}\t#{pane_id}\t#{pane_current_path}',
  ]);
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [sock, pid, sid, pane, cwd] = l.split('\t') as [string, string, string, string, string];
      return {
        cwd,
        env: { ...process.env, FLEETKEEPER_HOME: stateRoot, TMUX: `${sock},${pid},${sid.slice(1)}`, TMUX_PANE: pane },
      };
    });
}

function payload(cwd: string): string {
  const id = randomUUID();
  return JSON.stringify({
    session_id: id,
    transcript_path: join(cwd, `${id}.jsonl`),
    cwd,
    hook_event_name: 'SessionStart',
    source: 'startup',
  });
}

export async function measureHook(
  fleet: Fleet,
  opts: { reps: number; bursts: number; cliBin: string },
): Promise<HookFigures> {
  const root = mkdtempSync(join(tmpdir(), 'fk-bench-hook-'));
  try {
    const panes = await paneEnvs(fleet, root);
    const pick = (i: number): PaneEnv => panes[i % panes.length] as PaneEnv;
    const hook = (i: number): Promise<RunResult> => {
      const p = pick(i);
      return runChild(process.execPath, [opts.cliBin, 'hook', 'session-start'], {
        env: p.env,
        cwd: p.cwd,
        input: payload(p.cwd),
      });
    };
    const node = (i: number): Promise<RunResult> =>
      runOk(process.execPath, ['-e', '0'], { env: pick(i).env, input: '' });
    const stderr: string[] = [];
    let expected = 0;
    const keep = (r: RunResult): number => {
      expected++;
      if (r.code !== 0 || r.stderr !== '') stderr.push(`exit ${r.code}: ${r.stderr.trim()}`);
      return r.ms;
    };

    const aloneOurs: number[] = [];
    const aloneNode: number[] = [];
    await hook(0).then(keep); // warm the page cache
    for (let i = 0; i < opts.reps; i++) {
      aloneNode.push((await node(i)).ms);
      aloneOurs.push(keep(await hook(i)));
    }
    const burstOurs: number[] = [];
    const burstNode: number[] = [];
    for (let b = 0; b < opts.bursts; b++) {
      const n = await Promise.all(Array.from({ length: 20 }, (_, i) => node(i)));
      burstNode.push(...n.map((r) => r.ms));
      const o = await Promise.all(Array.from({ length: 20 }, (_, i) => hook(b * 20 + i)));
      burstOurs.push(...o.map(keep));
    }
    const recorded = readdirSync(join(root, 'spool', 'new')).length;
    const q = (s: number[], p: number): number => quantile(s, p);
    return {
      alone: {
        oursP50: q(aloneOurs, 0.5),
        oursP95: q(aloneOurs, 0.95),
        nodeP50: q(aloneNode, 0.5),
        nodeP95: q(aloneNode, 0.95),
      },
      burst: {
        oursP50: q(burstOurs, 0.5),
        oursP95: q(burstOurs, 0.95),
        nodeP50: q(burstNode, 0.5),
        nodeP95: q(burstNode, 0.95),
      },
      recorded,
      expected,
      stderr: [...new Set(stderr)].slice(0, 5),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
