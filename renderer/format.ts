// Display formatting for the dashboard. Ages come from the core's one formatter (a pure
// module of main/common), so the dashboard and the tray show the same age for a snapshot.
import { formatAge as formatAgeOf } from '../main/common/base/format-age.js';

export function formatAge(seconds: number | null): string {
  return seconds === null ? 'never' : formatAgeOf(seconds);
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Local date and time, to the second. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** Compact local date and time for table rows: `Nov 23, 20:53:52`. */
export function formatShortTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
}

export function formatClock(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** The first 8 characters of a session id are enough to tell conversations apart on screen. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

export const STATE_LABEL: Record<string, string> = {
  fresh: 'Fresh',
  late: 'Late',
  stale: 'Stale',
  failing: 'Failing',
  'no-server': 'No tmux server',
  'hooks-missing': 'Hooks missing',
};
