import { isAbsolute } from 'node:path';
import type { Output } from '../output.js';
import type { CliContext } from '../context.js';
import { doctorExitCode, formatChecks } from '../../common/doctor/checks.js';
import { runDoctor } from '../../node/doctor/gather.js';
import { currentHost } from '../../node/service/user-service.js';

/** `fleetkeeper doctor`: one screen of checks, each failure with its fix; exit 0 only when all applicable pass. */
export async function doctorCommand(ctx: CliContext, out: Output): Promise<number> {
  const host = currentHost(ctx.env);
  const checks = await runDoctor({
    paths: ctx.paths,
    target: ctx.target,
    settings: ctx.settings.get(),
    claudeSettingsPath: ctx.claudeSettingsPath,
    hookCommands: ctx.hookCommands,
    host: { ...host, home: isAbsolute(host.home) ? host.home : '/' },
    clock: ctx.clock,
  });
  const code = doctorExitCode(checks);
  out.result({ ok: code === 0, checks }, formatChecks(checks));
  return code;
}
