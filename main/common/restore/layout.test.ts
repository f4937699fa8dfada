import { describe, it, expect } from 'vitest';
import { layoutChecksum, layoutShape, layoutSize, parseLayout } from './layout.js';

// Captured from tmux 3.3a.
const NESTED = '8da8,160x40,0,0{40x40,0,0,0,39x40,41,0,3,79x40,81,0[79x20,81,0,1,79x19,81,21,2]}';
const TILED = '74f5,160x40,0,0[160x19,0,0{79x19,0,0,0,80x19,80,0,3},160x20,0,20{79x20,0,20,1,80x20,80,20,2}]';

describe('tmux layout strings', () => {
  it("computes tmux's checksum", () => {
    expect(layoutChecksum(NESTED.slice(5))).toBe('8da8');
    expect(layoutChecksum(TILED.slice(5))).toBe('74f5');
  });

  it('parses real layouts and counts their panes', () => {
    expect(parseLayout(NESTED)?.panes).toBe(4);
    expect(parseLayout(TILED)?.panes).toBe(4);
    expect(layoutSize(NESTED)).toEqual({ width: 160, height: 40 });
    const single = `${layoutChecksum('80x24,0,0,5')},80x24,0,0,5`;
    expect(parseLayout(single)?.panes).toBe(1);
  });

  it('refuses what tmux would refuse or crash on', () => {
    const bad = [
      'garbage',
      'x',
      '',
      'even-horizontal',
      NESTED.replace('8da8', '8da9'), // checksum
      `${layoutChecksum('80x24,0,0{40x24,0,0,1,40x24,41,0,2}')},80x24,0,0{40x24,0,0,1,40x24,41,0,2}`, // 40+1+40 != 80
      `${layoutChecksum('80x24,0,0{40x24,0,0,1,39x23,41,0,2}')},80x24,0,0{40x24,0,0,1,39x23,41,0,2}`, // height mismatch
      `${layoutChecksum('80x24,0,0,1;')},80x24,0,0,1;`,
      `${layoutChecksum('80x24,0,0')},80x24,0,0`,
      `${layoutChecksum('0x24,0,0,1')},0x24,0,0,1`,
    ];
    for (const l of bad) expect(parseLayout(l), l).toBeNull();
    expect(layoutSize('garbage')).toBeNull();
  });

  it('compares geometry without checksum and pane ids', () => {
    const renumbered = '0000,160x40,0,0{40x40,0,0,7,39x40,41,0,9,79x40,81,0[79x20,81,0,8,79x19,81,21,12]}';
    expect(layoutShape(NESTED)).toBe(layoutShape(renumbered));
    expect(layoutShape(NESTED)).toBe('160x40,0,0{40x40,0,0,39x40,41,0,79x40,81,0[79x20,81,0,79x19,81,21]}');
    expect(layoutShape(NESTED)).not.toBe(layoutShape(TILED));
  });
});
