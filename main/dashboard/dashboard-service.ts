// The plain-Node side of every dashboard channel, against the real core. Electron's ipcMain
// handlers call `handle(channel, payload)` (one line each), and so does the Chromium test
// bridge: no second implementation of anything, and every payload is validated here first.
import type { Binding, SaveTrigger, Snapshot } from '../common/base/types.js';
import { pacingPolicy } from '../common/restore/pacing.js';
import { availableParallelism } from 'node:os';
import { errorCode, errorMessage, FleetkeeperError } from '../common/base/errors.js';
import { shortStatus } from '../common/health/status-line.js';
import type { Settings } from '../common/settings/settings-model.js';
import type { SnapshotSummary } from '../common/snapshot/summary.js';
import { describeValue, isInvokeChannel, validatePayload } from '../../shared/ipc-validate.js';
import type {
  HealthView,
  HooksView,
  InvokeChannel,
  IpcResult,
  PlanView,
  RegistryRow,
  RequestOf,
  ResponseOf,
  RestoredPaneView,
  RestoreRequest,
  RestoreResultView,
  SettingsPatch,
  SnapshotRow,
  SnapshotsView,
  TimelinePoint,
} from '../../shared/ipc-contract.js';
import type { StatePaths } from '../node/base/state-dir.js';
import type { TmuxTarget } from '../node/tmux/exec.js';
import type { SettingsStore } from '../node/settings/settings-store.js';
import type { RegistryStore } from '../node/journal/registry-store.js';
import { hooksStatus, installHooks, type HookCommands } from '../node/claude/settings-file.js';
import { gatherHealth } from '../node/daemon/health-service.js';
import { listSnapshots, restoreDefault } from '../node/snapshot/store.js';
import { readRestoreContext } from '../node/snapshot/restore-context.js';
import { planFor, restore, type RestoreReport } from '../node/restore/service.js';
import { selectParts } from '../common/restore/select.js';
import { saveSnapshot } from '../node/snapshot/save.js';
import { withWriterLock } from '../node/base/writer-lock.js';
import { conversationTitle } from '../node/claude/transcript.js';
import { IoSlots } from '../node/base/io-slots.js';
import { readSaveLog, type SaveRecord } from '../node/snapshot/save-log.js';

/** What the service needs; a CLI context (main/cli/context.ts) already has all of it. */
export interface DashboardDeps {
  paths: StatePaths;
  target: TmuxTarget;
  settings: SettingsStore;
  registry: RegistryStore;
  claudeSettingsPath: string;
  hookCommands: HookCommands;
  claudeBin: string;
  clock?: () => Date;
  /** The app passes its daemon's save so the daemon's status follows; default: a locked save. */
  saveNow?: (trigger: SaveTrigger) => Promise<Snapshot>;
  /** The daemon's post-wake grace, so the dashboard agrees with the tray right after a wake. */
  wakeGraceUntil?: () => Date | null;
  /** Told after settings were stored (the app re-arms its save clock and watchdog). */
  onSettingsChanged?: (settings: Settings) => void;
  restoreStaggerMs?: number;
  verifyTimeoutS?: number;
  /** How far back the freshness timeline reaches, default 24 h. */
  timelineHours?: number;
}

const WRITER_WAIT_MS = 15_000;

export function snapshotRow(s: SnapshotSummary): SnapshotRow {
  return {
    id: s.id,
    savedAt: s.savedAt,
    trigger: s.trigger,
    instance: s.instance,
    sessions: s.sessions,
    windows: s.windows,
    panes: s.panes,
    claudePanes: s.claudePanes,
    durationMs: s.durationMs ?? null,
  };
}

/**
 * Freshness timeline from the valid snapshots: each save with how old the previous backup had
 * grown by then. The save just before the window still counts, so the first point in the
 * window has its age too.
 */
export function timelinePoints(
  valid: readonly SnapshotSummary[],
  from: Date,
  to: Date,
  thinnedBefore: Date | null = null,
): TimelinePoint[] {
  const asc = [...valid]
    .map((s) => ({ s, t: Date.parse(s.savedAt) }))
    .filter((x) => Number.isFinite(x.t))
    .sort((a, b) => a.t - b.t);
  const points: TimelinePoint[] = [];
  for (let i = 0; i < asc.length; i++) {
    const cur = asc[i]!;
    if (cur.t < from.getTime() || cur.t > to.getTime()) continue;
    const prev = asc[i - 1];
    points.push({
      snapshotId: cur.s.id,
      savedAt: cur.s.savedAt,
      trigger: cur.s.trigger,
      ageAtSaveS:
        prev === undefined || (thinnedBefore !== null && prev.t < thinnedBefore.getTime())
          ? null
          : (cur.t - prev.t) / 1000,
      durationMs: cur.s.durationMs ?? null,
    });
  }
  return points;
}

