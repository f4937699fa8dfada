// `npm run bench` (full) and `node dist/bench/run.js --quick` (smoke: small fleets, few
// repetitions; checks correctness, asserts nothing about speed). Prints the table: figure,
// ours, floor or peer, ratio, target, met. `--markdown FILE` also writes it as a document,
// `--json FILE` the rows and failures as data. `--only restore` measures just the restores
// (10/50/200 panes, or the quick sizes with --quick).
// Exit 1 when a correctness check fails (restore mismatches, lost hook events, wrong snapshot).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildFleet, isolateHome, killServer, type Fleet } from './fleet.js';
import { measureSaves, openDaemonSaver, type SaveFigures } from './measure-save.js';
import { measureAgentSaves } from './measure-save-agents.js';
import { measureSaveContents } from './measure-save-contents.js';
import { measureHook } from './measure-hook.js';
import { measureRestore } from './measure-restore.js';
import { daemonRows } from './daemon-rows.js';
import { measureResurrect } from './measure-resurrect.js';
import { fmtMs, ratioRow, type BenchRow } from './stats.js';
import { formatTable, markdownReport, soakSection, withSoakSection } from './report.js';
import { restoreRows, row } from './rows.js';

export interface BenchConfig {
  sizes: number[];
  saveReps: number;
  restoreReps: number;
  hookReps: number;
  hookBursts: number;
  daemonPanes: number;
  restS: number;
  floodS: number;
  tmuxp: boolean;
  /** Minutes of earlier saves for the steady-state figures (0: skip the steady-state daemon run). */
  steadyMinutes: number;
  phaseReps: number;
}

export const QUICK: BenchConfig = {
  sizes: [10, 20],
  saveReps: 3,
  restoreReps: 1,
  hookReps: 5,
  hookBursts: 1,
  daemonPanes: 10,
  restS: 8,
  floodS: 2,
  tmuxp: true,
  steadyMinutes: 0,
  phaseReps: 2,
};
export const FULL: BenchConfig = {
  sizes: [10, 50, 200],
  saveReps: 15,
  restoreReps: 5,
  hookReps: 30,
  hookBursts: 5,
  daemonPanes: 50,
  restS: 300,
  floodS: 20,
  tmuxp: true,
  steadyMinutes: 150,
  phaseReps: 10,
};

const AT = 200;
const cliBin = resolve(fileURLToPath(import.meta.url), '..', '..', '..', 'bin', 'fleetkeeper.js');

export interface BenchOutcome {
  rows: BenchRow[];
  failures: string[];
}

