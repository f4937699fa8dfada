// The one contract between the dashboard (renderer, through the preload bridge) and the main
// process. Every channel's request and response type lives here, GitHub Desktop style, so the
// preload, the main-side handlers, the validator and the renderer cannot drift apart.
// Plain data only: every value crosses structured clone (Electron IPC) or JSON (Playwright).
import type { Binding, HealthReport, SaveTrigger } from '../main/common/base/types.js';
import type { Settings, SETTINGS_LIMITS } from '../main/common/settings/settings-model.js';
import type { RestorePlan } from '../main/common/restore/plan.js';
import type { RestoreSelection } from '../main/common/restore/select.js';
import type { SnapshotSummary } from '../main/common/snapshot/summary.js';
import type { HooksState } from '../main/common/claude/hook-entries.js';
import type { ErrorCode } from '../main/common/base/errors.js';

export type { HealthReport, Settings };

/** One save in the freshness timeline. */
export interface TimelinePoint {
  snapshotId: string;
  savedAt: string;
  trigger: SaveTrigger;
  /**
   * How old the newest backup had grown when this save replaced it: seconds since the
   * previous valid snapshot. null for the first one on disk, and where retention has thinned
   * the history so the previous save is no longer known.
   */
  ageAtSaveS: number | null;
  /** How long the save took (query to verified read-back), null when not recorded. */
  durationMs: number | null;
}

export interface HealthView {
  report: HealthReport;
  /** One line for a title bar: what the tray tooltip says. */
  statusLine: string;
  /** When main computed this (ISO); the renderer ages things from here, not its own clock. */
  now: string;
  thresholds: Pick<Settings, 'intervalS' | 'graceS' | 'staleAfterS'>;
  /**
   * The last 24 hours, oldest first. Retention keeps only some snapshots older than
   * `thinnedBefore`, so there the gaps between points are not the real save intervals and
   * `ageAtSaveS` is null rather than a false alarm.
   */
  timeline: { from: string; to: string; thinnedBefore: string | null; points: TimelinePoint[] };
}

/** A binding of the registry as the dashboard lists it (the core's Binding, reshaped). */
export interface RegistryRow extends Pick<Binding, 'sessionId' | 'cwd' | 'source'> {
  role: string;
  /** The conversation's first user message, null when the transcript is gone or empty. */
  title: string | null;
  boundSince: Binding['boundAt'];
  ended: { at: NonNullable<Binding['endedAt']>; reason: string | null } | null;
}

/** A snapshot as the dashboard lists it: the core's summary without the file name, JSON-safe. */
export type SnapshotRow = Omit<SnapshotSummary, 'file' | 'durationMs'> & { durationMs: number | null };

export interface SnapshotsView {
  /** Newest first. */
  snapshots: SnapshotRow[];
  corrupt: { file: string; reason: string }[];
  /** What restore would pick with no id (the previous instance's last healthy one first). */
  defaultRestoreId: string | null;
}

/** The restore plan exactly as the core computes it (main/common/restore/plan.ts). */
export type PlanView = RestorePlan;
export type PlanPaneView = RestorePlan['sessions'][number]['windows'][number]['panes'][number];

/**
 * What the user picked in the preview (the core's selection, narrowed to what the dashboard
 * offers). `sessions` absent: every session; when present it names at least one. `shellRoles`:
 * Claude panes that get a plain shell this time, their conversations left on offer.
 */
export type RestoreSelectionView = Pick<RestoreSelection, 'sessions' | 'shellRoles'>;

/** A preview or a restore of one snapshot, with what the user picked (absent: all of it as planned). */
export interface RestoreRequest {
  snapshotId: string;
  selection?: RestoreSelectionView;
}

export type PaneOutcome = 'verified' | 'wrong' | 'silent' | 'shell';

export interface RestoredPaneView {
  role: string;
  target: string;
  cwd: string;
  /** program: a program from the restore list was typed back (not verified: it has no id to report). */
  action: PlanPaneView['action'];
  expectedSessionId: string | null;
  /** The session id the pane's SessionStart reported, null when none arrived. */
  gotSessionId: string | null;
  outcome: PaneOutcome;
  reason?: string;
}

