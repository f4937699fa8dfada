// What a restore reports as it goes (stderr for the CLI, events for the app): per session when
// it is built, per Claude pane when its command was typed and when Claude answered or did not.

export type RestoreProgress =
  | { kind: 'session'; name: string; state: 'created' | 'completing' | 'not-created'; detail?: string }
  | {
      kind: 'pane';
      role: string;
      target: string;
      paneId: string;
      state: 'typed' | 'verified' | 'wrong' | 'silent' | 'not-started';
      detail?: string;
    };

export function progressLine(e: RestoreProgress): string {
  if (e.kind === 'session') {
    const what = {
      created: 'created',
      completing: 'completing (built by an earlier restore)',
      'not-created': 'NOT created',
    };
    return `session ${JSON.stringify(e.name)} ${what[e.state]}${e.detail ? `: ${e.detail}` : ''}`;
  }
  const what = {
    typed: 'resume typed',
    verified: 'verified',
    wrong: 'WRONG conversation',
    silent: 'no SessionStart yet',
    'not-started': 'NOT started',
  };
  return `  ${e.target} (${e.paneId}) role ${e.role}: ${what[e.state]}${e.detail ? ` — ${e.detail}` : ''}`;
}
