// Writes snapshots with the real writer (writeSnapshot): the template draft gets a fresh
// savedAt and id each time. Acknowledges a save only after writeSnapshot resolved.
//   save.mjs <stateRoot> <draftJsonFile> once   one save; prints "ok <id>" or "failed <reason>"
//   save.mjs <stateRoot> <draftJsonFile> loop   after "go" on stdin, saves until killed
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dist, say } from './common.mjs';

const { writeSnapshot, newSnapshotId } = await import(`${dist}node/snapshot/store.js`);
const { statePaths } = await import(`${dist}node/base/state-dir.js`);

const [root, draftFile, mode] = process.argv.slice(2);
const paths = statePaths(root);
const template = JSON.parse(readFileSync(draftFile, 'utf8'));
let last = 0;
const saveOne = async () => {
  // Strictly increasing savedAt, so every save gets a distinct, newer id.
  const now = new Date(Math.max(Date.now(), last + 1));
  last = now.getTime();
  const snap = await writeSnapshot(paths, { ...template, savedAt: now.toISOString(), id: newSnapshotId(now) });
  say(`ok ${snap.id}`);
};
say('ready');
if (mode === 'once') {
  try {
    await saveOne();
  } catch (err) {
    say(`failed ${err?.name}: ${String(err?.message ?? err).replace(/\s+/g, ' ')}`);
  }
} else {
  const rl = createInterface({ input: process.stdin });
  await new Promise((res) => rl.once('line', res));
  say('started');
  for (;;) await saveOne();
}
