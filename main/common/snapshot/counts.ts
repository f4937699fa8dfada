import type { Binding, Snapshot } from '../base/types.js';

/** A pane counts as a Claude pane when its binding would be resumed (not exited by the user). */
export function isResumableBinding(b: Binding | null): b is Binding {
  return b !== null && (b.endedAt === undefined || b.endReason === 'other');
}

export function countPanes(s: Pick<Snapshot, 'sessions'>): {
  sessions: number;
  windows: number;
  panes: number;
  claudePanes: number;
} {
  let windows = 0;
  let panes = 0;
  let claudePanes = 0;
  for (const session of s.sessions) {
    windows += session.windows.length;
    for (const w of session.windows) {
      panes += w.panes.length;
      claudePanes += w.panes.filter((p) => isResumableBinding(p.binding)).length;
    }
  }
  return { sessions: s.sessions.length, windows, panes, claudePanes };
}
