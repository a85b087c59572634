import { child } from './pointer.js';
import type { SpecFile } from './source.js';
import type { SpecSet } from './refs.js';

/** A schema somewhere in a loaded document (not yet dereferenced). */
export interface SchemaNode {
  file: SpecFile;
  pointer: string;
  raw: unknown;
}

export interface PropertyRef {
  node: SchemaNode;
}

export type BoundKey =
  | 'minimum'
  | 'maximum'
  | 'exclusiveMinimum'
  | 'exclusiveMaximum'
  | 'minLength'
  | 'maxLength'
  | 'minItems'
  | 'maxItems'
  | 'minProperties'
  | 'maxProperties';
export const LOWER_BOUNDS: readonly BoundKey[] = [
  'minimum',
  'exclusiveMinimum',
  'minLength',
  'minItems',
  'minProperties',
];
export const UPPER_BOUNDS: readonly BoundKey[] = [
  'maximum',
  'exclusiveMaximum',
  'maxLength',
  'maxItems',
  'maxProperties',
];

/**
 * What a schema means once `$ref`s are followed, `allOf` is merged and the OpenAPI 3.0 / 3.1 /
 * JSON Schema spellings are brought to one form (nullable → type null, boolean exclusive bounds →
 * numbers, const → a one-value enum). Diffing views instead of raw trees is what keeps a 3.0 → 3.1
 * migration, or moving a property into an allOf member, from looking like drift.
 */
export interface SchemaView {
  /** Identity after dereferencing: file location + pointer. */
  key: string;
  /** A small number unique per view of one builder, for cheap memo keys. */
  id: number;
  file: SpecFile;
  pointer: string;
  /** The schema object itself (after dereferencing), for pointing at the keyword that changed. */
  raw: unknown;
  /** `false`: nothing is valid. */
  never: boolean;
  /** JSON types allowed (integer listed apart from number); undefined: any type. Excludes null. */
  types: Set<string> | undefined;
  /** Null allowed explicitly (type null, nullable: true, or null in the enum). */
  nullable: boolean;
  enum: unknown[] | undefined;
  properties: Map<string, SchemaNode>;
  /** Where the properties are declared, for pointing at an added or removed one. */
  propertiesAt: { file: SpecFile; pointer: string };
  required: Set<string>;
  additional: 'open' | 'closed' | SchemaNode;
  items: SchemaNode | undefined;
  oneOf: SchemaNode[] | undefined;
  anyOf: SchemaNode[] | undefined;
  bounds: Partial<Record<BoundKey, number>>;
  multipleOf: number | undefined;
  pattern: string | undefined;
  format: string | undefined;
  readOnly: boolean;
  writeOnly: boolean;
  deprecated: boolean;
  description: string | undefined;
  default: { value: unknown } | undefined;
  discriminator: string | undefined;
  /** The component name when the schema was reached through a `$ref` (matches oneOf variants). */
  refName: string | undefined;
  title: string | undefined;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keywords that may sit next to a `$ref` without changing what it means. */
const REF_ANNOTATIONS = new Set([
  '$ref',
  'description',
  'summary',
  'title',
  'example',
  'examples',
  '$comment',
]);

export class ViewBuilder {
  private readonly cache = new Map<string, SchemaView>();
  /** Views by the raw schema object they were asked for, so a `$ref` is resolved once. */
  private readonly byRaw = new WeakMap<object, SchemaView>();
  private readonly building = new Set<string>();

  constructor(private readonly set: SpecSet) {}

  /** Follows `$ref` chains; a `$ref` with constraining siblings (OpenAPI 3.1) stays put and is merged in view(). */
  deref(node: SchemaNode): { node: SchemaNode; refName: string | undefined } {
    let cur = node;
    let refName: string | undefined;
    const seen = new Set<string>();
    while (
      isObj(cur.raw) &&
      typeof cur.raw.$ref === 'string' &&
      Object.keys(cur.raw).every((k) => REF_ANNOTATIONS.has(k))
    ) {
      const id = `${cur.file.location}#${cur.pointer}`;
      if (seen.has(id)) break;
      seen.add(id);
      const ref = cur.raw.$ref;
      const r = this.set.resolve(cur.file, ref);
      refName = r.pointer.slice(r.pointer.lastIndexOf('/') + 1) || ref;
      cur = { file: r.file, pointer: r.pointer, raw: r.value };
    }
    return { node: cur, refName };
  }

