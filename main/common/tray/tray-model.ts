// The tray glance as a pure function of the health report: which icon and what the tooltip
// says. The shell only applies the result; every decision is here so it can be table-tested.
import type { HealthColour, HealthReport, HealthState } from '../base/types.js';
import { formatAge } from '../base/format-age.js';
import { plural } from '../base/plural.js';

export type TrayIcon = HealthColour;

export interface TrayContext {
  /** Now, and when the report was computed: the tooltip's age keeps counting in between. */
  now: Date;
  computedAt: Date;
  appName?: string;
  /** Something the user started and is waiting for. */
  busy?: 'saving' | 'restoring' | null;
}

export interface TrayModel {
  icon: TrayIcon;
  tooltip: string;
}

/** The design's table: the icon follows the state, never a separate flag. */
export const ICON_FOR_STATE: Readonly<Record<HealthState, TrayIcon>> = {
  fresh: 'green',
  late: 'amber',
  'hooks-missing': 'amber',
  stale: 'red',
  failing: 'red',
  'no-server': 'grey',
};

const LABEL: Readonly<Record<HealthState, string | null>> = {
  fresh: null,
  late: 'late',
  'hooks-missing': 'hooks missing',
  stale: 'STALE',
  failing: 'SAVE FAILING',
  'no-server': 'no tmux server',
};

/** Windows truncates tray tooltips at 127 characters; cut ourselves, visibly. */
export const TOOLTIP_MAX = 127;

/** The newest snapshot's age now, counting on from when the report was computed. */
export function currentAge(report: HealthReport, ctx: Pick<TrayContext, 'now' | 'computedAt'>): number | null {
  if (report.ageSeconds === null) return null;
  const since = Math.max(0, (ctx.now.getTime() - ctx.computedAt.getTime()) / 1000);
  return report.ageSeconds + since;
}

export function trayModel(report: HealthReport | null, ctx: TrayContext): TrayModel {
  const app = ctx.appName ?? 'Fleetkeeper';
  if (report === null) return { icon: 'grey', tooltip: `${app} — starting…` };
  const parts: string[] = [];
  const label = LABEL[report.state];
  if (label !== null) parts.push(label);
  if (ctx.busy === 'saving') parts.push('saving…');
  if (ctx.busy === 'restoring') parts.push('restoring…');
  const age = currentAge(report, ctx);
  parts.push(age === null ? 'no snapshot yet' : `saved ${formatAge(age)} ago`);
  if (report.newestSnapshotId !== null) {
    parts.push(plural(report.counts.panes, 'pane'), `${report.counts.claudePanes} Claude`);
  }
  if (report.state !== 'fresh' && report.reason.trim() !== '') parts.push(report.reason.trim());
  return { icon: ICON_FOR_STATE[report.state], tooltip: clip(`${app} — ${parts.join(' · ')}`, TOOLTIP_MAX) };
}

function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

export type TrayPlatform = 'linux' | 'darwin' | 'win32';

/**
 * Which generated asset (build/icons/…) the tray shows. macOS gets template images (the
 * system tints them; the state is in the shape), Windows an .ico, Linux a 22 px indicator
 * PNG with its @2x sibling next to it.
 */
export function trayIconFile(platform: TrayPlatform, icon: TrayIcon): string {
  switch (platform) {
    case 'darwin':
      return `mac/tray-${icon}Template.png`;
    case 'win32':
      return `win/tray-${icon}.ico`;
    case 'linux':
      return `linux/tray-${icon}-22.png`;
  }
}
