// Compiles the renderer and the preload from source into a temp dir with the project's own
// compiler options, and copies the static files beside them: the test always drives the
// current source, laid out exactly as `npm run build` lays out dist/.
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface DashboardBuild {
  outDir: string;
  rendererDir: string;
  preloadFile: string;
}

export function buildDashboard(outDir = mkdtempSync(join(tmpdir(), 'fk-dash-build-'))): DashboardBuild {
  const cfgPath = join(REPO, 'tsconfig.json');
  const cfg = ts.readConfigFile(cfgPath, (p) => ts.sys.readFile(p));
  if (cfg.error) throw new Error(ts.flattenDiagnosticMessageText(cfg.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(cfg.config, ts.sys, REPO);
  const rendererDir = join(REPO, 'renderer');
  const roots = [
    ...readdirSync(rendererDir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => join(rendererDir, f)),
    join(REPO, 'preload', 'preload.cts'),
  ];
  const program = ts.createProgram(roots, {
    ...parsed.options,
    outDir,
    rootDir: REPO,
    sourceMap: false,
    noEmitOnError: true,
  });
  const emitted = program.emit();
  const errors = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].filter(
    (d) => d.category === ts.DiagnosticCategory.Error,
  );
  if (errors.length > 0 || emitted.emitSkipped) {
    throw new Error(
      `dashboard does not compile:\n${ts.formatDiagnostics(errors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => REPO, getNewLine: () => '\n' })}`,
    );
  }
  const outRenderer = join(outDir, 'renderer');
  for (const f of ['index.html', 'styles.css']) copyFileSync(join(rendererDir, f), join(outRenderer, f));
  return { outDir, rendererDir: outRenderer, preloadFile: join(outDir, 'preload', 'preload.cjs') };
}
