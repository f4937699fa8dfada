import type { FleetState, HealthReport, SaveTrigger } from '../../common/base/types.js';
import { errorMessage, TmuxError } from '../../common/base/errors.js';
import type { Settings } from '../../common/settings/settings-model.js';
import type { StatePaths } from '../base/state-dir.js';
import type { TmuxTarget } from '../tmux/exec.js';
import type { RegistryStore } from '../journal/registry-store.js';
import type { HookCommands } from '../claude/settings-file.js';
import type { ControlClient } from '../tmux/control-client.js';
import { queryFleetVia, queryInstanceVia } from '../tmux/fleet-query.js';
import { saveSnapshot, type SaveResult } from '../snapshot/save.js';
import { withWriterLock } from '../base/writer-lock.js';
import { writeDaemonStatus, type DaemonStatus } from './status.js';
import { gatherHealth } from './health-service.js';
import { SaveClock } from './save-clock.js';
import { Debouncer } from '../base/debouncer.js';
import { WakeDetector } from './wake-detector.js';
import { SnapshotCatalog } from '../snapshot/catalog.js';
import { DisposableStore, intervalDisposable, type Disposable } from '../base/disposable-store.js';
import { TmuxLink } from './tmux-link.js';

export interface DaemonOptions {
  paths: StatePaths;
  target: TmuxTarget;
  registry: RegistryStore;
  settings: () => Settings;
  claudeSettingsPath: string;
  hookCommands: HookCommands;
  clock?: () => Date;
  /** Overrides of the settings (CLI flags). */
  intervalS?: number;
  staleAfterS?: number;
  /** Quiet period after control-mode notifications before a change-triggered save. */
  debounceMs?: number;
  /** How often the watchdog re-reads disk. */
  watchdogMs?: number;
  /** How often to look for a tmux server while there is none. */
  serverPollMs?: number;
  onHealth?: (report: HealthReport) => void;
  /** After every verified save (the heartbeat URL rides on it); must not throw or block. */
  onSaved?: (result: SaveResult) => void;
  log?: (line: string) => void;
  /**
   * Run once at start, alongside the saver (restoreOnStart=auto: autoRestoreOnStart). stop()
   * aborts `signal` (no more launches, no verify wait) and waits for it to settle.
   */
  startRestore?: (signal: AbortSignal) => Promise<void>;
}

const NOTIFICATIONS_THAT_CHANGE_LAYOUT = new Set([
  'layout-change',
  'window-add',
  'window-close',
  'unlinked-window-add',
  'unlinked-window-close',
  'window-renamed',
  'unlinked-window-renamed',
  'session-renamed',
  'sessions-changed',
  'window-pane-changed',
  'session-window-changed',
  'pane-mode-changed',
]);

/**
 * The headless saver + watchdog: one control-mode client, a fixed save clock, debounced saves
 * on layout notifications, reconnects, and a watchdog that reads health back from disk.
 * Its link to tmux, clock, debouncer, wake detector and watchdog are registered with one store;
 * stop() waits for the save in flight, writes `stopped` last, and disposes the store.
 */
export class Daemon {
  private readonly store = new DisposableStore();
  private readonly link: TmuxLink;
  private clock: SaveClock | null = null;
  private readonly debouncer: Debouncer;
  private watchdog: Disposable | null = null;
  private readonly wake: WakeDetector;
  /** Set by stop(): from then on nothing new starts, nothing but `stopped` is written, no callback fires. */
  private stopped = false;
  private stopping: Promise<void> | null = null;
  private wakeGraceUntil: Date | null = null;
  private status: DaemonStatus;
  private lastHealth: HealthReport | null = null;
  private persistedState: DaemonStatus['state'] | null = null;
  private inFlight: Promise<SaveResult | null> | null = null;
  /** The fleet as of the last save: the watchdog's view of the server without a tmux spawn per tick. */
  private lastFleet: FleetState | null = null;
  private readonly catalog: SnapshotCatalog;
  private readonly now: () => Date;
  /** The restore at start, while it runs (tests and stop() wait for it). */
  startRestoring: Promise<void> | null = null;
  private settingsNow: Settings | null = null;
  private readonly restoreAbort = new AbortController();

