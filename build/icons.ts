// Draws Fleetkeeper's tray and app icons with nothing but Node: shapes as signed distance
// fields with analytic anti-aliasing, PNG written by hand (zlib for deflate), ICO container
// written by hand. Same code + same Node = same bytes, so a test can regenerate and compare.
// Run: npx tsc -p tsconfig.json && node dist/build/icons.js [outDir]   (default build/icons)
//
// The state is in the SHAPE as well as the colour (colour-blind users, and macOS template
// images, which the system tints): fresh = solid disc, late/amber = ring half filled,
// red = disc with a "!" cut out, grey = hollow ring.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';

export type IconColour = 'green' | 'amber' | 'red' | 'grey';
export const COLOURS: readonly IconColour[] = ['green', 'amber', 'red', 'grey'];
export const LINUX_SIZES = [16, 22, 24, 32, 48] as const;
export const MAC_SIZE = 16;
export const ICO_SIZES = [16, 24, 32, 48, 256] as const;
export const APP_SIZES = [512, 1024] as const;
export const APP_ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

type RGB = readonly [number, number, number];
const FILL: Readonly<Record<IconColour, RGB>> = {
  green: [46, 160, 67],
  amber: [210, 153, 34],
  red: [218, 54, 51],
  grey: [139, 148, 158],
};

export interface Image {
  size: number;
  /** RGBA, 8 bits per channel, not premultiplied. */
  data: Uint8Array;
}

// ---- signed distance fields (pixel units, negative inside) ----
type Sdf = (x: number, y: number) => number;
const circle =
  (cx: number, cy: number, r: number): Sdf =>
  (x, y) =>
    Math.sqrt((x - cx) ** 2 + (y - cy) ** 2) - r;
const box =
  (cx: number, cy: number, hw: number, hh: number, r: number): Sdf =>
  (x, y) => {
    const qx = Math.abs(x - cx) - hw + r;
    const qy = Math.abs(y - cy) - hh + r;
    return Math.sqrt(Math.max(qx, 0) ** 2 + Math.max(qy, 0) ** 2) + Math.min(Math.max(qx, qy), 0) - r;
  };
const union =
  (...f: Sdf[]): Sdf =>
  (x, y) =>
    Math.min(...f.map((g) => g(x, y)));
const minus =
  (a: Sdf, b: Sdf): Sdf =>
  (x, y) =>
    Math.max(a(x, y), -b(x, y));
const intersect =
  (a: Sdf, b: Sdf): Sdf =>
  (x, y) =>
    Math.max(a(x, y), b(x, y));
const ring =
  (cx: number, cy: number, r: number, w: number): Sdf =>
  (x, y) =>
    Math.abs(Math.sqrt((x - cx) ** 2 + (y - cy) ** 2) - (r - w / 2)) - w / 2;
const coverage = (d: number): number => Math.min(1, Math.max(0, 0.5 - d));

/** The state glyph for a canvas of `size` px, centred at (c, c) with radius r. */
function glyph(colour: IconColour, c: number, r: number): Sdf {
  const w = Math.max(1.5, r * 0.3);
  switch (colour) {
    case 'green':
      return circle(c, c, r);
    case 'amber':
      return union(
        ring(c, c, r, w),
        intersect(circle(c, c, r), (_x, y) => c - y),
      );
    case 'red':
      return minus(
        circle(c, c, r),
        union(box(c, c - r * 0.2, r * 0.13, r * 0.42, r * 0.1), circle(c, c + r * 0.5, r * 0.15)),
      );
    case 'grey':
      return ring(c, c, r, w);
  }
}

class Canvas {
  readonly px: Float64Array;
  constructor(readonly size: number) {
    this.px = new Float64Array(size * size * 4);
  }
  /** Paints `rgb` over the canvas where `sdf` is inside (source-over, straight alpha). */
  paint(sdf: Sdf, rgb: RGB | ((x: number, y: number) => RGB), alpha = 1): void {
    for (let y = 0; y < this.size; y++) {
      for (let x = 0; x < this.size; x++) {
        const a = coverage(sdf(x + 0.5, y + 0.5)) * alpha;
        if (a <= 0) continue;
        const col = typeof rgb === 'function' ? rgb(x + 0.5, y + 0.5) : rgb;
        const i = (y * this.size + x) * 4;
        const da = this.px[i + 3]!;
        const oa = a + da * (1 - a);
        for (let k = 0; k < 3; k++) this.px[i + k] = (col[k]! * a + this.px[i + k]! * da * (1 - a)) / oa;
        this.px[i + 3] = oa;
      }
    }
  }
  toImage(): Image {
    const data = new Uint8Array(this.px.length);
    for (let i = 0; i < this.px.length; i += 4) {
      const a = this.px[i + 3]!;
      for (let k = 0; k < 3; k++) data[i + k] = a > 0 ? Math.round(this.px[i + k]!) : 0;
      data[i + 3] = Math.round(a * 255);
    }
    return { size: this.size, data };
  }
}

const darker = (c: RGB, f: number): RGB => [c[0] * f, c[1] * f, c[2] * f];

/** Tray icon in colour: the glyph filled, with a darker rim so it holds on light and dark panels. */
export function trayIcon(colour: IconColour, size: number): Image {
  const cv = new Canvas(size);
  const c = size / 2;
  const r = size * 0.44;
  const rim = Math.max(1, size / 16);
  const shape = glyph(colour, c, r);
  cv.paint(shape, darker(FILL[colour], 0.7));
  cv.paint((x, y) => shape(x, y) + rim, FILL[colour]);
  return cv.toImage();
}

