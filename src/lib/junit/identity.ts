// Which <testcase> elements of one report are the same test. A test's identity is its suite,
// classname, name and file; runners that rerun a failed test (pytest-rerunfailures, gotestsum
// --rerun-fails, ...) write one element per run, and the last one is the test's outcome.
//
// Remembering every identity of a report with a million cases as strings would take more memory
// than the engine may use, so the first read keeps a 53-bit hash of each identity in a typed array.
// Equal identities have equal hashes, so a report whose hashes are all distinct has no repeated test
// and that read is final. Otherwise the report is read again, and only the cases whose hash was seen
// twice are compared by their full identity (see RepeatPlan in engine.ts).

/**
 * Strings are hashed from their UTF-8 bytes, four at a time: Buffer#write copies a string into bytes
 * natively whatever V8's representation of it (saxes hands over slices and concatenations), where a
 * charCodeAt loop over such strings costs several times more, and it allocates nothing. Two strings
 * that differ only in lone surrogates (both become U+FFFD) hash alike; that only makes the read look
 * again (see engine.ts).
 */
const bytes = Buffer.alloc(64 * 1024);
const words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);

/** The hash state after a (suite, classname, file) prefix. */
interface Prefix {
  suite: string;
  classname: string;
  file: string | undefined;
  h1: number;
  h2: number;
}

/** How many recent prefixes are remembered (the cases of a report mostly share a few). */
const PREFIX_CACHE = 8;

/** Hashes test identities (suite, classname, name, file); recent prefixes' hash states are reused. */
export class IdentityHasher {
  private readonly prefixes: Prefix[] = [];
  private next = 0;

  hash(suite: string, classname: string, name: string, file: string | undefined): number {
    let p: Prefix | undefined;
    for (let i = 0; i < this.prefixes.length; i++) {
      const q = this.prefixes[i]!;
      if (q.classname === classname && q.suite === suite && q.file === file) {
        p = q;
        break;
      }
    }
    p ??= this.remember(suite, classname, file);
    const n = encode(name);
    let h1 = p.h1;
    let h2 = p.h2;
    for (let i = 0, end = (n + 3) >> 2; i < end; i++) {
      const w = words[i]!;
      h1 = Math.imul(h1 ^ w, 0x01000193);
      h1 ^= h1 >>> 15;
      h2 = Math.imul(h2 ^ w, 0x5bd1e995);
      h2 ^= h2 >>> 13;
    }
    return combine(finalMix(h1 ^ n), finalMix(h2 + 0x9e3779b9));
  }

  private remember(suite: string, classname: string, file: string | undefined): Prefix {
    let h1 = 0x811c9dc5;
    let h2 = 0x2545f491;
    // Each part ends with its length, so ("ab", "c") and ("a", "bc") differ; an absent file with -1.
    for (const part of [suite, classname, file]) {
      const n = part === undefined ? -1 : encode(part);
      for (let i = 0, end = (n + 3) >> 2; i < end; i++) {
        const w = words[i]!;
        h1 = Math.imul(h1 ^ w, 0x01000193);
        h1 ^= h1 >>> 15;
        h2 = Math.imul(h2 ^ w, 0x5bd1e995);
        h2 ^= h2 >>> 13;
      }
      h1 = Math.imul(h1 ^ n, 0x01000193);
      h2 = Math.imul(h2 ^ n, 0x5bd1e995);
    }
    const p = { suite, classname, file, h1, h2 };
    if (this.prefixes.length < PREFIX_CACHE) this.prefixes.push(p);
    else this.prefixes[this.next++ % PREFIX_CACHE] = p;
    return p;
  }
}

/** Writes a string's UTF-8 bytes at the start of `bytes`, zero-padded to a whole word; returns how many. */
function encode(s: string): number {
  // Attribute values are clipped to 4097 characters (at most 3 bytes each): they fit. Anything longer
  // is hashed by as much as fits (a collision only costs another read).
  const n = bytes.write(s, 0, bytes.length - 4, 'utf8');
  bytes[n] = 0;
  bytes[n + 1] = 0;
  bytes[n + 2] = 0;
  return n;
}

function finalMix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** 32 bits of one hash and 21 of the other: an integer a double holds exactly. */
function combine(a: number, b: number): number {
  return a * 2_097_152 + (b >>> 11);
}

/** The exact identity, for comparing the few cases whose hashes repeat. */
export function identityKey(
  suite: string,
  classname: string,
  name: string,
  file: string | undefined,
): string {
  return `${suite}\u0000${classname}\u0000${file ?? '\u0001'}\u0000${name}`;
}

/**
 * The identity hashes of a read, appended as they come (a typed array, 8 bytes a case) and sorted
 * once at the end, when equal neighbours are the repeats: cheaper than a hash set, whose every insert
 * would be a cache miss in a table of millions.
 */
export class HashLog {
  private values = new Float64Array(1024);
  private length = 0;
  private sortedValues: Float64Array | undefined;

  add(hash: number): void {
    if (this.length === this.values.length) {
      const more = new Float64Array(this.values.length * 2);
      more.set(this.values);
      this.values = more;
    }
    this.values[this.length++] = hash;
    this.sortedValues = undefined;
  }

  /** The hashes in ascending order (a view into this log). */
  sorted(): Float64Array {
    this.sortedValues ??= this.values.subarray(0, this.length).sort();
    return this.sortedValues;
  }

  /** Hashes met more than once, with how often. */
  repeats(): Map<number, number> {
    return repeatsIn(this.sorted());
  }
}

/** Equal neighbours of a sorted array, with how often each occurs. */
export function repeatsIn(sorted: Float64Array): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i] === sorted[i - 1]) out.set(sorted[i]!, (out.get(sorted[i]!) ?? 1) + 1);
  return out;
}

/** Whether two sorted arrays share a value (one linear merge). */
export function shareAValue(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) return true;
    if (a[i]! < b[j]!) i++;
    else j++;
  }
  return false;
}
