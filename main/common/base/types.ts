// Domain contracts shared by the core, the CLI, the daemon, the hook and the tray app.
// Plain data only: everything here must survive JSON.stringify/parse unchanged.

/** One tmux server instance. Pane/window/session ids are only meaningful inside one. */
export interface ServerInstance {
  /** Absolute path of the server socket (`#{socket_path}`). */
  socketPath: string;
  /** `#{pid}` of the server process. */
  pid: number;
  /** `#{start_time}` of the server, epoch seconds. */
  startTime: number;
}

/** Where a hook fired: the live pane at that instant, or null outside tmux. */
export interface PaneContext {
  instance: ServerInstance;
  paneId: string;
  role: string;
  sessionName: string;
  windowIndex: number;
  paneIndex: number;
}

export type JournalEventKind = 'session-start' | 'session-end' | 'malformed';

/**
 * One journal event: one file in the spool. `id` is unique (time + pid + random),
 * `checksum` is `sha256:<hex>` over the canonical JSON of every other field.
 */
export interface JournalEvent {
  format: 'fleetkeeper-event';
  version: 1;
  id: string;
  kind: JournalEventKind;
  /** ISO timestamp (UTC, ms precision) when the hook received the event. */
  at: string;
  /** session-start / session-end only. */
  sessionId?: string;
  transcriptPath?: string;
  cwd?: string;
  source?: string;
  reason?: string;
  /** null when the session ran outside tmux (recorded as unbound). */
  pane: PaneContext | null;
  /** malformed only: why, and the first bytes of what arrived (for the report). */
  problem?: string;
  raw?: string;
  checksum: string;
}

/** role → binding, the fold of the journal. */
export interface Binding {
  sessionId: string;
  transcriptPath: string;
  cwd: string;
  source: string;
  boundAt: string;
  endedAt?: string;
  endReason?: string;
  /** Where it was bound (for display and cross-checks only; never used to resolve). */
  paneId?: string;
  instance?: ServerInstance;
  /** Event id that produced the binding. */
  eventId: string;
}

/** A variable that was set for the Claude process but not stored, and why (names only, never values). */
export interface EnvNotCarried {
  name: string;
  reason: string;
}

/**
 * What Claude's own `<config dir>/sessions/<pid>.json` said at the save, reconciled with the
 * hook journal: agree (same id), adopted (only Claude knew the pane), drift (they disagree:
 * the live process won), unavailable (no usable file: the hooks alone).
 */
export type RegistryVerdict = 'agree' | 'adopted' | 'drift' | 'unavailable';

/** The Claude process found among a pane's descendants at the save (snapshot format 2). */
export interface AgentCapture {
  /** argv[0] as launched (the name or path the user typed), or the script a node shebang ran. */
  executable: string;
  /** The launch arguments with only the conversation-selecting and one-shot ones dropped. */
  args: string[];
  /** Allow-listed, non-secret variables of the process (CLAUDE_CONFIG_DIR always when set). */
  env: Record<string, string>;
  envNotCarried: EnvNotCarried[];
  /** The config dir the process runs under (its CLAUDE_CONFIG_DIR, else ~/.claude). */
  configDir: string;
  pid: number;
  registry: RegistryVerdict;
  /** The session id Claude's registry named (absent when unavailable). */
  registrySessionId?: string;
  /** Why the registry was unavailable, or what drifted / moved (for the report). */
  note?: string;
}

/** The pane's foreground process when it is neither the shell nor Claude (snapshot format 2). */
export interface ProgramCapture {
  /** The whole command line when the restore list named it at save time; else only its name. */
  argv: string[];
  /**
   * The program was not on `restorePrograms` when saved: only its name is stored, since an
   * unlisted command line may hold a secret (`mysql -pHunter2`) and restore never runs it.
   */
  withheld?: true;
}

export interface PaneSnapshot {
  index: number;
  /** Volatile handle, valid only in the snapshot's instance. */
  id: string;
  /** The pane's first process (`#{pane_pid}`), format 2; volatile like `id`. */
  pid?: number;
  role: string;
  cwd: string;
  currentCommand: string;
  /** Live panes only, and snapshots written before it was dropped: shells put command lines there. */
  title?: string;
  active: boolean;
  /** The Claude binding of this pane's role at the instant of the snapshot, or null. */
  binding: Binding | null;
  /** Format 2: the Claude process in the pane, when there is one. */
  agent?: AgentCapture;
  /** Format 2: the foreground program, when it is not the shell or Claude. */
  program?: ProgramCapture;
}

export interface WindowSnapshot {
  index: number;
  id: string;
  name: string;
  layout: string;
  active: boolean;
  zoomed: boolean;
  /** Format 2: tmux names the window after its program (`automatic-rename` on). */
  automaticRename?: boolean;
  panes: PaneSnapshot[];
}

export interface SessionSnapshot {
  name: string;
  id: string;
  windows: WindowSnapshot[];
}

/** 'import': read from another tool's save file (see Snapshot.importedFrom), not from a live server. */
export type SaveTrigger = 'interval' | 'change' | 'manual' | 'wake' | 'quit' | 'start' | 'import';

/** Where an imported snapshot came from. Its instance is made up (no live server was read). */
export interface ImportSource {
  tool: 'tmux-resurrect';
  /** The save file read (after its `last` link). */
  file: string;
}

/** The snapshot format this code writes; older ones are still read, newer ones refused. */
export const SNAPSHOT_VERSION = 2;

export interface Snapshot {
  format: 'fleetkeeper-snapshot';
  /** 1: before agent capture; 2: agent, program, pane pid, automatic window names. */
  version: 1 | 2;
  id: string;
  savedAt: string;
  trigger: SaveTrigger;
  instance: ServerInstance;
  sessions: SessionSnapshot[];
  /** How long the save took from query to verified read-back, ms (for the timeline). */
  durationMs?: number;
  /** capturePaneContents: the sidecar `contents/<id>.gz` with non-Claude panes' screens, by its digest. */
  paneContents?: PaneContentsRef;
  /** Set on snapshots imported from another tool (trigger 'import'). */
  importedFrom?: ImportSource;
  checksum: string;
}

/** The live tmux state as queried (a snapshot without the envelope). */
export interface FleetState {
  instance: ServerInstance;
  sessions: SessionSnapshot[];
}

export type HealthState = 'fresh' | 'late' | 'stale' | 'failing' | 'no-server' | 'hooks-missing';

export type HealthColour = 'green' | 'amber' | 'red' | 'grey';

export interface Problem {
  code:
    | 'spool-corrupt'
    | 'snapshot-corrupt'
    | 'unbound-claude-pane'
    | 'hooks-missing'
    | 'hooks-outdated'
    | 'malformed-hook-payload'
    | 'role-conflict'
    | 'save-failed'
    | 'registry-rebuilt'
    | 'transcript-missing'
    | 'claude-adopted'
    | 'claude-drift'
    | 'claude-moved'
    | 'claude-registry-unavailable'
    | 'hooks-missing-config-dir';
  message: string;
}

export interface HealthReport {
  state: HealthState;
  colour: HealthColour;
  reason: string;
  /** Age in seconds of the newest valid snapshot's savedAt, or null when there is none. */
  ageSeconds: number | null;
  newestSnapshotId: string | null;
  counts: { sessions: number; windows: number; panes: number; claudePanes: number };
  problems: Problem[];
}

/** Points a snapshot at its pane-contents sidecar; the snapshot's checksum covers the digest. */
export interface PaneContentsRef {
  /** `sha256:<hex>` of the gzip file's bytes. */
  sha256: string;
  bytes: number;
  panes: number;
}
