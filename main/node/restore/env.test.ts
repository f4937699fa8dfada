import { describe, it, expect, afterEach } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runTmux, type TmuxTarget } from '../tmux/exec.js';
import { gatherPlanEnv } from './env.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function killServer(t: TmuxTarget): Promise<void> {
  const pid = Number(await runTmux(t, ['display-message', '-p', '#{pid}']).catch(() => '0'));
  await runTmux(t, ['kill-server']).catch(() => undefined);
  for (let i = 0; pid > 0 && i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('gatherPlanEnv', () => {
  it('with no server: nothing exists, nothing is live', async () => {
    const env = await gatherPlanEnv(
      { socketName: `fk-env-none-${randomBytes(4).toString('hex')}` },
      { HOME: '/home/someone' },
    );
    expect(env.existingSessions.size).toBe(0);
    expect(env.liveRoles.size).toBe(0);
    expect(env.home).toBe('/home/someone');
  });

  it('reads live sessions and roles in one call, checks the file system, titles transcripts', async () => {
    const t: TmuxTarget = { socketName: `fk-env-${randomBytes(4).toString('hex')}` };
    cleanups.push(() => killServer(t));
    // Panes run a plain /bin/sh: the machine's login profile is not part of this test.
    const shell = process.env.SHELL;
    process.env.SHELL = '/bin/sh';
    cleanups.push(() => void (shell === undefined ? delete process.env.SHELL : (process.env.SHELL = shell)));
    const [, split, other] = (
      await runTmux(t, [
        'new-session',
        '-d',
        '-s',
        'a $b',
        '-P',
        '-F',
        '#{pane_id}',
        ';',
        'split-window',
        '-d',
        '-P',
        '-F',
        '#{pane_id}',
        ';',
        'new-session',
        '-d',
        '-s',
        'other',
        '-P',
        '-F',
        '#{pane_id}',
      ])
    )
      .trim()
      .split('\n') as [string, string, string];
    await runTmux(t, [
      'set',
      '-p',
      '-t',
      split,
      '@fleetkeeper-role',
      'api',
      ';',
      'set',
      '-p',
      '-t',
      other,
      '@fleetkeeper-role',
      'x\ty',
    ]);
    const root = mkdtempSync(join(tmpdir(), 'fk-env-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, 'd'));
    const tr = join(root, 't.jsonl');
    writeFileSync(tr, `${JSON.stringify({ type: 'user', message: { content: 'deploy the thing' } })}\n`);

    const env = await gatherPlanEnv(t, { HOME: root });
    expect([...env.existingSessions].sort()).toEqual(['a \\$b', 'other']); // as tmux stores them ('$' before a letter is escaped)
    expect([...env.liveRoles].sort()).toEqual(['api', 'x\ty']);
    expect(env.dirExists(join(root, 'd'))).toBe(true);
    expect(env.dirExists(tr)).toBe(false);
    expect(env.transcriptExists(tr)).toBe(true);
    expect(env.transcriptExists(join(root, 'd'))).toBe(false);
    expect(env.transcriptExists(join(root, 'nope'))).toBe(false);
    expect(env.titleOf(tr)).toBe('deploy the thing');
  });
});
