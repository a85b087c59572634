import type { JsonSchema } from '../schema.js';

/**
 * Infers a JSON Schema (2020-12) from sample values: the types seen at each place, properties present
 * in every sample as required, string formats that every value has, and one example per leaf. It
 * describes what was seen, so it is a floor, not the contract: a value never sampled is not in it.
 */
export function inferSchema(samples: readonly unknown[], title?: string): JsonSchema {
  const schema = infer(samples);
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...(title ? { title } : {}), ...schema };
}

const FORMATS: [string, RegExp][] = [
  ['date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/],
  ['date', /^\d{4}-\d{2}-\d{2}$/],
  ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i],
  ['email', /^[^@\s]+@[^@\s]+\.[^@\s]+$/],
  ['uri', /^https?:\/\/\S+$/],
];

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function infer(values: readonly unknown[]): JsonSchema {
  const byType = new Map<string, unknown[]>();
  for (const v of values) {
    if (v === undefined) continue;
    const t = typeOf(v);
    byType.set(t, [...(byType.get(t) ?? []), v]);
  }
  // integer and number seen together: number (integers are numbers).
  if (byType.has('integer') && byType.has('number')) {
    byType.set('number', [...byType.get('number')!, ...byType.get('integer')!]);
    byType.delete('integer');
  }
  const types = [...byType.keys()].sort();
  if (types.length === 0) return {};
  const out: JsonSchema = { type: types.length === 1 ? types[0] : types };
  const objects = byType.get('object') as Record<string, unknown>[] | undefined;
  if (objects) {
    const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))].sort();
    const properties: Record<string, JsonSchema> = {};
    for (const k of keys) properties[k] = infer(objects.filter((o) => k in o).map((o) => o[k]));
    out.properties = properties;
    const required = keys.filter((k) => objects.every((o) => k in o));
    if (required.length > 0) out.required = required;
  }
  const arrays = byType.get('array') as unknown[][] | undefined;
  if (arrays) {
    const items = arrays.flat();
    if (items.length > 0) out.items = infer(items);
  }
  const strings = byType.get('string') as string[] | undefined;
  if (strings && types.length === 1) {
    const format = FORMATS.find(([, re]) => strings.every((s) => re.test(s)));
    if (format) out.format = format[0];
  }
  const leaf = types.find((t) => t !== 'object' && t !== 'array' && t !== 'null');
  if (leaf) out.examples = [byType.get(leaf)![0]];
  return out;
}
