// The one age formatter: the tmux status line, the CLI, health reasons, the tray and the
// dashboard all show an age through it, so the same snapshot reads the same age everywhere.
// Pure and import-free: the dashboard's renderer (browser) loads it too.

export type AgeStyle = 'compact' | 'spaced';

const UNITS: Readonly<Record<AgeStyle, readonly [string, string, string, string]>> = {
  compact: ['s', 'm', 'h', 'd'],
  spaced: [' s', ' min', ' h', ' d'],
};

/**
 * An age in seconds, rounded down, in its largest unit plus the next one while the first is
 * below 10: `compact` for a status bar (`42s`, `3m`, `2h5m`, `1d4h`, `12d`), `spaced` for
 * sentences (`42 s`, `3 min`, `2 h 5 min`, `1 d 4 h`, `12 d`). Negative or not finite: `?`.
 */
export function formatAge(seconds: number, style: AgeStyle = 'spaced'): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const [s, m, h, d] = UNITS[style];
  const sep = style === 'spaced' ? ' ' : '';
  const secs = Math.floor(seconds);
  const mins = Math.floor(secs / 60);
  const hours = Math.floor(mins / 60);
  const days = Math.floor(hours / 24);
  const two = (big: number, bigUnit: string, small: number, smallUnit: string): string =>
    small === 0 || big >= 10 ? `${big}${bigUnit}` : `${big}${bigUnit}${sep}${small}${smallUnit}`;
  if (secs < 60) return `${secs}${s}`;
  if (mins < 60) return `${mins}${m}`;
  if (hours < 24) return two(hours, h, mins % 60, m);
  return two(days, d, hours % 24, h);
}
