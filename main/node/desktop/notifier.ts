import { platform } from 'node:os';
import nodeNotifier from 'node-notifier';
import { FleetkeeperError, errorMessage } from '../../common/base/errors.js';

// Native desktop notifications through node-notifier (notify-send on Linux, Notification
// Center on macOS, toasts on Windows). "Never quiet": a notification that could not be shown
// is an error the caller sees, not a silent no-op.

export type Urgency = 'low' | 'normal' | 'critical';
export interface FkNotification {
  title: string;
  body: string;
  urgency: Urgency;
}
export interface Notifier {
  notify(n: FkNotification): Promise<void>;
}
export interface NodeNotifierOptions {
  appName?: string;
  iconPath?: string;
  /** macOS/Windows only: notify-send as driven by node-notifier reports no clicks. */
  onClick?: () => void;
}

const URGENCIES: readonly Urgency[] = ['low', 'normal', 'critical'];

/**
 * node-notifier runs notify-send through a shell with double-quoted arguments (it escapes
 * " $ ` \ itself) and the title and body come first: one starting with "-" would be read as
 * an option, so it gets a leading space. Newlines would arrive as a literal backslash-n, so
 * lines are joined with " / ". node-notifier also refuses an empty message.
 */
export function notifySendText(s: string, fallback = ' '): string {
  const oneLine = s.replace(/\s*\r?\n\s*/g, ' / ');
  if (oneLine === '') return fallback;
  return oneLine.startsWith('-') ? ` ${oneLine}` : oneLine;
}

const isNotifySend = (): boolean => platform() === 'linux' || /bsd$/i.test(platform());

export function createNodeNotifier(opts: NodeNotifierOptions = {}): Notifier {
  const appName = opts.appName ?? 'Fleetkeeper';
  if (opts.onClick !== undefined && !isNotifySend()) nodeNotifier.on('click', opts.onClick);
  return {
    notify(n: FkNotification): Promise<void> {
      if (!URGENCIES.includes(n.urgency)) {
        return Promise.reject(
          new FleetkeeperError(`unknown notification urgency ${JSON.stringify(n.urgency)}`, 'invalid-input'),
        );
      }
      const linux = isNotifySend();
      const request: Record<string, unknown> = {
        title: linux ? notifySendText(n.title, appName) : n.title,
        message: linux ? notifySendText(n.body) : n.body || ' ',
      };
      if (opts.iconPath !== undefined) request.icon = opts.iconPath;
      if (linux) {
        request.urgency = n.urgency;
        request['app-name'] = appName;
      } else if (opts.onClick !== undefined) {
        request.wait = true;
      }
      return new Promise<void>((resolve, reject) => {
        // On success node-notifier passes notify-send's stderr as `err` (usually ''): only a
        // real Error means the process failed or could not start.
        nodeNotifier.notify(request, (err: unknown) => {
          if (!(err instanceof Error)) return resolve();
          const why =
            errorMessage(err)
              .replace(/^Command failed: .*\n?/, '')
              .trim() || errorMessage(err);
          reject(
            new FleetkeeperError(`notification ${JSON.stringify(n.title)} was not shown: ${why}`, 'notify-failed'),
          );
        });
      });
    },
  };
}

/** For tests of code that notifies: keeps every notification, shows nothing. */
export class RecordingNotifier implements Notifier {
  readonly sent: FkNotification[] = [];

  notify(n: FkNotification): Promise<void> {
    this.sent.push({ ...n });
    return Promise.resolve();
  }
}
