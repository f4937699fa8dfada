import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, copyFile, writeFile, symlink, rm, chmod } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import yaml from 'js-yaml';

const require = createRequire(import.meta.url);
const here = import.meta.dirname;
const configText = readFileSync(join(here, 'electron-builder.yml'), 'utf8');
const config = yaml.load(configText) as Record<string, unknown>;

let validate: ValidateFunction;
beforeAll(() => {
  // electron-builder's own schema, the one it validates configs with at build time.
  const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
  validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
});

const errorsOf = (c: unknown): string[] =>
  validate(c) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);

describe('build/electron-builder.yml', () => {
  it('validates against app-builder-lib/scheme.json', () => {
    expect(errorsOf(config)).toEqual([]);
  });

  it.each([
    ['a typo’d top-level key', { ...config, asarUnpak: ['x'] }, /additionalProperty":"asarUnpak"/],
    [
      'a typo’d nested key',
      { ...config, linux: { ...(config.linux as object), catgory: 'Utility' } },
      /additionalProperty":"catgory"/,
    ],
    ['a wrong type', { ...config, asarUnpack: 42 }, /must be/],
  ])('fails on %s', (_what, bad, message) => {
    const errors = errorsOf(bad);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(message);
  });

  it('builds AppImage + deb and dmg (no Windows target), keeps node-pty and the CLI out of the asar, ships the CLI wrapper and tray icons', () => {
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config.mac as { target: string }).target).toBe('dmg');
    expect(config.win).toBeUndefined();
    expect(config.nsis).toBeUndefined();
    const unpack = config.asarUnpack as string[];
    for (const p of ['node_modules/node-pty/**', 'bin/**', 'dist/main/**', 'package.json']) expect(unpack).toContain(p);
    expect(config.extraResources).toContainEqual({ from: 'build/bin', to: 'bin' });
    expect(config.extraResources).toContainEqual(expect.objectContaining({ from: 'build/icons', to: 'icons' }));
    const pkg = JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')) as { main: string };
    expect(config.files).toContain(pkg.main.replace(/main\/electron-main\/main\.js$/, 'main/**/*.js'));
  });
});

describe('electron fuses (issue 12, finding 6)', () => {
  it('keep RunAsNode for the CLI wrapper, turn off NODE_OPTIONS and the inspect arguments, and pass the schema', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
    });
    expect(
      errorsOf({ ...config, electronFuses: { ...(config.electronFuses as object), runAsNod: true } }).join('\n'),
    ).toMatch(/additionalProperty":"runAsNod"/);
  });
});

describe('build/bin/fleetkeeper (the packaged CLI wrapper)', () => {
  let root: string;
  beforeAll(async () => {
    // The installed layout: <root>/fleetkeeper (the app binary; here real Node, which ignores
    // ELECTRON_RUN_AS_NODE the way Electron honours it), <root>/resources/bin/fleetkeeper,
    // <root>/resources/app.asar.unpacked/bin/fleetkeeper.js.
    root = await mkdtemp(join(tmpdir(), 'fk-packaged app-'));
    await mkdir(join(root, 'resources', 'bin'), { recursive: true });
    await mkdir(join(root, 'resources', 'app.asar.unpacked', 'bin'), { recursive: true });
    await copyFile(join(here, 'bin', 'fleetkeeper'), join(root, 'resources', 'bin', 'fleetkeeper'));
    await chmod(join(root, 'resources', 'bin', 'fleetkeeper'), 0o755);
    await symlink(process.execPath, join(root, 'fleetkeeper'));
    await writeFile(
      join(root, 'resources', 'app.asar.unpacked', 'bin', 'fleetkeeper.js'),
      'process.stdout.write(JSON.stringify({ argv: process.argv.slice(1), runAsNode: process.env.ELECTRON_RUN_AS_NODE }))',
    );
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('runs the unpacked CLI with the app binary as Node, passing arguments through intact', () => {
    const out = execFileSync(join(root, 'resources', 'bin', 'fleetkeeper'), ['hook', 'session-start', 'a b "c"'], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      argv: [join(root, 'resources', 'app.asar.unpacked', 'bin', 'fleetkeeper.js'), 'hook', 'session-start', 'a b "c"'],
      runAsNode: '1',
    });
  });

  it('fails with a reason when there is no app binary next to it', async () => {
    await rm(join(root, 'fleetkeeper'));
    expect(() =>
      execFileSync(join(root, 'resources', 'bin', 'fleetkeeper'), [], { encoding: 'utf8', stdio: 'pipe' }),
    ).toThrow(/no app binary found/);
  });
});
