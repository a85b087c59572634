import { ChangeCollector } from './change.js';
import { child } from './pointer.js';
import { derefNode, type SpecNode, type SpecSet } from './refs.js';
import type { Place, SchemaDiffer } from './schema-diff.js';
import type { SpecFile } from './source.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

type Node = SpecNode;

/** `/users/{id}` and `/users/{userId}` are one endpoint: parameter names in templates do not change the URL. */
export function pathKey(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '') || '/';
}

const deref = derefNode;

function at(n: Node, ...segs: (string | number)[]): Place {
  return { file: n.file, pointer: child(n.pointer, ...segs) };
}

function member(n: Node, key: string): Node | undefined {
  const v = n.value[key];
  return isObj(v) ? { file: n.file, pointer: child(n.pointer, key), value: v } : undefined;
}

function isSuccess(status: string): boolean {
  return /^2(\d\d|XX)$/i.test(status);
}

/** Compares two OpenAPI 3.0/3.1 documents: paths, operations, parameters, bodies, responses, headers and every schema below. */
export function diffOpenApi(base: SpecSet, rev: SpecSet, differ: SchemaDiffer, out: ChangeCollector): void {
  const b: Node = { file: base.entry, pointer: '', value: base.entry.value as Obj };
  const r: Node = { file: rev.entry, pointer: '', value: rev.entry.value as Obj };
  const bPaths = member(b, 'paths') ?? { ...b, pointer: '/paths', value: {} };
  const rPaths = member(r, 'paths') ?? { ...r, pointer: '/paths', value: {} };
  const rByKey = new Map(Object.keys(rPaths.value).map((p) => [pathKey(p), p]));
  const bByKey = new Map(Object.keys(bPaths.value).map((p) => [pathKey(p), p]));

  for (const [key, bp] of bByKey) {
    const bItem = deref(base, member(bPaths, bp)!);
    const rp = rByKey.get(key);
    if (rp === undefined) {
      const ops = METHODS.filter((m) => isObj(bItem.value[m]));
      if (ops.length > 0 && ops.every((m) => (bItem.value[m] as Obj).deprecated === true)) {
        for (const m of ops)
          out.add(
            'openapi.operation.removed-deprecated',
            undefined,
            `${m.toUpperCase()} ${bp} removed (it was deprecated)`,
            at(rPaths),
            { operation: `${m.toUpperCase()} ${bp}`, was: at(bItem, m) },
          );
      } else {
        out.add(
          'openapi.path.removed',
          undefined,
          `path ${bp} removed (${ops.map((m) => m.toUpperCase()).join(', ') || 'no operations'})`,
          at(rPaths),
          { operation: bp, was: at(bItem) },
        );
      }
      continue;
    }
    const rItem = deref(rev, member(rPaths, rp)!);
    for (const m of METHODS) {
      const bOp = member(bItem, m);
      const rOp = member(rItem, m);
      const op = `${m.toUpperCase()} ${rp}`;
      if (bOp && !rOp) {
        const deprecated = bOp.value.deprecated === true;
        out.add(
          deprecated ? 'openapi.operation.removed-deprecated' : 'openapi.operation.removed',
          undefined,
          `${op} removed${deprecated ? ' (it was deprecated)' : ''}`,
          at(rItem),
          { operation: op, was: at(bOp) },
        );
      } else if (!bOp && rOp) {
        out.add('openapi.operation.added', undefined, `${op} added`, at(rOp), { operation: op });
      } else if (bOp && rOp) {
        diffOperation(
          base,
          rev,
          differ,
          out,
          op,
          { item: bItem, op: bOp, path: bp },
          { item: rItem, op: rOp, path: rp },
        );
      }
    }
  }
  for (const [key, rp] of rByKey) {
    if (!bByKey.has(key))
      out.add('openapi.path.added', undefined, `path ${rp} added`, at(rPaths, rp), { operation: rp });
  }

  const bVer = String(b.value.openapi).split('.').slice(0, 2).join('.');
  const rVer = String(r.value.openapi).split('.').slice(0, 2).join('.');
  if (bVer !== rVer)
    out.add(
      'contract.spec-version.changed',
      undefined,
      `OpenAPI ${b.value.openapi} → ${r.value.openapi}`,
      at(r, 'openapi'),
    );
  const bInfo = member(b, 'info')?.value ?? {};
  const rInfo = member(r, 'info');
  if (rInfo && bInfo.version !== undefined && String(bInfo.version) !== String(rInfo.value.version))
    out.add(
      'contract.version.changed',
      undefined,
      `info.version ${String(bInfo.version)} → ${String(rInfo.value.version)}`,
      at(rInfo, 'version'),
    );
}