export interface RestoreResultView {
  snapshotId: string;
  panes: RestoredPaneView[];
  skippedSessions: string[];
  /** What did not go to plan without stopping the restore (e.g. no shell prompt seen). */
  warnings: string[];
  counts: { verified: number; wrong: number; silent: number; shells: number };
  /** What the snapshot still offers after this restore (not selected, switched to a shell, not started), one line each. */
  remaining: string[];
}

export interface HooksView {
  state: HooksState;
  settingsPath: string;
  detail: string;
}

/** A partial update of the settings the dashboard edits; every field is range-checked in main before it is stored. */
export type SettingsPatch = Partial<Pick<Settings, keyof typeof SETTINGS_LIMITS | 'notifications'>> & {
  retention?: Partial<Settings['retention']>;
};

/** Request/response channels (ipcRenderer.invoke ↔ ipcMain.handle). `void` = no argument. */
export interface InvokeChannels {
  'health:get': { request: void; response: HealthView };
  'registry:list': { request: void; response: RegistryRow[] };
  'snapshots:list': { request: void; response: SnapshotsView };
  'restore:preview': { request: RestoreRequest; response: PlanView };
  'restore:execute': { request: RestoreRequest; response: RestoreResultView };
  'settings:get': { request: void; response: Settings };
  'settings:set': { request: SettingsPatch; response: Settings };
  'hooks:status': { request: void; response: HooksView };
  'hooks:install': { request: void; response: HooksView };
  'snapshot:save-now': { request: void; response: SnapshotRow };
}

export type InvokeChannel = keyof InvokeChannels;
export type RequestOf<C extends InvokeChannel> = InvokeChannels[C]['request'];
export type ResponseOf<C extends InvokeChannel> = InvokeChannels[C]['response'];

/** Main → renderer pushes (webContents.send ↔ ipcRenderer.on). */
export interface PushChannels {
  'health:update': HealthView;
}
export type PushChannel = keyof PushChannels;

export const INVOKE_CHANNELS = [
  'health:get',
  'registry:list',
  'snapshots:list',
  'restore:preview',
  'restore:execute',
  'settings:get',
  'settings:set',
  'hooks:status',
  'hooks:install',
  'snapshot:save-now',
] as const satisfies readonly InvokeChannel[];

/** Compile-time: a channel of InvokeChannels missing from INVOKE_CHANNELS is named in an error here. */
type _EveryChannelListed = AssertNever<Exclude<InvokeChannel, (typeof INVOKE_CHANNELS)[number]>>;
type AssertNever<T extends never> = T;

export const HEALTH_PUSH_CHANNEL = 'health:update' satisfies PushChannel;

/**
 * What main answers on every invoke. Errors travel as data so the renderer gets the typed
 * code and the exact message (Electron would otherwise wrap a thrown error's message).
 */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

/** Narrows an answer by the channel it came from (a generic channel does not narrow its result). */
export function isAnswerOf<K extends InvokeChannel>(
  want: K,
  channel: InvokeChannel,
  _result: IpcResult<unknown>,
): _result is IpcResult<ResponseOf<K>> {
  return channel === want;
}

/** The verbs the preload exposes as `window.fleetkeeper`; no generic invoke is exposed. */
export const BRIDGE_VERBS = {
  getHealth: 'health:get',
  listRegistry: 'registry:list',
  listSnapshots: 'snapshots:list',
  previewRestore: 'restore:preview',
  restore: 'restore:execute',
  getSettings: 'settings:get',
  setSettings: 'settings:set',
  hooksStatus: 'hooks:status',
  installHooks: 'hooks:install',
  saveNow: 'snapshot:save-now',
} as const satisfies Record<string, InvokeChannel>;

export type BridgeVerb = keyof typeof BRIDGE_VERBS;

type VerbFn<C extends InvokeChannel> = [RequestOf<C>] extends [void]
  ? () => Promise<ResponseOf<C>>
  : (request: RequestOf<C>) => Promise<ResponseOf<C>>;

/** `window.fleetkeeper`, derived from the verb table so a verb cannot change type silently. */
export type FleetkeeperBridge = { [V in BridgeVerb]: VerbFn<(typeof BRIDGE_VERBS)[V]> } & {
  /** Subscribe to health pushes; returns the unsubscribe function. */
  onHealth(callback: (health: HealthView) => void): () => void;
};
