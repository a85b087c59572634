import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';

// An interpreting validator (no code generation): validating an input takes ~3 ms from a cold start,
// where a code-generating one spends ~100 ms compiling — most of an action's start-up budget.

export type JsonSchema = Record<string, unknown>;

export interface SchemaViolation {
  /** JSON pointer of the offending value inside the validated document ('' for the root). */
  pointer: string;
  message: string;
  /** The offending value, when it can be shown. */
  value?: unknown;
}

const cache = new WeakMap<object, Validator>();

export function validatorFor(
  schema: JsonSchema,
  draft: '2020-12' | '2019-09' | '7' | '4' = '2020-12',
): Validator {
  let v = cache.get(schema);
  if (!v) {
    // shortCircuit=false: report every problem, not just the first.
    v = new Validator(schema as Schema, draft, false);
    cache.set(schema, v);
  }
  return v;
}

export function validateAgainst(schema: JsonSchema, value: unknown): SchemaViolation[] {
  const result = validatorFor(schema).validate(value);
  return result.valid ? [] : describeErrors(result.errors, schema, value);
}

// Wrapper keywords report "a child failed"; the child's own error says what is wrong.
const WRAPPERS = new Set([
  'items',
  'prefixItems',
  'properties',
  'patternProperties',
  'additionalItems',
  '$ref',
  '$dynamicRef',
  'allOf',
  'false',
  'dependentSchemas',
  'if',
  'then',
  'else',
  'contains',
  'unevaluatedItems',
]);

export function describeErrors(
  errors: readonly OutputUnit[],
  schema: unknown,
  root: unknown,
): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (WRAPPERS.has(e.keyword)) continue;
    const pointer = e.instanceLocation.replace(/^#/, '');
    const keywordValue = valueAt(schema, e.keywordLocation.replace(/^#/, ''));
    const message = phrase(e, keywordValue);
    const key = `${pointer}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const value =
      e.keyword === 'additionalProperties' || e.keyword === 'required' ? undefined : valueAt(root, pointer);
    out.push({ pointer, message, ...(value === undefined ? {} : { value }) });
  }
  return out;
}

function phrase(e: OutputUnit, kv: unknown): string {
  const quoted = /"([^"]*)"/.exec(e.error)?.[1];
  const own = e.error.replace(/\.$/, '');
  // Under a $ref the keyword location points into another document; the validator's text is then best.
  if (
    kv === undefined &&
    !['additionalProperties', 'unevaluatedProperties', 'required', 'anyOf', 'oneOf'].includes(e.keyword)
  )
    return own;
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return `has unknown key ${JSON.stringify(quoted)}`;
    case 'required':
      return `is missing required key ${JSON.stringify(quoted)}`;
    case 'enum':
      return Array.isArray(kv)
        ? `must be one of ${kv.map((v) => JSON.stringify(v)).join(', ')}`
        : 'is not an allowed value';
    case 'const':
      return `must be ${JSON.stringify(kv)}`;
    case 'type':
      return `must be of type ${Array.isArray(kv) ? kv.join(' or ') : String(kv)}`;
    case 'pattern':
      return `must match the pattern ${String(kv)}`;
    case 'maximum':
      return `must be <= ${String(kv)}`;
    case 'minimum':
      return `must be >= ${String(kv)}`;
    case 'exclusiveMaximum':
      return `must be < ${String(kv)}`;
    case 'exclusiveMinimum':
      return `must be > ${String(kv)}`;
    case 'minItems':
      return `must have at least ${String(kv)} item(s)`;
    case 'maxItems':
      return `must have at most ${String(kv)} item(s)`;
    case 'minLength':
      return `must be at least ${String(kv)} character(s) long`;
    case 'maxLength':
      return `must be at most ${String(kv)} character(s) long`;
    case 'anyOf':
    case 'oneOf':
      return `must match ${e.keyword === 'oneOf' ? 'exactly one' : 'at least one'} of the allowed shapes`;
    case 'format':
      return `must be a valid ${String(kv)}`;
    default:
      return own;
  }
}

/** Reads the value at a JSON pointer (RFC 6901). */
export function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/')
    return pointer === '' ? root : (root as Record<string, unknown>)?.[''];
  let cur: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
