import { InvalidInputError } from '../base/errors.js';

/** User settings, shared by the daemon, the app and the CLI. Seconds unless named otherwise. */
export interface Settings {
  intervalS: number;
  graceS: number;
  staleAfterS: number;
  renotifyMinutes: number;
  notifications: boolean;
  retention: { keepAllNewerThanS: number; hourlyForS: number; dailyForS: number; maxCount: number };
  /** Keep each non-Claude pane's screen and scrollback with every save (issue 10). */
  capturePaneContents: boolean;
  /** Scrollback lines kept per pane when capturePaneContents is on. */
  paneContentsLines: number;
  /** After a reboot: ask (notify and offer), auto (restore at once), off (say nothing). */
  restoreOnStart: RestoreOnStart;
  /** Claude launch pacing: starts outstanding at once (0: from the number of cores), longest
   * wait for one SessionStart before the next start, failures in a row that stop launching. */
  launch: { maxOutstanding: number; capS: number; brakeAfter: number };
  /** Run through /bin/sh -c on entering red, on each re-notify and on recovery (health report on stdin). */
  alertCommand: string | null;
  /** Requested (GET) after every verified save, for an outside dead-man's switch (healthchecks.io style). */
  heartbeatUrl: string | null;
  /** More environment variable names carried with each Claude (never one that looks like a secret). */
  claudeEnv: string[];
  /** Programs restored with their arguments: a bare name matches the program, `~text` anywhere in the command line. */
  restorePrograms: string[];
}

/** tmux-resurrect's default list of programs it restores. */
export const DEFAULT_RESTORE_PROGRAMS: readonly string[] = [
  'vi',
  'vim',
  'nvim',
  'emacs',
  'man',
  'less',
  'more',
  'tail',
  'top',
  'htop',
  'irssi',
  'weechat',
  'mutt',
];

export type RestoreOnStart = 'ask' | 'auto' | 'off';

export const DEFAULT_SETTINGS: Settings = {
  intervalS: 60,
  graceS: 30,
  staleAfterS: 300,
  renotifyMinutes: 15,
  notifications: true,
  retention: { keepAllNewerThanS: 2 * 3600, hourlyForS: 2 * 86400, dailyForS: 30 * 86400, maxCount: 500 },
  capturePaneContents: false,
  paneContentsLines: 2000,
  restoreOnStart: 'ask',
  launch: { maxOutstanding: 0, capS: 15, brakeAfter: 3 },
  alertCommand: null,
  heartbeatUrl: null,
  claudeEnv: [],
  restorePrograms: [...DEFAULT_RESTORE_PROGRAMS],
};

const LAUNCH_LIMITS: Record<keyof Settings['launch'], [number, number]> = {
  maxOutstanding: [0, 256],
  capS: [1, 600],
  brakeAfter: [1, 1000],
};

/** Ranges of the numeric settings: the model enforces them, and the dashboard's IPC validation reads them. */
export const SETTINGS_LIMITS = {
  intervalS: [1, 86_400],
  graceS: [0, 86_400],
  staleAfterS: [2, 7 * 86_400],
  renotifyMinutes: [1, 24 * 60],
} as const satisfies Record<string, readonly [number, number]>;

const RETENTION_RANGE = [1, 10 * 365 * 86_400] as const;
export const RETENTION_LIMITS = {
  keepAllNewerThanS: RETENTION_RANGE,
  hourlyForS: RETENTION_RANGE,
  dailyForS: RETENTION_RANGE,
  maxCount: RETENTION_RANGE,
} as const satisfies Record<keyof Settings['retention'], readonly [number, number]>;

function num(name: string, v: unknown, [lo, hi]: readonly [number, number]): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
    throw new InvalidInputError(`${name} must be a number from ${lo} to ${hi}, got ${JSON.stringify(v)}`);
  }
  return v;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

function alertCommand(v: unknown): string | null {
  if (v === null) return null;
  if (typeof v !== 'string' || v.trim() === '' || v.length > 4096 || CONTROL.test(v))
    throw new InvalidInputError(
      `alertCommand must be a one-line shell command (at most 4096 characters) or null, got ${JSON.stringify(v)}`,
    );
  return v;
}

