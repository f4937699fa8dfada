import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TmuxHarness } from './helpers/tmux-harness.js';
import { json, runCli } from './helpers/cli.js';

// The completion scripts in the real shells, against an isolated state dir with real
// snapshots and a real tmux server: the candidates come from the CLI at TAB time.

const execFileP = promisify(execFile);
let root: string;
let env: NodeJS.ProcessEnv;
let tmux: TmuxHarness;
let snapshotId: string;
const scripts: Record<string, string> = {};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fk-completion-'));
  mkdirSync(join(root, 'home'));
  mkdirSync(join(root, 'files'));
  writeFileSync(join(root, 'files', 'tmux_resurrect_1.txt'), '');
  env = {
    ...process.env,
    FLEETKEEPER_HOME: join(root, 'state'),
    CLAUDE_CONFIG_DIR: join(root, 'claude'),
    HOME: join(root, 'home'),
    SHELL: '/bin/sh',
  };
  for (const k of ['TMUX', 'TMUX_PANE']) delete env[k];
  tmux = new TmuxHarness(env);
  env.FLEETKEEPER_TMUX_SOCKET = tmux.socket;
  await tmux.run('-f', '/dev/null', 'new-session', '-d', '-s', 'work', '-x', '100', '-y', '30');
  await tmux.run('split-window', '-t', 'work');
  await tmux.run('new-session', '-d', '-s', 'play');
  const saved = await runCli(['save', '--json'], env);
  snapshotId = json<{ id: string }>(saved).id;
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await runCli(['completion', shell], env);
    expect(r.code).toBe(0);
    scripts[shell] = join(root, `completion.${shell}`);
    writeFileSync(scripts[shell], r.stdout);
  }
}, 60_000);

afterAll(async () => {
  await tmux.kill();
  rmSync(root, { recursive: true, force: true });
});

/** Runs the bash completion function as bash does at TAB, for `line` (cursor at its end). */
async function bashComplete(line: string, shellEnv: NodeJS.ProcessEnv = env): Promise<string[]> {
  const words = line.split(' ');
  const program = [
    `source ${JSON.stringify(scripts.bash)}`,
    'COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}',
    'read -ra COMP_WORDS <<<"$COMP_LINE"; [[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")',
    'COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))',
    '_fleetkeeper',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const { stdout } = await execFileP('bash', ['--norc', '-c', program, 'bash', line], {
    env: shellEnv,
    cwd: join(root, 'files'),
  });
  void words;
  return stdout.split('\n').filter((l) => l !== '');
}

describe('shell completion', () => {
  it('bash: registered with complete, and completes commands, verbs, options, snapshot ids, panes, roles, sessions, files', async () => {
    const { stdout } = await execFileP('bash', ['--norc', '-c', `source ${scripts.bash}; complete -p fleetkeeper`], {
      env,
    });
    expect(stdout.trim()).toMatch(/^complete .*-F _fleetkeeper fleetkeeper$/);

    expect(await bashComplete('fleetkeeper res')).toEqual(['restore']);
    expect(await bashComplete('fleetkeeper hooks ')).toEqual(['install', 'uninstall', 'status']);
    expect(await bashComplete('fleetkeeper restore --d')).toEqual(['--dry-run']);
    expect(await bashComplete('fleetkeeper restore ')).toEqual([snapshotId]);
    expect(await bashComplete('fleetkeeper completion ')).toEqual(['bash', 'zsh', 'fish']);
    const panes = await bashComplete('fleetkeeper role --pane ');
    expect(panes).toEqual(expect.arrayContaining(['%0', 'work:0.0', 'work:0.1', 'play:0.0']));
    // bash splits words at ':': the candidate is what follows it.
    expect(await bashComplete('fleetkeeper role --pane work:0.')).toEqual(['0.0', '0.1']);
    const roles = (await tmux.run('list-panes', '-a', '-F', '#{@fleetkeeper-role}')).trim().split('\n');
    expect(await bashComplete('fleetkeeper role ')).toEqual([...roles].sort());
    expect(await bashComplete('fleetkeeper restore --session p')).toEqual(['play']);
    expect(await bashComplete('fleetkeeper import-resurrect tmux_')).toEqual(['tmux_resurrect_1.txt']);
    // Typed in a pane (no socket named): the pane's own server, from $TMUX.
    const sock = (await tmux.run('display', '-p', '#{socket_path}')).trim();
    const inPane: NodeJS.ProcessEnv = { ...env, TMUX: `${sock},1,0`, TMUX_PANE: '%0' };
    delete inPane.FLEETKEEPER_TMUX_SOCKET;
    expect((await bashComplete('fleetkeeper restore --session ', inPane)).sort()).toEqual(['play', 'work']);
    // Hidden commands are not offered; stray positions offer nothing.
    expect(await bashComplete('fleetkeeper __')).toEqual([]);
    expect(await bashComplete('fleetkeeper save ')).toEqual([]);
  }, 60_000);

  it('zsh: the script parses, and a real completion widget offers the candidates', async () => {
    await execFileP('zsh', ['-n', scripts.zsh as string], { env });
    // A real zsh completion run: compinit, the script, then zpty drives an interactive shell
    // whose line editor runs _fleetkeeper on TAB.
    const program = `
zmodload zsh/zpty
zpty -b z 'zsh -f -i'
zpty -w z 'PS1=">"; autoload -Uz compinit; compinit -u -D; source ${scripts.zsh}; setopt nobeep; zstyle ":completion:*" list-prompt ""; zstyle ":completion:*" menu no'
zpty -w -n z $'fleetkeeper hoo\\t'
sleep 2
zpty -w -n z $'\\n'
sleep 1
out=""; while zpty -r -t z line; do out+="$line"; done
print -r -- "$out"
zpty -d z
`;
    const { stdout } = await execFileP('zsh', ['-f', '-c', program], { env, timeout: 30_000 });
    expect(stdout).toMatch(/fleetkeeper hooks/);
  }, 60_000);

  it('fish: the script parses, and complete -C asks the CLI', async () => {
    await execFileP('fish', ['--no-execute', scripts.fish as string], { env });
    const query = async (line: string) =>
      (
        await execFileP('fish', ['--no-config', '-c', `source ${scripts.fish}; complete -C ${JSON.stringify(line)}`], {
          env,
        })
      ).stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => l.split('\t')[0]);
    expect(await query('fleetkeeper res')).toEqual(['restore']);
    expect(await query('fleetkeeper restore ')).toEqual([snapshotId]);
    expect(await query('fleetkeeper restore --session ')).toEqual(expect.arrayContaining(['work', 'play']));
  }, 60_000);
});
