// Restore preview (the plan, pane by pane) with an explicit confirm, then the result with the
// verification of every pane: the user sees which conversation goes where before anything runs.
import type { FleetkeeperBridge, PlanView, RestoreResultView } from '../shared/ipc-contract.js';
import { errorText, h, replaceChildren, toast } from './dom.js';
import { formatTime, shortId } from './format.js';
import { plural } from '../main/common/base/plural.js';

export function renderPlan(container: Element, plan: PlanView, bridge: FleetkeeperBridge, after: () => void): void {
  const rows = plan.sessions.flatMap((s) =>
    s.windows.flatMap((w) =>
      w.panes.map((p) =>
        h(
          'tr',
          { 'data-role': p.role, 'data-action': p.action, 'data-session-action': s.action },
          h('td', { class: 'role' }, p.role),
          h('td', { class: 'mono' }, p.target),
          h('td', { class: 'mono path', title: p.snapshotCwd === p.cwd ? p.cwd : `saved in ${p.snapshotCwd}` }, p.cwd),
          h(
            'td',
            {},
            h(
              'span',
              { class: `tag ${p.action === 'resume' ? 'tag-ok' : ''}` },
              s.action === 'skip-exists' ? 'skip (session exists)' : p.action,
            ),
          ),
          h('td', { class: 'mono', title: p.sessionId ?? '' }, p.sessionId ?? '—'),
          h('td', { class: 'title' }, p.title ?? ''),
          h('td', { class: 'muted' }, p.reason ?? ''),
        ),
      ),
    ),
  );
  const c = plan.counts;
  const confirm = h(
    'button',
    { type: 'button', id: 'restore-confirm', class: 'primary' },
    `Restore ${plural(c.sessions, 'session')}`,
  );
  confirm.disabled = c.sessions === 0;
  const result = h('div', { id: 'restore-result' });
  confirm.addEventListener('click', () => {
    confirm.disabled = true;
    confirm.textContent = 'Restoring…';
    bridge.restore(plan.snapshotId).then(
      (r) => {
        renderResult(result, r);
        confirm.textContent = 'Restored';
        after();
      },
      (err: unknown) => {
        confirm.disabled = false;
        confirm.textContent = 'Retry restore';
        toast(`Restore failed: ${errorText(err)}`, 'error');
      },
    );
  });
  replaceChildren(
    container,
    h(
      'p',
      { id: 'restore-summary', 'data-snapshot': plan.snapshotId },
      `Snapshot from ${formatTime(plan.savedAt)}: ${plural(c.sessions, 'session')} to create`,
      c.skipped > 0 ? `, ${c.skipped} already running (left alone)` : '',
      `, ${plural(c.panes, 'pane')}: ${plural(c.resumes, 'Claude conversation')} resumed, ${plural(c.shells, 'shell')}.`,
    ),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { class: 'plan' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['Role', 'Target', 'Directory', 'Action', 'Session id', 'Conversation', 'Why a shell'].map((t) =>
              h('th', {}, t),
            ),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
    ),
    h('div', { class: 'actions' }, confirm),
    result,
  );
}

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
