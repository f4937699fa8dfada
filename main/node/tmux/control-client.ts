// ONE long-lived tmux control client over node-pty: commands in order, notifications out.
//
// `-f no-output,ignore-size`: no pane output is ever sent to us, and our pty size never
// resizes anyone's windows. With a single `-C` the pty is in canonical mode, so every command
// is one line the pty echoes back (the parser skips it), lines are capped at 4095 bytes, and
// control characters in a line would be acted on by the line discipline (^C, ^U, ^D …):
// command() refuses them; quote arguments with quoteTmuxArg.
import * as pty from 'node-pty';
import { InvalidInputError, TmuxError } from '../../common/base/errors.js';
import { ControlModeParser, type ControlMessage } from '../../common/tmux/control-mode-parser.js';
import { decodeField, escapedFormat } from '../../common/tmux/fleet-format.js';
import { runTmux, socketArgs, type TmuxTarget } from './exec.js';
import { DisposableStore, toDisposable } from '../base/disposable-store.js';

export interface ControlClientOptions {
  target: TmuxTarget;
  /** Session name or `$id` to attach to; default: the first existing session. */
  session?: string;
  cols?: number;
  rows?: number;
  commandTimeoutMs?: number;
}

export interface ControlNotification {
  name: string;
  args: string[];
  line: string;
}

interface Pending {
  resolve: (lines: string[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
  cmdLine: string;
}

const MAX_LINE_BYTES = 4000;

/** Throws InvalidInputError unless `cmdLine` is exactly one command a pty line can carry. */
export function assertSingleCommandLine(cmdLine: string): void {
  const show = JSON.stringify(cmdLine.length > 200 ? `${cmdLine.slice(0, 200)}…` : cmdLine);
  if (cmdLine.trim() === '')
    throw new InvalidInputError('empty tmux command line (an empty line detaches the control client)');
  if (/[\u0000-\u001f\u007f]/.test(cmdLine))
    throw new InvalidInputError(`tmux command line ${show} contains a control character: quote it with quoteTmuxArg`);
  if (Buffer.byteLength(cmdLine) > MAX_LINE_BYTES)
    throw new InvalidInputError(`tmux command line ${show} is longer than ${MAX_LINE_BYTES} bytes`);
  // Each command of `a ; b` gets its own reply: that would desynchronise replies and callers.
  let quote: string | null = null;
  for (let i = 0; i < cmdLine.length; i++) {
    const ch = cmdLine[i];
    if (ch === '\\' && quote !== "'") i++;
    else if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === ';') throw new InvalidInputError(`tmux command line ${show} holds more than one command`);
  }
}

export class ControlClient {
  /** The pty's listeners, the command timers and our subscribers: released once the process ended. */
  private readonly store = new DisposableStore();
  private readonly parser = new ControlModeParser();
  private readonly notifyFns = new Set<(n: ControlNotification) => void>();
  private readonly exitFns = new Set<(reason: string) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private pending: Pending | null = null;
  /** Replies still owed to commands that timed out: they must not answer later commands. */
  private orphans = 0;
  private exitReason: string | null = null;
  private sawExitLine: string | null = null;
  private readonly exited: Promise<void>;
  private bytes = 0;

  private constructor(
    private readonly proc: pty.IPty,
    private readonly timeoutMs: number,
    readonly sessionId: string,
  ) {
    this.store.add(proc.onData((d) => this.onData(d)));
    this.exited = new Promise((resolve) => {
      this.store.add(
        proc.onExit(({ exitCode, signal }) => {
          this.finish(
            this.sawExitLine ?? `tmux control client exited (code ${exitCode}${signal ? `, signal ${signal}` : ''})`,
          );
          resolve();
        }),
      );
    });
    this.store.add(
      toDisposable(() => {
        if (this.pending !== null) clearTimeout(this.pending.timer);
        this.notifyFns.clear();
        this.exitFns.clear();
      }),
    );
  }

  static async connect(opts: ControlClientOptions): Promise<ControlClient> {
    const sessionId = await pickSession(opts.target, opts.session);
    const { args, env } = spawnArgs(opts.target);
    const proc = pty.spawn(
      opts.target.bin ?? 'tmux',
      [...args, '-C', 'attach-session', '-f', 'no-output,ignore-size', '-t', sessionId],
      {
        name: 'xterm-256color',
        cols: opts.cols ?? 80,
        rows: opts.rows ?? 24,
        cwd: '/',
        env,
      },
    );
    const client = new ControlClient(proc, opts.commandTimeoutMs ?? 10_000, sessionId);
    await client.ready();
    return client;
  }

