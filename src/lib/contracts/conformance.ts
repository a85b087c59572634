import { Validator, type Schema } from '@cfworker/json-schema';
import { describeErrors, type JsonSchema } from '../schema.js';
import { escapeSegment } from './pointer.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface TopicMessages {
  /** JSON pointers (in the AsyncAPI document) of the payload schemas published for the topic. */
  payloads: string[];
  validate(value: unknown): { valid: boolean; problems: string[] };
}

const DOC = 'urn:command-center:asyncapi';

/**
 * What an AsyncAPI 2/3 document says a topic carries: the payload schemas of the messages of the
 * channel whose address (3.x) or name (2.x) is the topic. A message conforms when it matches one of them.
 * Returns undefined when the document has no such channel.
 */
export function topicPayloads(asyncapi: unknown, topic: string): TopicMessages | undefined {
  if (!isObj(asyncapi) || !isObj(asyncapi.channels)) return undefined;
  const pointers: string[] = [];
  const resolveRef = (ref: string): { pointer: string; value: unknown } | undefined => {
    if (!ref.startsWith('#')) return undefined;
    let cur: unknown = asyncapi;
    for (const seg of ref.slice(2).split('/')) {
      const key = decodeURIComponent(seg).replace(/~1/g, '/').replace(/~0/g, '~');
      if (!isObj(cur)) return undefined;
      cur = cur[key];
    }
    return { pointer: ref.slice(1), value: cur };
  };
  const addMessage = (pointer: string, msg: unknown) => {
    let p = pointer;
    let m = msg;
    for (let i = 0; i < 10 && isObj(m) && typeof m.$ref === 'string'; i++) {
      const r = resolveRef(m.$ref);
      if (!r) return;
      p = r.pointer;
      m = r.value;
    }
    if (!isObj(m) || m.payload === undefined) return;
    const payload = m.payload;
    pointers.push(
      isObj(payload) && 'schema' in payload && typeof payload.schemaFormat === 'string'
        ? `${p}/payload/schema`
        : `${p}/payload`,
    );
  };
  const v3 = String(asyncapi.asyncapi ?? '').startsWith('3.');
  for (const [id, ch] of Object.entries(asyncapi.channels)) {
    if (!isObj(ch)) continue;
    const address = v3 ? (typeof ch.address === 'string' ? ch.address : id) : id;
    if (address !== topic) continue;
    const base = `/channels/${escapeSegment(id)}`;
    if (v3 && isObj(ch.messages))
      for (const [k, m] of Object.entries(ch.messages)) addMessage(`${base}/messages/${escapeSegment(k)}`, m);
    if (!v3) {
      for (const verb of ['publish', 'subscribe']) {
        const op = ch[verb];
        if (!isObj(op) || op.message === undefined) continue;
        const msg = op.message;
        if (isObj(msg) && Array.isArray(msg.oneOf))
          msg.oneOf.forEach((m, i) => addMessage(`${base}/${verb}/message/oneOf/${i}`, m));
        else addMessage(`${base}/${verb}/message`, msg);
      }
    }
  }
  if (pointers.length === 0) return undefined;
  const unique = [...new Set(pointers)];
  const validators = unique.map((p) => {
    const v = new Validator({ $ref: `${DOC}#${p}` } as Schema, '2020-12', false);
    v.addSchema(asyncapi as Schema, DOC);
    return v;
  });
  return {
    payloads: unique,
    validate(value) {
      const problems: string[] = [];
      for (const [i, v] of validators.entries()) {
        const r = v.validate(value);
        if (r.valid) return { valid: true, problems: [] };
        for (const e of describeErrors(r.errors, asyncapi as JsonSchema, value).slice(0, 5))
          problems.push(`${unique[i]}: ${e.pointer || '(root)'} ${e.message}`);
      }
      return { valid: false, problems };
    },
  };
}