  view(node: SchemaNode): SchemaView {
    const raw = node.raw;
    if (raw !== null && typeof raw === 'object') {
      const known = this.byRaw.get(raw);
      if (known) return known;
      const v = this.resolveView(node);
      if (!this.building.has(v.key)) this.byRaw.set(raw, v);
      return v;
    }
    return this.resolveView(node);
  }

  private resolveView(node: SchemaNode): SchemaView {
    const { node: target, refName } = this.deref(node);
    const key = `${target.file.location}#${target.pointer}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    if (this.building.has(key)) return this.anyView(target, key); // a schema that contains itself through allOf
    this.building.add(key);
    try {
      const v = this.build(target, key, refName);
      this.cache.set(key, v);
      return v;
    } finally {
      this.building.delete(key);
    }
  }

  private anyView(node: SchemaNode, key: string): SchemaView {
    return base(node, key, undefined);
  }

  private build(node: SchemaNode, key: string, refName: string | undefined): SchemaView {
    const raw = node.raw;
    const v = base(node, key, refName);
    if (raw === false) return { ...v, never: true };
    if (!isObj(raw)) return v;

    const t = raw.type;
    const types =
      typeof t === 'string'
        ? [t]
        : Array.isArray(t)
          ? t.filter((x): x is string => typeof x === 'string')
          : undefined;
    if (types) {
      v.types = new Set(types.filter((x) => x !== 'null'));
      if (types.includes('null')) v.nullable = true;
      if (v.types.size === 0 && v.nullable) v.types = new Set();
    }
    if (raw.nullable === true) v.nullable = true;
    if (Array.isArray(raw.enum)) v.enum = raw.enum;
    if ('const' in raw) v.enum = [raw.const];
    if (v.enum && v.enum.includes(null)) {
      v.nullable = true;
      v.enum = v.enum.filter((x) => x !== null);
    }
    if (isObj(raw.properties)) {
      for (const name of Object.keys(raw.properties))
        v.properties.set(name, {
          file: node.file,
          pointer: child(node.pointer, 'properties', name),
          raw: raw.properties[name],
        });
      v.propertiesAt = { file: node.file, pointer: child(node.pointer, 'properties') };
    }
    if (Array.isArray(raw.required))
      for (const r of raw.required) if (typeof r === 'string') v.required.add(r);
    if (raw.additionalProperties === false || raw.unevaluatedProperties === false) v.additional = 'closed';
    else if (isObj(raw.additionalProperties) && Object.keys(raw.additionalProperties).length > 0)
      v.additional = {
        file: node.file,
        pointer: child(node.pointer, 'additionalProperties'),
        raw: raw.additionalProperties,
      };
    if (raw.items !== undefined && !Array.isArray(raw.items))
      v.items = { file: node.file, pointer: child(node.pointer, 'items'), raw: raw.items };
    if (Array.isArray(raw.oneOf))
      v.oneOf = raw.oneOf.map((s, i) => ({
        file: node.file,
        pointer: child(node.pointer, 'oneOf', i),
        raw: s,
      }));
    if (Array.isArray(raw.anyOf))
      v.anyOf = raw.anyOf.map((s, i) => ({
        file: node.file,
        pointer: child(node.pointer, 'anyOf', i),
        raw: s,
      }));
    for (const k of [...LOWER_BOUNDS, ...UPPER_BOUNDS]) if (typeof raw[k] === 'number') v.bounds[k] = raw[k];
    // OpenAPI 3.0 writes exclusive bounds as booleans next to minimum/maximum.
    if (raw.exclusiveMinimum === true && typeof raw.minimum === 'number') {
      v.bounds.exclusiveMinimum = raw.minimum;
      delete v.bounds.minimum;
    }
    if (raw.exclusiveMaximum === true && typeof raw.maximum === 'number') {
      v.bounds.exclusiveMaximum = raw.maximum;
      delete v.bounds.maximum;
    }
    if (typeof raw.multipleOf === 'number') v.multipleOf = raw.multipleOf;
    if (typeof raw.pattern === 'string') v.pattern = raw.pattern;
    if (typeof raw.format === 'string') v.format = raw.format;
    v.readOnly = raw.readOnly === true;
    v.writeOnly = raw.writeOnly === true;
    v.deprecated = raw.deprecated === true;
    if (typeof raw.description === 'string') v.description = raw.description;
    if (typeof raw.title === 'string') v.title = raw.title;
    if ('default' in raw) v.default = { value: raw.default };
    if (raw.discriminator !== undefined) v.discriminator = JSON.stringify(raw.discriminator);

    // allOf members, and a $ref with constraining siblings (3.1), are merged into one view.
    const members: SchemaNode[] = [];
    if (Array.isArray(raw.allOf))
      raw.allOf.forEach((s, i) =>
        members.push({ file: node.file, pointer: child(node.pointer, 'allOf', i), raw: s }),
      );
    if (typeof raw.$ref === 'string')
      members.push({ file: node.file, pointer: node.pointer, raw: { $ref: raw.$ref } });
    for (const m of members) merge(v, this.view(m));
    return v;
  }
}

let nextId = 0;

function base(node: SchemaNode, key: string, refName: string | undefined): SchemaView {
  return {
    key,
    id: ++nextId,
    file: node.file,
    pointer: node.pointer,
    raw: node.raw,
    never: false,
    types: undefined,
    nullable: false,
    enum: undefined,
    properties: new Map(),
    propertiesAt: { file: node.file, pointer: node.pointer },
    required: new Set(),
    additional: 'open',
    items: undefined,
    oneOf: undefined,
    anyOf: undefined,
    bounds: {},
    multipleOf: undefined,
    pattern: undefined,
    format: undefined,
    readOnly: false,
    writeOnly: false,
    deprecated: false,
    description: undefined,
    default: undefined,
    discriminator: undefined,
    refName,
    title: undefined,
  };
}

/** Narrows `into` by `m` (an allOf member): both must hold. */
function merge(into: SchemaView, m: SchemaView): void {
  if (m.never) into.never = true;
  if (m.types) {
    if (!into.types) {
      into.types = new Set(m.types);
      // An untyped wrapper's `nullable: true` around `allOf: [$ref]` is the OpenAPI 3.0 idiom for a nullable reference.
      into.nullable ||= m.nullable;
    } else {
      const out = new Set<string>();
      for (const t of into.types) {
        if (m.types.has(t)) out.add(t);
        else if (t === 'number' && m.types.has('integer')) out.add('integer');
        else if (t === 'integer' && m.types.has('number')) out.add('integer');
      }
      into.types = out;
      // null survives an intersection only when both sides allow it.
      into.nullable &&= m.nullable;
    }
  } else if (m.nullable && !into.types) {
    into.nullable = true;
  }
  if (m.enum)
    into.enum = into.enum
      ? into.enum.filter((x) => m.enum!.some((y) => JSON.stringify(y) === JSON.stringify(x)))
      : [...m.enum];
  for (const [name, node] of m.properties) if (!into.properties.has(name)) into.properties.set(name, node);
  if (
    m.properties.size > 0 &&
    into.propertiesAt.pointer === into.pointer &&
    into.propertiesAt.file === into.file
  )
    into.propertiesAt = m.propertiesAt;
  for (const r of m.required) into.required.add(r);
  if (m.additional === 'closed') into.additional = 'closed';
  else if (m.additional !== 'open' && into.additional === 'open') into.additional = m.additional;
  into.items ??= m.items;
  into.oneOf ??= m.oneOf;
  into.anyOf ??= m.anyOf;
  for (const k of LOWER_BOUNDS)
    if (m.bounds[k] !== undefined) into.bounds[k] = Math.max(into.bounds[k] ?? -Infinity, m.bounds[k]!);
  for (const k of UPPER_BOUNDS)
    if (m.bounds[k] !== undefined) into.bounds[k] = Math.min(into.bounds[k] ?? Infinity, m.bounds[k]!);
  into.multipleOf ??= m.multipleOf;
  into.pattern ??= m.pattern;
  into.format ??= m.format;
  into.readOnly ||= m.readOnly;
  into.writeOnly ||= m.writeOnly;
  into.deprecated ||= m.deprecated;
  into.description ??= m.description;
  into.default ??= m.default;
  into.discriminator ??= m.discriminator;
  into.title ??= m.title;
  into.refName ??= m.refName;
}
