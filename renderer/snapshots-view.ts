import type { SnapshotsView } from '../shared/ipc-contract.js';
import { h, replaceChildren } from './dom.js';
import { formatDuration, formatShortTime } from './format.js';

export function renderSnapshots(container: Element, view: SnapshotsView, onPreview: (id: string) => void): void {
  const rows = view.snapshots.map((s) => {
    const button = h('button', { type: 'button', class: 'small', 'data-preview': s.id }, 'Preview');
    button.addEventListener('click', () => onPreview(s.id));
    return h(
      'tr',
      { 'data-snapshot': s.id, class: s.id === view.defaultRestoreId ? 'default' : undefined },
      h(
        'td',
        { title: s.id },
        formatShortTime(s.savedAt),
        s.id === view.defaultRestoreId ? h('span', { class: 'tag tag-ok' }, 'default') : null,
      ),
      h('td', {}, s.trigger),
      h('td', { class: 'num' }, s.sessions),
      h('td', { class: 'num' }, s.panes),
      h('td', { class: 'num' }, s.claudePanes),
      h('td', { class: 'num' }, formatDuration(s.durationMs)),
      h('td', {}, button),
    );
  });
  replaceChildren(
    container,
    view.snapshots.length === 0
      ? h('p', { class: 'muted' }, 'No valid snapshot on disk yet.')
      : h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            { class: 'snapshots' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['Saved', 'Trigger', 'Sessions', 'Panes', 'Claude', 'Took', ''].map((t) => h('th', {}, t)),
              ),
            ),
            h('tbody', {}, ...rows),
          ),
        ),
    view.corrupt.length === 0
      ? null
      : h(
          'ul',
          { class: 'problems' },
          ...view.corrupt.map((c) =>
            h('li', {}, h('span', { class: 'code' }, 'corrupt'), ' ', `${c.file}: ${c.reason}`),
          ),
        ),
  );
}
