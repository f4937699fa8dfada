// The tray menu as a pure function of state: plain data with action ids, rebuilt on every
// change and applied by the shell (Menu.buildFromTemplate + setContextMenu). No closures here,
// so a table test sees exactly what the user sees.
import type { ActionId } from './action-dispatch.js';
import { actionId } from './action-dispatch.js';
import type { HealthReport, HealthState } from '../base/types.js';
import type { HooksState } from '../claude/hook-entries.js';
import { currentAge } from './tray-model.js';
import { formatAge } from '../base/format-age.js';
import { plural } from '../base/plural.js';

export interface MenuItemData {
  id?: ActionId;
  label: string;
  type?: 'normal' | 'separator' | 'checkbox' | 'submenu';
  checked?: boolean;
  enabled?: boolean;
  submenu?: MenuItemData[];
}

/** What the menu needs of a snapshot (a subset of the core's SnapshotSummary). */
export interface MenuSnapshot {
  id: string;
  savedAt: string;
  sessions: number;
  panes: number;
  claudePanes: number;
}

export interface MenuState {
  health: HealthReport | null;
  /** When `health` was computed; the status line's age counts on from there. */
  computedAt: Date;
  now: Date;
  /** Minutes to add to UTC for local time (`-new Date().getTimezoneOffset()`). */
  tzOffsetMinutes: number;
  /** Valid snapshots, newest first. */
  snapshots: MenuSnapshot[];
  /** After a reboot: the previous server instance's last healthy snapshot (listed first). */
  previousInstanceId: string | null;
  hooks: HooksState | null;
  /** Read back from the system; null while unknown. */
  autostart: { supported: boolean; enabled: boolean } | null;
  busy?: 'saving' | 'restoring' | null;
  maxRestoreItems?: number;
}

const STATUS_TITLE: Readonly<Record<HealthState, string>> = {
  fresh: 'Backups fresh',
  late: 'Backups late',
  'hooks-missing': 'Claude hooks missing',
  stale: 'Backups STALE',
  failing: 'Saves FAILING',
  'no-server': 'No tmux server',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "14:32" today, "yesterday 14:32", else "3 Jun 14:32" (local time, given as an offset). */
export function formatLocalTime(iso: string, now: Date, tzOffsetMinutes: number): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return iso;
  const local = new Date(t + tzOffsetMinutes * 60_000);
  const localNow = new Date(now.getTime() + tzOffsetMinutes * 60_000);
  const hm = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`;
  const day = (d: Date): number =>
    Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) / 86_400_000);
  const diff = day(localNow) - day(local);
  if (diff === 0) return hm;
  if (diff === 1) return `yesterday ${hm}`;
  const year = local.getUTCFullYear() === localNow.getUTCFullYear() ? '' : ` ${local.getUTCFullYear()}`;
  return `${local.getUTCDate()} ${MONTHS[local.getUTCMonth()]}${year} ${hm}`;
}

export function snapshotLabel(s: MenuSnapshot, now: Date, tzOffsetMinutes: number): string {
  const what = `${plural(s.sessions, 'session')} · ${plural(s.panes, 'pane')} · ${s.claudePanes} Claude`;
  return `${formatLocalTime(s.savedAt, now, tzOffsetMinutes)} — ${what}`;
}

function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

export function statusItems(state: MenuState): MenuItemData[] {
  const h = state.health;
  if (h === null) return [{ label: 'Fleetkeeper: checking…', enabled: false }];
  const age = currentAge(h, state);
  const saved = age === null ? 'no snapshot yet' : `saved ${formatAge(age)} ago`;
  const items: MenuItemData[] = [{ label: `${STATUS_TITLE[h.state]} — ${saved}`, enabled: false }];
  if (h.state !== 'fresh' && h.reason.trim() !== '') items.push({ label: clip(h.reason, 80), enabled: false });
  return items;
}

export function restoreSubmenu(state: MenuState): MenuItemData[] {
  const max = state.maxRestoreItems ?? 8;
  const item = (s: MenuSnapshot, prefix = ''): MenuItemData => ({
    id: actionId({ kind: 'restore-preview', snapshotId: s.id }),
    label: `${prefix}${snapshotLabel(s, state.now, state.tzOffsetMinutes)}…`,
  });
  const prev =
    state.previousInstanceId === null ? undefined : state.snapshots.find((s) => s.id === state.previousInstanceId);
  const rest = state.snapshots.filter((s) => s !== prev).slice(0, prev ? max - 1 : max);
  const items: MenuItemData[] = [];
  if (prev) {
    items.push(item(prev, 'Before reboot: '));
    if (rest.length > 0) items.push({ label: '', type: 'separator' });
  }
  items.push(...rest.map((s) => item(s)));
  if (items.length === 0) items.push({ label: 'No snapshots yet', enabled: false });
  return items;
}

function hooksItem(hooks: HooksState | null): MenuItemData {
  switch (hooks) {
    case 'installed':
      return { label: 'Claude hooks: installed ✓', enabled: false };
    case 'missing':
      return { id: 'install-hooks', label: 'Claude hooks: Install…' };
    case 'outdated':
      return { id: 'install-hooks', label: 'Claude hooks: outdated — Update…' };
    case 'invalid':
      // Installing over a settings file we cannot parse would risk the user's settings.
      return { id: 'open-dashboard', label: 'Claude hooks: settings.json unreadable — Details…' };
    case null:
      return { label: 'Claude hooks: checking…', enabled: false };
  }
}

export function menuTemplate(state: MenuState): MenuItemData[] {
  const busy = state.busy ?? null;
  const restoreItems = restoreSubmenu(state);
  const auto = state.autostart;
  return [
    ...statusItems(state),
    { label: '', type: 'separator' },
    {
      id: 'save-now',
      label: busy === 'saving' ? 'Saving snapshot…' : 'Save snapshot now',
      enabled: busy === null && state.health?.state !== 'no-server',
    },
    {
      label: busy === 'restoring' ? 'Restoring…' : 'Restore',
      type: 'submenu',
      enabled: busy !== 'restoring',
      submenu: restoreItems,
    },
    { id: 'open-dashboard', label: 'Open dashboard…' },
    { label: '', type: 'separator' },
    hooksItem(state.hooks),
    {
      id: 'toggle-autostart',
      label: 'Start at login',
      type: 'checkbox',
      checked: auto?.enabled ?? false,
      enabled: auto?.supported ?? false,
    },
    { label: '', type: 'separator' },
    { id: 'quit', label: 'Quit Fleetkeeper' },
  ];
}

/** Every action id reachable in a template (the shell checks clicks against it). */
export function actionIdsOf(items: readonly MenuItemData[]): ActionId[] {
  return items.flatMap((i) => [...(i.id !== undefined ? [i.id] : []), ...actionIdsOf(i.submenu ?? [])]);
}
