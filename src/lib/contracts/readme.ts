import { posix } from 'node:path';
import { cell, table } from '../markdown.js';
import type { SignatureCheck } from './signature.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface ReadmeDocument {
  kind: 'openapi' | 'asyncapi';
  path: string;
  value: unknown;
}

export interface ReadmeSample {
  name: string;
  path: string;
  method: string;
  url: string;
  status: number;
  captured: Record<string, string>;
}

export interface ReadmeSignature {
  name: string;
  path: string;
  tenant?: string;
  version?: number;
  check: SignatureCheck;
}

export interface ReadmeService {
  name: string;
  url: string;
  squad?: string;
  /** A URL or a repository path. */
  runbook?: string;
  /** The HAR 1.2 file of the service's requests, in the recording. */
  har?: string;
  documents: ReadmeDocument[];
  samples: ReadmeSample[];
  signatures: ReadmeSignature[];
}

export interface ReadmeTopic {
  topic: string;
  schemaPath: string;
  messagesPath: string;
  sampled: number;
  partitions: number;
  newest?: string;
  schema: unknown;
  conformance: { against: string | null; conforming: number; problems: string[] };
}

export interface ReadmeInput {
  date: string;
  recordedAt: string;
  services: ReadmeService[];
  topics: ReadmeTopic[];
  files: { path: string; kind: string; sha256: string }[];
  /** The recording's folder in the repository, so runbook paths are linked relative to it. */
  dir?: string;
}

/** A runbook as a Markdown link from the recording's folder: URLs as they are, repository paths made relative. */
export function runbookLink(runbook: string, dir = ''): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(runbook)) return `[${runbook}](${runbook})`;
  return `[${runbook}](${encodeURI(posix.relative(dir, runbook.replace(/#.*$/, '')))}${/#.*$/.exec(runbook)?.[0] ?? ''})`;
}

export interface FieldRow {
  field: string;
  type: string;
  required: boolean;
  constraints: string;
  description: string;
  example: string;
}

const anchor = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);
const short = (v: unknown, max = 60) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? '' : s.length > max ? `${s.slice(0, max)}…` : s;
};

function typeText(s: Obj): string {
  if (typeof s.$ref === 'string') return `[${refName(s.$ref)}](#schema-${anchor(refName(s.$ref))})`;
  for (const k of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(s[k]))
      return `${k === 'oneOf' ? 'one of' : 'any of'}: ${(s[k] as unknown[]).map((x) => (isObj(x) ? typeText(x) : '?')).join(', ')}`;
  }
  const t = s.type;
  let text = Array.isArray(t)
    ? t.join(' \\| ')
    : typeof t === 'string'
      ? t
      : isObj(s.properties)
        ? 'object'
        : 'any';
  if (text === 'array' && isObj(s.items)) text = `array of ${typeText(s.items)}`;
  if (s.nullable === true) text += ' \\| null';
  if (typeof s.format === 'string') text += ` (${s.format})`;
  return text;
}

function constraints(s: Obj): string {
  const out: string[] = [];
  if (Array.isArray(s.enum)) out.push(`one of ${s.enum.map((v) => `\`${short(v, 30)}\``).join(', ')}`);
  if ('const' in s) out.push(`always \`${short(s.const, 30)}\``);
  for (const [k, label] of [
    ['minimum', '≥'],
    ['maximum', '≤'],
    ['exclusiveMinimum', '>'],
    ['exclusiveMaximum', '<'],
  ] as const)
    if (typeof s[k] === 'number') out.push(`${label} ${String(s[k])}`);
  for (const [k, label] of [
    ['minLength', 'min length'],
    ['maxLength', 'max length'],
    ['minItems', 'min items'],
    ['maxItems', 'max items'],
  ] as const)
    if (typeof s[k] === 'number') out.push(`${label} ${String(s[k])}`);
  if (typeof s.pattern === 'string') out.push(`pattern \`${s.pattern}\``);
  if (s.readOnly === true) out.push('read-only');
  if (s.writeOnly === true) out.push('write-only');
  if (s.deprecated === true) out.push('deprecated');
  if (s.additionalProperties === false) out.push('no other properties');
  return out.join('; ');
}

function example(s: Obj): string {
  if (s.example !== undefined) return short(s.example);
  if (Array.isArray(s.examples) && s.examples.length > 0) return short(s.examples[0]);
  if (s.default !== undefined) return `${short(s.default)} (default)`;
  return '';
}

