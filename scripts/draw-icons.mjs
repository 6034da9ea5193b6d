// Draws the extension's icons (public/icon/<size>.png, committed): the launcher's lightning bolt,
// white on the brand violet, in a rounded square. Plain PNG encoding with node:zlib, so nothing
// is installed for it. Run again after changing the drawing: `npm run icons`.
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

const SIZES = [16, 32, 48, 128];
const BRAND = [0x4a, 0x3a, 0xff];
// The launcher button's bolt (components/launcher/Launcher.tsx), in a 24-unit box.
const BOLT = [[13, 2], [4, 14], [11, 14], [10, 22], [19, 10], [12, 10]];
const SAMPLES = 4; // per axis: 16 samples a pixel smooth the edges

function insidePolygon(x, y, poly) {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function insideRoundedSquare(x, y, size, radius) {
  const cx = Math.min(Math.max(x, radius), size - radius);
  const cy = Math.min(Math.max(y, radius), size - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

function draw(size) {
  const rgba = Buffer.alloc(size * size * 4);
  const scale = size / 24;
  // The bolt at ~80% of the square, centred (its box is x 4..19, y 2..22).
  const inset = size * 0.1;
  const boltScale = (size - 2 * inset) / 20;
  const bolt = BOLT.map(([x, y]) => [inset + (x - 1.5) * boltScale, inset + (y - 2) * boltScale]);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let square = 0;
      let mark = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = px + (sx + 0.5) / SAMPLES;
          const y = py + (sy + 0.5) / SAMPLES;
          if (!insideRoundedSquare(x, y, size, 5 * scale)) continue;
          square++;
          if (insidePolygon(x, y, bolt)) mark++;
        }
      }
      const n = SAMPLES * SAMPLES;
      const white = mark / Math.max(square, 1);
      const o = (py * size + px) * 4;
      for (let c = 0; c < 3; c++) rgba[o + c] = Math.round(BRAND[c] * (1 - white) + 255 * white);
      rgba[o + 3] = Math.round((255 * square) / n);
    }
  }
  return png(size, rgba);
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

function png(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

for (const size of SIZES) writeFileSync(new URL(`../public/icon/${size}.png`, import.meta.url), draw(size));
