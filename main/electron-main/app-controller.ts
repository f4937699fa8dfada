// The tray app's behaviour: health reports in → tray, menu and notifications out; menu clicks
// in → core actions. Every decision is in the pure modules (tray-model, menu-template,
// notification-policy, action-dispatch); this class only sequences them. No Electron import:
// it talks to Electron through ElectronSurface.
import type { HealthReport, SaveTrigger } from '../common/base/types.js';
import { errorMessage } from '../common/base/errors.js';
import type { Settings } from '../common/settings/settings-model.js';
import { parseAction, type ActionId } from '../common/tray/action-dispatch.js';
import { menuTemplate, type MenuSnapshot, type MenuState } from '../common/tray/menu-template.js';
import type { HooksState } from '../common/claude/hook-entries.js';
import { trayModel, type TrayPlatform } from '../common/tray/tray-model.js';
import { NotificationPolicy, policyConfig, type PolicyEvent } from '../common/health/notification-policy.js';
import type { Autostart, AutostartStatus } from '../node/desktop/autostart.js';
import type { InvokeChannel, IpcResult, ResponseOf, RestoreResultView } from '../../shared/ipc-contract.js';
import { HEALTH_PUSH_CHANNEL, isAnswerOf } from '../../shared/ipc-contract.js';
import { DisposableStore, intervalDisposable, toDisposable, type Disposable } from '../node/base/disposable-store.js';
import type { InvokeService } from './ipc.js';
import type { ElectronSurface } from './electron-surface.js';
import { TrayShell } from './tray-shell.js';

/** The slice of the core's Daemon the app drives. */
export interface DaemonLike {
  start(): Promise<void>;
  stop(): Promise<void>;
  saveNow(trigger: SaveTrigger): Promise<unknown>;
  notifyResume(): void;
  checkHealth(): Promise<HealthReport | null>;
}

export type DashboardLike = InvokeService;

export interface RestoreOffer {
  /** Valid snapshots, newest first. */
  snapshots: (MenuSnapshot & { instanceKey?: string })[];
  /** The previous server instance's last healthy snapshot, not yet restored or dismissed. */
  previousInstanceId: string | null;
}

export interface AppControllerDeps {
  surface: ElectronSurface;
  daemon: DaemonLike;
  dashboard: DashboardLike;
  autostart: Autostart;
  hooks: { status(): Promise<HooksState>; install(): Promise<HooksState> };
  snapshots: () => Promise<RestoreOffer>;
  settings: () => Settings;
  iconDir: string;
  platform: TrayPlatform;
  clock?: () => Date;
  tzOffsetMinutes?: () => number;
  /** How often the tooltip's age and the re-notify timer are refreshed between reports. */
  tickMs?: number;
  log?: (line: string) => void;
}

export class AppController {
  private readonly clock: () => Date;
  private readonly policy: NotificationPolicy;
  private readonly shell: TrayShell;
  private health: HealthReport | null = null;
  private computedAt: Date;
  private offer: RestoreOffer = { snapshots: [], previousInstanceId: null };
  private hooks: HooksState | null = null;
  private autostart: AutostartStatus | null = null;
  private busy: 'saving' | 'restoring' | null = null;
  /** The ticker, the daemon and whatever the shell registers (IPC handlers, OS listeners). */
  private readonly store = new DisposableStore();
  /** What a click on the last notification does (node-notifier reports clicks globally). */
  lastNotificationAction: ActionId = 'open-dashboard';

  constructor(private readonly deps: AppControllerDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.computedAt = this.clock();
    this.policy = new NotificationPolicy(
      () => policyConfig(deps.settings(), { desktop: true, tzOffsetMinutes: this.tz() }),
      this.clock,
    );
    this.shell = new TrayShell(deps.surface, deps.iconDir, deps.platform, (id) => void this.dispatch(id));
    // Registered first, so disposed last: everything that might still ask the daemon is gone by then.
    this.store.add(toDisposable(() => deps.daemon.stop()));
  }

  /** Ties `d` to the app's life: stop() disposes it (before the daemon stops). */
  register<T extends Disposable>(d: T): T {
    return this.store.add(d);
  }

  private tz(): number {
    return this.deps.tzOffsetMinutes?.() ?? -this.clock().getTimezoneOffset();
  }

  private log(line: string): void {
    this.deps.log?.(line);
  }

  async start(): Promise<void> {
    this.render();
    await this.deliver({ kind: 'start' });
    await Promise.all([this.refreshHooks(), this.refreshAutostart(), this.refreshSnapshots()]);
    this.render();
    await this.deps.daemon.start();
    if (this.deps.tickMs !== 0)
      this.store.add(intervalDisposable(() => void this.tick(), this.deps.tickMs ?? 10_000, { unref: true }));
  }

  private stopping: Promise<void> | null = null;