export async function runBench(
  cfg: BenchConfig,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
  only?: 'restore',
): Promise<BenchOutcome> {
  const root = mkdtempSync(join(tmpdir(), 'fk-bench-'));
  const home = isolateHome(root);
  const rows: BenchRow[] = [];
  const failures: string[] = [];
  const fleets: Fleet[] = [];
  try {
    const saves = new Map<number, SaveFigures>();
    for (const n of cfg.sizes) {
      log(`fleet of ${n} panes: building`);
      const fleet = await buildFleet(join(root, `f${n}`), { panes: n });
      fleets.push(fleet);
      if (only === 'restore') {
        log(`fleet of ${n} panes: restore`);
        const saver = await openDaemonSaver(fleet.target, join(root, `state${n}`));
        const snapshot = await saver.save().finally(() => saver.dispose());
        restoreRows(
          n,
          await measureRestore(fleet, snapshot, { reps: cfg.restoreReps, home }),
          rows,
          failures,
          log,
          n === AT,
        );
        continue;
      }
      log(`fleet of ${n} panes: saves`);
      const s = await measureSaves(fleet, { reps: cfg.saveReps, cliBin, tmuxp: cfg.tmuxp });
      saves.set(n, s);
      const big = n === AT;
      rows.push(ratioRow(`daemon save, ${n} panes`, s.daemonSaveMs, s.floorMs, 'one tmux list call', big ? 3 : null));
      rows.push(ratioRow(`fleetkeeper save, ${n} panes`, s.cliSaveMs, s.nodeMs, 'node -e 0', big ? 2.5 : null));
      if (s.tmuxpMs !== null)
        rows.push(
          ratioRow(
            `tmuxp freeze vs fleetkeeper save, ${n} panes`,
            s.cliSaveMs,
            s.tmuxpMs,
            'tmuxp freeze',
            null,
            s.tmuxpNote,
          ),
        );
      else rows.push(row(`tmuxp freeze, ${n} panes`, '—', 'skipped', 'report', null, s.tmuxpNote));
      if (big || n === cfg.sizes.at(-1)) {
        log(`fleet of ${n} panes: saves with pane contents on vs off`);
        const c = await measureSaveContents(fleet, { reps: cfg.saveReps });
        rows.push(
          ratioRow(
            `daemon save, ${n} panes, pane contents on`,
            c.onMs,
            c.offMs,
            'same save, contents off',
            null,
            `${c.panesKept} screens kept, sidecar ${(c.sidecarBytes / 1024).toFixed(1)} KB gzipped`,
          ),
        );
      }
      if (big || n === cfg.sizes.at(-1)) {
        const claudes = Math.max(2, Math.round(n / 10));
        log(`fleet of ${n} panes: saves with ${claudes} Claude-like processes`);
        const a = await measureAgentSaves(fleet, { reps: cfg.saveReps, claudes, root: join(root, `agents${n}`) });
        rows.push(
          ratioRow(
            `daemon save, ${n} panes, ${claudes} Claude-like`,
            a.withMs,
            a.floorMs,
            'one tmux list call',
            big ? 3 : null,
            `each with its own sessions/<pid>.json; ${a.adopted} of ${claudes} adopted`,
          ),
        );
        const perNote = `(${a.withMs.toFixed(1)} − ${a.withoutMs.toFixed(1)} ms) / ${claudes}`;
        rows.push(
          a.perClaudeMs > 0
            ? ratioRow(
                `added save cost per Claude pane, ${n} panes`,
                a.perClaudeMs,
                a.floorMs / n,
                'floor per pane',
                null,
                perNote,
              )
            : row(`added save cost per Claude pane, ${n} panes`, '≤ 0 ms (within noise)', '—', 'report', null, perNote),
        );
        if (a.adopted !== claudes) failures.push(`agent saves: ${a.adopted} of ${claudes} Claude-like panes adopted`);
      }

      log(`fleet of ${n} panes: restore`);
      const r = await measureRestore(fleet, s.snapshot, { reps: cfg.restoreReps, home });
      restoreRows(n, r, rows, failures, log, big);

      const rz = await measureResurrect(fleet, {
        home,
        root: join(root, `resurrect${n}`),
        ours: { save: s.cliSaveMs, restore: r.oursMs },
        log,
      });
      rows.push(...rz.rows);
      if (rz.skipped !== null && n === cfg.sizes[0])
        rows.push(row('tmux-resurrect save.sh / restore.sh', '—', 'skipped', 'report', null, rz.skipped));
    }

    if (only === 'restore') return { rows, failures };
    const hookFleet = fleets[0];
    if (hookFleet) {
      log('hook: alone and 20 at once');
      const h = await measureHook(hookFleet, { reps: cfg.hookReps, bursts: cfg.hookBursts, cliBin });
      rows.push(ratioRow('hook session-start p50, alone', h.alone.oursP50, h.alone.nodeP50, 'node -e 0 p50', 1.5));
      rows.push(ratioRow('hook session-start p95, alone', h.alone.oursP95, h.alone.nodeP95, 'node -e 0 p95', null));
      rows.push(ratioRow('hook session-start p50, 20 at once', h.burst.oursP50, h.burst.nodeP50, 'node -e 0 p50', 1.5));
      rows.push(
        ratioRow('hook session-start p95, 20 at once', h.burst.oursP95, h.burst.nodeP95, 'node -e 0 p95', null),
      );
      const ok = h.recorded === h.expected && h.stderr.length === 0;
      rows.push(row('hook events recorded', `${h.recorded} of ${h.expected}`, '—', 'all, no stderr', ok, h.stderr[0]));
      if (!ok) failures.push(`hook: recorded ${h.recorded} of ${h.expected}; ${h.stderr.join('; ')}`);
    }

    log(`daemon at rest: ${cfg.daemonPanes} panes, ${cfg.restS} s`);
    let dFleet = fleets.find((f) => f.panes === cfg.daemonPanes);
    if (!dFleet) {
      dFleet = await buildFleet(join(root, `d${cfg.daemonPanes}`), { panes: cfg.daemonPanes });
      fleets.push(dFleet);
    }
    await daemonRows(cfg, dFleet, cliBin, rows, failures, log);
    return { rows, failures };
  } finally {
    for (const fl of fleets) await killServer(fl.target);
    rmSync(root, { recursive: true, force: true });
  }
}

function machine(): string {
  const tmux = execFileSync('tmux', ['-V'], { encoding: 'utf8' }).trim();
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${tmux}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      markdown: { type: 'string' },
      json: { type: 'string' },
      only: { type: 'string' },
    },
  });
  if (values.only !== undefined && values.only !== 'restore')
    throw new Error(`--only takes "restore", got ${JSON.stringify(values.only)}`);
  const cfg = values.quick === true ? QUICK : FULL;
  const t0 = performance.now();
  const out = await runBench(cfg, undefined, values.only === 'restore' ? 'restore' : undefined);
  const took = fmtMs(performance.now() - t0);
  process.stdout.write(
    `${formatTable(out.rows)}\n${machine()}; ${values.quick === true ? 'quick' : 'full'} run took ${took}\n`,
  );
  if (values.markdown !== undefined) {
    // The soak's section of the same document (bench/soak.ts) survives a re-run of the table.
    const earlier = existsSync(values.markdown) ? soakSection(readFileSync(values.markdown, 'utf8')) : null;
    writeFileSync(
      values.markdown,
      withSoakSection(
        markdownReport(out.rows, {
          machine: machine(),
          mode: values.quick === true ? 'quick' : 'full',
          took,
          config: cfg,
        }),
        earlier,
      ),
    );
  }
  if (values.json !== undefined) writeFileSync(values.json, `${JSON.stringify(out, null, 2)}\n`);
  if (out.failures.length > 0) {
    process.stderr.write(`CORRECTNESS FAILURES:\n${out.failures.map((x) => `  ${x}`).join('\n')}\n`);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
