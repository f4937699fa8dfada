import { join } from 'node:path';
import type { CliContext } from '../context.js';
import { Daemon } from '../../node/daemon/daemon.js';
import { acquireWriterLock } from '../../node/base/writer-lock.js';
import { createNodeNotifier } from '../../node/desktop/notifier.js';
import { NotificationPolicy } from '../../common/health/notification-policy.js';
import { InvalidInputError, errorMessage } from '../../common/base/errors.js';

/**
 * The headless daemon for SSH-only hosts: the same Daemon the tray app runs in-process,
 * with notifications through node-notifier. One daemon per state dir (its own lock file;
 * the writer lock is taken per save so the CLI can interleave).
 */
export async function daemonCommand(
  ctx: CliContext,
  flags: { intervalS?: number; staleAfterS?: number; json?: boolean },
): Promise<number> {
  const { intervalS, staleAfterS } = flags;
  if (intervalS !== undefined && staleAfterS !== undefined && staleAfterS <= intervalS) {
    throw new InvalidInputError(`--stale-after (${staleAfterS}) must be greater than --interval (${intervalS})`);
  }
  const single = await acquireWriterLock(
    { ...ctx.paths, lockFile: join(ctx.paths.root, 'daemon.lock') },
    `daemon (pid ${process.pid})`,
  );
  // With --json the log is a stream of JSON lines on stdout (one object per event).
  const log = (line: string) => {
    const at = new Date().toISOString();
    if (flags.json === true) process.stdout.write(`${JSON.stringify({ at, pid: process.pid, message: line })}\n`);
    else process.stderr.write(`${at} fleetkeeper daemon: ${line}\n`);
  };
  const notifier = createNodeNotifier({ appName: 'Fleetkeeper' });
  const policy = new NotificationPolicy(() => {
    const s = ctx.settings.get();
    return {
      renotifyMinutes: s.renotifyMinutes,
      wakeGraceS: s.graceS + (intervalS ?? s.intervalS),
      enabled: s.notifications,
      tzOffsetMinutes: -new Date().getTimezoneOffset(),
    };
  });
  const deliver = (events: ReturnType<NotificationPolicy['handle']>) => {
    for (const n of events) {
      log(`notify [${n.urgency}] ${n.title}: ${n.body}`);
      notifier.notify(n).catch((err: unknown) => log(`notification failed: ${errorMessage(err)}`));
    }
  };
  let lastState = '';
  const daemon = new Daemon({
    paths: ctx.paths,
    target: ctx.target,
    registry: ctx.registry,
    settings: () => ctx.settings.get(),
    claudeSettingsPath: ctx.claudeSettingsPath,
    hookCommands: ctx.hookCommands,
    intervalS,
    staleAfterS,
    log,
    onHealth: (report) => {
      if (report.state !== lastState) log(`health: ${report.state} — ${report.reason}`);
      lastState = report.state;
      deliver(policy.handle({ kind: 'health', report }));
    },
  });
  deliver(policy.handle({ kind: 'start' }));
  await daemon.start();
  log(`running (interval ${daemon.intervalS()} s, stale after ${daemon.staleAfterS()} s, state dir ${ctx.paths.root})`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  log('stopping');
  await daemon.stop();
  await single.release();
  return 0;
}
