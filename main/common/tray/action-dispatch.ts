// Tray menu items and notifications carry a plain action id (GitHub Desktop style) instead of
// closures, so the menu stays plain data and every click goes through one checked parser.
import { InvalidInputError } from '../base/errors.js';
import { isSnapshotId } from '../snapshot/snapshot-id.js';

export type ActionIntent =
  | { kind: 'save-now' }
  | { kind: 'restore-preview'; snapshotId: string }
  | { kind: 'open-dashboard' }
  | { kind: 'install-hooks' }
  | { kind: 'toggle-autostart' }
  | { kind: 'quit' };

export type ActionId =
  'save-now' | `restore-preview:${string}` | 'open-dashboard' | 'install-hooks' | 'toggle-autostart' | 'quit';

const SIMPLE = ['save-now', 'open-dashboard', 'install-hooks', 'toggle-autostart', 'quit'] as const;
type SimpleKind = (typeof SIMPLE)[number];

/** Snapshot ids become file names under snapshots/: only the core's exact id shape passes. */
export function isSnapshotIdLike(id: string): boolean {
  return isSnapshotId(id);
}

/** Parses an action id from a menu click or notification; anything else is refused. */
export function parseAction(id: unknown): ActionIntent {
  if (typeof id !== 'string') throw new InvalidInputError(`action id must be a string, got ${JSON.stringify(id)}`);
  if ((SIMPLE as readonly string[]).includes(id)) return { kind: id as SimpleKind };
  const prefix = 'restore-preview:';
  if (id.startsWith(prefix)) {
    const snapshotId = id.slice(prefix.length);
    if (!isSnapshotIdLike(snapshotId)) {
      throw new InvalidInputError(
        `action ${JSON.stringify(id)} names an invalid snapshot id ${JSON.stringify(snapshotId)}`,
      );
    }
    return { kind: 'restore-preview', snapshotId };
  }
  throw new InvalidInputError(`unknown action id ${JSON.stringify(id)}`);
}

/** The id for an intent; `parseAction(actionId(i))` gives `i` back. */
export function actionId(intent: ActionIntent): ActionId {
  if (intent.kind === 'restore-preview') {
    if (!isSnapshotIdLike(intent.snapshotId)) {
      throw new InvalidInputError(`invalid snapshot id ${JSON.stringify(intent.snapshotId)}`);
    }
    return `restore-preview:${intent.snapshotId}`;
  }
  return intent.kind;
}
