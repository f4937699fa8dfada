import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError, TmuxError } from '../../common/base/errors.js';
import { quoteTmuxArg } from '../../common/tmux/quoting.js';
import { TmuxHarness, waitFor } from '../../../test/helpers/tmux-harness.js';
import { ControlClient, type ControlNotification } from './control-client.js';

const env: NodeJS.ProcessEnv = { ...process.env };
delete env.TMUX;
delete env.TMUX_PANE;

let harness: TmuxHarness | null = null;
const clients: ControlClient[] = [];

async function server(): Promise<TmuxHarness> {
  harness = new TmuxHarness(env);
  await harness.run('-f', '/dev/null', 'new-session', '-d', '-s', 'main', '-x', '120', '-y', '40');
  return harness;
}

async function connect(h: TmuxHarness, session?: string): Promise<ControlClient> {
  const c = await ControlClient.connect({ target: { socketName: h.socket }, session, commandTimeoutMs: 5000 });
  clients.push(c);
  return c;
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.dispose();
  await harness?.kill();
  harness = null;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ControlClient with real tmux', () => {
  it('refuses to start a server or a session that does not exist', async () => {
    const target = { socketName: `fk-cc-none-${process.pid}` };
    await expect(ControlClient.connect({ target })).rejects.toMatchObject({ reason: 'no-server' });
    const h = await server();
    await expect(connect(h, 'mai')).rejects.toThrow(/no tmux session named "mai"/);
    expect((await h.run('list-sessions', '-F', '#{session_name}')).trim()).toBe('main');
  });

  it('runs commands in order, returns their lines, rejects %error, and quotes arguments exactly', async () => {
    const h = await server();
    const c = await connect(h);
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => c.command(`display-message -p ${n}`)));
    expect(results).toEqual([['1'], ['2'], ['3'], ['4'], ['5']]);
    await expect(c.command('no-such-command')).rejects.toThrow(/unknown command: no-such-command/);
    await expect(c.command('display-message -p after-error')).resolves.toEqual(['after-error']);
    const hostile = `a b '"$(touch /tmp/canary)\`;x \\ é 日本 \u0001 %% ##`;
    await c.command(`set-option -p -t main @probe ${quoteTmuxArg(hostile)}`);
    expect(await h.run('show-options', '-p', '-v', '-t', 'main', '@probe')).toBe(`${hostile}\n`);
    await c.command(`set-option -p -t main @probe ${quoteTmuxArg('x\ny\tz\r')}`);
    expect(await h.run('show-options', '-p', '-v', '-t', 'main', '@probe')).toBe('x\ny\tz\r\n');
  });

  it('refuses command lines a pty line cannot carry, naming them, and keeps working', async () => {
    const h = await server();
    const c = await connect(h);
    await expect(c.command('display-message -p a\u0003b')).rejects.toThrow(InvalidInputError);
    await expect(c.command('display-message -p x ; kill-server')).rejects.toThrow(
      /"display-message -p x ; kill-server" holds more than one command/,
    );
    await expect(c.command('')).rejects.toThrow(/empty/);
    await expect(c.command(`display-message -p ${'x'.repeat(5000)}`)).rejects.toThrow(/longer than 4000 bytes/);
    // `\;` is an argument, not a separator: tmux answers once (with an error) and stays in step.
    await expect(c.command('display-message -p x \\;')).rejects.toMatchObject({ reason: 'command-failed' });
    await expect(c.command(`display-message -p "a ; b"`)).resolves.toEqual(['a ; b']);
  });

  it('leaves a 120x40 window alone, receives no pane output, and shows as a control client until disposed', async () => {
    const h = await server();
    const c = await connect(h);
    await h.run('set-option', '-t', 'main', 'window-size', 'latest');
    expect((await h.run('display-message', '-p', '-t', 'main', '#{window_width}x#{window_height}')).trim()).toBe(
      '120x40',
    );
    const clientsLine = (
      await h.run('list-clients', '-F', '#{client_pid} #{client_control_mode} #{session_name}')
    ).trim();
    expect(clientsLine).toMatch(/^\d+ 1 main$/);
    const before = c.bytesReceived;
    await h.run('send-keys', '-t', 'main', 'yes fleetkeeper-output-flood', 'Enter');
    await sleep(2000);
    await h.run('send-keys', '-t', 'main', 'C-c', '');
    const during = c.bytesReceived - before;
    console.log(`control client received ${during} bytes while a pane ran yes for 2 s (no-output)`);
    expect(during).toBeLessThan(2000);
    expect(await h.capture('main:0.0')).toContain('fleetkeeper-output-flood');
    expect((await h.run('display-message', '-p', '-t', 'main', '#{window_width}x#{window_height}')).trim()).toBe(
      '120x40',
    );
    const pid = Number(clientsLine.split(' ')[0]);
    await c.dispose();
    expect(await h.run('list-clients', '-F', '#{client_pid}')).toBe('');
    expect((await h.run('display-message', '-p', '-t', 'main', '#{session_attached}')).trim()).toBe('0');
    // Reaped, not a zombie: the pid no longer exists at all.
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(c.command('display-message -p x')).rejects.toMatchObject({ reason: 'no-server' });
  });

  it('delivers layout notifications', async () => {
    const h = await server();
    await h.run('new-session', '-d', '-s', 'other');
    const c = await connect(h, 'main');
    const seen: ControlNotification[] = [];
    c.onNotification((n) => seen.push(n));
    await h.run('new-window', '-d', '-t', 'main', '-n', 'w2');
    await h.run('split-window', '-d', '-t', 'main:1');
    await h.run('rename-window', '-t', 'main:1', 'renamed w2');
    await h.run('new-window', '-d', '-t', 'other', '-n', 'elsewhere');
    await h.run('rename-window', '-t', 'other:1', 'elsewhere 2');
    await h.run('kill-window', '-t', 'other:1');
    await h.run('new-session', '-d', '-s', 'third');
    await h.run('rename-session', '-t', 'main', 'main two');
    await h.run('kill-window', '-t', 'main two:1');
    await c.command('display-message -p sync');
    const names = new Set(seen.map((n) => n.name));
    for (const n of [
      'window-add',
      'layout-change',
      'window-renamed',
      'unlinked-window-add',
      'unlinked-window-renamed',
      'unlinked-window-close',
      'sessions-changed',
      'session-renamed',
    ])
      expect(names, n).toContain(n);
    expect(seen.find((n) => n.name === 'session-renamed')?.line).toMatch(/^%session-renamed \$\d+ main two$/);
    expect(seen.find((n) => n.name === 'window-renamed')?.args.slice(1)).toEqual(['renamed', 'w2']);
    // tmux 3.3a announces a window killed in the attached session as unlinked-window-close.
    const killedId = seen.find((n) => n.name === 'window-add')?.args[0];
    expect(
      seen.some((n) => (n.name === 'window-close' || n.name === 'unlinked-window-close') && n.args[0] === killedId),
    ).toBe(true);
  });

  it('reports exit when its session is killed (detach-on-destroy) and when the server dies', async () => {
    const h = await server();
    await h.run('new-session', '-d', '-s', 'other');
    const c = await connect(h, 'main');
    const reasons: string[] = [];
    c.onExit((r) => reasons.push(r));
    await h.run('kill-session', '-t', 'main');
    await waitFor(() => reasons.length === 1, 5000, 'control client exit after kill-session');
    expect(c.isExited).toBe(true);
    await expect(c.command('display-message -p x')).rejects.toBeInstanceOf(TmuxError);
    expect(await h.run('list-sessions', '-F', '#{session_name}')).toBe('other\n');

    const c2 = await connect(h);
    const reasons2: string[] = [];
    c2.onExit((r) => reasons2.push(r));
    // A command still waiting when the client process dies is rejected, not left hanging.
    const c3 = await connect(h);
    // tmux 3.3a answers wait-for at once but holds this client's queue: the next command waits.
    await c3.command('wait-for fk-never-signalled');
    const pending = c3.command('display-message -p held');
    await sleep(200);
    const c3pid = (await h.run('list-clients', '-F', '#{client_pid} #{client_control_mode}'))
      .split('\n')[1]
      ?.split(' ')[0];
    process.kill(Number(c3pid), 'SIGKILL');
    await expect(pending).rejects.toMatchObject({ reason: 'no-server' });
    await expect(pending).rejects.toThrow(
      /exited \(tmux control client exited \(code \d+, signal 9\)\) before answering display-message -p held/,
    );

    execFileSync('tmux', ['-L', h.socket, 'kill-server'], { env });
    await waitFor(() => reasons2.length === 1, 5000, 'control client exit after kill-server');
    await expect(c2.command('display-message -p x')).rejects.toMatchObject({ reason: 'no-server' });
    console.log(
      `exit reasons: kill-session → ${JSON.stringify(reasons[0])}, kill-server → ${JSON.stringify(reasons2[0])}`,
    );
  });
});
