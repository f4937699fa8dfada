import type { CliContext } from '../context.js';
import { Daemon } from '../../node/daemon/daemon.js';
import { acquireWriterLock } from '../../node/base/writer-lock.js';
import { createNodeNotifier } from '../../node/desktop/notifier.js';
import { AlertService } from '../../node/alerts/alert-service.js';
import { NotificationPolicy, policyConfig } from '../../common/health/notification-policy.js';
import { checkStaleAfterInterval, type Settings } from '../../common/settings/settings-model.js';
import { autoRestoreMessage, autoRestoreOnStart } from '../../node/restore/auto-restore.js';
import { daemonLockPaths, readSaverState } from '../../node/daemon/saver-state.js';

/**
 * The headless daemon for SSH-only hosts: the same Daemon the tray app runs in-process,
 * with notifications through node-notifier. One daemon per state dir (its own lock file;
 * the writer lock is taken per save so the CLI can interleave).
 */
export async function daemonCommand(
  ctx: CliContext,
  flags: { intervalS?: number; staleAfterS?: number; json?: boolean; ifIdle?: boolean },
): Promise<number> {
  const { intervalS, staleAfterS } = flags;
  if (intervalS !== undefined && staleAfterS !== undefined)
    checkStaleAfterInterval(intervalS, staleAfterS, { interval: '--interval', staleAfter: '--stale-after' });
  // With --json the log is a stream of JSON lines on stdout (one object per event).
  const log = (line: string) => {
    const at = new Date().toISOString();
    if (flags.json === true) process.stdout.write(`${JSON.stringify({ at, pid: process.pid, message: line })}\n`);
    else process.stderr.write(`${at} fleetkeeper daemon: ${line}\n`);
  };
  if (flags.ifIdle === true) {
    // The tmux plugin starts a daemon at every server start: not when one (or the app) saves already.
    const saver = await readSaverState(ctx.paths);
    if (saver.running) {
      log(`not started: a saver already holds ${ctx.paths.root} (${saver.detail})`);
      return 0;
    }
  }
  const single = await acquireWriterLock(daemonLockPaths(ctx.paths), `daemon (pid ${process.pid})`);
  // Until the daemon exists, the file; then the daemon's copy, read once per watchdog tick.
  let settings = (): Settings => ctx.settings.get();
  const alerts = new AlertService({
    paths: ctx.paths,
    settings: () => settings(),
    desktop: createNodeNotifier({ appName: 'Fleetkeeper' }),
    log,
  });
  const policyFor = (desktop: boolean) =>
    new NotificationPolicy(() =>
      policyConfig(settings(), {
        desktop,
        tzOffsetMinutes: -new Date().getTimezoneOffset(),
        ...(intervalS !== undefined ? { intervalS } : {}),
      }),
    );
  // The `notifications` setting is about the desktop; alertCommand follows its own policy.
  const policy = policyFor(true);
  const alertPolicy = policyFor(false);
  const deliver = (events: ReturnType<NotificationPolicy['handle']>) => {
    for (const n of events) {
      log(`notify [${n.urgency}] ${n.title}: ${n.body}`);
      void alerts.desktop(n);
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
      for (const n of alertPolicy.handle({ kind: 'health', report })) alerts.command(n, report);
    },
    onSaved: () => alerts.saved(),
    // restoreOnStart=auto: the same code path as the app's (autoRestoreOnStart).
    startRestore: async (signal) => {
      const outcome = await autoRestoreOnStart({
        paths: ctx.paths,
        target: ctx.target,
        settings: ctx.settings.get(),
        claudeBin: ctx.claudeBin,
        signal,
      });
      const msg = autoRestoreMessage(outcome);
      if (msg === null) {
        if (outcome.kind === 'skipped') log(`restore at start: not done (${outcome.why})`);
        return;
      }
      log(`restore at start: ${msg.title}: ${msg.body}`);
      void alerts.desktop({ ...msg, urgency: msg.ok ? 'normal' : 'critical', action: 'open-dashboard' });
    },
  });
  settings = () => daemon.currentSettings();
  deliver(policy.handle({ kind: 'start' }));
  alertPolicy.handle({ kind: 'start' });
  // Listening before start: a stop asked for while it connects (systemd, a quick Ctrl-C) is an
  // orderly stop, not the default action of the signal that kills us without a word on disk.
  let stopAsked = false;
  const signalled = new Promise<void>((resolve) => {
    const stop = () => {
      stopAsked = true;
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const started = daemon.start();
  await Promise.race([started, signalled]);
  if (!stopAsked) {
    log(
      `running (interval ${daemon.intervalS()} s, stale after ${daemon.staleAfterS()} s, state dir ${ctx.paths.root})`,
    );
    await signalled;
  }
  log('stopping');
  await daemon.stop();
  await started.catch(() => undefined);
  await alerts.stop();
  await single.release();
  return 0;
}
