// Restore into a fresh server with no client attached: our planner + executor against one
// chained tmux invocation building the same structure, both checked against the original.
import { planRestore } from '../main/common/restore/plan.js';
import type { Snapshot } from '../main/common/base/types.js';
import { gatherPlanEnv } from '../main/node/restore/env.js';
import { executePlan } from '../main/node/restore/execute.js';
import { runTmux, type TmuxTarget } from '../main/node/tmux/exec.js';
import {
  chainedBuildArgs,
  killServer,
  layoutsOf,
  listRows,
  mismatches,
  newTarget,
  rolesOf,
  structure,
  type Fleet,
} from './fleet.js';
import { median } from './stats.js';

export interface RestoreFigures {
  panes: number;
  oursMs: number;
  floorMs: number;
  /** tmux invocations the floor needed (argv is capped at ~16 KB per invocation). */
  floorCalls: number;
  oursMismatches: string[];
  floorMismatches: string[];
  clientsSeen: number;
  warnings: string[];
}

/** Reads the rebuilt server until it matches (a new pane's cwd shows once its shell runs), bounded. */
async function settledMismatches(target: TmuxTarget, want: Map<string, string>): Promise<string[]> {
  let last: string[] = [];
  for (let i = 0; i < 40; i++) {
    last = mismatches(want, structure(await listRows(target)));
    if (last.length === 0) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  return last;
}

async function clients(target: TmuxTarget): Promise<number> {
  return (await runTmux(target, ['list-clients'])).split('\n').filter((l) => l !== '').length;
}

export async function measureRestore(
  fleet: Fleet,
  snapshot: Snapshot,
  opts: { reps: number; home: string },
): Promise<RestoreFigures> {
  const original = await listRows(fleet.target);
  const want = structure(original);
  const floorArgs = chainedBuildArgs(fleet.shape, layoutsOf(original), rolesOf(original));
  const ours: number[] = [];
  const floor: number[] = [];
  const oursBad = new Set<string>();
  const floorBad = new Set<string>();
  const warnings = new Set<string>();
  let clientsSeen = 0;

  for (let i = 0; i < opts.reps; i++) {
    const t1 = newTarget('restore');
    try {
      const plan = planRestore(snapshot, await gatherPlanEnv(t1, { HOME: opts.home }));
      if (plan.counts.panes !== fleet.panes)
        throw new Error(`the plan creates ${plan.counts.panes} panes, the fleet has ${fleet.panes}`);
      const t0 = performance.now();
      const res = await executePlan(t1, plan, { claudeBin: '/bin/false', staggerMs: 0 });
      ours.push(performance.now() - t0);
      for (const w of res.warnings) warnings.add(w);
      clientsSeen += await clients(t1);
      for (const m of await settledMismatches(t1, want)) oursBad.add(m);
    } finally {
      await killServer(t1);
    }

    const t2 = newTarget('floor');
    try {
      const t0 = performance.now();
      for (const argv of floorArgs) await runTmux(t2, argv, 60_000);
      floor.push(performance.now() - t0);
      for (const m of await settledMismatches(t2, want)) floorBad.add(m);
    } finally {
      await killServer(t2);
    }
  }
  return {
    panes: fleet.panes,
    oursMs: median(ours),
    floorMs: median(floor),
    floorCalls: floorArgs.length,
    oursMismatches: [...oursBad],
    floorMismatches: [...floorBad],
    clientsSeen,
    warnings: [...warnings],
  };
}