  /** Resolves once tmux answered the attach itself (the first reply, flags 0). */
  private ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const lines: string[] = [];
      const timer = setTimeout(
        () => done(new TmuxError(`tmux control client did not attach within ${this.timeoutMs} ms`, 'timeout')),
        this.timeoutMs,
      );
      const offExit = this.onExit((reason) =>
        done(
          new TmuxError(
            `tmux control client could not attach to ${this.sessionId}: ${[...lines, reason].join('; ')}`,
            'no-server',
          ),
        ),
      );
      this.attachWaiter = (msg) => {
        if (msg.type !== 'reply') return;
        if (msg.ok) done(null);
        else lines.push(...msg.lines);
      };
      const done = (err: Error | null) => {
        clearTimeout(timer);
        offExit();
        this.attachWaiter = null;
        if (!err) return resolve();
        void this.dispose().finally(() => reject(err));
      };
    });
  }

  private attachWaiter: ((msg: ControlMessage) => void) | null = null;

  get bytesReceived(): number {
    return this.bytes;
  }

  get isExited(): boolean {
    return this.exitReason !== null;
  }

  /** One tmux command (no `;` chains); resolves with its output lines, in call order. */
  command(cmdLine: string): Promise<string[]> {
    try {
      assertSingleCommandLine(cmdLine);
    } catch (err) {
      return Promise.reject(err);
    }
    const run = this.queue.then(() => this.send(cmdLine));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private send(cmdLine: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      if (this.exitReason !== null) {
        return reject(
          new TmuxError(`tmux control client has exited (${this.exitReason}): cannot run ${cmdLine}`, 'no-server'),
        );
      }
      const timer = setTimeout(() => {
        this.pending = null;
        this.orphans++;
        reject(
          new TmuxError(
            `tmux server did not answer ${cmdLine.split(' ')[0] ?? ''} within ${this.timeoutMs} ms (hung or stopped?)`,
            'timeout',
          ),
        );
      }, this.timeoutMs);
      this.pending = { resolve, reject, timer, cmdLine };
      this.proc.write(`${cmdLine}\n`);
    });
  }

  onNotification(fn: (n: ControlNotification) => void): () => void {
    this.notifyFns.add(fn);
    return () => this.notifyFns.delete(fn);
  }

  /** Fires once, with tmux's `%exit` reason or the process exit status. */
  onExit(fn: (reason: string) => void): () => void {
    if (this.exitReason !== null) {
      const reason = this.exitReason;
      queueMicrotask(() => fn(reason));
      return () => undefined;
    }
    this.exitFns.add(fn);
    return () => this.exitFns.delete(fn);
  }

  /** Detaches (the server and its sessions are untouched) and waits for the process to end. */
  async dispose(): Promise<void> {
    if (this.exitReason === null) {
      try {
        this.proc.write('detach-client\n');
      } catch {
        // The pty is already closing; the exit handler below settles everything.
      }
      if (!(await settlesWithin(this.exited, 3000))) {
        this.proc.kill('SIGTERM');
        if (!(await settlesWithin(this.exited, 2000))) this.proc.kill('SIGKILL');
      }
    }
    await this.exited;
    await this.store.dispose();
  }

  private onData(data: string): void {
    this.bytes += Buffer.byteLength(data, 'utf8');
    for (const msg of this.parser.push(data)) this.dispatch(msg);
  }

  private dispatch(msg: ControlMessage): void {
    if (this.attachWaiter) return this.attachWaiter(msg);
    if (msg.type === 'notification') {
      for (const fn of [...this.notifyFns]) fn({ name: msg.name, args: msg.args, line: msg.line });
    } else if (msg.type === 'exit') {
      this.sawExitLine = msg.reason === '' ? '%exit (detached, session or server gone)' : `%exit ${msg.reason}`;
    } else if (msg.flags === 1) {
      if (this.orphans > 0) {
        this.orphans--;
        return;
      }
      const p = this.pending;
      if (!p) return;
      this.pending = null;
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.lines);
      else p.reject(new TmuxError(`tmux ${p.cmdLine}: ${msg.lines.join(' ') || 'failed'}`, 'command-failed'));
    }
  }

  private finish(reason: string): void {
    if (this.exitReason !== null) return;
    this.exitReason = reason;
    const p = this.pending;
    this.pending = null;
    if (p) {
      clearTimeout(p.timer);
      p.reject(new TmuxError(`tmux control client exited (${reason}) before answering ${p.cmdLine}`, 'no-server'));
    }
    for (const fn of [...this.exitFns]) fn(reason);
    this.exitFns.clear();
  }
}

function settlesWithin(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  return Promise.race([p.then(() => true), t]).finally(() => clearTimeout(timer));
}

/**
 * The control client is a tmux client like any other: without -L/-S it would follow $TMUX.
 * Pin the same server runTmux reaches and drop $TMUX so tmux does not treat us as nested.
 */
function spawnArgs(target: TmuxTarget): { args: string[]; env: Record<string, string> } {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  let args = ['-u', ...socketArgs(target)];
  const inherited = (env.TMUX ?? '').split(',')[0] ?? '';
  if (target.socketName === undefined && target.socketPath === undefined && inherited !== '')
    args = ['-u', '-S', inherited];
  delete env.TMUX;
  delete env.TMUX_PANE;
  return { args, env };
}

/** The session id to attach to: never creates a session. */
async function pickSession(target: TmuxTarget, wanted: string | undefined): Promise<string> {
  const out = await runTmux(target, ['-u', 'list-sessions', '-F', `#{session_id}\t${escapedFormat('session_name')}`]);
  const sessions = out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const tab = l.indexOf('\t');
      return { id: l.slice(0, tab), name: decodeField(l.slice(tab + 1)) };
    });
  if (sessions.length === 0) throw new TmuxError('no tmux session to attach the control client to', 'no-server');
  if (wanted === undefined) return sessions[0]!.id;
  // Exact match only: tmux's own -t would also take a prefix or a pattern.
  const hit = sessions.find((s) => s.name === wanted) ?? sessions.find((s) => s.id === wanted);
  if (!hit) throw new TmuxError(`no tmux session named ${JSON.stringify(wanted)}`, 'no-server');
  return hit.id;
}