  constructor(private readonly opts: DaemonOptions) {
    this.now = opts.clock ?? (() => new Date());
    this.catalog = new SnapshotCatalog(opts.paths, 10);
    this.debouncer = this.store.add(new Debouncer(opts.debounceMs ?? 3000, () => void this.saveNow('change')));
    this.wake = this.store.add(new WakeDetector((sleptMs) => this.onWake(sleptMs)));
    this.link = this.store.add(
      new TmuxLink(opts.target, opts.serverPollMs ?? 2000, {
        connected: () => this.onConnected(),
        noServer: (err) => this.onNoServer(err),
        lost: (reason) => {
          this.opts.log?.(`control client exited: ${reason}`);
          this.lastFleet = null;
        },
        notification: (n) => {
          if (NOTIFICATIONS_THAT_CHANGE_LAYOUT.has(n.name)) this.debouncer.poke();
        },
      }),
    );
    this.status = {
      pid: process.pid,
      startedAt: this.now().toISOString(),
      intervalS: this.intervalS(),
      staleAfterS: this.staleAfterS(),
      lastAttemptAt: null,
      lastOkAt: null,
      lastError: null,
      consecutiveFailures: 0,
      state: 'no-server',
    };
  }

  intervalS(): number {
    return this.opts.intervalS ?? this.currentSettings().intervalS;
  }

  staleAfterS(): number {
    return this.opts.staleAfterS ?? this.currentSettings().staleAfterS;
  }

  /**
   * The settings as read at the last watchdog tick (or retime): one read of the file per tick,
   * shared with whoever acts on this daemon's events (notification and alert policies).
   */
  currentSettings(): Settings {
    return (this.settingsNow ??= this.opts.settings());
  }

  get health(): HealthReport | null {
    return this.lastHealth;
  }

  /** Until when a post-wake stale is shown as late (the dashboard must agree with the tray). */
  get wakeGrace(): Date | null {
    return this.wakeGraceUntil;
  }

  get controlClient(): ControlClient | null {
    return this.link.client;
  }

  async start(): Promise<void> {
    // Not awaited: the saver starts at once and connects to the server the restore starts.
    if (this.opts.startRestore)
      this.startRestoring = this.opts
        .startRestore(this.restoreAbort.signal)
        .catch((err: unknown) => this.opts.log?.(`restore at start failed: ${errorMessage(err)}`));
    await this.link.connect();
    if (this.stopped) return;
    this.clock = this.store.add(
      new SaveClock(this.intervalS() * 1000, () => this.saveNow('interval').then(() => undefined)),
    );
    this.clock.start();
    this.armWatchdog();
    this.wake.start();
    await this.checkHealth();
  }

  /** Settings changed: re-time the clock and the watchdog (which follows the interval). */
  retime(): void {
    if (this.stopped) return;
    this.settingsNow = null;
    this.status.intervalS = this.intervalS();
    this.status.staleAfterS = this.staleAfterS();
    this.clock?.setPeriod(this.intervalS() * 1000);
    if (this.watchdog !== null) this.armWatchdog();
  }

  /**
   * Settings are re-read at every watchdog tick, so `fleetkeeper config set intervalS 30` (or
   * the dashboard of another process) applies without a restart.
   */
  private followSettings(): void {
    this.settingsNow = null;
    if (this.intervalS() === this.status.intervalS && this.staleAfterS() === this.status.staleAfterS) return;
    this.opts.log?.(`settings changed: interval ${this.intervalS()} s, stale after ${this.staleAfterS()} s`);
    this.retime();
  }

  /** Half the save interval, between 1 and 30 s, unless fixed by the caller. */
  private watchdogMs(): number {
    return this.opts.watchdogMs ?? Math.min(30_000, Math.max(1000, (this.intervalS() * 1000) / 2));
  }

  private armWatchdog(): void {
    if (this.watchdog !== null) void this.store.delete(this.watchdog);
    this.watchdog = this.store.add(intervalDisposable(() => void this.checkHealth(), this.watchdogMs()));
  }

  private async onConnected(): Promise<void> {
    this.status.state = 'connected';
    this.opts.log?.('connected to tmux');
    await this.persistStatus();
    this.debouncer.poke();
  }

  private async onNoServer(err: unknown): Promise<void> {
    this.status.state = 'no-server';
    // Written once per change of state, not on every poll while there is no server.
    if (this.persistedState !== 'no-server') await this.persistStatus();
    if (!(err instanceof TmuxError) || err.reason === 'missing')
      this.opts.log?.(`cannot connect: ${errorMessage(err)}`);
  }

  /** One save attempt; failures become state (daemon-status.json), never exceptions. */
  saveNow(trigger: SaveTrigger): Promise<SaveResult | null> {
    if (this.stopped) return Promise.resolve(null);
    // The clock, layout changes, a wake and the menu can all ask at once: one save at a time
    // in this process (the writer lock is for other processes), later askers share it.
    if (this.inFlight !== null) return this.inFlight;
    const run = this.saveOnce(trigger).finally(() => {
      if (this.inFlight === run) this.inFlight = null;
    });
    this.inFlight = run;
    return run;
  }