  /** Idempotent: the Quit item and Electron's before-quit both end up here. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    await this.store.dispose().catch((err: unknown) => this.log(`stopping: ${errorMessage(err)}`));
  }

  /** The daemon's onHealth. */
  async onHealth(report: HealthReport): Promise<void> {
    if (this.stopping !== null) return;
    this.health = report;
    this.computedAt = this.clock();
    await this.refreshSnapshots();
    await this.deliver({ kind: 'health', report });
    const prev = this.offer.snapshots.find((s) => s.id === this.offer.previousInstanceId);
    // restoreOnStart: only 'ask' offers by notification ('auto' restores and reports itself; 'off' is quiet).
    const mode = this.deps.settings().restoreOnStart;
    if (prev && prev.sessions > 0 && mode !== 'auto' && mode !== 'off') {
      await this.deliver({
        kind: 'restore-available',
        snapshotId: prev.id,
        sessions: prev.sessions,
        conversations: prev.claudePanes,
        savedAt: prev.savedAt,
      });
    }
    this.render();
    const view = await this.deps.dashboard.call('health:get', undefined);
    if (view.ok) this.deps.surface.pushToDashboard(HEALTH_PUSH_CHANNEL, view.value);
  }

  /** Every dashboard answer (IPC): what it changed is shown in the tray and re-checked at once. */
  async onIpcResult<C extends InvokeChannel>(channel: C, result: IpcResult<ResponseOf<C>>): Promise<void> {
    if (this.stopping !== null || !result.ok) return;
    if (isAnswerOf('restore:execute', channel, result) && result.ok) await this.onRestoreResult(result.value);
    else if (channel === 'hooks:install') {
      await this.refreshHooks();
      await this.deps.daemon.checkHealth();
    } else if (channel === 'settings:set' || channel === 'snapshot:save-now') await this.deps.daemon.checkHealth();
  }

  /** powerMonitor 'resume': save at once and give the watchdog its grace. */
  async onResume(): Promise<void> {
    await this.deliver({ kind: 'wake' });
    this.deps.daemon.notifyResume();
  }

  async tick(): Promise<void> {
    await this.deliver({ kind: 'tick' });
    this.render();
  }

  /** A restore finished through the dashboard: announce the verification result. */
  async onRestoreResult(r: RestoreResultView): Promise<void> {
    await this.deliver({ kind: 'restore-result', snapshotId: r.snapshotId, ...r.counts });
    await this.refreshSnapshots();
    this.render();
  }

  menuState(): MenuState {
    return {
      health: this.health,
      computedAt: this.computedAt,
      now: this.clock(),
      tzOffsetMinutes: this.tz(),
      snapshots: this.offer.snapshots,
      previousInstanceId: this.offer.previousInstanceId,
      hooks: this.hooks,
      autostart:
        this.autostart === null ? null : { supported: this.autostart.supported, enabled: this.autostart.enabled },
      busy: this.busy,
    };
  }

  render(): void {
    const state = this.menuState();
    this.shell.apply(
      trayModel(this.health, { now: state.now, computedAt: this.computedAt, busy: this.busy }),
      menuTemplate(state),
    );
  }

  /** Every menu click and notification click lands here, by id. */
  async dispatch(id: unknown): Promise<void> {
    let intent;
    try {
      intent = parseAction(id);
    } catch (err) {
      this.log(errorMessage(err));
      return;
    }
    try {
      switch (intent.kind) {
        case 'save-now':
          await this.saveNow();
          break;
        case 'restore-preview':
          this.deps.surface.openDashboard({ restorePreview: intent.snapshotId });
          break;
        case 'open-dashboard':
          this.deps.surface.openDashboard();
          break;
        case 'install-hooks':
          this.hooks = await this.deps.hooks.install();
          await this.deps.daemon.checkHealth();
          break;
        case 'toggle-autostart': {
          // Decide from what the system says now, then show what it says afterwards.
          const now = await this.deps.autostart.read();
          this.autostart = await this.deps.autostart.set(!now.enabled);
          break;
        }
        case 'quit':
          await this.stop();
          this.deps.surface.quit();
          return;
      }
    } catch (err) {
      this.log(`${intent.kind} failed: ${errorMessage(err)}`);
      await this.notify({
        title: `Fleetkeeper: ${intent.kind} failed`,
        body: errorMessage(err),
        urgency: 'critical',
        action: 'open-dashboard',
      });
    }
    this.render();
  }

  async saveNow(): Promise<void> {
    if (this.busy !== null) return;
    this.busy = 'saving';
    this.render();
    try {
      await this.deps.daemon.saveNow('manual');
    } finally {
      this.busy = null;
    }
    await this.deps.daemon.checkHealth();
  }

  private async deliver(e: PolicyEvent): Promise<void> {
    for (const n of this.policy.handle(e)) await this.notify(n);
  }

  private async notify(n: {
    title: string;
    body: string;
    urgency: 'low' | 'normal' | 'critical';
    action: ActionId;
  }): Promise<void> {
    this.lastNotificationAction = n.action;
    try {
      await this.deps.surface.notify({ title: n.title, body: n.body, urgency: n.urgency });
    } catch (err) {
      this.log(`notification not shown: ${errorMessage(err)}`);
    }
  }

  async refreshHooks(): Promise<void> {
    this.hooks = await this.deps.hooks.status().catch(() => 'invalid' as const);
  }

  async refreshAutostart(): Promise<void> {
    this.autostart = await this.deps.autostart
      .read()
      .catch((err: unknown) => ({ supported: false, enabled: false, detail: errorMessage(err) }));
  }

  async refreshSnapshots(): Promise<void> {
    try {
      this.offer = await this.deps.snapshots();
    } catch (err) {
      this.log(`cannot list snapshots: ${errorMessage(err)}`);
    }
  }
}
