// Real image bytes for the upload tests: PNGs of any size made here (with
// their CRCs and a deflated IDAT), and the smallest valid GIF, WebP and
// JPEG. crc32 is the zip/PNG CRC-32 (node 18 has no zlib.crc32).
'use strict';

const assert = require('node:assert/strict');
const zlib = require('node:zlib');

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

// A valid RGB PNG of w×h pixels whose bytes depend on `seed`, optionally
// padded with an ancillary chunk up to exactly `size` bytes (to test the
// size bound with a real image).
function makePNG(w, hgt, { seed = 1, size } = {}) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(hgt, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((w * 3 + 1) * hgt);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 31 + seed * 17) & 0xff;
  for (let y = 0; y < hgt; y++) raw[y * (w * 3 + 1)] = 0; // filter: none
  const parts = [Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw))];
  const iend = chunk('IEND', Buffer.alloc(0));
  if (size) {
    const used = parts.reduce((n, p) => n + p.length, 0) + iend.length + 12;
    parts.push(chunk('tEXt', Buffer.alloc(size - used, 0x61)));
  }
  parts.push(iend);
  const png = Buffer.concat(parts);
  if (size) assert.equal(png.length, size);
  return png;
}

const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const WEBP = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');
// a JFIF header (SOI, APP0) followed by an end marker
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');

module.exports = { crc32, makePNG, GIF, WEBP, JPEG };
