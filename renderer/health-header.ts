import type { HealthView } from '../shared/ipc-contract.js';
import { byId, h, replaceChildren } from './dom.js';
import { formatAge, STATE_LABEL } from './format.js';
import { plural } from '../main/common/base/plural.js';

/** The line under the health state: the newest snapshot's age and what it holds. */
export function healthMeta(report: HealthView['report']): string {
  const c = report.counts;
  return [
    report.ageSeconds === null ? 'no valid snapshot yet' : `newest snapshot ${formatAge(report.ageSeconds)} old`,
    plural(c.sessions, 'session'),
    plural(c.windows, 'window'),
    plural(c.panes, 'pane'),
    `${c.claudePanes} Claude`,
  ].join(' · ');
}

export function renderHealth(view: HealthView): void {
  const { report } = view;
  const header = byId('health');
  header.dataset.state = report.state;
  header.dataset.colour = report.colour;
  byId('health-state').textContent = STATE_LABEL[report.state] ?? report.state;
  byId('health-reason').textContent = report.reason;
  byId('health-meta').textContent = healthMeta(report);
  replaceChildren(
    byId('health-problems'),
    ...report.problems.map((p) =>
      h('li', { 'data-code': p.code }, h('span', { class: 'code' }, p.code), ' ', p.message),
    ),
  );
  document.title = `Fleetkeeper — ${view.statusLine}`;
}
