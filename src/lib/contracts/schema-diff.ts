import { get } from './pointer.js';
import type { Direction, PropertyContext } from './rules.js';
import type { SpecFile } from './source.js';
import {
  LOWER_BOUNDS,
  UPPER_BOUNDS,
  type SchemaNode,
  type SchemaView,
  type ViewBuilder,
} from './schema-view.js';

export interface Place {
  file: SpecFile;
  pointer: string;
}

/** A change found inside a schema, before the caller says which operation or message it belongs to. */
export interface SchemaChange {
  rule: string;
  direction: Direction;
  /** Dotted path of the value inside the schema ('' for the schema itself; `[]` for array items, `*` for additional properties). */
  field: string;
  detail: string;
  /** Where it is in the revision (the declared document). */
  at: Place;
  /** Where it was in the base, when that helps a reader. */
  was?: Place;
}

const ALL_TYPES = new Set(['string', 'number', 'boolean', 'object', 'array']);
const accepts = (set: Set<string>, t: string) => set.has(t) || (t === 'integer' && set.has('number'));
const canon = (v: unknown) => JSON.stringify(v);
const typeText = (v: SchemaView) => (v.types ? [...v.types].sort().join('|') || 'null' : 'any');

function joinField(prefix: string, rest: string): string {
  if (!prefix) return rest;
  if (!rest) return prefix;
  return rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest}`;
}

/**
 * Compares two schemas in one direction and lists every change with its rule id. Results are
 * memoized per (base, revision, direction, context), so a component referenced by hundreds of
 * operations is compared once, and a schema that refers to itself ends the walk instead of looping.
 */
export class SchemaDiffer {
  private readonly memo = new Map<string, SchemaChange[]>();
  private readonly active = new Set<string>();

  constructor(
    readonly base: ViewBuilder,
    readonly rev: ViewBuilder,
  ) {}

  compare(b: SchemaNode, r: SchemaNode, direction: Direction, ctx: PropertyContext): SchemaChange[] {
    const bv = this.base.view(b);
    const rv = this.rev.view(r);
    const key = `${bv.id}|${rv.id}|${direction}|${ctx}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    if (this.active.has(key)) return [];
    this.active.add(key);
    const out: SchemaChange[] = [];
    try {
      this.diffViews(bv, rv, direction, ctx, out);
    } finally {
      this.active.delete(key);
    }
    this.memo.set(key, out);
    return out;
  }

  private nested(
    b: SchemaNode,
    r: SchemaNode,
    direction: Direction,
    ctx: PropertyContext,
    field: string,
    out: SchemaChange[],
  ): void {
    for (const c of this.compare(b, r, direction, ctx))
      out.push(c.field === '' && field === '' ? c : { ...c, field: joinField(field, c.field) });
  }

  private diffViews(
    bv: SchemaView,
    rv: SchemaView,
    dir: Direction,
    ctx: PropertyContext,
    out: SchemaChange[],
  ): void {
    const at: Place = { file: rv.file, pointer: rv.pointer };
    const was: Place = { file: bv.file, pointer: bv.pointer };
    const emit = (rule: string, detail: string, where: Place = at, field = '') =>
      out.push({ rule, direction: dir, field, detail, at: where, was });
    // Value changes point at the keyword's own line when the schema spells it out.
    const kw = (...keys: string[]): Place => {
      const raw = rv.raw;
      if (raw !== null && typeof raw === 'object')
        for (const k of keys) if (k in raw) return { file: rv.file, pointer: `${rv.pointer}/${k}` };
      return at;
    };

    if (bv.never !== rv.never) {
      emit(
        rv.never ? 'schema.type.narrowed' : 'schema.type.widened',
        rv.never ? 'schema became false (nothing is valid)' : 'schema is no longer false',
      );
      return;
    }

    // Variants first: a schema wrapped into oneOf/anyOf is compared variant by variant, not as a type change.
    for (const kind of ['oneOf', 'anyOf'] as const) {
      if (!bv[kind] && !rv[kind]) continue;
      const wrapped = !bv[kind] || !rv[kind];
      this.compareVariants(kind, bv, rv, dir, ctx, out);
      if (wrapped) return;
    }

    // Types
    const bt = bv.types ?? ALL_TYPES;
    const rt = rv.types ?? ALL_TYPES;
    const revInBase = [...rt].every((t) => accepts(bt, t));
    const baseInRev = [...bt].every((t) => accepts(rt, t));
    if (!(revInBase && baseInRev)) {
      const detail = `type ${typeText(bv)} → ${typeText(rv)}`;
      if (revInBase) emit('schema.type.narrowed', detail, kw('type'));
      else if (baseInRev) emit('schema.type.widened', detail, kw('type'));
      else {
        emit('schema.type.changed', detail, kw('type'));
        return; // what lies below an incompatible type change is noise
      }
    }
    if (bv.types && rv.types && bv.nullable !== rv.nullable)
      emit(
        rv.nullable ? 'schema.nullable.added' : 'schema.nullable.removed',
        rv.nullable ? 'null is now allowed' : 'null is no longer allowed',
        kw('nullable', 'type'),
      );

    // Enums
    if (bv.enum && !rv.enum)
      emit(
        'schema.enum.removed',
        `enum restriction removed (was ${bv.enum.map(canon).join(', ')})`,
        kw('type'),
      );
    else if (!bv.enum && rv.enum)
      emit('schema.enum.added', `restricted to ${rv.enum.map(canon).join(', ')}`, kw('enum', 'const'));
    else if (bv.enum && rv.enum) {
      const bs = new Set(bv.enum.map(canon));
      const rs = new Set(rv.enum.map(canon));
      for (const x of bs)
        if (!rs.has(x)) emit('schema.enum.value-removed', `enum value ${x} removed`, kw('enum', 'const'));
      for (const x of rs)
        if (!bs.has(x)) emit('schema.enum.value-added', `enum value ${x} added`, kw('enum', 'const'));
    }

    // Value constraints
    if (bv.format !== rv.format) {
      if (bv.format === undefined) emit('schema.format.added', `format ${rv.format} set`, kw('format'));
      else if (rv.format === undefined) emit('schema.format.removed', `format ${bv.format} removed`);
      else emit('schema.format.changed', `format ${bv.format} → ${rv.format}`, kw('format'));
    }
    if (bv.pattern !== rv.pattern) {
      if (bv.pattern === undefined) emit('schema.pattern.added', `pattern ${rv.pattern} set`, kw('pattern'));
      else if (rv.pattern === undefined) emit('schema.pattern.removed', `pattern ${bv.pattern} removed`);
      else emit('schema.pattern.changed', `pattern ${bv.pattern} → ${rv.pattern}`, kw('pattern'));
    }
    for (const k of LOWER_BOUNDS)
      this.bound(k, bv.bounds[k], rv.bounds[k], true, (rule, detail) => emit(rule, detail, kw(k)));
    for (const k of UPPER_BOUNDS)
      this.bound(k, bv.bounds[k], rv.bounds[k], false, (rule, detail) => emit(rule, detail, kw(k)));
    if (bv.multipleOf !== rv.multipleOf) {
      if (bv.multipleOf === undefined)
        emit('schema.bound.narrowed', `multipleOf ${rv.multipleOf} set`, kw('multipleOf'));
      else if (rv.multipleOf === undefined)
        emit('schema.bound.widened', `multipleOf ${bv.multipleOf} removed`);
      else
        emit(
          'schema.multiple-of.changed',
          `multipleOf ${bv.multipleOf} → ${rv.multipleOf}`,
          kw('multipleOf'),
        );
    }

    this.compareObject(bv, rv, dir, ctx, out, emit);

    // Arrays
    if (bv.items && rv.items) this.nested(bv.items, rv.items, dir, ctx, '[]', out);
    else if (bv.items && !rv.items) emit('schema.items.removed', 'array items are no longer described');
    else if (!bv.items && rv.items)
      emit('schema.items.added', 'array items are now constrained', {
        file: rv.items.file,
        pointer: rv.items.pointer,
      });

    // Annotations
    if ((bv.description ?? '') !== (rv.description ?? '') || (bv.title ?? '') !== (rv.title ?? ''))
      emit('schema.description.changed', 'description or title changed', kw('description', 'title'));
    if (canon(bv.default?.value) !== canon(rv.default?.value))
      emit(
        'schema.default.changed',
        `default ${canon(bv.default?.value) ?? 'none'} → ${canon(rv.default?.value) ?? 'none'}`,
        kw('default'),
      );
    if (bv.deprecated !== rv.deprecated)
      emit(
        'schema.deprecated.changed',
        rv.deprecated ? 'deprecated' : 'no longer deprecated',
        kw('deprecated'),
      );
    if (bv.discriminator !== rv.discriminator)
      emit('schema.discriminator.changed', 'discriminator changed', kw('discriminator'));
    if (bv.readOnly !== rv.readOnly || bv.writeOnly !== rv.writeOnly)
      emit(
        'schema.read-only.changed',
        `readOnly ${bv.readOnly} → ${rv.readOnly}, writeOnly ${bv.writeOnly} → ${rv.writeOnly}`,
      );
  }

  private bound(
    k: string,
    b: number | undefined,
    r: number | undefined,
    lower: boolean,
    emit: (rule: string, detail: string) => void,
  ): void {
    if (b === r) return;
    const tighter = b === undefined ? true : r === undefined ? false : lower ? r > b : r < b;
    const detail =
      b === undefined ? `${k} ${r} set` : r === undefined ? `${k} ${b} removed` : `${k} ${b} → ${r}`;
    emit(tighter ? 'schema.bound.narrowed' : 'schema.bound.widened', detail);
  }

  /** Properties a side of the wire never carries: readOnly ones are not sent in requests, writeOnly ones not in responses. */
  private invisible(node: SchemaNode, builder: ViewBuilder, dir: Direction): boolean {
    const v = builder.view(node);
    return dir === 'request' ? v.readOnly : v.writeOnly;
  }

  private compareObject(
    bv: SchemaView,
    rv: SchemaView,
    dir: Direction,
    ctx: PropertyContext,
    out: SchemaChange[],
    emit: (rule: string, detail: string, where?: Place, field?: string) => void,
  ): void {
    for (const [name, bp] of bv.properties) {
      const rp = rv.properties.get(name);
      if (!rp) {
        if (this.invisible(bp, this.base, dir)) continue;
        const closed = dir === 'request' && rv.additional === 'closed';
        emit(
          `${ctx}.property.${closed ? 'removed-closed' : 'removed'}`,
          `property removed${bv.required.has(name) ? ' (it was required)' : ''}`,
          rv.propertiesAt,
          name,
        );
        continue;
      }
      const hidden = this.invisible(rp, this.rev, dir) && this.invisible(bp, this.base, dir);
      if (!hidden) {
        const wasReq = bv.required.has(name);
        const isReq = rv.required.has(name);
        if (wasReq !== isReq)
          emit(
            `${ctx}.property.${isReq ? 'became-required' : 'became-optional'}`,
            isReq ? 'property became required' : 'property became optional',
            { file: rp.file, pointer: rp.pointer },
            name,
          );
      }
      this.nested(bp, rp, dir, ctx, name, out);
    }
    for (const [name, rp] of rv.properties) {
      if (bv.properties.has(name)) continue;
      if (this.invisible(rp, this.rev, dir)) continue;
      const req = rv.required.has(name);
      emit(
        `${ctx}.property.${req ? 'required-added' : 'added'}`,
        req ? 'required property added' : 'optional property added',
        { file: rp.file, pointer: rp.pointer },
        name,
      );
    }
    // Required names without a declared property still constrain the object.
    for (const name of rv.required) {
      if (!bv.required.has(name) && !rv.properties.has(name) && !bv.properties.has(name))
        emit(`${ctx}.property.required-added`, 'required property added', at(rv), name);
    }
    const rank = (a: SchemaView['additional']) => (a === 'closed' ? 0 : a === 'open' ? 2 : 1);
    if (typeof bv.additional === 'object' && typeof rv.additional === 'object')
      this.nested(bv.additional, rv.additional, dir, ctx, '*', out);
    else if (rank(bv.additional) > rank(rv.additional))
      emit(
        'schema.additional-properties.narrowed',
        rv.additional === 'closed'
          ? 'unknown properties are no longer accepted'
          : 'unknown properties are now constrained',
      );
    else if (rank(bv.additional) < rank(rv.additional))
      emit(
        'schema.additional-properties.widened',
        rv.additional === 'open'
          ? 'unknown properties are now accepted'
          : 'unknown properties are less constrained',
      );
  }

  private compareVariants(
    kind: 'oneOf' | 'anyOf',
    bv: SchemaView,
    rv: SchemaView,
    dir: Direction,
    ctx: PropertyContext,
    out: SchemaChange[],
  ): void {
    const self = (v: SchemaView): SchemaNode => ({
      file: v.file,
      pointer: v.pointer,
      raw: get(v.file.value, v.pointer),
    });
    const bVars = bv[kind] ?? [self(bv)];
    const rVars = rv[kind] ?? [self(rv)];
    const slug = kind === 'oneOf' ? 'one-of' : 'any-of';
    const bViews = bVars.map((n) => this.base.view(n));
    const rViews = rVars.map((n) => this.rev.view(n));
    const pairs: [number, number][] = [];
    const bFree = new Set(bVars.keys());
    const rFree = new Set(rVars.keys());
    const pass = (same: (b: SchemaView, r: SchemaView) => boolean) => {
      for (const i of [...bFree]) {
        for (const j of rFree) {
          if (same(bViews[i]!, rViews[j]!)) {
            pairs.push([i, j]);
            bFree.delete(i);
            rFree.delete(j);
            break;
          }
        }
      }
    };
    pass((b, r) => b.refName !== undefined && b.refName === r.refName);
    pass((b, r) => b.title !== undefined && b.title === r.title);
    pass((b, r) => fingerprint(b) === fingerprint(r));
    // What is left: pair by the fewest differences, but never across incompatible types.
    if (bFree.size > 0 && rFree.size > 0) {
      const candidates: { i: number; j: number; cost: number }[] = [];
      for (const i of bFree)
        for (const j of rFree) {
          if (!typesOverlap(bViews[i]!, rViews[j]!)) continue;
          candidates.push({ i, j, cost: this.compare(bVars[i]!, rVars[j]!, dir, ctx).length });
        }
      candidates.sort((x, y) => x.cost - y.cost);
      for (const c of candidates) {
        if (!bFree.has(c.i) || !rFree.has(c.j)) continue;
        pairs.push([c.i, c.j]);
        bFree.delete(c.i);
        rFree.delete(c.j);
      }
    }
    for (const [i, j] of pairs) this.nested(bVars[i]!, rVars[j]!, dir, ctx, '', out);
    const where: Place = { file: rv.file, pointer: rv[kind] ? `${rv.pointer}/${kind}` : rv.pointer };
    for (const i of bFree)
      out.push({
        rule: `schema.${slug}.variant-removed`,
        direction: dir,
        field: '',
        detail: `${kind} variant ${label(bViews[i]!, i)} removed`,
        at: where,
        was: { file: bViews[i]!.file, pointer: bViews[i]!.pointer },
      });
    for (const j of rFree)
      out.push({
        rule: `schema.${slug}.variant-added`,
        direction: dir,
        field: '',
        detail: `${kind} variant ${label(rViews[j]!, j)} added`,
        at: { file: rVars[j]!.file, pointer: rVars[j]!.pointer },
      });
  }
}

function at(v: SchemaView): Place {
  return { file: v.file, pointer: v.pointer };
}

function fingerprint(v: SchemaView): string {
  return JSON.stringify([
    v.types ? [...v.types].sort() : null,
    [...v.properties.keys()].sort(),
    v.enum ?? null,
    v.format ?? null,
  ]);
}

function typesOverlap(a: SchemaView, b: SchemaView): boolean {
  if (!a.types || !b.types) return true;
  for (const t of a.types) if (accepts(b.types, t) || (t === 'number' && b.types.has('integer'))) return true;
  return false;
}

function label(v: SchemaView, index: number): string {
  return v.refName ?? v.title ?? `#${index}`;
}
