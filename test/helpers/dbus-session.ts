import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why a real D-Bus test cannot run here, or null when dbus-daemon and notify-send exist. */
export function dbusSkipReason(): string | null {
  if (process.platform !== 'linux') return `D-Bus notifications are Linux-only (this is ${process.platform})`;
  for (const bin of ['dbus-daemon', 'notify-send']) {
    try {
      execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    } catch {
      return `${bin} is not installed`;
    }
  }
  return null;
}

/**
 * A private session bus: its own dbus-daemon with a config that has no service dirs, so
 * nothing is ever auto-activated and the only notification server is the test's own.
 */
export interface DbusSession {
  address: string;
  pid: number;
  stop(): Promise<void>;
}

const CONFIG = (
  dir: string,
): string => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`;

export async function startDbusSession(timeoutMs = 10_000): Promise<DbusSession> {
  const dir = await fsp.mkdtemp(join(tmpdir(), 'fk-dbus-'));
  const config = join(dir, 'session.conf');
  await fsp.writeFile(config, CONFIG(dir));
  const child: ChildProcess = spawn('dbus-daemon', ['--config-file', config, '--print-address', '--nofork'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    }
    await fsp.rm(dir, { recursive: true, force: true });
  };
  try {
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      const timer = setTimeout(
        () => reject(new Error(`dbus-daemon printed no address in ${timeoutMs} ms: ${err}`)),
        timeoutMs,
      );
      child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        const nl = out.indexOf('\n');
        if (nl >= 0) {
          clearTimeout(timer);
          resolve(out.slice(0, nl).trim());
        }
      });
      child.once('error', (e) => reject(e));
      child.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}: ${err}`)));
    });
    return { address, pid: child.pid as number, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
