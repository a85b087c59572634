// Which <testcase> elements of one report are the same test. A test's identity is its suite,
// classname, name and file; runners that rerun a failed test (pytest-rerunfailures, gotestsum
// --rerun-fails, ...) write one element per run, and the last one is the test's outcome.
//
// Remembering every identity of a report with a million cases as strings would take more memory
// than the engine may use, so the first read keeps a 53-bit hash of each identity in a typed array.
// Equal identities have equal hashes, so a report whose hashes are all distinct has no repeated test
// and that read is final. Otherwise the report is read again, and only the cases whose hash was seen
// twice are compared by their full identity (see RepeatPlan in engine.ts).

/** Hashes identities; the hash state of the last (suite, classname, file) is reused for its next case. */
export class IdentityHasher {
  private suite: string | undefined;
  private classname: string | undefined;
  private file: string | undefined = '\u0000';
  private prefix1 = 0;
  private prefix2 = 0;

  hash(suite: string, classname: string, name: string, file: string | undefined): number {
    if (suite !== this.suite || classname !== this.classname || file !== this.file) {
      this.suite = suite;
      this.classname = classname;
      this.file = file;
      let h1 = 0x811c9dc5;
      let h2 = 0x2545f491;
      for (const part of [suite, classname, file ?? '']) {
        for (let i = 0; i < part.length; i++) {
          const c = part.charCodeAt(i);
          h1 = Math.imul(h1 ^ c, 0x01000193);
          h2 = Math.imul(h2 ^ c, 0x5bd1e995);
        }
        // A separator no string can contain, so ("ab", "c") and ("a", "bc") differ.
        h1 = Math.imul(h1 ^ 0x10000, 0x01000193);
        h2 = Math.imul(h2 ^ 0x10000, 0x5bd1e995);
      }
      this.prefix1 = h1;
      this.prefix2 = h2;
    }
    let h1 = this.prefix1;
    let h2 = this.prefix2;
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    }
    return combine(finalMix(h1 ^ name.length), finalMix(h2 + 0x9e3779b9));
  }
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
  return `${suite}\u0000${classname}\u0000${name}\u0000${file ?? ''}`;
}

/** A set of identity hashes in one typed array (open addressing; 0 marks a free slot). */
export class HashSet {
  private slots: Float64Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let n = 1024;
    while (n < capacity * 2) n *= 2;
    this.slots = new Float64Array(n);
    this.mask = n - 1;
  }

  /** Adds a hash; false when it was already there. */
  add(hash: number): boolean {
    const key = hash + 1;
    let i = slotOf(key) & this.mask;
    for (;;) {
      const at = this.slots[i]!;
      if (at === 0) break;
      if (at === key) return false;
      i = (i + 1) & this.mask;
    }
    this.slots[i] = key;
    if (++this.size * 2 > this.slots.length) this.grow();
    return true;
  }

  has(hash: number): boolean {
    const key = hash + 1;
    for (let i = slotOf(key) & this.mask; ; i = (i + 1) & this.mask) {
      const at = this.slots[i]!;
      if (at === 0) return false;
      if (at === key) return true;
    }
  }

  /** The hashes held, in no particular order. */
  values(): Float64Array {
    const out = new Float64Array(this.size);
    let n = 0;
    for (const key of this.slots) if (key !== 0) out[n++] = key - 1;
    return out;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.mask = this.slots.length - 1;
    for (const key of old) {
      if (key === 0) continue;
      let i = slotOf(key) & this.mask;
      while (this.slots[i] !== 0) i = (i + 1) & this.mask;
      this.slots[i] = key;
    }
  }
}

function slotOf(key: number): number {
  const high = Math.floor(key / 2_097_152);
  return high ^ Math.imul(key - high * 2_097_152, 0x9e3779b1);
}
