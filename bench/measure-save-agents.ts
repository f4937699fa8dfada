// Saves with Claudes in the fleet (issue 9): the same daemon save against the same floor, before
// and after 20 Claude-like processes start in idle panes. Each one keeps its own
// `<config dir>/sessions/<pid>.json` like Claude Code, so every save scans its pane, reads its
// argv and environment from /proc and reads and checks its registry file; with no hook records
// all 20 must come out adopted. The added cost per Claude pane is the difference over 20.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Snapshot } from '../main/common/base/types.js';
import { runTmux } from '../main/node/tmux/exec.js';
import type { Fleet } from './fleet.js';
import { floorQueryArgs, openDaemonSaver } from './measure-save.js';
import { interleave, median } from './stats.js';

export interface AgentSaveFigures {
  claudes: number;
  floorMs: number;
  withoutMs: number;
  withMs: number;
  /** (withMs − withoutMs) / claudes. */
  perClaudeMs: number;
  /** Panes the last snapshot adopted from the Claude-like processes' registry files. */
  adopted: number;
}

/** The stand-in lives with the tests; from dist/bench or from bench/ (vitest). */
function fakeClaude(): string {
  const here = fileURLToPath(import.meta.url);
  for (const up of [
    ['..', '..'],
    ['..', '..', '..'],
  ]) {
    const p = resolve(here, ...up, 'test', 'helpers', 'fake-claude-bin', 'claude');
    if (existsSync(p)) return p;
  }
  throw new Error('test/helpers/fake-claude-bin/claude not found');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function measureAgentSaves(
  fleet: Fleet,
  opts: { reps: number; claudes: number; root: string },
): Promise<AgentSaveFigures> {
  const conf = join(opts.root, 'claude-conf');
  mkdirSync(conf, { recursive: true });
  const saver = await openDaemonSaver(fleet.target, join(opts.root, 'agent-state'));
  const started: string[] = [];
  try {
    const save = { floor: () => runTmux(fleet.target, floorQueryArgs()), daemon: () => saver.save() };
    const without = await interleave(save, opts.reps, 2);
    const idle = (await runTmux(fleet.target, ['list-panes', '-a', '-F', '#{pane_id}\t#{pane_current_command}']))
      .split('\n')
      .filter((l) => l.endsWith('\tbash'))
      .map((l) => l.split('\t')[0] as string);
    if (idle.length < opts.claudes) throw new Error(`only ${idle.length} idle panes for ${opts.claudes} Claudes`);
    const bin = fakeClaude();
    for (const pane of idle.slice(0, opts.claudes)) {
      await runTmux(fleet.target, ['send-keys', '-t', pane, '-l', `CLAUDE_CONFIG_DIR=${conf} ${bin} --model opus`]);
      await runTmux(fleet.target, ['send-keys', '-t', pane, 'Enter']);
      started.push(pane);
    }
    const deadline = Date.now() + 60_000;
    const files = (): number =>
      existsSync(join(conf, 'sessions'))
        ? readdirSync(join(conf, 'sessions')).filter((f) => f.endsWith('.json')).length
        : 0;
    while (files() < opts.claudes) {
      if (Date.now() > deadline) throw new Error(`${files()} of ${opts.claudes} Claude-like processes started`);
      await sleep(100);
    }
    // Let the new processes finish starting (a node start costs CPU well after its first write).
    await sleep(3000);
    let last: Snapshot | null = null;
    const withAgents = await interleave(
      {
        floor: save.floor,
        daemon: async () => {
          last = await saver.save();
        },
      },
      opts.reps,
      2,
    );
    const snap = last as Snapshot | null;
    const adopted = (snap?.sessions ?? [])
      .flatMap((s) => s.windows.flatMap((w) => w.panes))
      .filter((p) => p.agent?.registry === 'adopted').length;
    const withoutMs = median(without.daemon);
    const withMs = median(withAgents.daemon);
    return {
      claudes: opts.claudes,
      floorMs: median([...without.floor, ...withAgents.floor]),
      withoutMs,
      withMs,
      perClaudeMs: (withMs - withoutMs) / opts.claudes,
      adopted,
    };
  } finally {
    for (const pane of started) await runTmux(fleet.target, ['send-keys', '-t', pane, 'C-c']).catch(() => undefined);
    await saver.dispose();
  }
}
