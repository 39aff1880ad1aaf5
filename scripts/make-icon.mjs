// Draws the extension icon (media/icon.png, 128x128 RGBA): a padlock with a keyhole on the gallery banner's
// dark colour. Shapes are signed distance functions sampled 4x4 per pixel, so edges are anti-aliased.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const SS = 4;
const BG = [0x1e, 0x1e, 0x2e];
const LOCK = [0xf5, 0xa6, 0x23];
const SHACKLE = [0xcd, 0xd6, 0xf4];

const roundedBox = (x, y, cx, cy, hw, hh, r) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
// Upper half ring: distance to a circle of radius R, thickness T, clipped to y <= cy, with straight legs below.
const shackle = (x, y) => {
  const cx = 64,
    cy = 52,
    R = 24,
    T = 7;
  if (y <= cy) return Math.abs(Math.hypot(x - cx, y - cy) - R) - T;
  return Math.min(roundedBox(x, y, cx - R, cy + 12, T, 12, 0), roundedBox(x, y, cx + R, cy + 12, T, 12, 0));
};
const keyhole = (x, y) => Math.min(Math.hypot(x - 64, y - 80) - 8, roundedBox(x, y, 64, 93, 4, 10, 2));

function shade(x, y) {
  if (roundedBox(x, y, 64, 64, 64, 64, 22) > 0) return [0, 0, 0, 0];
  if (keyhole(x, y) < 0) return [...BG, 255];
  if (roundedBox(x, y, 64, 86, 38, 28, 8) < 0) return [...LOCK, 255];
  if (shackle(x, y) < 0) return [...SHACKLE, 255];
  return [...BG, 255];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  raw[py * (SIZE * 4 + 1)] = 0; // filter: none
  for (let px = 0; px < SIZE; px++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const [r, g, b, a] = shade(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        acc[0] += r * a;
        acc[1] += g * a;
        acc[2] += b * a;
        acc[3] += a;
      }
    }
    const o = py * (SIZE * 4 + 1) + 1 + px * 4;
    const alpha = acc[3] / (SS * SS);
    for (let c = 0; c < 3; c++) raw[o + c] = acc[3] ? Math.round(acc[c] / acc[3]) : 0;
    raw[o + 3] = Math.round(alpha);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(new URL('../media/icon.png', import.meta.url), png);
console.log(`media/icon.png: ${png.length} bytes`);
