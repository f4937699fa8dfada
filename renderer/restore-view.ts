// Restore preview (the plan, pane by pane) with an explicit confirm: the user sees which
// conversation goes where before anything runs, and picks what comes back — a tick per session,
// "shell instead" per Claude pane. Every pick asks main for the plan again, narrowed by the
// core's own selection, so what the table shows is exactly what the confirm restores.
import type { FleetkeeperBridge, PlanView, RestoreSelectionView } from '../shared/ipc-contract.js';
import { errorText, h, replaceChildren, toast } from './dom.js';
import { formatTime } from './format.js';
import { plural } from '../main/common/base/plural.js';
import { renderResult } from './restore-result.js';
import { isValidRole } from '../main/common/base/names.js';

type SessionView = PlanView['sessions'][number];
type PaneView = SessionView['windows'][number]['panes'][number];

interface Picks {
  /** Sessions the user unticked (the names the plan shows). */
  unticked: Set<string>;
  /** Roles whose conversation the user left on offer, a plain shell in its place this time. */
  shellRoles: Set<string>;
}

/** The selection for main; undefined when the user changed nothing (the whole snapshot as planned). */
export function selectionOf(plan: PlanView, picks: Picks): RestoreSelectionView | undefined {
  const sel: { sessions?: string[]; shellRoles?: string[] } = {};
  if (picks.unticked.size > 0) sel.sessions = plan.sessions.map((s) => s.name).filter((n) => !picks.unticked.has(n));
  if (picks.shellRoles.size > 0) sel.shellRoles = [...picks.shellRoles].sort();
  return sel.sessions === undefined && sel.shellRoles === undefined ? undefined : sel;
}

/** Loads the preview of one snapshot into `container` and keeps it in step with the user's picks. */
export async function openRestore(
  container: Element,
  snapshotId: string,
  bridge: FleetkeeperBridge,
  after: () => void,
): Promise<void> {
  const picks: Picks = { unticked: new Set(), shellRoles: new Set() };
  let asked = 0;
  let plan = await bridge.previewRestore({ snapshotId });
  const nothingPicked = (): boolean => {
    const offered = plan.sessions.filter((s) => s.action !== 'skip-exists');
    return offered.length > 0 && offered.every((s) => picks.unticked.has(s.name));
  };
  const draw = (): void => renderPlan(container, plan, picks, nothingPicked(), { changed, confirm });
  const changed = (): void => {
    const mine = ++asked;
    // Nothing ticked: nothing to ask main (an empty list would mean "all" to the core).
    if (nothingPicked()) return draw();
    const selection = selectionOf(plan, picks);
    setBusy(container, true);
    bridge.previewRestore({ snapshotId, ...(selection ? { selection } : {}) }).then(
      (next) => {
        if (mine !== asked) return;
        plan = next;
        draw();
      },
      (err: unknown) => {
        if (mine !== asked) return;
        toast(`Preview failed: ${errorText(err)}`, 'error');
        setBusy(container, false);
      },
    );
  };
  const confirm = (button: HTMLButtonElement, result: Element): void => {
    const selection = selectionOf(plan, picks);
    setBusy(container, true);
    button.textContent = 'Restoring…';
    bridge.restore({ snapshotId, ...(selection ? { selection } : {}) }).then(
      (r) => {
        renderResult(result, r);
        button.textContent = 'Restored';
        after();
      },
      (err: unknown) => {
        setBusy(container, false);
        button.textContent = 'Retry restore';
        toast(`Restore failed: ${errorText(err)}`, 'error');
      },
    );
  };
  draw();
}

function setBusy(container: Element, busy: boolean): void {
  for (const el of Array.from(
    container.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, #restore-confirm'),
  ))
    el.disabled = busy || el.dataset.fixed === 'true';
}

/** What a pane's Action column says, the session's fate first. */
function paneLabel(s: SessionView, p: PaneView, off: boolean): string {
  if (off) return 'not selected';
  if (s.action === 'skip-exists') return 'skip (session exists)';
  if (s.action === 'complete' && p.livePaneId === undefined) return 'left as it is';
  return p.action;
}

const SESSION_LABEL: Record<SessionView['action'], string> = {
  create: 'to create',
  complete: 'built by an earlier restore: its missing conversations are started',
  'skip-exists': 'already running: left alone',
  'not-selected': 'not selected: stays on offer',
};

