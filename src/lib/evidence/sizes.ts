import { InputError } from '../errors.js';

const UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  KIB: 1024,
  MB: 1e6,
  MIB: 1024 ** 2,
  GB: 1e9,
  GIB: 1024 ** 3,
};
const SIZE_RE = /^(\d+(?:\.\d+)?)\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/i;

/** Parses 500KiB, 5MiB, 1GB, 1024 (bytes). Undefined when malformed. */
export function parseSize(text: string): number | undefined {
  const m = SIZE_RE.exec(text.trim());
  if (!m) return undefined;
  const unit = UNITS[(m[2] ?? 'B').toUpperCase()];
  return unit === undefined ? undefined : Math.floor(Number(m[1]) * unit);
}

export function sizeInput(input: string, text: string): number {
  const n = parseSize(text);
  if (n === undefined) throw new InputError(input, text, 'expected a size such as 500KiB, 5MiB or 1GB');
  return n;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/**
 * Decides which files are committed and which stay in the artifact only (or, with no artifact,
 * are not kept at all): a file over
 * `maxFile` never goes to the repository; the rest go in the given order (most important first)
 * while they fit in `maxTotal`. The same inputs always give the same split.
 */
export function assignStorage(
  sizes: readonly number[],
  maxFile: number,
  maxTotal: number,
  overflow: 'artifact' | 'not-kept' = 'artifact',
): ('repository' | 'artifact' | 'not-kept')[] {
  let used = 0;
  return sizes.map((size) => {
    if (size > maxFile || used + size > maxTotal) return overflow;
    used += size;
    return 'repository';
  });
}