/** Timeline points from the save history: every successful save, aged against the one before. */
export function historyPoints(history: readonly SaveRecord[], from: Date, to: Date): TimelinePoint[] {
  const points: TimelinePoint[] = [];
  let prev: number | null = null;
  for (const r of history) {
    if (!r.ok) continue;
    const t = Date.parse(r.at);
    if (t >= from.getTime() && t <= to.getTime()) {
      points.push({
        snapshotId: r.snapshotId ?? '',
        savedAt: r.at,
        trigger: r.trigger,
        ageAtSaveS: prev === null ? null : (t - prev) / 1000,
        durationMs: r.durationMs ?? null,
      });
    }
    prev = t;
  }
  return points;
}

/** Per pane of what was created: what it should hold, what it reported, and the verdict. */
export function restoreResultView(report: RestoreReport): RestoreResultView {
  const panes: RestoredPaneView[] = [];
  const skipped: string[] = [];
  for (const s of report.plan.sessions) {
    // Not selected: on offer (listed in `remaining`), not "left alone".
    if (s.action === 'not-selected') continue;
    if (s.action === 'skip-exists') {
      skipped.push(s.name);
      continue;
    }
    for (const w of s.windows) {
      for (const p of w.panes) {
        // A session an earlier restore built is completed: only the resumes typed into its panes this time.
        if (s.action === 'complete' && (p.livePaneId === undefined || p.action !== 'resume')) continue;
        const base = {
          role: p.role,
          target: p.target,
          cwd: p.cwd,
          action: p.action,
          ...(p.reason ? { reason: p.reason } : {}),
        };
        if (p.action === 'shell' || p.action === 'program') {
          panes.push({ ...base, expectedSessionId: null, gotSessionId: null, outcome: 'shell' });
          continue;
        }
        const v = report.verification.find((x) => x.role === p.role && x.expected === p.sessionId);
        panes.push({
          ...base,
          expectedSessionId: p.sessionId ?? null,
          gotSessionId: v?.got ?? null,
          outcome: v?.status ?? 'silent',
        });
      }
    }
  }
  const count = (o: RestoredPaneView['outcome']) => panes.filter((p) => p.outcome === o).length;
  return {
    snapshotId: report.snapshotId,
    panes,
    skippedSessions: skipped,
    warnings: report.executed?.warnings ?? [],
    counts: { verified: count('verified'), wrong: count('wrong'), silent: count('silent'), shells: count('shell') },
    remaining: report.remaining ?? [],
  };
}

