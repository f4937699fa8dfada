// The two entry points a shell starts often, pre-bundled after `tsc` (`npm run build`):
// - the CLI (dist/main/cli-bundle/): ES module chunks split at its lazy command imports, so a
//   command loads a handful of files instead of a graph of ~60 modules (module resolution and
//   loading was a third of `fleetkeeper save`'s own time). It sits at the same depth as
//   dist/main/cli/, so the paths it computes from import.meta.url (package.json, bin/) hold.
// - the Claude hook (dist/main/cli/hook.cjs): one CommonJS file; Claude waits for it. Written
//   last: test/helpers/dist-build.ts takes its mtime as the time of the whole build.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };

rmSync('dist/main/cli-bundle', { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ['main/cli/cli-entry.ts'],
  format: 'esm',
  splitting: true,
  // node-pty, conf and friends stay packages: native code and their own files.
  packages: 'external',
  outdir: 'dist/main/cli-bundle',
  chunkNames: 'chunk-[hash]',
});
await build({ ...common, entryPoints: ['main/cli/hook-entry.ts'], format: 'cjs', outfile: 'dist/main/cli/hook.cjs' });
