import { hostname } from 'node:os';
import { errorMessage } from '../../common/base/errors.js';
import type { HealthReport } from '../../common/base/types.js';
import type { AlertChannelName, ChannelOutcome } from '../../common/alerts/alert-channels.js';
import type { PolicyNotification } from '../../common/health/notification-policy.js';
import type { Settings } from '../../common/settings/settings-model.js';
import type { StatePaths } from '../base/state-dir.js';
import type { Notifier } from '../desktop/notifier.js';
import { runAlertCommand } from './alert-command.js';
import { Heartbeat } from './heartbeat.js';
import { currentDesktopBus, writeAlertStatus, type AlertStatus } from './alert-status.js';

export interface AlertServiceOptions {
  paths: StatePaths;
  settings: () => Settings;
  /** The desktop notifier; null where the shell shows notifications itself (the app). */
  desktop: Notifier | null;
  log: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  commandTimeoutMs?: number;
  heartbeat?: Heartbeat;
}

/**
 * Every alert channel behind one door, for the daemon and the app: desktop notifications (only
 * where a session bus exists: without one they are skipped once, with one line), the user's
 * alertCommand on entering red, each re-notify and recovery, and the heartbeat after each
 * verified save. Nothing here throws or delays its caller: failures are logged and recorded
 * in alerts-status.json for status and doctor.
 */
export class AlertService {
  private readonly heartbeat: Heartbeat;
  private readonly last: AlertStatus['last'] = {};
  private busMissingSaid = false;
  private lastDesktopError: string | null = null;
  /** Commands run one after another, so a recovery never overtakes the red it ends. */
  private commandQueue: Promise<void> = Promise.resolve();
  private queued = 0;
  private stopped = false;

  constructor(private readonly opts: AlertServiceOptions) {
    this.heartbeat =
      opts.heartbeat ??
      new Heartbeat({
        onOutcome: (o) => {
          if (!o.ok) this.opts.log(`heartbeat failed: ${o.detail}`);
          this.record('heartbeat', o);
        },
      });
  }

  /** Desktop notifications (subject to the `notifications` setting, decided by the caller's policy). */
  async desktop(n: PolicyNotification): Promise<void> {
    if (this.opts.desktop === null) return;
    const bus = currentDesktopBus(this.opts.env);
    if (!bus.available) {
      if (!this.busMissingSaid) {
        const others = this.otherChannels();
        this.opts.log(
          `desktop notifications skipped: ${bus.detail}; alerts go to ${others.length ? others.join(' and ') : 'the log only (set alertCommand or heartbeatUrl)'}`,
        );
        this.busMissingSaid = true;
        this.record('desktop', { ok: false, at: new Date().toISOString(), detail: bus.detail });
      }
      return;
    }
    this.busMissingSaid = false;
    try {
      await this.opts.desktop.notify(n);
      this.lastDesktopError = null;
      this.record('desktop', { ok: true, at: new Date().toISOString(), detail: 'shown' });
    } catch (err) {
      // The same failure at every re-notify is one line, not one per alert (status and doctor keep showing it).
      if (errorMessage(err) !== this.lastDesktopError) this.opts.log(`notification failed: ${errorMessage(err)}`);
      this.lastDesktopError = errorMessage(err);
      this.record('desktop', { ok: false, at: new Date().toISOString(), detail: errorMessage(err) });
    }
  }

  private otherChannels(): string[] {
    const s = this.opts.settings();
    return [s.alertCommand !== null ? 'alertCommand' : '', s.heartbeatUrl !== null ? 'heartbeatUrl' : ''].filter(
      Boolean,
    );
  }

  /** alertCommand for the red edges of a notification from an always-on policy. */
  command(n: PolicyNotification, report: HealthReport | null): void {
    const cmd = this.opts.settings().alertCommand;
    if (cmd === null || n.event === undefined || this.stopped) return;
    if (this.queued >= 5) {
      this.opts.log(`alertCommand skipped for "${n.title}": 5 runs already waiting`);
      return;
    }
    this.queued++;
    const document = { event: n.event, title: n.title, body: n.body, urgency: n.urgency, host: hostname(), report };
    this.commandQueue = this.commandQueue.then(async () => {
      this.queued--;
      const r = await runAlertCommand(
        cmd,
        { event: n.event!, state: report?.state ?? '', title: n.title, body: n.body, document },
        { timeoutMs: this.opts.commandTimeoutMs, env: this.opts.env },
      );
      if (!r.ok) this.opts.log(`alertCommand failed (${n.event}): ${r.detail}`);
      this.record('command', { ok: r.ok, at: new Date().toISOString(), detail: r.detail });
    });
  }

  /** After a verified save. Returns at once. */
  saved(): void {
    const url = this.opts.settings().heartbeatUrl;
    if (url !== null && !this.stopped) this.heartbeat.ping(url);
  }

  /** Resolves when queued alert commands have run (for shutdown and tests). */
  idle(): Promise<void> {
    return this.commandQueue;
  }

  private record(channel: AlertChannelName, o: ChannelOutcome): void {
    this.last[channel] = o;
    void writeAlertStatus(this.opts.paths, {
      pid: process.pid,
      updatedAt: new Date().toISOString(),
      last: { ...this.last },
    }).catch((err: unknown) => this.opts.log(`cannot write alert status: ${errorMessage(err)}`));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.heartbeat.dispose();
    await this.commandQueue;
  }
}