/** Flattens an object schema into one row per field (dotted paths, `[]` for array items), stopping at `$ref`s and after `depth` levels. */
export function fieldRows(schema: unknown, prefix = '', depth = 4): FieldRow[] {
  if (!isObj(schema) || depth < 0) return [];
  const rows: FieldRow[] = [];
  const members = Array.isArray(schema.allOf) ? schema.allOf.filter(isObj) : [];
  const props: [string, Obj, boolean][] = [];
  for (const s of [schema, ...members]) {
    const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
    if (isObj(s.properties))
      for (const [k, v] of Object.entries(s.properties)) if (isObj(v)) props.push([k, v, required.has(k)]);
    if (typeof s.$ref === 'string' && s !== schema)
      rows.push({
        field: prefix || '(all of)',
        type: typeText(s),
        required: false,
        constraints: 'its fields, too',
        description: '',
        example: '',
      });
  }
  for (const [name, s, required] of props) {
    const field = prefix ? `${prefix}.${name}` : name;
    rows.push({
      field,
      type: typeText(s),
      required,
      constraints: constraints(s),
      description: typeof s.description === 'string' ? s.description : '',
      example: example(s),
    });
    if (typeof s.$ref === 'string') continue;
    if (isObj(s.properties) || Array.isArray(s.allOf)) rows.push(...fieldRows(s, field, depth - 1));
    else if (
      s.type === 'array' &&
      isObj(s.items) &&
      typeof s.items.$ref !== 'string' &&
      (isObj(s.items.properties) || Array.isArray(s.items.allOf))
    )
      rows.push(...fieldRows(s.items, `${field}[]`, depth - 1));
  }
  return rows;
}

/** A paragraph and a table describing one schema. */
export function describeSchema(name: string, schema: unknown, headingLevel = 4): string {
  const s = isObj(schema) ? schema : {};
  const rows = fieldRows(s);
  const top = rows.filter((r) => !r.field.includes('.') && !r.field.includes('['));
  const req = top.filter((r) => r.required).length;
  const kind = typeText(s);
  const lead =
    top.length > 0
      ? `\`${name}\` is ${kind === 'object' ? 'an object' : `a value of type ${kind}`} with ${top.length} field${top.length === 1 ? '' : 's'}${
          req
            ? `, ${req} of them required (${top
                .filter((r) => r.required)
                .map((r) => `\`${r.field}\``)
                .join(', ')})`
            : ', none required'
        }.`
      : `\`${name}\` is ${kind}${constraints(s) ? ` (${constraints(s)})` : ''}.`;
  const enums = rows.filter((r) => r.constraints.startsWith('one of'));
  const enumText = enums.length
    ? ` Fields limited to a fixed set of values: ${enums.map((r) => `\`${r.field}\``).join(', ')}.`
    : '';
  const out = [
    `${'#'.repeat(headingLevel)} Schema: ${name}`,
    '',
    `<a id="schema-${anchor(name)}"></a>${lead}${enumText}${typeof s.description === 'string' ? ` ${s.description}` : ''}`,
  ];
  if (rows.length > 0) {
    out.push(
      '',
      table(
        ['field', 'type', 'required', 'values and limits', 'description', 'example'],
        rows.map((r) => [
          `\`${r.field}\``,
          r.type,
          r.required ? 'yes' : 'no',
          r.constraints,
          r.description,
          r.example ? `\`${r.example}\`` : '',
        ]),
      ),
    );
  }
  return out.join('\n');
}

function openApiSection(doc: ReadmeDocument): string {
  const d = isObj(doc.value) ? doc.value : {};
  const info = isObj(d.info) ? d.info : {};
  const out: string[] = [
    `### OpenAPI ${String(d.openapi)}: ${String(info.title ?? '')} ${info.version ? `v${String(info.version)}` : ''}`,
    '',
    `File: [\`${doc.path}\`](${doc.path})${typeof info.description === 'string' ? `. ${info.description}` : ''}`,
    '',
  ];
  const rows: string[][] = [];
  const inline: string[] = [];
  for (const [path, item] of Object.entries(isObj(d.paths) ? d.paths : {})) {
    if (!isObj(item)) continue;
    for (const m of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options']) {
      const op = item[m];
      if (!isObj(op)) continue;
      const body =
        isObj(op.requestBody) && isObj(op.requestBody.content) ? Object.entries(op.requestBody.content) : [];
      const bodyText = body
        .map(([mt, c]) => `${mt}: ${isObj(c) && isObj(c.schema) ? typeText(c.schema) : 'any'}`)
        .join('<br>');
      const responses = Object.entries(isObj(op.responses) ? op.responses : {}).map(([code, r]) => {
        const content = isObj(r) && isObj(r.content) ? Object.entries(r.content) : [];
        const headers = isObj(r) && isObj(r.headers) ? Object.keys(r.headers) : [];
        return `${code}${content.length ? `: ${content.map(([mt, c]) => `${mt} ${isObj(c) && isObj(c.schema) ? typeText(c.schema) : ''}`).join(', ')}` : ''}${headers.length ? ` (headers ${headers.join(', ')})` : ''}`;
      });
      rows.push([
        `\`${m.toUpperCase()} ${path}\``,
        String(op.summary ?? op.operationId ?? ''),
        bodyText,
        responses.join('<br>'),
      ]);
      // Inline schemas are described where they are used.
      for (const [mt, c] of body)
        if (isObj(c) && isObj(c.schema) && typeof c.schema.$ref !== 'string')
          inline.push(describeSchema(`${m.toUpperCase()} ${path} request (${mt})`, c.schema));
      for (const [code, r] of Object.entries(isObj(op.responses) ? op.responses : {})) {
        if (!isObj(r) || !isObj(r.content)) continue;
        for (const [mt, c] of Object.entries(r.content))
          if (
            isObj(c) &&
            isObj(c.schema) &&
            typeof c.schema.$ref !== 'string' &&
            (isObj(c.schema.properties) || c.schema.type === 'array')
          )
            inline.push(describeSchema(`${m.toUpperCase()} ${path} response ${code} (${mt})`, c.schema));
      }
    }
  }
  out.push(
    `${rows.length} operation(s):`,
    '',
    table(
      ['operation', 'summary', 'request body', 'responses'],
      rows.map((r) => r.map((x) => x)),
    ),
  );
  const schemas =
    isObj(d.components) && isObj(d.components.schemas) ? Object.entries(d.components.schemas) : [];
  for (const [name, s] of schemas) out.push('', describeSchema(name, s));
  for (const x of inline) out.push('', x);
  return out.join('\n');
}

