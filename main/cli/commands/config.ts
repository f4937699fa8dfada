import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import {
  findSettingKey,
  formatSettingValue,
  setPatch,
  settingKeys,
  unsetPatch,
  valueAt,
} from '../../common/settings/setting-keys.js';
import type { Settings } from '../../common/settings/settings-model.js';

export type ConfigVerb = 'list' | 'get' | 'set' | 'unset';

function row(s: Settings, key: string, def: unknown) {
  const value = valueAt(s, key);
  return { key, value, default: def, isDefault: JSON.stringify(value) === JSON.stringify(def) };
}

/**
 * `fleetkeeper config`: the one settings model (the dashboard edits the same file) as dotted
 * keys. set/unset are quiet on success; a running daemon or app picks the change up on its
 * next watchdog tick (it re-reads settings.json there).
 */
export async function configCommand(
  ctx: CliContext,
  out: Output,
  verb: ConfigVerb,
  key?: string,
  value?: string,
): Promise<number> {
  switch (verb) {
    case 'list': {
      const s = ctx.settings.get();
      const rows = settingKeys().map((k) => row(s, k.key, k.default));
      const width = Math.max(...rows.map((r) => r.key.length));
      out.result({ settings: s, keys: rows }, () =>
        rows
          .map((r) => `${r.key.padEnd(width)}  ${formatSettingValue(r.value)}${r.isDefault ? '  (default)' : ''}`)
          .join('\n'),
      );
      return 0;
    }
    case 'get': {
      const k = findSettingKey(key ?? '');
      const r = row(ctx.settings.get(), k.key, k.default);
      out.result(r, formatSettingValue(r.value));
      return 0;
    }
    case 'set':
    case 'unset': {
      const patch = verb === 'set' ? setPatch(key ?? '', value ?? '') : unsetPatch(key ?? '');
      const k = findSettingKey(key ?? '');
      const next = ctx.settings.update(patch);
      out.result({ ok: true, ...row(next, k.key, k.default) }, '');
      return 0;
    }
  }
}
