import type { ChangeCollector } from './change.js';
import { child } from './pointer.js';
import { derefNode, type SpecNode, type SpecSet } from './refs.js';
import type { Direction } from './rules.js';
import type { Place, SchemaDiffer } from './schema-diff.js';
import type { SpecFile } from './source.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

type Node = SpecNode;

/** What a service does on a channel, the same for AsyncAPI 2 (publish/subscribe) and 3 (send/receive). */
interface Flow {
  address: string;
  /** From the service's side: it sends (consumers read: response semantics) or receives (request semantics). */
  action: 'send' | 'receive';
  at: Node;
  messages: Map<string, Node>;
}

interface Channel {
  address: string;
  at: Node;
}

const JSON_SCHEMA_FORMATS =
  /^application\/(schema\+json|schema\+yaml|vnd\.aai\.asyncapi(\+json|\+yaml)?)(;.*)?$/;

const deref = derefNode;

function member(n: Node, key: string | number): Node | undefined {
  const v = Array.isArray(n.value) ? (n.value as unknown[])[key as number] : n.value[key];
  return isObj(v) ? { file: n.file, pointer: child(n.pointer, key), value: v } : undefined;
}

function messageKey(m: Node, fallback: string): string {
  return typeof m.value.name === 'string'
    ? m.value.name
    : typeof m.value.messageId === 'string'
      ? m.value.messageId
      : typeof m.value.title === 'string'
        ? m.value.title
        : fallback;
}

function read(set: SpecSet): { channels: Map<string, Channel>; flows: Map<string, Flow> } {
  const root: Node = { file: set.entry, pointer: '', value: set.entry.value as Obj };
  const channels = new Map<string, Channel>();
  const flows = new Map<string, Flow>();
  const chans = member(root, 'channels');
  const v3 = String(root.value.asyncapi).startsWith('3.');
  if (!v3) {
    for (const name of Object.keys(chans?.value ?? {})) {
      const ch = deref(set, member(chans!, name)!);
      channels.set(name, { address: name, at: ch });
      for (const [verb, action] of [
        ['subscribe', 'send'],
        ['publish', 'receive'],
      ] as const) {
        const op = member(ch, verb);
        if (!op) continue;
        const messages = new Map<string, Node>();
        const msgRef = member(op, 'message');
        if (msgRef) {
          const msg = deref(set, msgRef);
          const list = Array.isArray(msg.value.oneOf)
            ? (msg.value.oneOf as unknown[]).map((_, i) =>
                member(
                  { ...msg, pointer: child(msg.pointer, 'oneOf'), value: msg.value.oneOf as unknown as Obj },
                  i,
                ),
              )
            : [msgRef];
          list.forEach((m, i) => {
            if (!m) return;
            const name =
              typeof m.value.$ref === 'string'
                ? m.value.$ref.slice(m.value.$ref.lastIndexOf('/') + 1)
                : undefined;
            const d = deref(set, m);
            messages.set(messageKey(d, name ?? `#${i}`), d);
          });
        }
        flows.set(`${name}|${action}`, { address: name, action, at: op, messages });
      }
    }
    return { channels, flows };
  }
  const byId = new Map<string, Channel & { id: string }>();
  for (const id of Object.keys(chans?.value ?? {})) {
    const ch = deref(set, member(chans!, id)!);
    const address = typeof ch.value.address === 'string' ? ch.value.address : id;
    const c = { id, address, at: ch };
    channels.set(address, c);
    byId.set(child('/channels', id), c);
  }
  const channelMessages = (c: Channel): Map<string, Node> => {
    const out = new Map<string, Node>();
    const msgs = member(c.at, 'messages');
    for (const key of Object.keys(msgs?.value ?? {})) {
      const d = deref(set, member(msgs!, key)!);
      out.set(messageKey(d, key), d);
    }
    return out;
  };
  const ops = member(root, 'operations');
  for (const id of Object.keys(ops?.value ?? {})) {
    const op = deref(set, member(ops!, id)!);
    const action = op.value.action === 'receive' ? 'receive' : 'send';
    const chRef =
      isObj(op.value.channel) && typeof op.value.channel.$ref === 'string'
        ? op.value.channel.$ref
        : undefined;
    const ch = chRef ? byId.get(chRef.slice(chRef.indexOf('#') + 1)) : undefined;
    if (!ch) continue;
    let messages = channelMessages(ch);
    if (Array.isArray(op.value.messages)) {
      const picked = new Map<string, Node>();
      (op.value.messages as unknown[]).forEach((_, i) => {
        const m = member(
          { ...op, pointer: child(op.pointer, 'messages'), value: op.value.messages as unknown as Obj },
          i,
        );
        if (!m) return;
        const d = deref(set, m);
        const ref = typeof m.value.$ref === 'string' ? m.value.$ref : '';
        picked.set(messageKey(d, ref.slice(ref.lastIndexOf('/') + 1) || `#${i}`), d);
      });
      messages = picked;
    }
    const key = `${ch.address}|${action}`;
    const existing = flows.get(key);
    if (existing) for (const [k, m] of messages) existing.messages.set(k, m);
    else flows.set(key, { address: ch.address, action, at: op, messages });
  }
  return { channels, flows };
}

