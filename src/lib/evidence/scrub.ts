import { extname } from 'node:path';
import { countMasks, redactor, scrubText, type Redactor } from '../redact.js';

// The credential patterns live with the rest of the redaction rules; re-exported for evidence code.
export { countMasks, scrubText };

/** Extensions that are text whatever their first bytes look like; others are sniffed. */
const TEXT_EXTENSIONS = new Set([
  '.json',
  '.jsonl',
  '.ndjson',
  '.md',
  '.txt',
  '.log',
  '.xml',
  '.yaml',
  '.yml',
  '.csv',
  '.tsv',
  '.html',
  '.htm',
  '.svg',
  '.ini',
  '.toml',
  '.properties',
  '.env',
  '.out',
  '.err',
  '.sh',
  '.py',
  '.js',
  '.mjs',
  '.ts',
  '.sql',
  '.conf',
  '.cfg',
]);
const BINARY_EXTENSIONS = new Set([
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.webp',
  '.zip',
  '.gz',
  '.tgz',
  '.zst',
  '.bz2',
  '.xz',
  '.pdf',
  '.woff',
  '.woff2',
  '.ico',
  '.bin',
  '.tar',
  '.7z',
  '.mp4',
  '.webm',
]);

/** Decides whether a file is text (scrubbed) or binary (copied byte for byte) from its name and first bytes. */
export function isTextFile(name: string, head: Uint8Array): boolean {
  const ext = extname(name).toLowerCase();
  if (TEXT_EXTENSIONS.has(ext)) return true;
  if (BINARY_EXTENSIONS.has(ext)) return false;
  return !head.includes(0);
}

const EMPTY = Buffer.alloc(0);
const NEWLINE = 0x0a;

/**
 * Scrubs a UTF-8 byte stream chunk by chunk. A secret can straddle two chunks, so the last `keep`
 * bytes are held back and scanned again with the next chunk (longer than any value we match).
 * Text with nothing to remove leaves as the very bytes that came in (never re-encoded, so even
 * text that is not valid UTF-8 is archived exactly); only text that changed is encoded again.
 */
export class StreamScrubber {
  private carry: Buffer = EMPTY;
  /** Values replaced so far. Text held back is scanned again, but what was replaced is already masked then. */
  redactions = 0;

  constructor(
    private readonly secrets: Redactor = redactor,
    private readonly keep = 16_384,
  ) {}

  /** Takes the next chunk (which the caller may reuse once the returned bytes are written). */
  push(chunk: Uint8Array): Buffer {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const data = this.carry.length ? Buffer.concat([this.carry, bytes]) : bytes;
    if (data.length <= this.keep) {
      this.carry = Buffer.from(data);
      return EMPTY;
    }
    return this.process(data, false);
  }

  end(): Buffer {
    const data = this.carry;
    this.carry = EMPTY;
    return data.length ? this.process(data, true) : EMPTY;
  }

  private process(data: Buffer, final: boolean): Buffer {
    // A character cut by the chunk edge waits, undecoded, for the rest of its bytes.
    const complete = final ? data.length : completeUtf8Length(data);
    const text = data.toString('utf8', 0, complete);
    const clean = scrubText(text, this.secrets);
    if (clean === text) {
      if (final) return data;
      const cut = cutAt(data, data.length - this.keep, this.keep);
      this.carry = Buffer.from(data.subarray(cut));
      return data.subarray(0, cut);
    }
    this.redactions += Math.max(0, countMasks(clean) - countMasks(text));
    if (final) return Buffer.from(clean, 'utf8');
    // Something was removed: cut the scrubbed text instead (scrubbing it again later changes nothing).
    let cut = clean.length - this.keep;
    const nl = clean.lastIndexOf('\n', cut);
    if (nl > cut - this.keep / 2 && nl > 0) cut = nl + 1;
    this.carry = Buffer.concat([Buffer.from(clean.slice(cut), 'utf8'), data.subarray(complete)]);
    return Buffer.from(clean.slice(0, cut), 'utf8');
  }
}

/** Bytes up to the end of the last complete UTF-8 character. */
function completeUtf8Length(data: Buffer): number {
  let i = data.length - 1;
  const stop = Math.max(0, data.length - 4);
  while (i > stop && (data[i]! & 0xc0) === 0x80) i--;
  const lead = data[i]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return data.length - i < need ? i : data.length;
}

/** A cut at or before `target`: after a nearby line break, else on a character boundary. */
function cutAt(data: Buffer, target: number, keep: number): number {
  const nl = data.lastIndexOf(NEWLINE, target);
  if (nl > target - keep / 2 && nl >= 0) return nl + 1;
  let cut = Math.max(0, target);
  while (cut > 0 && (data[cut]! & 0xc0) === 0x80) cut--;
  return cut;
}
