// Folds the spool into the registry in a loop, as the daemon does, until killed. Imports
// first and waits for "go" on stdin, so a pre-started worker's start-up overlaps the previous
// kill and the kill instant falls in the fold itself.
//   fold.mjs <stateRoot>
import { createInterface } from 'node:readline';
import { dist, say } from './common.mjs';

const { RegistryStore } = await import(`${dist}node/journal/registry-store.js`);
const { statePaths } = await import(`${dist}node/base/state-dir.js`);

const store = new RegistryStore(statePaths(process.argv[2]));
say('ready');
const rl = createInterface({ input: process.stdin });
await new Promise((res) => rl.once('line', res));
say('started');
for (;;) {
  const t0 = performance.now();
  const r = await store.foldSpool();
  say(`folded ${r.applied} ${Math.round(performance.now() - t0)}${r.rebuilt ? ' rebuilt' : ''}`);
}
