import { inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
}

export interface PngPixels extends PngInfo {
  /** RGBA, 8 bits per channel, row after row. */
  rgba: Uint8Array;
}

/** Width, height and format from the IHDR chunk; throws when the bytes are not a PNG. */
export function pngInfo(png: Uint8Array): PngInfo {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (buf.length < 33 || !buf.subarray(0, 8).equals(SIGNATURE))
    throw new Error('not a PNG file (bad signature)');
  if (buf.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG file (IHDR chunk missing)');
  return {
    width: buf.readUInt32BE(16),
    height: buf.readUInt32BE(20),
    bitDepth: buf[24]!,
    colorType: buf[25]!,
  };
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/**
 * Decodes an 8-bit, non-interlaced greyscale/RGB/RGBA PNG (what browsers write for screenshots)
 * into RGBA pixels: enough to tell a real screenshot from a blank one.
 */
export function decodePng(png: Uint8Array): PngPixels {
  const info = pngInfo(png);
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const channels = CHANNELS[info.colorType];
  if (info.bitDepth !== 8 || channels === undefined)
    throw new Error(`unsupported PNG format (bit depth ${info.bitDepth}, color type ${info.colorType})`);
  if (buf[28] !== 0) throw new Error('interlaced PNGs are not supported');
  const idat: Buffer[] = [];
  for (let off = 8; off + 8 <= buf.length;) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    if (type === 'IDAT') idat.push(buf.subarray(off + 8, off + 8 + len));
    if (type === 'IEND') break;
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = info.width * channels;
  if (raw.length < (stride + 1) * info.height) throw new Error('PNG image data is truncated');
  const rows = new Uint8Array(stride * info.height);
  for (let y = 0; y < info.height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const dst = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? rows[dst + x - channels]! : 0;
      const b = y > 0 ? rows[dst - stride + x]! : 0;
      const c = x >= channels && y > 0 ? rows[dst - stride + x - channels]! : 0;
      const v = raw[src + x]!;
      let out: number;
      switch (filter) {
        case 0:
          out = v;
          break;
        case 1:
          out = v + a;
          break;
        case 2:
          out = v + b;
          break;
        case 3:
          out = v + ((a + b) >> 1);
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          out = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw new Error(`bad PNG filter type ${filter} on row ${y}`);
      }
      rows[dst + x] = out & 0xff;
    }
  }
  const rgba = new Uint8Array(info.width * info.height * 4);
  for (let i = 0, j = 0; i < rows.length; i += channels, j += 4) {
    if (channels === 1 || channels === 2) {
      rgba[j] = rgba[j + 1] = rgba[j + 2] = rows[i]!;
      rgba[j + 3] = channels === 2 ? rows[i + 1]! : 255;
    } else {
      rgba[j] = rows[i]!;
      rgba[j + 1] = rows[i + 1]!;
      rgba[j + 2] = rows[i + 2]!;
      rgba[j + 3] = channels === 4 ? rows[i + 3]! : 255;
    }
  }
  return { ...info, rgba };
}

export interface PixelStats {
  /** Standard deviation of luma over all pixels (0 for a single flat colour). */
  lumaStdDev: number;
  /** Distinct colours, counted up to `cap`. */
  distinctColors: number;
  /** Share of pixels equal to the most common colour. */
  dominantShare: number;
}

export function pixelStats(p: PngPixels, cap = 4096): PixelStats {
  const n = p.width * p.height;
  let sum = 0;
  let sumSq = 0;
  const counts = new Map<number, number>();
  for (let j = 0; j < p.rgba.length; j += 4) {
    const luma = 0.2126 * p.rgba[j]! + 0.7152 * p.rgba[j + 1]! + 0.0722 * p.rgba[j + 2]!;
    sum += luma;
    sumSq += luma * luma;
    const key = (p.rgba[j]! << 16) | (p.rgba[j + 1]! << 8) | p.rgba[j + 2]!;
    const c = counts.get(key);
    if (c !== undefined) counts.set(key, c + 1);
    else if (counts.size < cap) counts.set(key, 1);
  }
  const mean = sum / Math.max(1, n);
  const dominant = Math.max(0, ...counts.values());
  return {
    lumaStdDev: Math.sqrt(Math.max(0, sumSq / Math.max(1, n) - mean * mean)),
    distinctColors: counts.size,
    dominantShare: dominant / Math.max(1, n),
  };
}

/** A screenshot of one flat colour (an empty page, a failed render) is not evidence of anything. */
export function looksBlank(s: PixelStats): boolean {
  return s.distinctColors <= 2 || s.lumaStdDev < 1;
}
