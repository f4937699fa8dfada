import type { HealthColour, HealthReport } from '../base/types.js';

/** Compact age, rounded down: `42s`, `3m`, `2h5m`, `3d4h`. Negative or non-finite → `?`. */
export function formatAge(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) {
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return m > 0 ? `${h}h${m}m` : `${h}h`;
  }
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  return h > 0 ? `${d}d${h}h` : `${d}d`;
}

/** One line for a tmux status bar or a terminal prompt: `FK 42s`, `FK LATE 3m`, `FK FAIL`. */
export function shortStatus(r: HealthReport): string {
  const age = r.ageSeconds === null ? null : formatAge(r.ageSeconds);
  switch (r.state) {
    case 'fresh':
      return `FK ${age ?? '?'}`;
    case 'late':
      return `FK LATE ${age ?? '?'}`;
    case 'stale':
      return age === null ? 'FK STALE' : `FK STALE ${age}`;
    case 'failing':
      return 'FK FAIL';
    case 'no-server':
      return 'FK --';
    case 'hooks-missing':
      return 'FK HOOKS';
  }
}

const TMUX_COLOUR: Readonly<Record<HealthColour, string>> = {
  green: 'green',
  amber: 'yellow',
  red: 'red',
  grey: 'colour244',
};

/**
 * `shortStatus` wrapped in tmux style directives for `status-right '#(fleetkeeper status --tmux)'`.
 * Our text never contains `#`, but escape it anyway: tmux would read it as a format.
 */
export function tmuxStatus(r: HealthReport): string {
  const style = r.colour === 'red' ? `fg=white,bg=${TMUX_COLOUR.red},bold` : `fg=${TMUX_COLOUR[r.colour]}`;
  return `#[${style}]${shortStatus(r).replace(/#/g, '##')}#[default]`;
}