function asyncApiSection(doc: ReadmeDocument): string {
  const d = isObj(doc.value) ? doc.value : {};
  const info = isObj(d.info) ? d.info : {};
  const v3 = String(d.asyncapi).startsWith('3.');
  const out: string[] = [
    `### AsyncAPI ${String(d.asyncapi)}: ${String(info.title ?? '')} ${info.version ? `v${String(info.version)}` : ''}`,
    '',
    `File: [\`${doc.path}\`](${doc.path})`,
    '',
  ];
  const resolve = (v: unknown): [string | undefined, unknown] => {
    if (isObj(v) && typeof v.$ref === 'string' && v.$ref.startsWith('#/')) {
      let cur: unknown = d;
      for (const seg of v.$ref.slice(2).split('/'))
        cur = isObj(cur) ? cur[seg.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
      return [refName(v.$ref), cur];
    }
    return [undefined, v];
  };
  const rows: string[][] = [];
  const messages = new Map<string, unknown>();
  const actions = new Map<string, string[]>();
  if (v3 && isObj(d.operations)) {
    for (const op of Object.values(d.operations)) {
      if (!isObj(op) || !isObj(op.channel) || typeof op.channel.$ref !== 'string') continue;
      const id = refName(op.channel.$ref);
      actions.set(id, [...(actions.get(id) ?? []), String(op.action)]);
    }
  }
  for (const [id, raw] of Object.entries(isObj(d.channels) ? d.channels : {})) {
    const [, ch] = resolve(raw);
    if (!isObj(ch)) continue;
    const names: string[] = [];
    if (v3 && isObj(ch.messages)) {
      for (const [k, m] of Object.entries(ch.messages)) {
        const [n, msg] = resolve(m);
        const name = n ?? k;
        names.push(name);
        messages.set(name, msg);
      }
    }
    const verbs: string[] = v3 ? (actions.get(id) ?? []) : [];
    if (!v3) {
      for (const verb of ['publish', 'subscribe']) {
        const op = ch[verb];
        if (!isObj(op)) continue;
        verbs.push(verb === 'subscribe' ? 'send' : 'receive');
        const [n, msg] = resolve(op.message);
        const name = n ?? (isObj(msg) && typeof msg.name === 'string' ? msg.name : `${id} ${verb}`);
        names.push(name);
        messages.set(name, msg);
      }
    }
    rows.push([
      `\`${v3 && typeof ch.address === 'string' ? ch.address : id}\``,
      verbs.join(', '),
      names.join(', '),
      typeof ch.description === 'string' ? ch.description : '',
    ]);
  }
  out.push(table(['channel', 'the service', 'messages', 'description'], rows));
  for (const [name, msg] of messages) {
    if (!isObj(msg)) continue;
    const [pn, payload] = resolve(msg.payload);
    out.push('', describeSchema(`${name} payload${pn && pn !== name ? ` (${pn})` : ''}`, payload));
  }
  const schemas =
    isObj(d.components) && isObj(d.components.schemas) ? Object.entries(d.components.schemas) : [];
  for (const [name, s] of schemas) out.push('', describeSchema(name, s));
  return out.join('\n');
}

/** README.md of a recording: what was recorded, and every schema in prose and tables. */
export function renderReadme(r: ReadmeInput): string {
  const out: string[] = [`# Contracts recorded ${r.date}`, ''];
  out.push(
    `Recorded at ${r.recordedAt} from ${r.services.length} service(s) and ${r.topics.length} topic(s). Every file is listed with its SHA-256 in [\`index.json\`](index.json); documents are normalized (keys sorted) so recordings diff cleanly. \`design-drift\` compares pull requests against this folder.`,
    '',
  );
  out.push('## Services', '');
  out.push(
    table(
      ['service', 'squad', 'runbook', 'base URL', 'documents', 'samples', 'signed bundles'],
      r.services.map((s) => [
        s.name,
        s.squad ?? '',
        s.runbook ? runbookLink(s.runbook, r.dir) : '',
        s.url,
        [...s.documents.map((d) => `[${d.kind}](${d.path})`), ...(s.har ? [`[HAR](${s.har})`] : [])].join(
          ', ',
        ),
        s.samples.length,
        s.signatures.map((x) => (x.check.verified ? '✅ verified' : '❌ not verified')).join(', '),
      ]),
    ),
  );
  for (const s of r.services) {
    out.push('', `## ${s.name}`, '');
    out.push(
      `Base URL \`${s.url}\`${s.squad ? `; owned by ${s.squad}` : ''}.${s.runbook ? ` Runbook: ${runbookLink(s.runbook, r.dir)}.` : ''}`,
    );
    if (s.har)
      out.push(
        '',
        `Every request made to it, with its response, is in [${s.har}](${s.har}) (HAR 1.2, credentials redacted): Playwright's \`routeFromHAR\` replays it.`,
      );
    for (const d of s.documents) out.push('', d.kind === 'openapi' ? openApiSection(d) : asyncApiSection(d));
    if (s.samples.length > 0) {
      out.push(
        '',
        '### Sample requests',
        '',
        'Plain JSON request/response pairs (credentials redacted), usable as test fixtures.',
        '',
      );
      out.push(
        table(
          ['sample', 'request', 'status', 'captured headers', 'file'],
          s.samples.map((x) => [
            x.name,
            `${x.method} ${x.url}`,
            x.status,
            Object.entries(x.captured)
              .map(([k, v]) => `${k}: ${v}`)
              .join('<br>'),
            `[${x.path}](${x.path})`,
          ]),
        ),
      );
    }
    if (s.signatures.length > 0) {
      out.push('', '### Signed bundles', '');
      out.push(
        table(
          [
            'bundle',
            'tenant',
            'version',
            'algorithm',
            'key id',
            'hash',
            'signature',
            'published key',
            'verified',
          ],
          s.signatures.map((x) => [
            `[${x.name}](${x.path})`,
            x.tenant ?? '',
            x.version ?? '',
            x.check.algorithm,
            x.check.keyId ?? '',
            x.check.hashMatches ? 'matches' : 'MISMATCH',
            x.check.signatureValid ? 'valid' : 'INVALID',
            x.check.keyPublished === null ? 'not checked' : x.check.keyPublished ? 'yes' : 'NO',
            x.check.verified ? '✅' : `❌ ${x.check.problems.join('; ')}`,
          ]),
        ),
      );
    }
  }
  if (r.topics.length > 0) {
    out.push(
      '',
      '## Topics',
      '',
      'Schemas inferred from the newest messages of each topic (read from the end offsets; no consumer group is joined), and whether those messages conform to the payload schemas the AsyncAPI documents publish.',
      '',
    );
    out.push(
      table(
        ['topic', 'messages sampled', 'partitions', 'newest', 'conform to AsyncAPI', 'schema', 'messages'],
        r.topics.map((t) => [
          `\`${t.topic}\``,
          t.sampled,
          t.partitions,
          t.newest ?? '',
          t.conformance.against
            ? `${t.conformance.conforming}/${t.sampled} (${t.conformance.against})`
            : 'no AsyncAPI channel for it',
          `[schema](${t.schemaPath})`,
          `[messages](${t.messagesPath})`,
        ]),
      ),
    );
    for (const t of r.topics) {
      out.push('', describeSchema(`${t.topic} (inferred)`, t.schema, 3));
      if (t.conformance.problems.length > 0)
        out.push(
          '',
          `Messages that do not conform:`,
          '',
          ...t.conformance.problems.slice(0, 10).map((p) => `- ${cell(p)}`),
        );
    }
  }
  out.push(
    '',
    '## Files',
    '',
    table(
      ['file', 'kind', 'sha256'],
      r.files.map((f) => [`[${f.path}](${f.path})`, f.kind, `\`${f.sha256.slice(0, 16)}…\``]),
    ),
  );
  return `${out.join('\n')}\n`;
}
