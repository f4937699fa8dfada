import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { HEARTBEAT_RETRY_DELAYS_MS } from '../../common/alerts/alert-channels.js';

// The dead-man's switch: one GET of the user's heartbeatUrl after every verified save, in the
// style of healthchecks.io, so a monitor elsewhere alarms when the pings stop (the machine is
// down, the daemon died). Fire-and-forget: ping() returns at once, a save never waits for it;
// retries are bounded and at most `maxInFlight` pings run at a time (a hung monitor cannot
// pile up sockets: later pings are skipped and the skip is reported).

export interface HeartbeatOutcome {
  ok: boolean;
  at: string;
  detail: string;
}

export interface HeartbeatOptions {
  timeoutMs?: number;
  retryDelaysMs?: readonly number[];
  maxInFlight?: number;
  userAgent?: string;
  onOutcome?: (o: HeartbeatOutcome) => void;
}

function getOnce(url: string, timeoutMs: number, userAgent: string): Promise<string | null> {
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return resolve('not a valid URL');
    }
    const request = u.protocol === 'https:' ? httpsRequest : u.protocol === 'http:' ? httpRequest : null;
    if (request === null) return resolve(`unsupported scheme ${u.protocol}`);
    const req = request(u, { method: 'GET', timeout: timeoutMs, headers: { 'user-agent': userAgent } }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      res.on('end', () => resolve(code >= 200 && code < 400 ? null : `HTTP ${code}`));
      res.on('error', (e) => resolve(e.message));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => resolve(e.message));
    req.end();
  });
}

export class Heartbeat {
  private inFlight = 0;
  private timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly opts: HeartbeatOptions = {}) {}

  get pending(): number {
    return this.inFlight;
  }

  ping(url: string): void {
    if (this.stopped) return;
    const max = this.opts.maxInFlight ?? 2;
    if (this.inFlight >= max) {
      this.report(false, `skipped: ${this.inFlight} earlier pings still unanswered`);
      return;
    }
    this.inFlight++;
    void this.attempt(url, 0).finally(() => this.inFlight--);
  }

  private async attempt(url: string, n: number): Promise<void> {
    const delays = this.opts.retryDelaysMs ?? HEARTBEAT_RETRY_DELAYS_MS;
    const err = await getOnce(url, this.opts.timeoutMs ?? 10_000, this.opts.userAgent ?? 'fleetkeeper');
    if (err === null) return this.report(true, n === 0 ? 'ok' : `ok after ${n + 1} attempts`);
    if (n >= delays.length || this.stopped) return this.report(false, `${err} (after ${n + 1} attempts)`);
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, delays[n]);
      this.timers.add(t);
    });
    return this.attempt(url, n + 1);
  }

  private report(ok: boolean, detail: string): void {
    this.opts.onOutcome?.({ ok, at: new Date().toISOString(), detail });
  }

  /** Drops pending retries (a request already on the wire ends by its own timeout). */
  dispose(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
