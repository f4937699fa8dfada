import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { join, relative } from 'node:path';
import { chromium } from 'playwright-core';
import { renderAll, sha256, crc32, PNG_SIGNATURE, COLOURS, ICO_SIZES, LINUX_SIZES } from './icons.js';

const DIR = join(import.meta.dirname, 'icons');
const rendered = renderAll();

function decodePng(buf: Buffer): { width: number; height: number; rgba: Buffer } {
  expect(buf.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  let off = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const body = buf.subarray(off + 8, off + 8 + len);
    expect(buf.readUInt32BE(off + 8 + len), `${type} crc`).toBe(crc32(buf.subarray(off + 4, off + 8 + len)));
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([body[8], body[9], body[12]]).toEqual([8, 6, 0]);
    }
    if (type === 'IDAT') idat.push(body);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe((width * 4 + 1) * height);
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    raw.copy(rgba, y * width * 4, y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1));
  }
  return { width, height, rgba };
}

function icoEntries(buf: Buffer): { size: number; png: Buffer }[] {
  expect([buf.readUInt16LE(0), buf.readUInt16LE(2)]).toEqual([0, 1]);
  return Array.from({ length: buf.readUInt16LE(4) }, (_, i) => {
    const e = 6 + 16 * i;
    const size = buf[e] === 0 ? 256 : buf[e]!;
    expect(buf.readUInt16LE(e + 6)).toBe(32);
    return { size, png: buf.subarray(buf.readUInt32LE(e + 12), buf.readUInt32LE(e + 12) + buf.readUInt32LE(e + 8)) };
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) =>
    statSync(join(dir, f)).isDirectory() ? listFiles(join(dir, f)) : [join(dir, f)],
  );
}

describe('icon assets', () => {
  it('regenerates byte-identical to what is committed (hash per file, and nothing extra)', () => {
    const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Record<string, string>;
    const fresh = Object.fromEntries([...rendered].map(([k, v]) => [k, sha256(v)]));
    expect(fresh).toEqual(manifest);
    for (const [rel, hash] of Object.entries(manifest)) expect(sha256(readFileSync(join(DIR, rel))), rel).toBe(hash);
    const onDisk = listFiles(DIR)
      .map((f) => relative(DIR, f))
      .filter((f) => f !== 'manifest.json')
      .sort();
    expect(onDisk).toEqual(Object.keys(manifest).sort());
  });

  it('has every size each platform wants, as valid PNGs of that size', () => {
    for (const c of COLOURS) {
      for (const s of LINUX_SIZES) {
        expect(decodePng(rendered.get(`linux/tray-${c}-${s}.png`)!).width).toBe(s);
        expect(decodePng(rendered.get(`linux/tray-${c}-${s}@2x.png`)!).width).toBe(2 * s);
      }
      expect(decodePng(rendered.get(`mac/tray-${c}Template.png`)!).width).toBe(16);
      expect(decodePng(rendered.get(`mac/tray-${c}Template@2x.png`)!).width).toBe(32);
      const ico = icoEntries(rendered.get(`win/tray-${c}.ico`)!);
      expect(ico.map((e) => e.size)).toEqual([...ICO_SIZES]);
      for (const e of ico) expect(decodePng(e.png)).toMatchObject({ width: e.size, height: e.size });
    }
    expect(decodePng(rendered.get('app/icon-1024.png')!).width).toBe(1024);
    expect(decodePng(rendered.get('app/icon-512.png')!).width).toBe(512);
  });

  it('makes macOS template images black + alpha only', () => {
    for (const c of COLOURS) {
      const { rgba } = decodePng(rendered.get(`mac/tray-${c}Template@2x.png`)!);
      let opaque = 0;
      for (let i = 0; i < rgba.length; i += 4) {
        expect(rgba[i]! + rgba[i + 1]! + rgba[i + 2]!).toBe(0);
        if (rgba[i + 3] === 255) opaque++;
      }
      expect(opaque).toBeGreaterThan(50);
    }
  });

  it('tells the states apart by shape, not only colour (template alpha differs pairwise)', () => {
    const alpha = COLOURS.map((c) =>
      decodePng(rendered.get(`mac/tray-${c}Template@2x.png`)!).rgba.filter((_, i) => i % 4 === 3),
    );
    for (let a = 0; a < alpha.length; a++) {
      for (let b = a + 1; b < alpha.length; b++) {
        let diff = 0;
        for (let i = 0; i < alpha[a]!.length; i++) diff += Math.abs(alpha[a]![i]! - alpha[b]![i]!) > 128 ? 1 : 0;
        expect(diff, `${COLOURS[a]} vs ${COLOURS[b]}`).toBeGreaterThan(40);
      }
    }
  });

  it('paints the inside of each colour icon in its colour', () => {
    // A point inside the disc, off the "!" cut-out; for the hollow grey ring, the same point is empty.
    const centre = (c: string): number[] => {
      const { rgba, width } = decodePng(rendered.get(`linux/tray-${c}-48.png`)!);
      const i = (Math.floor(width * 0.7) * width + Math.floor(width * 0.35)) * 4;
      return [...rgba.subarray(i, i + 4)];
    };
    expect(centre('green')).toEqual([46, 160, 67, 255]);
    expect(centre('amber')).toEqual([210, 153, 34, 255]);
    expect(centre('red')).toEqual([218, 54, 51, 255]);
    expect(centre('grey')[3]).toBe(0);
  });

  // An independent decoder: Chromium must read every PNG and every ICO at the right size.
  it.skipIf(!existsSync('/usr/bin/chromium'))('decodes in real Chromium (PNG and ICO)', async () => {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const files = [...rendered].filter(([k]) => k.endsWith('.png') || k.endsWith('.ico'));
      const sizes = await page.evaluate(
        async (items) => {
          const out: Record<string, [number, number]> = {};
          for (const [name, b64] of items) {
            const img = new Image();
            img.src = `data:${name.endsWith('.ico') ? 'image/x-icon' : 'image/png'};base64,${b64}`;
            await img.decode();
            out[name] = [img.naturalWidth, img.naturalHeight];
          }
          return out;
        },
        files.map(([k, v]) => [k, v.toString('base64')] as [string, string]),
      );
      for (const [name] of files) {
        const m = /-(\d+)(@2x)?\.png$|Template(@2x)?\.png$|icon-(\d+)\.png$/.exec(name);
        if (name.endsWith('.ico')) expect(sizes[name]![0], name).toBeGreaterThanOrEqual(16);
        else if (m?.[1]) expect(sizes[name], name).toEqual(Array(2).fill(Number(m[1]) * (m[2] ? 2 : 1)));
        else if (m?.[4]) expect(sizes[name], name).toEqual([Number(m[4]), Number(m[4])]);
        else expect(sizes[name], name).toEqual(Array(2).fill(m?.[3] ? 32 : 16));
      }
    } finally {
      await browser.close();
    }
  });
});
