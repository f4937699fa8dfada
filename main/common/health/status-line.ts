import type { HealthColour, HealthReport } from '../base/types.js';
import { formatAge } from '../base/format-age.js';

/** One line for a tmux status bar or a terminal prompt: `FK 42s`, `FK LATE 3m`, `FK FAIL`. */
export function shortStatus(r: HealthReport): string {
  const age = r.ageSeconds === null ? null : formatAge(r.ageSeconds, 'compact');
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