function place(n: Node, ...segs: string[]): Place {
  return { file: n.file, pointer: child(n.pointer, ...segs) };
}

/** Compares two AsyncAPI 2/3 documents: channels, what the service sends or receives on them, and each message's payload and headers. */
export function diffAsyncApi(base: SpecSet, rev: SpecSet, differ: SchemaDiffer, out: ChangeCollector): void {
  const b = read(base);
  const r = read(rev);
  const revRoot: Node = { file: rev.entry, pointer: '', value: rev.entry.value as Obj };
  const revChannelsAt = member(revRoot, 'channels') ?? revRoot;
  for (const [address, bc] of b.channels) {
    if (!r.channels.has(address))
      out.add('asyncapi.channel.removed', undefined, `channel ${address} removed`, place(revChannelsAt), {
        operation: address,
        was: place(bc.at),
      });
  }
  for (const [address, rc] of r.channels)
    if (!b.channels.has(address))
      out.add('asyncapi.channel.added', undefined, `channel ${address} added`, place(rc.at), {
        operation: address,
      });

  const defaults = (set: SpecSet) =>
    String((set.entry.value as Obj).defaultContentType ?? 'application/json');
  for (const [key, bf] of b.flows) {
    const rf = r.flows.get(key);
    const op = `${bf.action} ${bf.address}`;
    if (!rf) {
      if (r.channels.has(bf.address))
        out.add(
          'asyncapi.operation.removed',
          undefined,
          `${op} removed`,
          place(r.channels.get(bf.address)!.at),
          { operation: op, was: place(bf.at) },
        );
      continue;
    }
    const direction: Direction = bf.action === 'send' ? 'response' : 'request';
    for (const [name, bm] of bf.messages) {
      const rm = rf.messages.get(name);
      if (!rm) {
        out.add('asyncapi.message.removed', direction, `message ${name} removed from ${op}`, place(rf.at), {
          operation: op,
          was: place(bm),
        });
        continue;
      }
      diffMessage(differ, out, op, name, bm, rm, direction, defaults(base), defaults(rev));
    }
    for (const [name, rm] of rf.messages)
      if (!bf.messages.has(name))
        out.add('asyncapi.message.added', direction, `message ${name} added to ${op}`, place(rm), {
          operation: op,
        });
  }
  for (const [key, rf] of r.flows) {
    if (!b.flows.has(key) && b.channels.has(rf.address))
      out.add('asyncapi.operation.added', undefined, `${rf.action} ${rf.address} added`, place(rf.at), {
        operation: `${rf.action} ${rf.address}`,
      });
  }
  const bv = String((base.entry.value as Obj).asyncapi).split('.')[0];
  const rv = String((rev.entry.value as Obj).asyncapi).split('.')[0];
  if (bv !== rv)
    out.add(
      'contract.spec-version.changed',
      undefined,
      `AsyncAPI ${String((base.entry.value as Obj).asyncapi)} → ${String((rev.entry.value as Obj).asyncapi)}`,
      place(revRoot, 'asyncapi'),
    );
  const bInfo = (base.entry.value as Obj).info;
  const rInfo = member(revRoot, 'info');
  if (
    isObj(bInfo) &&
    rInfo &&
    bInfo.version !== undefined &&
    String(bInfo.version) !== String(rInfo.value.version)
  )
    out.add(
      'contract.version.changed',
      undefined,
      `info.version ${String(bInfo.version)} → ${String(rInfo.value.version)}`,
      place(rInfo, 'version'),
    );
}

