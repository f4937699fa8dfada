import type { FleetState, HealthReport, SaveTrigger } from '../../common/base/types.js';
import { errorMessage, TmuxError } from '../../common/base/errors.js';
import type { Settings } from '../../common/settings/settings-model.js';
import type { StatePaths } from '../base/state-dir.js';
import type { TmuxTarget } from '../tmux/exec.js';
import type { RegistryStore } from '../journal/registry-store.js';
import type { HookCommands } from '../claude/settings-file.js';
import { ControlClient } from '../tmux/control-client.js';
import { queryFleetVia, queryInstanceVia } from '../tmux/fleet-query.js';
import { saveSnapshot, type SaveResult } from '../snapshot/save.js';
import { withWriterLock } from '../base/writer-lock.js';
import { writeDaemonStatus, type DaemonStatus } from './status.js';
import { gatherHealth } from './health-service.js';
import { SaveClock, Debouncer } from './save-clock.js';
import { WakeDetector } from './wake-detector.js';
import { SnapshotCatalog } from '../snapshot/catalog.js';

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
  log?: (line: string) => void;
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
 * Owns its client, clock, debouncer and timers; stop() disposes all of them.
 */
export class Daemon {
  private client: ControlClient | null = null;
  private clock: SaveClock | null = null;
  private debouncer: Debouncer;
  private watchdog: NodeJS.Timeout | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private wake: WakeDetector;
  private stopped = false;
  private wakeGraceUntil: Date | null = null;
  private status: DaemonStatus;
  private lastHealth: HealthReport | null = null;
  private persistedState: DaemonStatus['state'] | null = null;
  private inFlight: Promise<SaveResult | null> | null = null;
  /** The fleet as of the last save: the watchdog's view of the server without a tmux spawn per tick. */
  private lastFleet: FleetState | null = null;
  private readonly catalog: SnapshotCatalog;
  private readonly now: () => Date;

  constructor(private readonly opts: DaemonOptions) {
    this.now = opts.clock ?? (() => new Date());
    this.catalog = new SnapshotCatalog(opts.paths, 10);
    this.debouncer = new Debouncer(opts.debounceMs ?? 3000, () => void this.saveNow('change'));
    this.wake = new WakeDetector((sleptMs) => this.onWake(sleptMs));
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
    return this.opts.intervalS ?? this.opts.settings().intervalS;
  }

  staleAfterS(): number {
    return this.opts.staleAfterS ?? this.opts.settings().staleAfterS;
  }

  get health(): HealthReport | null {
    return this.lastHealth;
  }

  /** Until when a post-wake stale is shown as late (the dashboard must agree with the tray). */
  get wakeGrace(): Date | null {
    return this.wakeGraceUntil;
  }

  get controlClient(): ControlClient | null {
    return this.client;
  }

  async start(): Promise<void> {
    await this.connect();
    this.clock = new SaveClock(this.intervalS() * 1000, () => this.saveNow('interval').then(() => undefined));
    this.clock.start();
    const watchdogMs = this.opts.watchdogMs ?? Math.min(30_000, Math.max(1000, (this.intervalS() * 1000) / 2));
    this.watchdog = setInterval(() => void this.checkHealth(), watchdogMs);
    this.wake.start();
    await this.checkHealth();
  }

  /** Settings changed: re-time the clock. */
  retime(): void {
    this.status.intervalS = this.intervalS();
    this.status.staleAfterS = this.staleAfterS();
    this.clock?.setPeriod(this.intervalS() * 1000);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      const client = await ControlClient.connect({ target: this.opts.target });
      this.client = client;
      this.status.state = 'connected';
      client.onNotification((n) => {
        if (NOTIFICATIONS_THAT_CHANGE_LAYOUT.has(n.name)) this.debouncer.poke();
      });
      client.onExit((reason) => {
        this.opts.log?.(`control client exited: ${reason}`);
        if (this.client === client) {
          this.client = null;
          this.lastFleet = null;
        }
        void client.dispose();
        this.scheduleReconnect(200);
      });
      this.opts.log?.('connected to tmux');
      await this.persistStatus();
      this.debouncer.poke();
    } catch (err) {
      this.status.state = 'no-server';
      // Written once per change of state, not on every poll while there is no server.
      if (this.persistedState !== 'no-server') await this.persistStatus();
      if (!(err instanceof TmuxError) || err.reason === 'missing')
        this.opts.log?.(`cannot connect: ${errorMessage(err)}`);
      this.scheduleReconnect(this.opts.serverPollMs ?? 2000);
    }
  }

  private scheduleReconnect(ms: number): void {
    if (this.stopped || this.reconnect !== null) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = null;
      void this.connect();
    }, ms);
  }

  /** One save attempt; failures become state (daemon-status.json), never exceptions. */
  saveNow(trigger: SaveTrigger): Promise<SaveResult | null> {
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
    const client = this.client;
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
              settings: this.opts.settings(),
              clock: this.now,
              query: () => queryFleetVia(client),
              instanceNow: () => queryInstanceVia(client),
              listing: async () => (await this.catalog.view()).listing,
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
      return result;
    } catch (err) {
      const benign = err instanceof TmuxError && err.reason === 'no-server';
      if (benign) {
        // No server or an empty one is not a failing backup: the watchdog shows no-server.
        this.status.state = this.client === null ? 'no-server' : 'connected';
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
    const graceMs = (this.opts.settings().graceS + this.intervalS()) * 1000;
    this.wakeGraceUntil = new Date(this.now().getTime() + graceMs);
    void this.saveNow('wake').then(() => this.checkHealth());
  }

  /** Wake grace from outside (Electron's powerMonitor 'resume'). */
  notifyResume(): void {
    this.onWake(0);
  }

  async checkHealth(): Promise<HealthReport | null> {
    try {
      const report = await gatherHealth(
        {
          paths: this.opts.paths,
          target: this.opts.target,
          settings: this.opts.settings(),
          clock: this.now,
          settingsPath: this.opts.claudeSettingsPath,
          hookCommands: this.opts.hookCommands,
          wakeGraceUntil: this.wakeGraceUntil,
          live: this.client === null ? null : (this.lastFleet ?? undefined),
          snapshots: () => this.catalog.view(),
        },
        this.staleAfterS(),
      );
      this.lastHealth = report;
      this.opts.onHealth?.(report);
      return report;
    } catch (err) {
      this.opts.log?.(`health check failed: ${errorMessage(err)}`);
      return null;
    }
  }

  private async persistStatus(): Promise<void> {
    this.persistedState = this.status.state;
    await writeDaemonStatus(this.opts.paths, this.status).catch((err: unknown) =>
      this.opts.log?.(`cannot write daemon status: ${errorMessage(err)}`),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clock?.dispose();
    this.debouncer.dispose();
    this.wake.dispose();
    if (this.watchdog !== null) clearInterval(this.watchdog);
    if (this.reconnect !== null) clearTimeout(this.reconnect);
    this.status.state = 'stopped';
    await this.persistStatus();
    const c = this.client;
    this.client = null;
    await c?.dispose();
  }
}
