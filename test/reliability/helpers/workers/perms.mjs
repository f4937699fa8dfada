// Exercises every writer of the state dir once, under whatever umask the caller set:
// journal event, registry (conf), snapshot, writer lock, daemon status, handled instances,
// settings. Prints "done" or "failed <reason>".
//   perms.mjs <stateRoot> <draftJsonFile>
import { readFileSync } from 'node:fs';
import { dist, eventFields, say } from './common.mjs';

try {
  const { ensureStateDir } = await import(`${dist}node/base/state-dir.js`);
  const { appendEvent } = await import(`${dist}node/journal/spool.js`);
  const { RegistryStore } = await import(`${dist}node/journal/registry-store.js`);
  const { writeSnapshot, markInstanceHandled } = await import(`${dist}node/snapshot/store.js`);
  const { acquireWriterLock } = await import(`${dist}node/base/writer-lock.js`);
  const { writeDaemonStatus } = await import(`${dist}node/daemon/status.js`);
  const [root, draftFile] = process.argv.slice(2);
  const paths = ensureStateDir(root);
  const lock = await acquireWriterLock(paths, 'perms-test');
  for (let i = 0; i < 10; i++) await appendEvent(paths, eventFields('perms', i));
  await new RegistryStore(paths).foldSpool();
  await writeSnapshot(paths, JSON.parse(readFileSync(draftFile, 'utf8')));
  const now = new Date().toISOString();
  await writeDaemonStatus(paths, {
    pid: process.pid,
    startedAt: now,
    intervalS: 60,
    staleAfterS: 300,
    lastAttemptAt: now,
    lastOkAt: now,
    lastError: null,
    consecutiveFailures: 0,
    state: 'connected',
  });
  await markInstanceHandled(paths, '/tmp/x|1|2', 'dismissed');
  try {
    const { SettingsStore, openSettingsFile } = await import(`${dist}node/settings/settings-store.js`);
    new SettingsStore(openSettingsFile(paths)).update({ intervalS: 90 });
  } catch (err) {
    say(`settings skipped ${String(err?.message ?? err).replace(/\s+/g, ' ')}`);
  }
  say(`lock-mode ${(await import('node:fs')).statSync(paths.lockFile).mode & 0o777}`);
  await lock.release();
  say('done');
} catch (err) {
  say(`failed ${String(err?.stack ?? err).replace(/\s+/g, ' ')}`);
}
