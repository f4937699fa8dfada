import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TmuxHarness, waitFor } from './helpers/tmux-harness.js';
import { runCli, json } from './helpers/cli.js';
import type { PlannedPane } from '../main/common/restore/plan.js';

// The hostile-input suite for the relaunch line (issue 9): launch arguments and variable values
// with spaces, quotes, $(), backticks, ';' and unicode come back byte for byte through the real
// bash in a real tmux pane; a value with a control character is never typed (the pane is a
// shell, the plan says why) and canaries prove nothing ran. A Claude-like process that keeps its
// own sessions/<pid>.json stands in for Claude (no hooks at all): it is adopted from that file at
// the save and verified from the new one after the restore.

const FAKE = fileURLToPath(new URL('./helpers/fake-claude-bin/claude', import.meta.url));
const HOSTILE_ARG = `it's "quoted" $(touch pwned-arg) \`touch pwned-tick\`; echo x | back\\slash\\\\ é 日本 🚀`;
const HOSTILE_VAL = `v a l 'q' $(touch pwned-env) \`touch pwned-env2\`; ünï ends with \\`;

let root: string;
let env: NodeJS.ProcessEnv;
let tmux: TmuxHarness;
const cli = (args: string[]) => runCli([...args, '--socket', tmux.socket], env);
const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

interface Run {
  argv: string[];
  env: Record<string, string>;
  sessionId: string;
}
const runs = (): Run[] =>
  existsSync(join(root, 'runs.jsonl'))
    ? readFileSync(join(root, 'runs.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Run)
    : [];

async function type(pane: string, text: string): Promise<void> {
  await tmux.run('send-keys', '-t', pane, '-l', text);
  await tmux.run('send-keys', '-t', pane, 'Enter');
}

// The restored server runs each shell in turn (the line must read the same in all three); the
// original panes run bash, where the test types its own launch lines.
for (const shell of ['bash', 'zsh', 'fish'])
  describe(`hostile launch arguments and variable values through a restore into ${shell}`, () => {
    beforeAll(() => {
      root = mkdtempSync('/tmp/fk-hostile-agent-');
      mkdirSync(join(root, 'home'));
      // fish generates completions in the background on its first start unless this exists.
      mkdirSync(join(root, 'home', '.local', 'share', 'fish', 'generated_completions'), { recursive: true });
      mkdirSync(join(root, 'work dir $x'), { recursive: true });
      env = {
        ...process.env,
        HOME: join(root, 'home'),
        FLEETKEEPER_HOME: join(root, 'state'),
        FAKE_CLAUDE_LOG: join(root, 'runs.jsonl'),
      };
      delete env.TMUX;
      delete env.TMUX_PANE;
      delete env.FLEETKEEPER_CLAUDE_BIN;
      for (const k of Object.keys(env)) if (k.startsWith('FK_')) delete env[k];
      tmux = new TmuxHarness(env);
    });

    afterAll(async () => {
      await tmux?.kill();
      rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    });

    it('types every word back exactly, and nothing with a control character', async () => {
      const work = join(root, 'work dir $x');
      const conf = join(root, "conf 'dir'");
      await tmux.run('new-session', '-d', '-s', 'h', '-n', 'a', '-x', '160', '-y', '40', '-c', work, 'bash');
      await tmux.run('new-window', '-t', 'h:', '-n', 'b', '-c', work, 'bash');
      const [p1, p2] = (await tmux.run('list-panes', '-s', '-t', 'h', '-F', '#{pane_id}')).split('\n').filter(Boolean);
      expect((await cli(['role', 'hostile', '--pane', p1!])).code).toBe(0);
      expect((await cli(['role', 'control', '--pane', p2!])).code).toBe(0);
      expect((await cli(['config', 'set', 'claudeEnv', '["FK_V","FK_CTRL"]'])).code).toBe(0);

      await type(
        p1!,
        `CLAUDE_CONFIG_DIR=${sq(conf)} FK_V=${sq(HOSTILE_VAL)} ${FAKE} --append-system-prompt ${sq(HOSTILE_ARG)} --name ${sq('é 日本 🚀')} --model opus`,
      );
      await type(p2!, `CLAUDE_CONFIG_DIR=${sq(conf)} FK_CTRL=$'one\\ntwo' ${FAKE} --model opus`);
      await waitFor(() => runs().length === 2, 60_000, 'both Claude-like processes running');
      // The two start in either order: tell them apart by their variables.
      const first = runs().find((r) => r.env.FK_V !== undefined);
      const second = runs().find((r) => r.env.FK_CTRL !== undefined);
      expect(first!.argv).toEqual(['--append-system-prompt', HOSTILE_ARG, '--name', 'é 日本 🚀', '--model', 'opus']);
      expect(first!.env.FK_V).toBe(HOSTILE_VAL);
      expect(second!.env.FK_CTRL).toBe('one\ntwo');

      const saved = await cli(['save', '--json']);
      expect(saved.code, saved.stderr).toBe(0);
      await tmux.kill();
      // The restore starts a new server: it reads this, and its panes run the shell under test.
      writeFileSync(join(root, 'home', '.zshrc'), '');
      writeFileSync(join(root, 'home', '.tmux.conf'), `set -g default-shell /usr/bin/${shell}\n`);

      const dry = json<{ plan: { sessions: Array<{ windows: Array<{ panes: PlannedPane[] }> }> } }>(
        await cli(['restore', '--dry-run', '--json']),
      );
      const planned = new Map(
        dry.plan.sessions.flatMap((s) => s.windows.flatMap((w) => w.panes)).map((p) => [p.role, p]),
      );
      expect(planned.get('hostile')?.action).toBe('resume');
      expect(planned.get('hostile')?.sessionId).toBe(first!.sessionId);
      expect(planned.get('control')?.action).toBe('shell');
      expect(planned.get('control')?.reason).toMatch(/variable FK_CTRL contains a control character \(\\x0a\)/);

      const restored = await cli(['restore', '--json', '--verify-timeout', '60']);
      const report = json<{ ok: boolean; verification: Array<{ role: string; status: string; via?: string }> }>(
        restored,
      );
      expect(report.verification, restored.stdout).toEqual([
        expect.objectContaining({ role: 'hostile', status: 'verified', via: 'claude-registry' }),
      ]);
      expect(report.ok).toBe(true);
      await waitFor(() => runs().length === 3, 30_000, 'the relaunch');
      const again = runs().filter((r) => r.env.FK_V !== undefined)[1]!;
      expect(again.argv).toEqual([...first!.argv, '--resume', first!.sessionId]);
      expect(again.env).toEqual({ CLAUDE_CONFIG_DIR: conf, FK_V: HOSTILE_VAL });
      // Nothing was run by the shell from the data, and the control pane typed nothing.
      await new Promise((r) => setTimeout(r, 1000));
      expect(runs()).toHaveLength(3);
      for (const dir of [work, join(root, 'home'), root])
        expect(
          readdirSync(dir).filter((f) => f.startsWith('pwned')),
          dir,
        ).toEqual([]);
    }, 300_000);
  });
