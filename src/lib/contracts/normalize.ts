/**
 * Stable form of a recorded document: object keys sorted at every level (arrays keep their order,
 * since order means something there), two-space JSON, trailing newline. Two recordings of an unchanged
 * service are byte-identical, and a change shows up as a small diff.
 */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

export function normalizedJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** Canonical JSON: keys sorted at every level, no whitespace (what the constitution service signs). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}
