import { extname } from 'node:path';
import { redactor, type Redactor } from '../redact.js';

/**
 * Credential shapes removed from archived text even when nobody registered them as secrets:
 * evidence is committed to the repository, so a token an earlier step printed must not ride along.
 * Each keeps what identifies the field (the header or key name) and replaces only the value.
 */
const MASK = '***';
const PATTERNS: { re: RegExp; replace: (...groups: string[]) => string }[] = [
  { re: /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g, replace: (_m, kind) => `-----BEGIN ${kind}PRIVATE KEY-----${MASK}-----END ${kind}PRIVATE KEY-----` },
  { re: /\b(gh[pousr]_)[A-Za-z0-9]{30,255}\b/g, replace: (_m, prefix) => `${prefix}${MASK}` },
  { re: /\b(github_pat_)[A-Za-z0-9_]{20,255}\b/g, replace: (_m, prefix) => `${prefix}${MASK}` },
  { re: /\b(xox[abprs]-)[A-Za-z0-9-]{10,255}/g, replace: (_m, prefix) => `${prefix}${MASK}` },
  { re: /\bAKIA[0-9A-Z]{16}\b/g, replace: () => `AKIA${MASK}` },
  { re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: () => MASK },
  // Authorization: Bearer abc / "authorization": "Basic abc" / authorization=token abc
  { re: /((?:proxy-)?authorization["']?\s*[:=]\s*["']?)((?:bearer|basic|token|digest|negotiate)\s+)?[^\s"',;}]+/gi, replace: (_m, key, scheme = '') => `${key}${scheme}${MASK}` },
  // password=..., "client_secret": "...", api-key: ...
  { re: /((?:^|[\s"'{,;&?])(?:password|passwd|pwd|secret|client[_-]?secret|api[_-]?key|access[_-]?token|refresh[_-]?token|auth[_-]?token|token|x-api-key|sasl[_-]?password)["']?\s*[:=]\s*)("[^"\n]*"|'[^'\n]*'|[^\s"',;}&]+)/gi,
    replace: (_m, key, value) => `${key}${value.startsWith('"') ? `"${MASK}"` : value.startsWith("'") ? `'${MASK}'` : MASK}` },
  // https://user:password@host
  { re: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s/@]+@/gi, replace: (_m, prefix) => `${prefix}${MASK}@` },
];

/**
 * Removes registered secrets and credential-shaped values. Idempotent (scrubbing scrubbed text
 * changes nothing), so text can be scanned again when a chunk boundary is revisited.
 */
export function scrubText(text: string, secrets: Redactor = redactor): string {
  let out = secrets.redact(text);
  for (const { re, replace } of PATTERNS) out = out.replace(re, (...args: unknown[]) => replace(...args.filter((a): a is string => typeof a === 'string' || a === undefined).map((a) => a ?? '')));
  return out;
}

/** How many values a scrub replaced (masks in the output that were not in the input). */
export function countMasks(text: string): number {
  let n = 0;
  for (let i = text.indexOf(MASK); i !== -1; i = text.indexOf(MASK, i + MASK.length)) n++;
  return n;
}

/** Extensions that are text whatever their first bytes look like; others are sniffed. */
const TEXT_EXTENSIONS = new Set(['.json', '.jsonl', '.ndjson', '.md', '.txt', '.log', '.xml', '.yaml', '.yml', '.csv', '.tsv', '.html', '.htm', '.svg', '.ini', '.toml', '.properties', '.env', '.out', '.err', '.sh', '.py', '.js', '.mjs', '.ts', '.sql', '.conf', '.cfg']);
const BINARY_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp', '.zip', '.gz', '.tgz', '.zst', '.bz2', '.xz', '.pdf', '.woff', '.woff2', '.ico', '.bin', '.tar', '.7z', '.mp4', '.webm']);

/** Decides whether a file is text (scrubbed) or binary (copied byte for byte) from its name and first bytes. */
export function isTextFile(name: string, head: Uint8Array): boolean {
  const ext = extname(name).toLowerCase();
  if (TEXT_EXTENSIONS.has(ext)) return true;
  if (BINARY_EXTENSIONS.has(ext)) return false;
  return !head.includes(0);
}

/**
 * Scrubs a text stream chunk by chunk. A secret can straddle two chunks, so the last `keep`
 * characters are held back and scanned again with the next chunk (longer than any value we match).
 */
export class StreamScrubber {
  private carry = '';
  private masksIn = 0;
  private masksOut = 0;

  constructor(
    private readonly secrets: Redactor = redactor,
    private readonly keep = 16_384,
  ) {}

  /** Values replaced so far (approximate only if the source itself contained "***" across a chunk edge). */
  get redactions(): number {
    return Math.max(0, this.masksOut + countMasks(this.carry) - this.masksIn);
  }

  push(chunk: string): string {
    this.masksIn += countMasks(chunk);
    const text = scrubText(this.carry + chunk, this.secrets);
    if (text.length <= this.keep) {
      this.carry = text;
      return '';
    }
    // Cut at a line break when one is near, so a key and its value are scanned together.
    let cut = text.length - this.keep;
    const nl = text.lastIndexOf('\n', cut);
    if (nl > cut - this.keep / 2 && nl > 0) cut = nl + 1;
    this.carry = text.slice(cut);
    const out = text.slice(0, cut);
    this.masksOut += countMasks(out);
    return out;
  }

  end(): string {
    const out = this.carry;
    this.masksOut += countMasks(out);
    this.carry = '';
    return out;
  }
}