function renderPlan(
  container: Element,
  plan: PlanView,
  picks: Picks,
  nothing: boolean,
  on: { changed: () => void; confirm: (button: HTMLButtonElement, result: Element) => void },
): void {
  const rows = plan.sessions.flatMap((s) => {
    const off = nothing || picks.unticked.has(s.name) || s.action === 'not-selected';
    const acts = !off && (s.action === 'create' || s.action === 'complete');
    const tick = h('input', {
      type: 'checkbox',
      'data-session': s.name,
      ...(s.action === 'skip-exists' ? { 'data-fixed': 'true', disabled: true } : {}),
    });
    tick.checked = !picks.unticked.has(s.name) && s.action !== 'skip-exists';
    tick.addEventListener('change', () => {
      if (tick.checked) picks.unticked.delete(s.name);
      else picks.unticked.add(s.name);
      on.changed();
    });
    const head = h(
      'tr',
      { class: 'session', 'data-session': s.name, 'data-session-action': off ? 'not-selected' : s.action },
      h(
        'td',
        { colspan: 8 },
        h(
          'label',
          {},
          tick,
          ' Session ',
          h('strong', {}, s.name),
          ` — ${SESSION_LABEL[off ? 'not-selected' : s.action]}`,
        ),
        s.renamedFrom !== undefined ? h('span', { class: 'muted' }, ` (saved as ${s.renamedFrom})`) : null,
      ),
    );
    const panes = s.windows.flatMap((w) =>
      w.panes.map((p) => {
        const switched = picks.shellRoles.has(p.role);
        const typed = !(s.action === 'complete' && p.livePaneId === undefined);
        let toggle: HTMLInputElement | null = null;
        if (acts && typed && isValidRole(p.role) && (p.action === 'resume' || switched)) {
          const t = h('input', { type: 'checkbox', 'data-shell-role': p.role });
          t.checked = switched;
          t.addEventListener('change', () => {
            if (t.checked) picks.shellRoles.add(p.role);
            else picks.shellRoles.delete(p.role);
            on.changed();
          });
          toggle = t;
        }
        const label = paneLabel(s, p, off);
        return h(
          'tr',
          {
            class: off ? 'pane muted' : 'pane',
            'data-role': p.role,
            'data-action': off ? 'not-selected' : p.action,
            'data-session-action': off ? 'not-selected' : s.action,
          },
          h('td', { class: 'role' }, p.role),
          h('td', { class: 'mono' }, p.target),
          h('td', { class: 'mono path', title: p.snapshotCwd === p.cwd ? p.cwd : `saved in ${p.snapshotCwd}` }, p.cwd),
          h('td', {}, h('span', { class: `tag ${label === 'resume' ? 'tag-ok' : ''}` }, label)),
          h('td', { class: 'mono', title: p.sessionId ?? '' }, p.sessionId ?? '—'),
          h('td', { class: 'title' }, p.title ?? ''),
          h('td', { class: 'muted reason' }, off ? '' : paneDetail(p)),
          h('td', { class: 'toggle' }, toggle === null ? null : h('label', {}, toggle, ' shell instead')),
        );
      }),
    );
    return [head, ...panes];
  });
  const c = plan.counts;
  const unpicked = nothing ? plan.sessions.filter((s) => s.action !== 'skip-exists').length : 0;
  const notSelected = plan.sessions.filter((s) => s.action === 'not-selected').length + unpicked;
  const running = plan.sessions.filter((s) => s.action === 'skip-exists').length;
  const result = h('div', { id: 'restore-result' });
  const confirm = h(
    'button',
    { type: 'button', id: 'restore-confirm', class: 'primary' },
    nothing ? 'Nothing selected' : `Restore ${plural(c.sessions, 'session')}`,
  );
  if (nothing || c.sessions === 0) confirm.dataset.fixed = 'true';
  confirm.disabled = confirm.dataset.fixed === 'true';
  confirm.addEventListener('click', () => on.confirm(confirm, result));
  replaceChildren(
    container,
    h(
      'p',
      { id: 'restore-summary', 'data-snapshot': plan.snapshotId },
      `Snapshot from ${formatTime(plan.savedAt)}: ${plural(nothing ? 0 : c.sessions, 'session')} to restore`,
      running > 0 ? `, ${running} already running (left alone)` : '',
      notSelected > 0 ? `, ${notSelected} not selected (still on offer)` : '',
      nothing
        ? '.'
        : `, ${plural(c.panes, 'pane')}: ${plural(c.resumes, 'Claude conversation')} resumed, ${plural(c.shells, 'shell')}.`,
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
            ...['Role', 'Target', 'Directory', 'Action', 'Session id', 'Conversation', 'Why a shell', ''].map((t) =>
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

/** The reason, the exact line a restore types (resume or program) and the variables it leaves out. */
function paneDetail(p: PlanView['sessions'][number]['windows'][number]['panes'][number]): string {
  const parts: string[] = [];
  if (p.reason) parts.push(p.reason);
  if (p.command !== undefined && p.action !== 'shell') parts.push(`types: ${p.command}`);
  for (const n of p.notCarried ?? []) parts.push(`not carried: ${n.name} (${n.reason})`);
  return parts.join(' · ');
}
