// The result of a restore: every created pane with its verification, and what the snapshot
// still offers (sessions left unticked, panes switched to a shell, anything not started).
import type { RestoreResultView } from '../shared/ipc-contract.js';
import { h, replaceChildren } from './dom.js';
import { shortId } from './format.js';
import { plural } from '../main/common/base/plural.js';

export function renderResult(container: Element, r: RestoreResultView): void {
  const c = r.counts;
  const resumes = c.verified + c.wrong + c.silent;
  replaceChildren(
    container,
    h('h3', {}, 'Result'),
    h(
      'p',
      { id: 'restore-verdict', class: c.wrong + c.silent === 0 ? 'ok' : 'bad' },
      `Verified ${c.verified} of ${plural(resumes, 'conversation')}`,
      c.wrong > 0 ? `, ${c.wrong} wrong` : '',
      c.silent > 0 ? `, ${c.silent} silent` : '',
      `; ${plural(c.shells, 'shell')}.`,
      r.skippedSessions.length > 0 ? ` Left alone (already running): ${r.skippedSessions.join(', ')}.` : '',
    ),
    r.warnings.length === 0 ? null : h('ul', { class: 'problems' }, ...r.warnings.map((w) => h('li', {}, w))),
    r.remaining.length === 0
      ? null
      : h(
          'div',
          { id: 'restore-remaining' },
          h('p', {}, 'Still on offer in this snapshot (restore it again to bring these back):'),
          h('ul', {}, ...r.remaining.map((line) => h('li', {}, line))),
        ),
    h(
      'table',
      { class: 'result' },
      h('thead', {}, h('tr', {}, ...['Role', 'Target', 'Expected', 'Reported', 'Outcome'].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        ...r.panes.map((p) =>
          h(
            'tr',
            { 'data-role': p.role, 'data-outcome': p.outcome },
            h('td', { class: 'role' }, p.role),
            h('td', { class: 'mono' }, p.target),
            h(
              'td',
              { class: 'mono', title: p.expectedSessionId ?? '' },
              p.expectedSessionId === null ? '—' : shortId(p.expectedSessionId),
            ),
            h(
              'td',
              { class: 'mono', title: p.gotSessionId ?? '' },
              p.gotSessionId === null ? '—' : shortId(p.gotSessionId),
            ),
            h('td', {}, h('span', { class: `tag outcome-${p.outcome}` }, p.outcome)),
          ),
        ),
      ),
    ),
  );
}
