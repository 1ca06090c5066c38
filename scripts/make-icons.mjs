#!/usr/bin/env node
/* global process, console, URL, Buffer */
// Draws assets/icons/icon.png (512x512 RGBA) from the same shapes as assets/icons/icon.svg, for
// machines without an SVG rasterizer: each pixel is the average of 4x4 samples, shapes painted in
// the SVG's order, the PNG written with zlib. make-icons.sh prefers rsvg-convert when it is there.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SAMPLES = 4;
const hex = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

function roundedRect(x, y, w, h, r) {
  return (px, py) => {
    const dx = Math.max(x + r - px, 0, px - (x + w - r));
    const dy = Math.max(y + r - py, 0, py - (y + h - r));
    return px >= x && px <= x + w && py >= y && py <= y + h && dx * dx + dy * dy <= r * r;
  };
}
const circle = (cx, cy, r) => (px, py) => (px - cx) ** 2 + (py - cy) ** 2 <= r * r;

/** The SVG's shapes, in paint order. */
export const SHAPES = [
  [roundedRect(0, 0, 512, 512, 96), hex('#12303a')],
  [roundedRect(150, 238, 212, 36, 18), hex('#e8f1f2')],
  [circle(150, 256, 86), hex('#e8f1f2')],
  [circle(362, 256, 86), hex('#e8f1f2')],
  [circle(362, 256, 72), hex('#25d366')],
];

function pixel(x, y) {
  let r = 0, g = 0, b = 0, a = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      const px = x + (sx + 0.5) / SAMPLES;
      const py = y + (sy + 0.5) / SAMPLES;
      let colour = null;
      for (const [inside, c] of SHAPES) if (inside(px, py)) colour = c;
      if (colour) {
        r += colour[0];
        g += colour[1];
        b += colour[2];
        a += 255;
      }
    }
  }
  const n = SAMPLES * SAMPLES;
  const covered = a / 255 || 1;
  return [Math.round(r / covered), Math.round(g / covered), Math.round(b / covered), Math.round(a / n)];
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function renderPng() {
  // Each row: filter byte 0 (none), then RGBA pixels.
  const raw = Buffer.alloc(SIZE * (1 + SIZE * 4));
  for (let y = 0; y < SIZE; y++) {
    const row = y * (1 + SIZE * 4);
    for (let x = 0; x < SIZE; x++) raw.set(pixel(x, y), row + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

if (import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  const out = process.argv[2] ?? new URL('../assets/icons/icon.png', import.meta.url).pathname;
  writeFileSync(out, renderPng());
  console.log(`wrote ${out} (${SIZE}x${SIZE})`);
}
