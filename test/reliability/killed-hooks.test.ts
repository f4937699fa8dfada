// 4. Killed hooks: 1,000 real `fleetkeeper hook` processes SIGKILLed at random instants while
// the registry folds concurrently. Every hook that exited 0 has its event in the journal; a
// killed hook's event is either whole or absent; a torn temp file never costs a neighbour.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { RegistryStore } from '../../main/node/journal/registry-store.js';
import { readJournal, sweepSpoolTmp } from '../../main/node/journal/spool.js';
import { emptyRegistry, foldEvents } from '../../main/common/journal/registry-fold.js';
import { canonicalJson } from '../../main/common/base/canonical-json.js';
import {
  BIN,
  LineProc,
  ensureBuilt,
  figures,
  rng,
  scaled,
  seedFromEnv,
  sleep,
  tempState,
  type TempState,
} from './helpers/harness.js';

let st: TempState;
beforeAll(() => {
  ensureBuilt();
  st = tempState('killed-hooks');
}, 180_000);
afterAll(() => st.dispose());

interface HookRun {
  sessionId: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stdout: string;
}

function runHook(env: NodeJS.ProcessEnv, killAfterMs: number | null): Promise<HookRun> {
  const sessionId = randomUUID();
  const kind = sessionId.charCodeAt(0) % 2 === 0 ? 'session-start' : 'session-end';
  const payload = JSON.stringify({
    session_id: sessionId,
    transcript_path: `/t/${sessionId}.jsonl`,
    cwd: '/w',
    hook_event_name: kind === 'session-start' ? 'SessionStart' : 'SessionEnd',
    ...(kind === 'session-start' ? { source: 'startup' } : { reason: 'exit' }),
  });
  const t0 = performance.now();
  const lp = new LineProc(spawn(process.execPath, [BIN, 'hook', kind], { env, stdio: ['pipe', 'pipe', 'pipe'] }));
  lp.child.stdin?.end(payload);
  const timer = killAfterMs === null ? null : setTimeout(() => lp.kill('SIGKILL'), killAfterMs);
  return lp.exited.then(({ code, signal }) => {
    if (timer !== null) clearTimeout(timer);
    return { sessionId, code, signal, ms: performance.now() - t0, stdout: lp.lines.join('\n') };
  });
}

describe('killed hooks', () => {
  it('1,000 hooks SIGKILLed at random instants: 0 lost among those that exited 0, no torn neighbour', async () => {
    const seed = seedFromEnv();
    const rand = rng(seed);
    const env = { PATH: process.env.PATH, HOME: st.dir, FLEETKEEPER_HOME: st.root };
    const parallel = 6;
    // Calibrate under the same load: kill instants then span a whole hook's life, start to exit.
    const warm: HookRun[] = [];
    for (let i = 0; i < 3; i++)
      warm.push(...(await Promise.all(Array.from({ length: parallel }, () => runHook(env, null)))));
    expect(warm.every((r) => r.code === 0 && r.stdout === '')).toBe(true);
    const durations = warm.map((r) => r.ms).sort((a, b) => a - b);
    const span = 1.2 * (durations[Math.floor(durations.length * 0.9)] as number);
    // Half the kills anywhere in a hook's life, half in its second half, where the write is.
    const late = 0.5 * (durations[Math.floor(durations.length / 2)] as number);
    const killAt = (): number => (rand() < 0.5 ? rand() * span : late + rand() * (span - late));

    const store = new RegistryStore(st.paths);
    let folding = true;
    let folds = 0;
    let applied = 0;
    const folder = (async () => {
      while (folding) {
        applied += (await store.foldSpool()).applied;
        folds++;
        await sleep(20);
      }
    })();

    const total = scaled(1000);
    const runs: HookRun[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < total) {
          next++;
          runs.push(await runHook(env, killAt()));
        }
      }),
    );
    folding = false;
    await folder;

    const journal = await readJournal(st.paths);
    expect(journal.corrupt).toEqual([]);
    const recorded = new Set(journal.events.map((e) => e.sessionId));
    const exited0 = runs.filter((r) => r.code === 0);
    const killed = runs.filter((r) => r.signal === 'SIGKILL');
    expect(exited0.length + killed.length).toBe(total);
    const lost = exited0.filter((r) => !recorded.has(r.sessionId));
    expect(lost.map((r) => r.sessionId)).toEqual([]);
    expect(exited0.every((r) => r.stdout === '')).toBe(true);
    const killedButRecorded = killed.filter((r) => recorded.has(r.sessionId)).length;
    // Every recorded event is one of ours, whole (the reader checked each checksum).
    expect(journal.events.every((e) => e.kind !== 'malformed')).toBe(true);
    const tornTemps = readdirSync(st.paths.spoolTmp).length;

    // The next fold applies the rest exactly once and sweeps the torn temp files (their hooks are dead).
    applied += (await store.foldSpool()).applied;
    expect(applied).toBe(journal.events.length);
    const { doc } = await store.load();
    expect(canonicalJson(doc)).toBe(
      canonicalJson(foldEvents(emptyRegistry(), (await readJournal(st.paths)).events).doc),
    );
    expect(readdirSync(st.paths.spoolTmp)).toEqual([]);
    expect(await sweepSpoolTmp(st.paths)).toBe(0);
    expect(readdirSync(st.paths.spoolNew)).toEqual([]);

    figures(
      `killed-hooks: ${total} hooks, kill instants over 0-${Math.round(span)} ms, half after ${Math.round(late)} ms (seed ${seed}); ` +
        `${exited0.length} exited 0 (0 lost), ${killed.length} killed (${killedButRecorded} after their event was durable), ` +
        `${tornTemps} torn temp files left and swept, 0 corrupt, ${folds} concurrent folds, ${applied} applied exactly once`,
    );
  }, 600_000);
});