interface Side {
  item: Node;
  op: Node;
  path: string;
}

function diffOperation(
  base: SpecSet,
  rev: SpecSet,
  differ: SchemaDiffer,
  out: ChangeCollector,
  op: string,
  b: Side,
  r: Side,
): void {
  if (b.op.value.deprecated !== true && r.op.value.deprecated === true)
    out.add('openapi.operation.deprecated', undefined, `${op} deprecated`, at(r.op, 'deprecated'), {
      operation: op,
    });
  if (
    b.op.value.operationId !== undefined &&
    r.op.value.operationId !== undefined &&
    b.op.value.operationId !== r.op.value.operationId
  ) {
    out.add(
      'openapi.operation.id-changed',
      undefined,
      `operationId ${String(b.op.value.operationId)} → ${String(r.op.value.operationId)}`,
      at(r.op, 'operationId'),
      { operation: op },
    );
  }
  const sec = (s: Side, set: SpecSet): unknown[] => {
    const v = s.op.value.security ?? (set.entry.value as Obj).security;
    return Array.isArray(v) ? v : [];
  };
  // Each requirement object is an alternative; no requirements at all is the anonymous alternative.
  const alternatives = (reqs: unknown[]): Map<string, Set<string>>[] =>
    (reqs.length === 0 ? [{}] : reqs)
      .filter(isObj)
      .map(
        (x) =>
          new Map(Object.entries(x).map(([k, v]) => [k, new Set(Array.isArray(v) ? v.map(String) : [])])),
      );
  // A caller who satisfied alternative `a` still gets in when some new alternative asks for no more than `a` gave.
  const stillSatisfied = (a: Map<string, Set<string>>, now: Map<string, Set<string>>[]) =>
    now.some((r) => [...r].every(([k, scopes]) => a.has(k) && [...scopes].every((s) => a.get(k)!.has(s))));
  const bs = sec(b, base);
  const rs = sec(r, rev);
  if (JSON.stringify(bs) !== JSON.stringify(rs)) {
    const where = at(r.op, r.op.value.security ? 'security' : '');
    const before = alternatives(bs);
    const after = alternatives(rs);
    const lost = before.filter((a) => !stillSatisfied(a, after));
    if (lost.some((a) => a.size === 0))
      out.add(
        'openapi.security.anonymous-access-removed',
        'request',
        'the operation no longer accepts anonymous callers',
        where,
        { operation: op },
      );
    else if (lost.length > 0)
      out.add(
        'openapi.security.requirement-removed',
        'request',
        `callers authenticated with ${lost.map((a) => [...a.keys()].join(' + ')).join(' or ')} are no longer accepted`,
        where,
        { operation: op },
      );
    else
      out.add(
        'openapi.security.changed',
        undefined,
        'security requirements changed (every earlier caller is still accepted)',
        where,
        { operation: op },
      );
  }

  diffParameters(base, rev, differ, out, op, b, r);
  diffRequestBody(base, rev, differ, out, op, b, r);
  diffResponses(base, rev, differ, out, op, b, r);
}

interface Param {
  node: Node;
  name: string;
  in: string;
}

