// What capturePaneContents costs a save: the daemon's save of the same fleet with the setting
// off and on, interleaved, after every shell pane printed a screenful (so there is something to
// keep), with the size of the compressed sidecar.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../main/common/settings/settings-model.js';
import { runTmux } from '../main/node/tmux/exec.js';
import { contentsPath } from '../main/node/snapshot/pane-contents.js';
import { openDaemonSaver } from './measure-save.js';
import { interleave, median } from './stats.js';
import type { Fleet } from './fleet.js';

export interface ContentsFigures {
  offMs: number;
  onMs: number;
  sidecarBytes: number;
  panesKept: number;
}

export async function measureSaveContents(fleet: Fleet, opts: { reps: number }): Promise<ContentsFigures> {
  const panes = (await runTmux(fleet.target, ['list-panes', '-a', '-F', '#{pane_id}\t#{pane_current_command}']))
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'))
    .filter(([, cmd]) => cmd === 'bash')
    .map(([id]) => id as string);
  for (const p of panes)
    await runTmux(fleet.target, ['send-keys', '-t', p, 'seq -w 1 120; ls -la /usr/bin | head -40', 'Enter']);
  await new Promise((r) => setTimeout(r, 2000));
  const root = mkdtempSync(join(tmpdir(), 'fk-bench-contents-'));
  const off = await openDaemonSaver(fleet.target, join(root, 'off'));
  const on = await openDaemonSaver(fleet.target, join(root, 'on'), undefined, {
    ...DEFAULT_SETTINGS,
    capturePaneContents: true,
  });
  try {
    let last = null as Awaited<ReturnType<typeof on.save>> | null;
    const t = await interleave(
      {
        off: () => off.save(),
        on: async () => {
          last = await on.save();
        },
      },
      opts.reps,
      2,
    );
    const snap = last as Awaited<ReturnType<typeof on.save>> | null;
    const sidecarBytes = snap ? statSync(contentsPath(on.paths, snap.id)).size : 0;
    return { offMs: median(t.off), onMs: median(t.on), sidecarBytes, panesKept: snap?.paneContents?.panes ?? 0 };
  } finally {
    await off.dispose();
    await on.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}
