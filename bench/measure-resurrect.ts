// tmux-resurrect's save.sh and restore.sh on the same fleet, when RESURRECT_DIR points at a
// checkout of it (never vendored here). Its scripts call plain `tmux`, so they reach our
// isolated server through $TMUX. Restore goes into a fresh server holding one session "0", as
// after a reboot; resurrect detects that ("from scratch") and removes it at the end.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runTmux, type TmuxTarget } from '../main/node/tmux/exec.js';
import { killServer, listRows, mismatches, newTarget, structure, type Fleet } from './fleet.js';
import { fmtMs, ratioRow, runOk, type BenchRow } from './stats.js';

export interface ResurrectResult {
  rows: BenchRow[];
  skipped: string | null;
}

export function resurrectSkipReason(dir: string | undefined): string | null {
  if (dir === undefined || dir === '')
    return 'RESURRECT_DIR is not set (point it at a tmux-resurrect checkout to compare)';
  if (!existsSync(join(dir, 'scripts', 'save.sh')) || !existsSync(join(dir, 'scripts', 'restore.sh')))
    return `RESURRECT_DIR=${dir} has no scripts/save.sh and scripts/restore.sh`;
  return null;
}

async function tmuxEnv(target: TmuxTarget): Promise<NodeJS.ProcessEnv> {
  const [sock, pid] = (await runTmux(target, ['display-message', '-p', '#{socket_path}\t#{pid}'])).trim().split('\t');
  return { ...process.env, TMUX: `${sock ?? ''},${pid ?? ''},0` };
}

export async function measureResurrect(
  fleet: Fleet,
  opts: { root: string; home: string; ours: { save: number; restore: number }; log: (l: string) => void },
): Promise<ResurrectResult> {
  const dir = process.env.RESURRECT_DIR;
  const skipped = resurrectSkipReason(dir);
  if (skipped !== null || dir === undefined) return { rows: [], skipped };
  const store = join(opts.root, 'store');
  mkdirSync(store, { recursive: true });
  const n = fleet.panes;
  opts.log(`fleet of ${n} panes: tmux-resurrect`);

  await runTmux(fleet.target, ['set', '-g', '@resurrect-dir', store]);
  const saveEnv = await tmuxEnv(fleet.target);
  const save = await runOk('bash', [join(dir, 'scripts', 'save.sh'), 'quiet'], { env: saveEnv, timeoutMs: 300_000 });

  const fresh = newTarget('resurrect');
  try {
    await runTmux(fresh, ['new-session', '-d', '-s', '0', ';', 'set', '-g', '@resurrect-dir', store]);
    const restore = await runOk('bash', [join(dir, 'scripts', 'restore.sh')], {
      env: await tmuxEnv(fresh),
      timeoutMs: 600_000,
    });
    await new Promise((r) => setTimeout(r, 500));
    const bad = mismatches(structure(await listRows(fleet.target)), structure(await listRows(fresh)))
      // resurrect does not know our pane roles: compare only what it claims to restore.
      .filter((m) => !sameButRole(m));
    const activeBad = bad.filter((m) => /"active":/.test(m)).length;
    return {
      skipped: null,
      rows: [
        ratioRow(
          `tmux-resurrect save.sh vs fleetkeeper save, ${n} panes`,
          opts.ours.save,
          save.ms,
          'resurrect save.sh',
          null,
        ),
        ratioRow(
          `tmux-resurrect restore.sh vs our restore, ${n} panes`,
          opts.ours.restore,
          restore.ms,
          'resurrect restore.sh',
          null,
          `resurrect: ${bad.length} mismatches (${activeBad} about the active pane/window), e.g. ${bad.slice(0, 2).join('; ') || 'none'}; restore took ${fmtMs(restore.ms)}`,
        ),
      ],
    };
  } finally {
    await killServer(fresh);
  }
}

/** True when a pane mismatch differs only in the role field. */
function sameButRole(m: string): boolean {
  const match = /want (\{.*\}) got (\{.*\})$/.exec(m);
  if (!match) return false;
  const a = JSON.parse(match[1] as string) as Record<string, unknown>;
  const b = JSON.parse(match[2] as string) as Record<string, unknown>;
  delete a.role;
  delete b.role;
  return JSON.stringify(a) === JSON.stringify(b);
}