/** macOS template image: black + alpha only; the menu bar tints it. */
export function templateIcon(colour: IconColour, size: number): Image {
  const cv = new Canvas(size);
  cv.paint(glyph(colour, size / 2, size * 0.44), [0, 0, 0]);
  return cv.toImage();
}

/** App icon: a dark rounded square, a tmux window with three panes, a green state disc. */
export function appIcon(size: number): Image {
  const cv = new Canvas(size);
  const s = size;
  const top: RGB = [30, 41, 59];
  const bottom: RGB = [15, 23, 42];
  cv.paint(box(s / 2, s / 2, s * 0.45, s * 0.45, s * 0.1), (_x, y) => {
    const t = y / s;
    return [top[0] + (bottom[0] - top[0]) * t, top[1] + (bottom[1] - top[1]) * t, top[2] + (bottom[2] - top[2]) * t];
  });
  const pane: RGB = [51, 65, 85];
  const g = s * 0.02;
  const x0 = s * 0.17;
  const x1 = s * 0.83;
  const y0 = s * 0.2;
  const y1 = s * 0.8;
  const xm = s * 0.52;
  const ym = s * 0.5;
  const rect = (ax: number, ay: number, bx: number, by: number): Sdf =>
    box((ax + bx) / 2, (ay + by) / 2, (bx - ax) / 2, (by - ay) / 2, s * 0.025);
  cv.paint(union(rect(x0, y0, xm - g, y1), rect(xm + g, y0, x1, ym - g), rect(xm + g, ym + g, x1, y1)), pane);
  const line: RGB = [148, 163, 184];
  for (let k = 0; k < 3; k++)
    cv.paint(
      rect(x0 + s * 0.05, y0 + s * (0.07 + k * 0.08), x0 + s * (0.22 - k * 0.04), y0 + s * (0.1 + k * 0.08)),
      line,
    );
  const badge = s * 0.15;
  cv.paint(circle(x1 - badge * 0.6, y1 - badge * 0.6, badge + s * 0.025), bottom);
  cv.paint(circle(x1 - badge * 0.6, y1 - badge * 0.6, badge), FILL.green);
  return cv.toImage();
}

// ---- PNG ----
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  const tb = Buffer.concat([Buffer.from(type, 'latin1'), body]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(tb));
  return Buffer.concat([len, tb, crc]);
}

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** RGBA8 PNG, filter 0 (None) on every row, no ancillary chunks (no timestamps: reproducible). */
export function encodePng(img: Image): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(img.size, 0);
  ihdr.writeUInt32BE(img.size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const stride = img.size * 4;
  const raw = Buffer.alloc((stride + 1) * img.size);
  for (let y = 0; y < img.size; y++)
    Buffer.from(img.data.buffer, img.data.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** ICO with PNG-compressed entries (Windows Vista and later read these at every size). */
export function encodeIco(pngs: { size: number; png: Buffer }[]): Buffer {
  const head = Buffer.alloc(6 + 16 * pngs.length);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2); // type: icon
  head.writeUInt16LE(pngs.length, 4);
  let offset = head.length;
  pngs.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    head[e] = size >= 256 ? 0 : size; // 0 means 256
    head[e + 1] = size >= 256 ? 0 : size;
    head[e + 2] = 0; // palette size
    head[e + 3] = 0;
    head.writeUInt16LE(1, e + 4); // planes
    head.writeUInt16LE(32, e + 6); // bits per pixel
    head.writeUInt32LE(png.length, e + 8);
    head.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([head, ...pngs.map((p) => p.png)]);
}

/** Every asset: relative path → bytes. */
export function renderAll(): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const c of COLOURS) {
    for (const s of LINUX_SIZES) {
      out.set(`linux/tray-${c}-${s}.png`, encodePng(trayIcon(c, s)));
      out.set(`linux/tray-${c}-${s}@2x.png`, encodePng(trayIcon(c, s * 2)));
    }
    out.set(`mac/tray-${c}Template.png`, encodePng(templateIcon(c, MAC_SIZE)));
    out.set(`mac/tray-${c}Template@2x.png`, encodePng(templateIcon(c, MAC_SIZE * 2)));
    out.set(`win/tray-${c}.ico`, encodeIco(ICO_SIZES.map((s) => ({ size: s, png: encodePng(trayIcon(c, s)) }))));
  }
  for (const s of APP_SIZES) out.set(`app/icon-${s}.png`, encodePng(appIcon(s)));
  out.set('app/icon.ico', encodeIco(APP_ICO_SIZES.map((s) => ({ size: s, png: encodePng(appIcon(s)) }))));
  return out;
}

export function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** Writes every asset and a manifest of their hashes under `outDir`. */
export function writeAll(outDir: string): Record<string, string> {
  const manifest: Record<string, string> = {};
  for (const [rel, bytes] of renderAll()) {
    const file = join(outDir, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    manifest[rel] = sha256(bytes);
  }
  writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] !== undefined && resolve(process.argv[1]) === self) {
  // Run from the repository root (npm scripts are): the default is the source tree's build/icons.
  const outDir = resolve(process.argv[2] ?? join('build', 'icons'));
  const manifest = writeAll(outDir);
  process.stdout.write(`wrote ${Object.keys(manifest).length} icons to ${outDir}\n`);
}