function parameters(set: SpecSet, s: Side): Map<string, Param> {
  const out = new Map<string, Param>();
  const template = [...s.path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  for (const owner of [s.item, s.op]) {
    const list = owner.value.parameters;
    if (!Array.isArray(list)) continue;
    list.forEach((p, i) => {
      if (!isObj(p)) return;
      const node = deref(set, { file: owner.file, pointer: child(owner.pointer, 'parameters', i), value: p });
      const name = String(node.value.name ?? '');
      const where = String(node.value.in ?? '');
      // Path parameters are matched by their place in the template; header names are case-insensitive.
      const key =
        where === 'path'
          ? `path:${template.indexOf(name)}`
          : `${where}:${where === 'header' ? name.toLowerCase() : name}`;
      out.set(key, { node, name, in: where });
    });
  }
  return out;
}

function paramSchema(p: Param): { file: SpecFile; pointer: string; raw: unknown } | undefined {
  if (p.node.value.schema !== undefined)
    return { file: p.node.file, pointer: child(p.node.pointer, 'schema'), raw: p.node.value.schema };
  const content = member(p.node, 'content');
  const first = content && Object.keys(content.value)[0];
  if (content && first && isObj(content.value[first]) && (content.value[first] as Obj).schema !== undefined) {
    return {
      file: p.node.file,
      pointer: child(content.pointer, first, 'schema'),
      raw: (content.value[first] as Obj).schema,
    };
  }
  return undefined;
}

function diffParameters(
  base: SpecSet,
  rev: SpecSet,
  differ: SchemaDiffer,
  out: ChangeCollector,
  op: string,
  b: Side,
  r: Side,
): void {
  const bp = parameters(base, b);
  const rp = parameters(rev, r);
  const listAt = (s: Side): Place =>
    Array.isArray(s.op.value.parameters)
      ? at(s.op, 'parameters')
      : Array.isArray(s.item.value.parameters)
        ? at(s.item, 'parameters')
        : at(s.op);
  for (const [key, p] of bp) {
    const q = rp.get(key);
    if (!q) {
      out.add('openapi.parameter.removed', 'request', `${p.in} parameter ${p.name} removed`, listAt(r), {
        operation: op,
        was: at(p.node),
      });
      continue;
    }
    const wasReq = p.node.value.required === true || p.in === 'path';
    const isReq = q.node.value.required === true || q.in === 'path';
    if (wasReq !== isReq)
      out.add(
        isReq ? 'openapi.parameter.became-required' : 'openapi.parameter.became-optional',
        'request',
        `${q.in} parameter ${q.name} became ${isReq ? 'required' : 'optional'}`,
        at(q.node),
        { operation: op },
      );
    const bs = paramSchema(p);
    const rs = paramSchema(q);
    if (bs && rs)
      out.addSchema(differ.compare(bs, rs, 'request', 'openapi.request'), op, `${q.in} parameter ${q.name}`);
  }
  for (const [key, q] of rp) {
    if (bp.has(key)) continue;
    const req = q.node.value.required === true || q.in === 'path';
    out.add(
      req ? 'openapi.parameter.required-added' : 'openapi.parameter.added',
      'request',
      `${req ? 'required' : 'optional'} ${q.in} parameter ${q.name} added`,
      at(q.node),
      { operation: op },
    );
  }
}

function diffContent(
  differ: SchemaDiffer,
  out: ChangeCollector,
  op: string,
  bc: Node,
  rc: Node,
  direction: 'request' | 'response',
  label: string,
): void {
  const mtRule = direction === 'request' ? 'openapi.request-body.media-type' : 'openapi.response.media-type';
  for (const mt of Object.keys(bc.value)) {
    const rm = member(rc, mt);
    if (!rm) {
      out.add(`${mtRule}.removed`, direction, `${label}: media type ${mt} removed`, at(rc), {
        operation: op,
        was: at(bc, mt),
      });
      continue;
    }
    const bm = member(bc, mt);
    if (!bm) continue;
    if (bm.value.schema !== undefined && rm.value.schema !== undefined) {
      const changes = differ.compare(
        { file: bm.file, pointer: child(bm.pointer, 'schema'), raw: bm.value.schema },
        { file: rm.file, pointer: child(rm.pointer, 'schema'), raw: rm.value.schema },
        direction,
        direction === 'request' ? 'openapi.request' : 'openapi.response',
      );
      out.addSchema(changes, op, `${label} ${mt}`);
    }
  }
  for (const mt of Object.keys(rc.value))
    if (!(mt in bc.value))
      out.add(`${mtRule}.added`, direction, `${label}: media type ${mt} added`, at(rc, mt), {
        operation: op,
      });
}

function diffRequestBody(
  base: SpecSet,
  rev: SpecSet,
  differ: SchemaDiffer,
  out: ChangeCollector,
  op: string,
  b: Side,
  r: Side,
): void {
  const bb = member(b.op, 'requestBody');
  const rb = member(r.op, 'requestBody');
  if (!bb && !rb) return;
  if (bb && !rb) {
    out.add('openapi.request-body.removed', 'request', 'request body removed', at(r.op), {
      operation: op,
      was: at(bb),
    });
    return;
  }
  const rr = deref(rev, rb!);
  if (!bb) {
    const req = rr.value.required === true;
    out.add(
      req ? 'openapi.request-body.required-added' : 'openapi.request-body.added',
      'request',
      `${req ? 'required' : 'optional'} request body added`,
      at(rb!),
      { operation: op },
    );
    return;
  }
  const br = deref(base, bb);
  const wasReq = br.value.required === true;
  const isReq = rr.value.required === true;
  if (wasReq !== isReq)
    out.add(
      isReq ? 'openapi.request-body.became-required' : 'openapi.request-body.became-optional',
      'request',
      `request body became ${isReq ? 'required' : 'optional'}`,
      at(rr, 'required'),
      { operation: op },
    );
  const bc = member(br, 'content');
  const rc = member(rr, 'content');
  if (bc && rc) diffContent(differ, out, op, bc, rc, 'request', 'request body');
}

function diffResponses(
  base: SpecSet,
  rev: SpecSet,
  differ: SchemaDiffer,
  out: ChangeCollector,
  op: string,
  b: Side,
  r: Side,
): void {
  const bResp = member(b.op, 'responses');
  const rResp = member(r.op, 'responses') ?? {
    ...r.op,
    pointer: child(r.op.pointer, 'responses'),
    value: {},
  };
  if (!bResp) return;
  const norm = (s: string) => s.toUpperCase();
  const rCodes = new Map(Object.keys(rResp.value).map((c) => [norm(c), c]));
  const bCodes = new Set(Object.keys(bResp.value).map(norm));
  for (const code of Object.keys(bResp.value)) {
    const rc = rCodes.get(norm(code));
    if (rc === undefined) {
      const success = isSuccess(code);
      out.add(
        success ? 'openapi.response.status.removed' : 'openapi.response.error-status.removed',
        'response',
        `response ${code} removed`,
        at(rResp),
        { operation: op, was: at(bResp, code) },
      );
      continue;
    }
    const br = deref(base, member(bResp, code)!);
    const rr = deref(rev, member(rResp, rc)!);
    diffHeaders(base, rev, differ, out, op, code, br, rr);
    const bc = member(br, 'content');
    const rcn = member(rr, 'content');
    if (bc && rcn) diffContent(differ, out, op, bc, rcn, 'response', `response ${rc}`);
    else if (bc && !rcn)
      for (const mt of Object.keys(bc.value))
        out.add(
          'openapi.response.media-type.removed',
          'response',
          `response ${rc}: media type ${mt} removed`,
          at(rr),
          { operation: op, was: at(bc, mt) },
        );
    else if (!bc && rcn)
      for (const mt of Object.keys(rcn.value))
        out.add(
          'openapi.response.media-type.added',
          'response',
          `response ${rc}: media type ${mt} added`,
          at(rcn, mt),
          { operation: op },
        );
  }
  for (const [n, code] of rCodes)
    if (!bCodes.has(n))
      out.add('openapi.response.status.added', 'response', `response ${code} added`, at(rResp, code), {
        operation: op,
      });
}

function diffHeaders(
  base: SpecSet,
  rev: SpecSet,
  differ: SchemaDiffer,
  out: ChangeCollector,
  op: string,
  code: string,
  br: Node,
  rr: Node,
): void {
  const bh = member(br, 'headers');
  const rh = member(rr, 'headers');
  if (!bh && !rh) return;
  const rByName = new Map(Object.keys(rh?.value ?? {}).map((h) => [h.toLowerCase(), h]));
  const bNames = new Set(Object.keys(bh?.value ?? {}).map((h) => h.toLowerCase()));
  for (const name of Object.keys(bh?.value ?? {})) {
    const rn = rByName.get(name.toLowerCase());
    if (rn === undefined) {
      out.add(
        'openapi.response.header.removed',
        'response',
        `response ${code}: header ${name} removed`,
        rh ? at(rh) : at(rr),
        { operation: op, was: at(bh!, name) },
      );
      continue;
    }
    const bn = deref(base, member(bh!, name)!);
    const rnode = deref(rev, member(rh!, rn)!);
    const wasReq = bn.value.required === true;
    const isReq = rnode.value.required === true;
    if (wasReq !== isReq)
      out.add(
        isReq ? 'openapi.response.header.became-required' : 'openapi.response.header.became-optional',
        'response',
        `response ${code}: header ${rn} became ${isReq ? 'required' : 'optional'}`,
        at(rnode),
        { operation: op },
      );
    if (bn.value.schema !== undefined && rnode.value.schema !== undefined) {
      out.addSchema(
        differ.compare(
          { file: bn.file, pointer: child(bn.pointer, 'schema'), raw: bn.value.schema },
          { file: rnode.file, pointer: child(rnode.pointer, 'schema'), raw: rnode.value.schema },
          'response',
          'openapi.response',
        ),
        op,
        `response ${code} header ${rn}`,
      );
    }
  }
  for (const [n, name] of rByName)
    if (!bNames.has(n))
      out.add(
        'openapi.response.header.added',
        'response',
        `response ${code}: header ${name} added`,
        at(rh!, name),
        { operation: op },
      );
}