function heartbeatUrl(v: unknown): string | null {
  if (v === null) return null;
  let ok = typeof v === 'string' && v.length <= 2048 && !CONTROL.test(v);
  if (ok) {
    try {
      const u = new URL(v as string);
      ok = (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      ok = false;
    }
  }
  if (!ok)
    throw new InvalidInputError(`heartbeatUrl must be an http:// or https:// URL or null, got ${JSON.stringify(v)}`);
  return v as string;
}

function nameList(name: string, v: unknown, item: (s: string) => boolean, what: string): string[] {
  if (!Array.isArray(v) || v.length > 200 || !v.every((x) => typeof x === 'string' && item(x)))
    throw new InvalidInputError(`${name} must be a list of ${what}, got ${JSON.stringify(v)}`);
  return [...new Set(v as string[])];
}

/**
 * A snapshot is only stale once a save is overdue: stale-after must exceed the interval. One
 * rule for the settings model, the IPC validation and the daemon's flags (named as the caller
 * knows them).
 */
export function checkStaleAfterInterval(
  intervalS: number,
  staleAfterS: number,
  names: { interval: string; staleAfter: string } = { interval: 'intervalS', staleAfter: 'staleAfterS' },
): void {
  if (staleAfterS <= intervalS)
    throw new InvalidInputError(
      `${names.staleAfter} (${staleAfterS}) must be greater than ${names.interval} (${intervalS})`,
    );
}

/** Merges a partial update over current settings, validating every field it touches. */
export function mergeSettings(current: Settings, patch: unknown): Settings {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw new InvalidInputError(`settings must be an object, got ${JSON.stringify(patch)}`);
  }
  const p = patch as Record<string, unknown>;
  const next: Settings = { ...current, retention: { ...current.retention }, launch: { ...current.launch } };
  for (const key of Object.keys(p)) {
    const v = p[key];
    switch (key) {
      case 'intervalS':
      case 'graceS':
      case 'staleAfterS':
      case 'renotifyMinutes':
        next[key] = num(key, v, SETTINGS_LIMITS[key]);
        break;
      case 'notifications':
        if (typeof v !== 'boolean')
          throw new InvalidInputError(`notifications must be true or false, got ${JSON.stringify(v)}`);
        next.notifications = v;
        break;
      case 'alertCommand':
        next.alertCommand = alertCommand(v);
        break;
      case 'heartbeatUrl':
        next.heartbeatUrl = heartbeatUrl(v);
        break;
      case 'claudeEnv':
        next.claudeEnv = nameList(
          key,
          v,
          (x) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(x),
          'environment variable names (letters, digits, _)',
        );
        break;
      case 'restorePrograms':
        next.restorePrograms = nameList(
          key,
          v,
          (x) => x.trim() !== '' && x !== '~' && x.length <= 256 && !CONTROL.test(x),
          'program names or ~text entries (one line each)',
        );
        break;
      case 'retention': {
        if (v === null || typeof v !== 'object')
          throw new InvalidInputError(`retention must be an object, got ${JSON.stringify(v)}`);
        const r = v as Record<string, unknown>;
        for (const rk of Object.keys(r)) {
          if (!(rk in next.retention)) throw new InvalidInputError(`unknown retention setting ${JSON.stringify(rk)}`);
          const k = rk as keyof Settings['retention'];
          next.retention[k] = num(`retention.${rk}`, r[rk], RETENTION_LIMITS[k]);
        }
        break;
      }
      case 'capturePaneContents':
        if (typeof v !== 'boolean')
          throw new InvalidInputError(`capturePaneContents must be true or false, got ${JSON.stringify(v)}`);
        next.capturePaneContents = v;
        break;
      case 'paneContentsLines':
        next.paneContentsLines = Math.floor(num(key, v, [0, 100_000]));
        break;
      case 'restoreOnStart':
        if (v !== 'ask' && v !== 'auto' && v !== 'off')
          throw new InvalidInputError(`restoreOnStart must be ask, auto or off, got ${JSON.stringify(v)}`);
        next.restoreOnStart = v;
        break;
      case 'launch': {
        if (v === null || typeof v !== 'object')
          throw new InvalidInputError(`launch must be an object, got ${JSON.stringify(v)}`);
        for (const [lk, lv] of Object.entries(v as Record<string, unknown>)) {
          if (!(lk in LAUNCH_LIMITS)) throw new InvalidInputError(`unknown launch setting ${JSON.stringify(lk)}`);
          const k = lk as keyof Settings['launch'];
          next.launch[k] = Math.floor(num(`launch.${lk}`, lv, LAUNCH_LIMITS[k]));
        }
        break;
      }
      default:
        throw new InvalidInputError(`unknown setting ${JSON.stringify(key)}`);
    }
  }
  checkStaleAfterInterval(next.intervalS, next.staleAfterS);
  return next;
}

/** Reads whatever is stored, keeping valid fields and falling back to defaults for the rest. */
export function settingsFromStore(stored: unknown): Settings {
  let s = DEFAULT_SETTINGS;
  if (stored === null || typeof stored !== 'object') return s;
  for (const [k, v] of Object.entries(stored as Record<string, unknown>)) {
    try {
      s = mergeSettings(s, { [k]: v });
    } catch {
      // A bad stored value falls back to its default rather than stopping the daemon.
    }
  }
  return s;
}