  private async saveOnce(trigger: SaveTrigger): Promise<SaveResult | null> {
    const client = this.link.client;
    if (client === null) {
      this.status.state = 'no-server';
      await this.persistStatus();
      return null;
    }
    const attemptAt = this.now();
    this.status.lastAttemptAt = attemptAt.toISOString();
    try {
      const result = await withWriterLock(
        this.opts.paths,
        `daemon (pid ${process.pid})`,
        () =>
          saveSnapshot(
            {
              paths: this.opts.paths,
              target: this.opts.target,
              registry: this.opts.registry,
              settings: this.currentSettings(),
              clock: this.now,
              query: () => queryFleetVia(client),
              instanceNow: () => queryInstanceVia(client),
              listing: async (written) => (await this.catalog.view([written])).listing,
            },
            trigger,
          ),
        { waitMs: 10_000 },
      );
      this.lastFleet = result.fleet;
      this.status.lastOkAt = result.snapshot.savedAt;
      this.status.lastError = null;
      this.status.consecutiveFailures = 0;
      this.status.state = 'connected';
      await this.persistStatus();
      // A save stop() waited for is on disk, but a stopped daemon calls nobody (heartbeat, alert).
      if (!this.stopped) this.opts.onSaved?.(result);
      for (const p of result.transcriptProblems ?? []) this.opts.log?.(`kept transcripts: ${p}`);
      return result;
    } catch (err) {
      const benign = err instanceof TmuxError && err.reason === 'no-server';
      if (benign) {
        // No server or an empty one is not a failing backup: the watchdog shows no-server.
        this.status.state = this.link.client === null ? 'no-server' : 'connected';
      } else {
        this.status.lastError = errorMessage(err);
        this.status.consecutiveFailures++;
        this.opts.log?.(`save failed: ${this.status.lastError}`);
      }
      await this.persistStatus();
      await this.checkHealth();
      return null;
    }
  }

  private onWake(sleptMs: number): void {
    this.opts.log?.(`resumed after ~${Math.round(sleptMs / 1000)} s asleep: saving now`);
    const graceMs = (this.currentSettings().graceS + this.intervalS()) * 1000;
    this.wakeGraceUntil = new Date(this.now().getTime() + graceMs);
    void this.saveNow('wake').then(() => this.checkHealth());
  }

  /** Wake grace from outside (Electron's powerMonitor 'resume'). */
  notifyResume(): void {
    this.onWake(0);
  }

  async checkHealth(): Promise<HealthReport | null> {
    if (this.stopped) return null;
    this.followSettings();
    try {
      const report = await gatherHealth(
        {
          paths: this.opts.paths,
          target: this.opts.target,
          settings: this.currentSettings(),
          clock: this.now,
          settingsPath: this.opts.claudeSettingsPath,
          hookCommands: this.opts.hookCommands,
          wakeGraceUntil: this.wakeGraceUntil,
          live: this.link.client === null ? null : (this.lastFleet ?? undefined),
          snapshots: () => this.catalog.view(),
        },
        this.staleAfterS(),
      );
      // stop() came while disk was being read: nobody may hear from a stopped daemon.
      if (this.stopped) return null;
      this.lastHealth = report;
      this.opts.onHealth?.(report);
      return report;
    } catch (err) {
      this.opts.log?.(`health check failed: ${errorMessage(err)}`);
      return null;
    }
  }

  private async persistStatus(): Promise<void> {
    // After stop() only its own final `stopped` is written (it carries the last save's outcome).
    if (this.stopped && this.status.state !== 'stopped') return;
    this.persistedState = this.status.state;
    await writeDaemonStatus(this.opts.paths, this.status).catch((err: unknown) =>
      this.opts.log?.(`cannot write daemon status: ${errorMessage(err)}`),
    );
  }

  /** Idempotent: the app's Quit and a signal can both ask. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    this.stopped = true;
    // A restore at start stops launching Claudes and settles (it reports what it built).
    this.restoreAbort.abort();
    // Timers that fire meanwhile find `stopped` and do nothing; the save in flight finishes
    // through the still-open client (cutting it off would withdraw a good snapshot).
    await this.link.close();
    await this.inFlight?.catch(() => null);
    await this.startRestoring;
    this.status.state = 'stopped';
    await this.persistStatus();
    await this.store.dispose().catch((err: unknown) => this.opts.log?.(`stopping: ${errorMessage(err)}`));
  }
}
