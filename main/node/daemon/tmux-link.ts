import { ControlClient, type ControlNotification } from '../tmux/control-client.js';
import type { TmuxTarget } from '../tmux/exec.js';
import { DisposableStore, timeoutDisposable, type Disposable } from '../base/disposable-store.js';

export interface TmuxLinkEvents {
  /** Attached; the client is the link's current one. */
  connected(client: ControlClient): Promise<void>;
  /** No server (or tmux refused the attach); the link tries again after `serverPollMs`. */
  noServer(err: unknown): Promise<void>;
  /** The client exited (server killed, session gone); the link reconnects shortly. */
  lost(reason: string): void;
  notification(n: ControlNotification): void;
}

/**
 * The daemon's one control-mode client: attaches, re-attaches after the client exits (a new
 * server after a kill), and polls while there is no server. It never starts a server. Owns the
 * client and the retry timer; dispose() detaches.
 */
export class TmuxLink implements Disposable {
  private readonly store = new DisposableStore();
  private current: ControlClient | null = null;
  private retry: Disposable | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly target: TmuxTarget,
    private readonly serverPollMs: number,
    private readonly on: TmuxLinkEvents,
  ) {}

  /** The attached client, null while there is none. */
  get client(): ControlClient | null {
    return this.current;
  }

  connect(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const run = this.connectOnce().finally(() => {
      if (this.connecting === run) this.connecting = null;
    });
    this.connecting = run;
    return run;
  }

  private async connectOnce(): Promise<void> {
    let client: ControlClient;
    try {
      client = await ControlClient.connect({ target: this.target });
    } catch (err) {
      if (this.closed) return;
      await this.on.noServer(err);
      this.scheduleRetry(this.serverPollMs);
      return;
    }
    // Registered before anything else: a link closed meanwhile still detaches it on dispose().
    this.store.add(client);
    if (this.closed) return;
    this.current = client;
    client.onNotification((n) => this.on.notification(n));
    client.onExit((reason) => {
      if (this.current === client) this.current = null;
      void this.store.delete(client);
      if (this.closed) return;
      this.on.lost(reason);
      this.scheduleRetry(200);
    });
    await this.on.connected(client);
  }

  private scheduleRetry(ms: number): void {
    if (this.closed || this.retry !== null) return;
    const timer = this.store.add(
      timeoutDisposable(() => {
        this.retry = null;
        void this.store.delete(timer);
        void this.connect();
      }, ms),
    );
    this.retry = timer;
  }

  /** No more attaching or retrying; waits for an attach in flight. The client stays open until dispose(). */
  async close(): Promise<void> {
    this.closed = true;
    await this.connecting;
  }

  async dispose(): Promise<void> {
    await this.close();
    this.current = null;
    await this.store.dispose();
  }
}
