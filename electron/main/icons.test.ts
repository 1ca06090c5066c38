/**
 * The app icon: a 512x512 RGBA PNG (what electron-builder needs to derive .ico and .icns) that shows
 * the SVG's design: its colours where the SVG's shapes are, and transparent rounded corners.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const ICONS = join(import.meta.dirname, '..', '..', 'assets', 'icons');

/** Reverses a PNG row filter (RFC 2083 6.3) in place, 4 bytes per pixel. */
function unfilter(raw: Buffer, width: number, height: number): Buffer {
  const stride = width * 4;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= 4 ? out[y * stride + i - 4]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = i >= 4 && y > 0 ? out[(y - 1) * stride + i - 4]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][type]!;
      out[y * stride + i] = (x + predictor) & 0xff;
    }
  }
  return out;
}

/** Decodes an 8-bit RGBA PNG (make-icons.mjs writes one; so does rsvg-convert). */
function decode(png: Buffer): { width: number; height: number; at(x: number, y: number): number[] } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const len = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + len;
  }
  const pixels = unfilter(inflateSync(Buffer.concat(idat)), width, height);
  return {
    width,
    height,
    at: (x, y) => [...pixels.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)],
  };
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

describe('app icon', () => {
  it('is a 512x512 PNG of the SVG design', () => {
    const svg = readFileSync(join(ICONS, 'icon.svg'), 'utf8');
    const png = decode(readFileSync(join(ICONS, 'icon.png')));
    expect([png.width, png.height]).toEqual([512, 512]);
    const probes: [number, number, string][] = [
      [256, 60, '#12303a'], // background
      [150, 256, '#e8f1f2'], // the PBX side
      [362, 256, '#25d366'], // the WhatsApp side
      [256, 256, '#e8f1f2'], // the link between them
    ];
    for (const [x, y, colour] of probes) {
      expect(svg).toContain(`fill="${colour}"`);
      const [r, g, b, a] = png.at(x, y);
      expect([r, g, b, a], `${x},${y}`).toEqual([...rgb(colour), 255]);
    }
    expect(png.at(0, 0)[3]).toBe(0);
    expect(png.at(511, 511)[3]).toBe(0);
  });
});
