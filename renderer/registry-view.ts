import type { RegistryRow } from '../shared/ipc-contract.js';
import { h, replaceChildren } from './dom.js';
import { formatTime, shortId } from './format.js';

export function renderRegistry(container: Element, rows: RegistryRow[]): void {
  if (rows.length === 0) {
    replaceChildren(
      container,
      h(
        'p',
        { class: 'muted' },
        'No conversation is bound to a role yet. Install the Claude hooks, then start Claude in a tmux pane.',
      ),
    );
    return;
  }
  const sorted = [...rows].sort((a, b) => a.role.localeCompare(b.role));
  replaceChildren(
    container,
    h(
      'table',
      { class: 'registry' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['Role', 'Conversation', 'Session', 'Directory', 'Bound since', 'State'].map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        ...sorted.map((r) =>
          h(
            'tr',
            { 'data-role': r.role, 'data-session': r.sessionId },
            h('td', { class: 'role' }, r.role),
            h('td', { class: r.title === null ? 'title muted' : 'title' }, r.title ?? '(no transcript)'),
            h('td', { class: 'mono', title: r.sessionId }, shortId(r.sessionId)),
            h('td', { class: 'mono path', title: r.cwd }, r.cwd),
            h('td', {}, formatTime(r.boundSince)),
            h(
              'td',
              {},
              r.ended === null
                ? h('span', { class: 'tag tag-ok' }, 'live')
                : h(
                    'span',
                    { class: 'tag', title: formatTime(r.ended.at) },
                    `ended${r.ended.reason ? ` (${r.ended.reason})` : ''}`,
                  ),
            ),
          ),
        ),
      ),
    ),
  );
}
