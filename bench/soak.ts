// `npm run bench:soak` (30 minutes) or `node dist/bench/soak.js --minutes 5`: the real
// `fleetkeeper daemon` (bin/fleetkeeper.js, its own process, a short --interval) over a fleet
// that churns (FleetChurn) on an isolated tmux server that is killed and started again twice.
// A probe preloaded into the daemon (soak-probe.ts) reports RSS, heap, fds, live timers and
// children; every snapshot that appears is read back through the core's reader. Prints the
// table (`--markdown FILE` also writes it as a "Soak" section). Not part of `npm run bench`.
// `--heap-snapshots DIR` writes a heap snapshot of the daemon after warm-up and at the end, to
// diff by hand when something grows (writing one inflates RSS: not for the figures' run).
// Exit 1 when a check fails: a corrupt snapshot, growth of fds/timers/children, no reconnect.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { listSnapshots } from '../main/node/snapshot/reader.js';
import { ensureStateDir, statePaths } from '../main/node/base/state-dir.js';
import { openSettingsFile, SettingsStore } from '../main/node/settings/settings-store.js';
import { readSaveLog } from '../main/node/snapshot/save-log.js';
import { isolateHome, killServer, newTarget } from './fleet.js';
import { FleetChurn } from './soak-churn.js';
import { afterStopRow, growthRows, SnapshotAudit, soakMarkdown } from './soak-figures.js';
import type { ProbeSample } from './soak-probe.js';
import { formatTable, withSoakSection } from './report.js';
import type { BenchRow } from './stats.js';

