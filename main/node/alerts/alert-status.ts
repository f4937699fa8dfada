import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurable } from '../base/durable-file.js';
import { readRegularText } from '../base/safe-read.js';
import type { StatePaths } from '../base/state-dir.js';
import {
  alertChannels,
  desktopBus,
  type AlertChannel,
  type AlertChannelName,
  type ChannelOutcome,
} from '../../common/alerts/alert-channels.js';
import type { Settings } from '../../common/settings/settings-model.js';

// What the alerting process (daemon or app) last saw on each channel, on disk, so `status` and
// `doctor` in another process can say "the heartbeat has failed since 10:02: HTTP 503".

export interface AlertStatus {
  pid: number;
  updatedAt: string;
  last: Partial<Record<AlertChannelName, ChannelOutcome>>;
}

export function alertStatusPath(paths: StatePaths): string {
  return join(paths.root, 'alerts-status.json');
}

export async function writeAlertStatus(paths: StatePaths, s: AlertStatus): Promise<void> {
  const doc = { format: 'fleetkeeper-alerts-status', version: 1, ...s };
  await writeFileDurable(alertStatusPath(paths), `${JSON.stringify(doc, null, 1)}\n`, undefined, 0o600);
}

function outcome(v: unknown): ChannelOutcome | null {
  if (v === null || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  return typeof o.at === 'string' && typeof o.ok === 'boolean' && typeof o.detail === 'string'
    ? { at: o.at, ok: o.ok, detail: o.detail.slice(0, 500) }
    : null;
}

/** The last recorded outcomes, or null when nothing was recorded (or the file is not ours). */
export async function readAlertStatus(paths: StatePaths): Promise<AlertStatus | null> {
  let v: unknown;
  try {
    v = JSON.parse(await readRegularText(alertStatusPath(paths), 64 * 1024));
  } catch {
    return null;
  }
  const o = v as Record<string, unknown> | null;
  if (o === null || typeof o !== 'object' || o.format !== 'fleetkeeper-alerts-status' || o.version !== 1) return null;
  const last: AlertStatus['last'] = {};
  const raw = (o.last ?? {}) as Record<string, unknown>;
  for (const k of ['desktop', 'command', 'heartbeat'] as const) {
    const x = outcome(raw[k]);
    if (x !== null) last[k] = x;
  }
  return { pid: typeof o.pid === 'number' ? o.pid : 0, updatedAt: String(o.updatedAt ?? ''), last };
}

/** Where a desktop notification would go from this process's environment. */
export function currentDesktopBus(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform) {
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  const sock = `/run/user/${uid}/bus`;
  return desktopBus({
    platform,
    busAddress: env.DBUS_SESSION_BUS_ADDRESS,
    userBusSocket: uid >= 0 && existsSync(sock) ? sock : null,
  });
}

/** The alert channels as this process can tell without asking the bus (for `status`). */
export async function liveAlertChannels(
  paths: StatePaths,
  s: Pick<Settings, 'notifications' | 'alertCommand' | 'heartbeatUrl'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AlertChannel[]> {
  const last = (await readAlertStatus(paths))?.last ?? {};
  return alertChannels({ ...s, bus: currentDesktopBus(env), last });
}

/** `desktop off (why) · command live · heartbeat live`. */
export function channelsLine(channels: readonly AlertChannel[]): string {
  return channels.map((c) => (c.live ? `${c.name} live` : `${c.name} off (${c.detail})`)).join(' · ');
}
