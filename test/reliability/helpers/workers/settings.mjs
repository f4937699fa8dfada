// Installs and uninstalls Fleetkeeper's hooks in a loop over one Claude settings file, as
// the CLI and the app do, until killed.   settings.mjs <settingsPath>
import { createInterface } from 'node:readline';
import { dist, say } from './common.mjs';

const { hookCommands, installHooks, uninstallHooks } = await import(`${dist}node/claude/settings-file.js`);
const cmds = hookCommands('/usr/bin/node', '/opt/fleetkeeper/bin/fleetkeeper.js');
say('ready');
const rl = createInterface({ input: process.stdin });
await new Promise((res) => rl.once('line', res));
say('started');
for (let i = 0; ; i++) {
  if (i % 2 === 0) await installHooks(process.argv[2], cmds);
  else await uninstallHooks(process.argv[2]);
  say(`did ${i % 2 === 0 ? 'install' : 'uninstall'}`);
}
