// `node dist/bench/run-contents.js [--panes 200] [--reps 10]`: a save with capturePaneContents
// on against the same save with it off (bench/measure-save-contents.ts), as a ratio.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFleet, isolateHome, killServer } from './fleet.js';
import { measureSaveContents } from './measure-save-contents.js';

const { values } = parseArgs({ options: { panes: { type: 'string' }, reps: { type: 'string' } } });
const n = Number(values.panes ?? '200');
const reps = Number(values.reps ?? '10');
const root = mkdtempSync(join(tmpdir(), 'fk-bench-contents-'));
isolateHome(root);
const fleet = await buildFleet(join(root, 'fleet'), { panes: n });
try {
  const f = await measureSaveContents(fleet, { reps });
  process.stdout.write(
    `daemon save, ${n} panes: contents on ${f.onMs.toFixed(1)} ms vs off ${f.offMs.toFixed(1)} ms = ${(f.onMs / f.offMs).toFixed(2)}×; ` +
      `${f.panesKept} screens kept, sidecar ${(f.sidecarBytes / 1024).toFixed(1)} KB gzipped\n`,
  );
} finally {
  await killServer(fleet.target);
  rmSync(root, { recursive: true, force: true });
}