/** One handler per channel, typed by the contract: a missing or extra channel does not compile. */
export type InvokeHandlers = { [C in InvokeChannel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> };

export class DashboardService {
  private readonly clock: () => Date;
  /** Transcript reads for titles: at most two of Node's four file-I/O threads, whatever is asked. */
  private readonly titleReads = new IoSlots(2);
  private readonly handlers: InvokeHandlers;

  constructor(private readonly deps: DashboardDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.handlers = {
      'health:get': () => this.health(),
      'registry:list': () => this.registry(),
      'snapshots:list': () => this.snapshots(),
      'restore:preview': (req) => this.preview(req),
      'restore:execute': (req) => this.restore(req),
      'settings:get': () => Promise.resolve(this.deps.settings.get()),
      'settings:set': (patch) => Promise.resolve(this.setSettings(patch)),
      'hooks:status': () => this.hooksStatus(),
      'hooks:install': () => this.installHooks(),
      'snapshot:save-now': () => this.saveNow(),
    } satisfies InvokeHandlers;
  }

  /** The entry point for IPC from an untrusted sender: any channel name, any payload. */
  handle(channel: unknown, payload: unknown): Promise<IpcResult<unknown>> {
    if (!isInvokeChannel(channel)) {
      const message = `unknown channel ${describeValue(channel)}`;
      return Promise.resolve({ ok: false, error: { code: 'invalid-input', message } });
    }
    return this.call(channel, payload);
  }

  /** One channel: validates the payload, runs its handler, and answers errors as data. */
  async call<C extends InvokeChannel>(channel: C, payload: unknown): Promise<IpcResult<ResponseOf<C>>> {
    try {
      const handler: InvokeHandlers[C] = this.handlers[channel];
      return { ok: true, value: await handler(validatePayload(channel, payload)) };
    } catch (err) {
      return { ok: false, error: { code: errorCode(err), message: errorMessage(err) } };
    }
  }

  async health(): Promise<HealthView> {
    const settings = this.deps.settings.get();
    const now = this.clock();
    const [report, listing, history] = await Promise.all([
      gatherHealth({
        paths: this.deps.paths,
        target: this.deps.target,
        settings,
        clock: () => now,
        settingsPath: this.deps.claudeSettingsPath,
        hookCommands: this.deps.hookCommands,
        wakeGraceUntil: this.deps.wakeGraceUntil?.() ?? null,
      }),
      listSnapshots(this.deps.paths),
      readSaveLog(this.deps.paths, new Date(0)).catch(() => []),
    ]);
    const from = new Date(now.getTime() - (this.deps.timelineHours ?? 24) * 3_600_000);
    const thinned = new Date(now.getTime() - settings.retention.keepAllNewerThanS * 1000);
    // The save history keeps every save that retention has since thinned away.
    const fromLog = history.some((r) => r.ok);
    const thinnedBefore = !fromLog && thinned > from ? thinned : null;
    return {
      report,
      statusLine: shortStatus(report),
      now: now.toISOString(),
      thresholds: { intervalS: settings.intervalS, graceS: settings.graceS, staleAfterS: settings.staleAfterS },
      timeline: {
        from: from.toISOString(),
        to: now.toISOString(),
        thinnedBefore: thinnedBefore?.toISOString() ?? null,
        points: fromLog ? historyPoints(history, from, now) : timelinePoints(listing.valid, from, now, thinnedBefore),
      },
    };
  }

  async registry(): Promise<RegistryRow[]> {
    const bindings: Record<string, Binding> = await this.deps.registry.bindings();
    const rows = await Promise.all(
      Object.entries(bindings).map(async ([role, b]): Promise<RegistryRow> => ({
        role,
        title: await this.titleReads.run(() => conversationTitle(b.transcriptPath)).catch(() => null),
        sessionId: b.sessionId,
        cwd: b.cwd,
        source: b.source,
        boundSince: b.boundAt,
        ended: b.endedAt === undefined ? null : { at: b.endedAt, reason: b.endReason ?? null },
      })),
    );
    return rows.sort((a, b) => a.role.localeCompare(b.role));
  }

  async snapshots(): Promise<SnapshotsView> {
    const { listing, current, handled } = await readRestoreContext(this.deps.paths, this.deps.target);
    return {
      snapshots: listing.valid.map(snapshotRow),
      corrupt: listing.corrupt,
      defaultRestoreId: restoreDefault(listing, current, handled)?.id ?? null,
    };
  }

  /** The plan narrowed to the user's picks, by the same core selection the restore applies. */
  async preview({ snapshotId, selection }: RestoreRequest): Promise<PlanView> {
    const plan = await planFor(this.deps.paths, this.deps.target, snapshotId, this.deps.settings.get().restorePrograms);
    return selectParts(plan, selection);
  }

  async restore({ snapshotId, selection }: RestoreRequest): Promise<RestoreResultView> {
    const report = await restore(this.deps.paths, this.deps.target, snapshotId, {
      claudeBin: this.deps.claudeBin,
      ...(selection !== undefined ? { selection } : {}),
      restorePrograms: this.deps.settings.get().restorePrograms,
      // Paced by Claude's SessionStarts (the launch settings), as the CLI; a fixed stagger only if configured.
      pacing: pacingPolicy(this.deps.settings.get().launch, availableParallelism(), this.deps.restoreStaggerMs),
      verifyTimeoutS: this.deps.verifyTimeoutS ?? 60,
      clock: this.clock,
    });
    return restoreResultView(report);
  }

  setSettings(patch: SettingsPatch): Settings {
    const stored = this.deps.settings.update(patch);
    this.deps.onSettingsChanged?.(stored);
    return stored;
  }

  hooksStatus(): Promise<HooksView> {
    return hooksStatus(this.deps.claudeSettingsPath, this.deps.hookCommands);
  }

  async installHooks(): Promise<HooksView> {
    await installHooks(this.deps.claudeSettingsPath, this.deps.hookCommands);
    return this.hooksStatus();
  }

  async saveNow(): Promise<SnapshotRow> {
    const snap =
      this.deps.saveNow !== undefined
        ? await this.deps.saveNow('manual')
        : (
            await withWriterLock(
              this.deps.paths,
              `dashboard save (pid ${process.pid})`,
              () =>
                saveSnapshot(
                  {
                    paths: this.deps.paths,
                    target: this.deps.target,
                    registry: this.deps.registry,
                    settings: this.deps.settings.get(),
                    clock: this.clock,
                  },
                  'manual',
                ),
              { waitMs: WRITER_WAIT_MS },
            )
          ).snapshot;
    const listing = await listSnapshots(this.deps.paths);
    const summary = listing.valid.find((s) => s.id === snap.id);
    if (summary === undefined)
      throw new FleetkeeperError(`snapshot ${snap.id} was written but does not read back as valid`, 'write-failed');
    return snapshotRow(summary);
  }
}
