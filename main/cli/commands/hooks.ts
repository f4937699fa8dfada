import { resolve } from 'node:path';
import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { installHooks, uninstallHooks, type SettingsChange } from '../../node/claude/settings-file.js';
import { hooksByDir, liveConfigDirs, snapshotConfigDirs } from '../../node/agent/config-dirs.js';
import { newestValidSnapshot } from '../../node/snapshot/store.js';
import { InvalidInputError } from '../../common/base/errors.js';

export interface HooksFlags {
  /** --config-dir DIR (repeatable): these dirs instead of the default one. */
  configDirs?: readonly string[];
  /** --all: every config dir seen in the fleet, and the default. */
  all?: boolean;
}

/** Every config dir a Claude of the fleet runs under: live now, or in the newest snapshot. */
async function fleetDirs(ctx: CliContext): Promise<string[]> {
  const snap = await newestValidSnapshot(ctx.paths).catch(() => null);
  return [...new Set([...(await liveConfigDirs(ctx.target)), ...snapshotConfigDirs(snap)])].sort();
}

function settingsPathOf(ctx: CliContext, dir: string): string {
  const defaultDir = ctx.claudeSettingsPath.replace(/\/settings\.json$/, '');
  return dir === defaultDir ? ctx.claudeSettingsPath : resolve(dir, 'settings.json');
}

export async function hooksCommand(
  ctx: CliContext,
  out: Output,
  verb: string | undefined,
  flags: HooksFlags = {},
): Promise<number> {
  const explicit = (flags.configDirs ?? []).map((d) => {
    if (d === '') throw new InvalidInputError('--config-dir needs a directory');
    return resolve(d);
  });
  if (explicit.length > 0 && flags.all === true)
    throw new InvalidInputError('--config-dir and --all cannot be combined: --all already covers every dir in use');
  const defaultDir = ctx.claudeSettingsPath.replace(/\/settings\.json$/, '');
  switch (verb) {
    case 'status': {
      const seen = await fleetDirs(ctx);
      const dirs = await hooksByDir(ctx.claudeSettingsPath, [...seen, ...explicit], ctx.hookCommands);
      const shown = explicit.length > 0 ? dirs.filter((d) => explicit.includes(d.configDir)) : dirs;
      const uncovered = shown.filter((d) => d.state !== 'installed');
      const main = shown.find((d) => d.configDir === defaultDir) ?? shown[0];
      out.result(
        {
          ...(main ?? {}),
          commands: ctx.hookCommands,
          configDirs: shown.map((d) => ({ ...d, inFleet: seen.includes(d.configDir) })),
          uncovered: uncovered.map((d) => d.configDir),
        },
        () =>
          shown
            .map(
              (d) =>
                `${d.state}: ${d.detail} (${d.settingsPath})${seen.includes(d.configDir) ? ' [in use by the fleet]' : ''}`,
            )
            .concat(
              uncovered.length > 0
                ? [
                    `not covered: ${uncovered.map((d) => d.configDir).join(', ')} — run: fleetkeeper hooks install --all`,
                  ]
                : [],
            )
            .join('\n'),
      );
      return uncovered.length === 0 ? 0 : 1;
    }
    case 'install':
    case 'uninstall': {
      const dirs =
        flags.all === true ? [defaultDir, ...(await fleetDirs(ctx))] : explicit.length > 0 ? explicit : [defaultDir];
      const results: Array<SettingsChange & { configDir: string; settingsPath: string }> = [];
      for (const dir of [...new Set(dirs)]) {
        const path = settingsPathOf(ctx, dir);
        const r = verb === 'install' ? await installHooks(path, ctx.hookCommands) : await uninstallHooks(path);
        results.push({ ...r, configDir: dir, settingsPath: path });
      }
      const line = (r: (typeof results)[number]): string =>
        verb === 'install'
          ? r.changed
            ? `installed Fleetkeeper hooks in ${r.settingsPath}${r.backupPath ? ` (backup: ${r.backupPath})` : ''}`
            : `already installed in ${r.settingsPath}; nothing changed`
          : r.changed
            ? `removed Fleetkeeper hooks from ${r.settingsPath}${r.backupPath ? ` (backup: ${r.backupPath})` : ''}`
            : `no Fleetkeeper hooks in ${r.settingsPath}; nothing changed`;
      // One dir: the same JSON as before (settingsPath, changed, backupPath); more: every one listed.
      const first = results[0];
      out.result(
        { ...(first ?? {}), commands: verb === 'install' ? ctx.hookCommands : undefined, configDirs: results },
        () => results.map(line).join('\n'),
      );
      return 0;
    }
    default:
      throw new InvalidInputError(`hooks takes install, uninstall or status, got ${JSON.stringify(verb ?? '')}`);
  }
}
