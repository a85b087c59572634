import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';

export type JsonSchema = Record<string, unknown>;

export interface Violation {
  /** Where the problem is: `body`, `path` or `query`. */
  in: 'body' | 'path' | 'query';
  /** JSON pointer inside that part ('' for the part itself). */
  pointer: string;
  message: string;
}

const validators = new WeakMap<object, Validator>();

function validatorFor(schema: JsonSchema): Validator {
  let v = validators.get(schema);
  if (!v) {
    v = new Validator(schema as Schema, '2020-12', false);
    validators.set(schema, v);
  }
  return v;
}

// "A child failed" wrappers add nothing a reader can act on; the leaf error says what is wrong.
const WRAPPERS = new Set([
  'properties',
  'items',
  'prefixItems',
  '$ref',
  'allOf',
  'additionalItems',
  'patternProperties',
]);

export function validate(schema: JsonSchema, value: unknown, where: Violation['in']): Violation[] {
  const result = validatorFor(schema).validate(value);
  if (result.valid) return [];
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const e of result.errors as OutputUnit[]) {
    if (WRAPPERS.has(e.keyword)) continue;
    const pointer = e.instanceLocation.replace(/^#/, '');
    const message = e.error.replace(/\.$/, '');
    const key = `${pointer}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ in: where, pointer, message });
  }
  return out;
}
