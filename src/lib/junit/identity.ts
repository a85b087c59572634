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
 * Strings are hashed from their UTF-8 bytes, four at a time: TextEncoder copies a string into bytes
 * natively whatever V8's representation of it (saxes hands over slices and concatenations), where a
 * charCodeAt loop over such strings costs several times more. The parts of an identity are joined
 * with NUL (which XML 1.0 cannot carry, so no part holds one) into one string, encoded in one call.
 * Two strings that differ only in lone surrogates (both become U+FFFD) hash alike; that only makes
 * the read look again (see engine.ts).
 */
const encoder = new TextEncoder();
const bytes = new Uint8Array(64 * 1024);
const words = new Int32Array(bytes.buffer);

/** Hashes test identities (suite, classname, name, file). */
export class IdentityHasher {
  hash(suite: string, classname: string, name: string, file: string | undefined): number {
    // An absent file attribute differs from an empty one: U+0001 cannot be in an XML 1.0 value either.
    const n = encode(`${suite}\u0000${classname}\u0000${file ?? '\u0001'}\u0000${name}`);
    let h1 = 0x811c9dc5;
    let h2 = 0x2545f491;
    for (let i = 0, end = (n + 3) >> 2; i < end; i++) {
      const w = words[i]!;
      h1 = Math.imul(h1 ^ w, 0x01000193);
      h1 ^= h1 >>> 15;
      h2 = Math.imul(h2 ^ w, 0x5bd1e995);
      h2 ^= h2 >>> 13;
    }
    return combine(finalMix(h1 ^ n), finalMix(h2 + 0x9e3779b9));
  }
}

/** Writes a string's UTF-8 bytes into `bytes`, zero-padded to a whole word; returns how many there are. */
function encode(s: string): number {
  // Attribute values are clipped to 4097 characters, so four of them at 3 bytes each fit; anything
  // longer is hashed by its start (a collision only costs another read).
  const n = encoder.encodeInto(s.length * 3 + 4 <= bytes.length ? s : s.slice(0, (bytes.length - 4) / 3), bytes).written;
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
export function identityKey(suite: string, classname: string, name: string, file: string | undefined): string {
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
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) out.set(sorted[i]!, (out.get(sorted[i]!) ?? 1) + 1);
  return out;
}

/** Whether two sorted arrays share a value (one linear merge). */
export function shareAValue(a: Float64Array, b: Float64Array): boolean {
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) return true;
    if (a[i]! < b[j]!) i++;
    else j++;
  }
  return false;
}
