import type { CliContext } from '../context.js';
import type { Output } from '../output.js';
import { cliLauncherPath } from '../context.js';
import { readSaverState } from '../../node/daemon/saver-state.js';
import {
  currentHost,
  installService,
  serviceSpec,
  serviceStatus,
  uninstallService,
  type ServiceReport,
} from '../../node/service/user-service.js';

export type ServiceVerb = 'install' | 'uninstall' | 'status';

function describe(r: ServiceReport): string {
  const state = !r.installed
    ? 'not installed'
    : [
        'installed',
        r.enabled === null ? null : r.enabled ? 'enabled' : 'not enabled',
        r.active === null ? 'running: unknown' : r.active ? 'running' : 'not running',
      ]
        .filter(Boolean)
        .join(', ');
  return [`${r.file}: ${state} (${r.manager})`, ...r.todo.map((t) => `to start it, run: ${t}`), ...r.notes].join('\n');
}

/** `fleetkeeper service`: the headless daemon as a systemd user unit or a launchd agent. */
export async function serviceCommand(
  ctx: CliContext,
  out: Output,
  verb: ServiceVerb,
  flags: { force?: boolean } = {},
): Promise<number> {
  const host = currentHost(ctx.env);
  switch (verb) {
    case 'install': {
      const spec = serviceSpec(host, ctx.paths, ctx.target, { node: process.execPath, cli: cliLauncherPath() });
      const r = await installService(host, spec, flags.force === true);
      out.result({ ok: true, ...r, command: spec.argv, environment: spec.env }, describe(r));
      return 0;
    }
    case 'uninstall': {
      const r = await uninstallService(host);
      out.result(
        { ok: true, ...r },
        [r.removed.length ? `removed ${r.removed.join(', ')}` : 'not installed; nothing to remove', ...r.notes].join(
          '\n',
        ),
      );
      return 0;
    }
    case 'status': {
      const r = await serviceStatus(host);
      // Without a reachable user manager, say at least whether a saver holds the state dir.
      if (r.installed && r.active === null) {
        const saver = await readSaverState(ctx.paths);
        r.notes.push(`saver of ${ctx.paths.root}: ${saver.detail}`);
      }
      out.result(r, describe(r));
      return r.installed && r.enabled !== false && r.active !== false ? 0 : 1;
    }
  }
}