/** A payload as (format, schema node): AsyncAPI 3 may wrap it as {schemaFormat, schema}. */
function payloadOf(
  m: Node,
): { format: string; node: { file: SpecFile; pointer: string; raw: unknown } } | undefined {
  const p = m.value.payload;
  if (p === undefined) return undefined;
  if (isObj(p) && typeof p.schemaFormat === 'string' && 'schema' in p)
    return {
      format: p.schemaFormat,
      node: { file: m.file, pointer: child(m.pointer, 'payload', 'schema'), raw: p.schema },
    };
  return {
    format: typeof m.value.schemaFormat === 'string' ? m.value.schemaFormat : 'application/schema+json',
    node: { file: m.file, pointer: child(m.pointer, 'payload'), raw: p },
  };
}

function diffMessage(
  differ: SchemaDiffer,
  out: ChangeCollector,
  op: string,
  name: string,
  bm: Node,
  rm: Node,
  direction: Direction,
  bDefault: string,
  rDefault: string,
): void {
  const bct = String(bm.value.contentType ?? bDefault);
  const rct = String(rm.value.contentType ?? rDefault);
  if (bct !== rct)
    out.add(
      'asyncapi.message.content-type.changed',
      direction,
      `message ${name}: content type ${bct} → ${rct}`,
      place(rm, rm.value.contentType !== undefined ? 'contentType' : ''),
      { operation: op },
    );
  const bp = payloadOf(bm);
  const rp = payloadOf(rm);
  if (bp && rp) {
    const jsonish = (f: string) => JSON_SCHEMA_FORMATS.test(f);
    const bothJson = jsonish(bp.format) && jsonish(rp.format);
    if (!bothJson) {
      if (bp.format !== rp.format || JSON.stringify(bp.node.raw) !== JSON.stringify(rp.node.raw)) {
        out.add(
          'asyncapi.message.payload.changed',
          direction,
          `message ${name}: payload (${rp.format}) changed and cannot be compared field by field`,
          { file: rp.node.file, pointer: rp.node.pointer },
          { operation: op },
        );
      }
    } else {
      out.addSchema(
        differ.compare(bp.node, rp.node, direction, 'asyncapi.message'),
        op,
        `message ${name} payload`,
      );
    }
  } else if (bp && !rp) {
    out.add(
      'asyncapi.message.payload.changed',
      direction,
      `message ${name}: payload schema removed`,
      place(rm),
      { operation: op },
    );
  } else if (!bp && rp) {
    out.add(
      'asyncapi.message.payload.changed',
      direction,
      `message ${name}: payload schema added`,
      { file: rp.node.file, pointer: rp.node.pointer },
      { operation: op },
    );
  }
  if (bm.value.headers !== undefined && rm.value.headers !== undefined) {
    out.addSchema(
      differ.compare(
        { file: bm.file, pointer: child(bm.pointer, 'headers'), raw: bm.value.headers },
        { file: rm.file, pointer: child(rm.pointer, 'headers'), raw: rm.value.headers },
        direction,
        'asyncapi.message',
      ),
      op,
      `message ${name} headers`,
    );
  }
}
