import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { hooksStatus, installHooks, uninstallHooks } from '../../node/claude/settings-file.js';
import { InvalidInputError } from '../../common/base/errors.js';

export async function hooksCommand(ctx: CliContext, out: Output, verb: string | undefined): Promise<number> {
  const path = ctx.claudeSettingsPath;
  switch (verb) {
    case 'status': {
      const s = await hooksStatus(path, ctx.hookCommands);
      out.result({ ...s, commands: ctx.hookCommands }, `${s.state}: ${s.detail} (${s.settingsPath})`);
      return s.state === 'installed' ? 0 : 1;
    }
    case 'install': {
      const r = await installHooks(path, ctx.hookCommands);
      out.result(
        { ...r, settingsPath: path, commands: ctx.hookCommands },
        r.changed
          ? `installed Fleetkeeper hooks in ${path}${r.backupPath ? ` (backup: ${r.backupPath})` : ''}`
          : `already installed in ${path}; nothing changed`,
      );
      return 0;
    }
    case 'uninstall': {
      const r = await uninstallHooks(path);
      out.result(
        { ...r, settingsPath: path },
        r.changed
          ? `removed Fleetkeeper hooks from ${path}${r.backupPath ? ` (backup: ${r.backupPath})` : ''}`
          : `no Fleetkeeper hooks in ${path}; nothing changed`,
      );
      return 0;
    }
    default:
      throw new InvalidInputError(`hooks takes install, uninstall or status, got ${JSON.stringify(verb ?? '')}`);
  }
}
