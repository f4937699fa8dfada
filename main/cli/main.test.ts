import { describe, expect, it, vi } from 'vitest';

describe('main/cli/main.ts', () => {
  it('defines runCli and runs nothing when imported (bin/fleetkeeper.js runs it through cli-entry.ts)', async () => {
    const before = process.exitCode;
    const out = vi.spyOn(process.stdout, 'write');
    const err = vi.spyOn(process.stderr, 'write');
    const mod = await import('./main.js');
    expect(typeof mod.runCli).toBe('function');
    expect(process.exitCode).toBe(before);
    expect(out).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
    out.mockRestore();
    err.mockRestore();
  });
});
