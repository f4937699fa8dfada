// A writer (app, daemon or CLI) in a loop: take the single-writer lock, prove nobody else is
// inside (an O_EXCL marker), fold the spool into the registry, leave. Runs until killed.
//   writer.mjs <stateRoot> <owner>
import { openSync, closeSync, unlinkSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { dist, say } from './common.mjs';

const { RegistryStore } = await import(`${dist}node/journal/registry-store.js`);
const { withWriterLock } = await import(`${dist}node/base/writer-lock.js`);
const { statePaths } = await import(`${dist}node/base/state-dir.js`);

const [root, owner] = process.argv.slice(2);
const paths = statePaths(root);
const store = new RegistryStore(paths);
const marker = join(root, 'inside.marker');
say('ready');
for (let round = 0; ; round++) {
  await withWriterLock(
    paths,
    owner,
    async () => {
      let fd;
      try {
        fd = openSync(marker, 'wx');
      } catch {
        // Left by a holder that was killed inside: stale only if that process is gone.
        const pid = Number(readFileSync(marker, 'utf8'));
        let alive = true;
        try {
          process.kill(pid, 0);
        } catch {
          alive = false;
        }
        if (alive) {
          say(`overlap with ${pid}`);
          return;
        }
        unlinkSync(marker);
        fd = openSync(marker, 'wx');
      }
      writeSync(fd, String(process.pid));
      closeSync(fd);
      say('in');
      const r = await store.foldSpool();
      unlinkSync(marker);
      say(`applied ${r.applied}`);
    },
    { waitMs: 30_000 },
  );
}