const here = fileURLToPath(import.meta.url);
const cliBin = resolve(here, '..', '..', '..', 'bin', 'fleetkeeper.js');
const probe = pathToFileURL(resolve(here, '..', 'soak-probe.js')).href;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const { values: a } = parseArgs({
    options: {
      minutes: { type: 'string', default: '30' },
      interval: { type: 'string', default: '3' },
      'stale-after': { type: 'string', default: '30' },
      'step-ms': { type: 'string', default: '1500' },
      'sample-s': { type: 'string', default: '60' },
      'max-snapshots': { type: 'string', default: '150' },
      'heap-snapshots': { type: 'string' },
      seed: { type: 'string' },
      markdown: { type: 'string' },
    },
  });
  const minutes = Number(a.minutes);
  const seed = a.seed !== undefined ? Number(a.seed) : Math.floor(Math.random() * 2 ** 31);
  const durationMs = minutes * 60_000;
  const log = (l: string): void => void process.stderr.write(`${new Date().toISOString()} soak: ${l}\n`);

  const root = mkdtempSync(join(tmpdir(), 'fk-soak-'));
  const home = isolateHome(root);
  const claudeDir = join(root, 'claude');
  const stateRoot = join(root, 'state');
  const work = join(root, 'work');
  for (const d of [claudeDir, work]) mkdirSync(d, { recursive: true });
  const target = newTarget('soak');
  const churn = new FleetChurn(target, work, seed);
  const daemonLog = join(root, 'daemon.log');
  const t0 = Date.now();
  const rows: BenchRow[] = [];
  let failed = false;

  try {
    // A lower retention cap than the default 500 reaches the steady state (the snapshot count,
    // and with it the daemon's catalog, stops growing) early in the run. 0 keeps the default.
    const cap = Number(a['max-snapshots']);
    if (cap > 0) {
      const store = new SettingsStore(openSettingsFile(ensureStateDir(stateRoot)));
      store.update({ retention: { ...store.get().retention, maxCount: cap } });
    }
    await churn.startServer();
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        probe,
        cliBin,
        'daemon',
        '--socket',
        target.socketName ?? '',
        '--interval',
        String(a.interval),
        '--stale-after',
        String(a['stale-after']),
      ],
      {
        env: { ...process.env, HOME: home, FLEETKEEPER_HOME: stateRoot, CLAUDE_CONFIG_DIR: claudeDir },
        stdio: ['ignore', 'ignore', openSync(daemonLog, 'a'), 'ipc'],
      },
    );
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let finalSample: ProbeSample | null = null;
    let pending: ((m: unknown) => void) | null = null;
    child.on('message', (m: ProbeSample) => {
      if (m.final) finalSample = m;
      else pending?.(m);
    });
    const ask = <T>(msg: unknown): Promise<T> =>
      new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error('the daemon did not answer the probe within 60 s')), 60_000);
        pending = (m) => {
          clearTimeout(timer);
          pending = null;
          res(m as T);
        };
        child.send(msg as string);
      });
    const sample = (): Promise<ProbeSample> => ask<ProbeSample>('sample');
    const heapDir = a['heap-snapshots'];
    const heapSnapshot = async (): Promise<void> => {
      if (heapDir !== undefined)
        log(`heap snapshot: ${(await ask<{ heapSnapshot: string }>({ heapSnapshotDir: heapDir })).heapSnapshot}`);
    };

    const audit = new SnapshotAudit(statePaths(stateRoot).snapshots);
    const samples: ProbeSample[] = [];
    const onDisk: number[] = [];
    const countSnapshots = async (): Promise<number> =>
      (await readdir(statePaths(stateRoot).snapshots)).filter((n) => n.endsWith('.json')).length;
    const restarts: number[] = [];
    const warmMs = Math.min(30_000, durationMs / 10);
    const kills = [durationMs / 3, (2 * durationMs) / 3];
    const downMs = Math.min(15_000, durationMs / 20);
    let nextSample = warmMs;
    let nextAudit = 5_000;
    log(`seed ${seed}, ${minutes} min, interval ${a.interval} s, state ${stateRoot}, socket ${target.socketName}`);
    while (Date.now() - t0 < durationMs) {
      const el = Date.now() - t0;
      if (kills.length > 0 && el >= (kills[0] as number)) {
        kills.shift();
        log('killing the tmux server');
        await killServer(target);
        await sleep(downMs);
        await churn.startServer();
        restarts.push(Date.now());
        log('server started again');
      }
      if (el >= nextSample) {
        samples.push(await sample());
        onDisk.push(await countSnapshots());
        if (samples.length === 2) await heapSnapshot();
        nextSample += Number(a['sample-s']) * 1000;
        const s = samples[samples.length - 1] as ProbeSample;
        log(
          `${onDisk[onDisk.length - 1]} snapshots, rss ${(s.rssBytes / 1048576).toFixed(1)} MB, heap ${(s.heapAfterGcBytes / 1048576).toFixed(1)} MB (code ${(s.codeBytes / 1048576).toFixed(2)}), ${s.fds} fds, ${s.liveTimers} timers, children [${s.children.join(',')}]`,
        );
      }
      if (el >= nextAudit) {
        await audit.sweep();
        nextAudit += 5_000;
      }
      await churn.step();
      await sleep(Number(a['step-ms']) * (0.5 + Math.random()));
    }
    samples.push(await sample());
    onDisk.push(await countSnapshots());
    await heapSnapshot();
    await audit.sweep();
    child.kill('SIGTERM');
    const code = await Promise.race([exited, sleep(30_000).then(() => 'hung' as const)]);
    if (code === 'hung') child.kill('SIGKILL');
    await audit.sweep();
    const listing = await listSnapshots(statePaths(stateRoot));

    // Steady from the first sample at the largest snapshot count (the cap), else the second half.
    const peak = Math.max(...onDisk);
    const capAt = samples[onDisk.findIndex((n) => n >= peak - 2)]?.atMs ?? t0;
    const lastAt = samples[samples.length - 1]?.atMs ?? t0;
    const steadyFrom = capAt < lastAt - durationMs / 4 ? capAt : (t0 + lastAt) / 2;
    rows.push({
      figure: 'snapshots on disk, start → end',
      ours: `${onDisk[0] ?? 0} → ${onDisk[onDisk.length - 1] ?? 0} (max ${peak})`,
      reference: `retention cap ${cap > 0 ? cap : 'default'}; steady phase from minute ${((steadyFrom - t0) / 60_000).toFixed(1)}`,
      ratio: null,
      target: 'report',
      met: null,
    });
    rows.push(...growthRows(samples, steadyFrom));
    rows.push(afterStopRow(finalSample, code === 'hung' ? null : code));
    const auditOk = audit.corrupt.size === 0 && listing.corrupt.length === 0 && audit.valid.size > 0;
    rows.push({
      figure: 'snapshots read back (each as it appeared, core reader)',
      ours: `${audit.valid.size} valid, ${audit.corrupt.size} corrupt`,
      reference: `${audit.vanished} thinned before read; on disk at end ${listing.valid.length} valid, ${listing.corrupt.length} corrupt`,
      ratio: null,
      target: 'all valid',
      met: auditOk,
      ...(audit.corrupt.size > 0 ? { note: JSON.stringify([...audit.corrupt].slice(0, 3)) } : {}),
    });
    const saves = await readSaveLog(statePaths(stateRoot), new Date(t0));
    const byTrigger: Record<string, number> = {};
    for (const s of saves) if (s.ok) byTrigger[s.trigger] = (byTrigger[s.trigger] ?? 0) + 1;
    const failedSaves = saves.filter((s) => !s.ok);
    const savedAfterEachRestart = restarts.every((t) => saves.some((s) => s.ok && Date.parse(s.at) > t));
    rows.push({
      figure: 'saves (clock and changes)',
      ours: `${saves.length - failedSaves.length} ok ${JSON.stringify(byTrigger)}, ${failedSaves.length} failed`,
      reference: `${(saves.length / (durationMs / 3_600_000)).toFixed(0)} attempts/h`,
      ratio: null,
      target: 'saves on both triggers',
      met: (byTrigger.interval ?? 0) > 0 && (byTrigger.change ?? 0) > 0,
      ...(failedSaves.length > 0 ? { note: `first failure: ${failedSaves[0]?.error ?? '?'}` } : {}),
    });
    const dlog = readFileSync(daemonLog, 'utf8');
    const connects = dlog.split('\n').filter((l) => l.endsWith('connected to tmux')).length;
    // tmux detaches a control client whose session is killed: the daemon reconnects then too.
    const exits = dlog.split('\n').filter((l) => l.includes('control client exited')).length;
    rows.push({
      figure: 'tmux server killed and started again',
      ours: `${restarts.length}×; daemon connected ${connects}× (its control client exited ${exits}×: server killed, its session killed by the churn, or stop)`,
      reference: savedAfterEachRestart ? 'a verified save after each restart' : 'NO save after a restart',
      ratio: null,
      target: 'reconnects, saves again',
      met: connects >= restarts.length + 1 && savedAfterEachRestart,
    });
    const c = churn.counts;
    rows.push({
      figure: 'churn',
      ours: `${c.steps} steps`,
      reference: `panes +${c.panesCreated}/−${c.panesKilled}, windows +${c.windowsCreated}/−${c.windowsKilled}, sessions +${c.sessionsCreated}/−${c.sessionsKilled}, programs +${c.programsStarted}/−${c.programsStopped}, ${c.renames} renames, ${c.refused} refused`,
      ratio: null,
      target: 'report',
      met: null,
    });
    failed = rows.some((r) => r.met === false);
    process.stdout.write(`${formatTable(rows)}\n`);
    if (a.markdown !== undefined) {
      const doc = existsSync(a.markdown) ? readFileSync(a.markdown, 'utf8') : '';
      const setup = `${minutes} min, save interval ${a.interval} s, retention cap ${a['max-snapshots']} snapshots (0: default), churn step ~${a['step-ms']} ms, sample every ${a['sample-s']} s, seed ${seed}`;
      writeFileSync(a.markdown, withSoakSection(doc, soakMarkdown(rows, setup)));
    }
  } finally {
    await killServer(target).catch(() => undefined);
    if (failed) log(`kept ${root} for inspection`);
    else rmSync(root, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === here) {
  main().catch((err: unknown) => {
    process.stderr.write(`soak failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
