// `node dist/bench/run-claude-restore.js [--panes 8,16] [--reps 2]`: the restore of real Claude
// panes against its floor (bench/measure-claude-restore.ts), printed as ratios. Exit 1 when a
// pane came back with a wrong or no conversation.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isolateHome } from './fleet.js';
import { measureClaudeRestore, summary } from './measure-claude-restore.js';

const here = fileURLToPath(import.meta.url);
const cliBin = resolve(here, '..', '..', '..', 'bin', 'fleetkeeper.js');
const claudeBin = realpathSync(resolve(here, '..', '..', '..', 'node_modules', '.bin', 'claude'));
const { values } = parseArgs({ options: { panes: { type: 'string' }, reps: { type: 'string' } } });
const sizes = (values.panes ?? '8,16').split(',').map(Number);
const reps = Number(values.reps ?? '2');
const root = mkdtempSync(join(tmpdir(), 'fk-bench-claude-'));
isolateHome(root);
let failed = false;
const lines: string[] = [];
try {
  for (const n of sizes) {
    const f = await measureClaudeRestore(join(root, `n${n}`), n, {
      reps,
      cliBin,
      claudeBin,
      log: (l) => process.stderr.write(`${l}\n`),
    });
    lines.push(summary(f));
    process.stderr.write(`${summary(f)}\n  floor ms ${f.floorMs.join(', ')}; ours ms ${f.oursMs.join(', ')}\n`);
    if (f.wrong > 0) failed = true;
    for (const note of f.notes) process.stderr.write(`  note: ${note}\n`);
  }
} finally {
  // Dying Claudes may still write into their config dir for a moment.
  await new Promise((r) => setTimeout(r, 2000));
  try {
    rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
  } catch (err) {
    process.stderr.write(`cleanup of ${root} incomplete: ${String(err)}\n`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
process.exitCode = failed ? 1 : 0;
