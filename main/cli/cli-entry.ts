// The CLI's process entry (bin/fleetkeeper.js imports it): runs the command line and sets the
// exit code. main.ts only defines runCli, so importing it runs nothing.
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2));
