import { join } from 'node:path';
import { stateDir } from '../lib/config.js';
import {
  HASH_SCHEMA,
  ROLE_MODIFIERS_SCHEMA,
  RULE_SCHEMA,
  SIGNED_BUNDLE_SCHEMA,
  TENANT_SCHEMA,
  type SignedBundle,
} from '../lib/constitution.js';
import { TOPICS } from '../lib/events.js';
import { ERROR_SCHEMA, HttpError, type ParamDoc, type Route } from '../lib/http.js';
import { client } from '../lib/metrics.js';
import { runService, type Runtime } from '../lib/service.js';
import { loadOrCreateKey, signBundle, type SigningKey } from './signing.js';
import { ConstitutionStore, type Draft } from './store.js';

const TENANT_PARAM: ParamDoc = { schema: TENANT_SCHEMA, description: 'Tenant id.', example: 'acme' };

const DRAFT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['threshold', 'rules', 'updated_by'],
  properties: {
    threshold: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    rules: { type: 'array', maxItems: 100, items: RULE_SCHEMA },
    role_modifiers: ROLE_MODIFIERS_SCHEMA,
    updated_by: { type: 'string', minLength: 1, maxLength: 128 },
  },
};

const HASH_REPLY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['tenant', 'version', 'hash', 'key_id'],
  properties: {
    tenant: TENANT_SCHEMA,
    version: { type: 'integer', minimum: 1 },
    hash: HASH_SCHEMA,
    key_id: { type: 'string', pattern: '^[0-9a-f]{16}$' },
  },
};

const BUNDLE_HEADERS = {
  'X-Constitution-Hash': { description: 'SHA-256 (hex) of the canonical bundle.', schema: HASH_SCHEMA },
  'X-Constitution-Version': {
    description: 'Version of the bundle.',
    schema: { type: 'string', pattern: '^[1-9][0-9]*$' },
  },
  'X-Constitution-Signature': {
    description: 'Base64 Ed25519 signature of the canonical bundle.',
    schema: { type: 'string' },
  },
  'X-Constitution-Key-Id': { description: 'Id of the signing key.', schema: { type: 'string' } },
};

function bundleHeaders(s: SignedBundle): Record<string, string> {
  return {
    'X-Constitution-Hash': s.hash,
    'X-Constitution-Version': String(s.version),
    'X-Constitution-Signature': s.signature.value,
    'X-Constitution-Key-Id': s.signature.key_id,
  };
}

function notFound(tenant: string): HttpError {
  return new HttpError(404, 'unknown_tenant', `tenant ${JSON.stringify(tenant)} has no constitution`);
}

function routes(rt: Runtime, store: ConstitutionStore, key: SigningKey): Route[] {
  const signed = new Map<string, SignedBundle>();
  const signedLatest = (tenant: string): SignedBundle | undefined => {
    const bundle = store.get(tenant);
    if (!bundle) return undefined;
    const cacheKey = `${tenant}@${bundle.version}`;
    let s = signed.get(cacheKey);
    if (!s) {
      s = signBundle(bundle, key);
      signed.set(cacheKey, s);
    }
    return s;
  };
  const updates = new client.Counter({
    name: 'constitution_updates_total',
    help: 'New constitution versions stored.',
    labelNames: ['created'],
    registers: [rt.registry],
  });
  new client.Gauge({
    name: 'constitution_tenants',
    help: 'Tenants that have a constitution.',
    registers: [rt.registry],
    collect() {
      this.set(store.tenants().length);
    },
  });

  return [
    {
      method: 'GET',
      path: '/v1/tenants',
      operationId: 'listTenants',
      summary: 'Tenants and their current constitution versions',
      tags: ['constitution'],
      responses: {
        200: {
          description: 'Every tenant with its current version and hash.',
          schema: {
            type: 'object',
            required: ['tenants'],
            properties: { tenants: { type: 'array', items: HASH_REPLY_SCHEMA } },
          },
        },
      },
      handle: () => ({
        status: 200,
        body: {
          tenants: store.tenants().map((t) => ({
            tenant: t,
            version: store.get(t)!.version,
            hash: signedLatest(t)!.hash,
            key_id: key.keyId,
          })),
        },
      }),
    },
    {
      method: 'GET',
      path: '/v1/constitution/{tenant}',
      operationId: 'getConstitution',
      summary: "The tenant's current constitution, signed",
      tags: ['constitution'],
      params: { tenant: TENANT_PARAM },
      responses: {
        200: { description: 'The signed bundle.', schema: SIGNED_BUNDLE_SCHEMA, headers: BUNDLE_HEADERS },
        404: { description: 'The tenant has no constitution.', schema: ERROR_SCHEMA },
      },
      handle: (ctx) => {
        const s = signedLatest(ctx.params.tenant!);
        if (!s) throw notFound(ctx.params.tenant!);
        return { status: 200, body: s, headers: bundleHeaders(s) };
      },
    },
    {
      method: 'GET',
      path: '/v1/constitution/{tenant}/hash',
      operationId: 'getConstitutionHash',
      summary: "The hash and version of the tenant's current constitution",
      tags: ['constitution'],
      params: { tenant: TENANT_PARAM },
      responses: {
        200: { description: 'Hash and version.', schema: HASH_REPLY_SCHEMA },
        404: { description: 'The tenant has no constitution.', schema: ERROR_SCHEMA },
      },
      handle: (ctx) => {
        const s = signedLatest(ctx.params.tenant!);
        if (!s) throw notFound(ctx.params.tenant!);
        return {
          status: 200,
          body: { tenant: s.tenant, version: s.version, hash: s.hash, key_id: key.keyId },
        };
      },
    },
    {
      method: 'PUT',
      path: '/v1/constitution/{tenant}',
      operationId: 'putConstitution',
      summary: "Store a new version of the tenant's constitution",
      description:
        'Signs the new version and announces it on constitution.updated. A tenant without a constitution gets version 1 (201).',
      tags: ['constitution'],
      params: { tenant: TENANT_PARAM },
      body: {
        schema: DRAFT_SCHEMA,
        example: {
          threshold: 0.5,
          rules: [
            {
              id: 'no-credentials',
              description: 'Never reveal passwords.',
              keywords: ['password'],
              weight: 0.7,
              severity: 'high',
            },
          ],
          updated_by: 'governance-core',
        },
      },
      responses: {
        200: {
          description: 'The new version of an existing tenant.',
          schema: SIGNED_BUNDLE_SCHEMA,
          headers: BUNDLE_HEADERS,
        },
        201: {
          description: 'Version 1 of a new tenant.',
          schema: SIGNED_BUNDLE_SCHEMA,
          headers: BUNDLE_HEADERS,
        },
        503: { description: 'The event could not be published.', schema: ERROR_SCHEMA },
      },
      handle: async (ctx) => {
        const tenant = ctx.params.tenant!;
        const draft = ctx.body as Draft;
        const ids = draft.rules.map((r) => r.id);
        const dup = ids.find((id, i) => ids.indexOf(id) !== i);
        if (dup)
          throw new HttpError(
            400,
            'invalid_request',
            `body /rules: rule id ${JSON.stringify(dup)} is used twice`,
            {
              violations: [
                { in: 'body', pointer: '/rules', message: `rule id ${JSON.stringify(dup)} is used twice` },
              ],
            },
          );
        const { bundle, created } = store.put(tenant, draft);
        const s = signedLatest(bundle.tenant)!;
        updates.inc({ created: String(created) });
        try {
          await rt.bus.emit(
            TOPICS.constitutionUpdated,
            tenant,
            { tenant, version: s.version, hash: s.hash, key_id: key.keyId },
            ctx.traceId,
          );
        } catch (err) {
          throw new HttpError(
            503,
            'event_bus_unavailable',
            `stored version ${s.version} but could not announce it: ${(err as Error).message}`,
          );
        }
        return { status: created ? 201 : 200, body: s, headers: bundleHeaders(s) };
      },
    },
    {
      method: 'GET',
      path: '/v1/keys',
      operationId: 'listKeys',
      summary: 'Public keys that verify constitution signatures',
      tags: ['constitution'],
      responses: {
        200: {
          description: 'The signing keys.',
          schema: {
            type: 'object',
            required: ['keys'],
            properties: {
              keys: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['key_id', 'algorithm', 'public_key'],
                  properties: {
                    key_id: { type: 'string' },
                    algorithm: { const: 'Ed25519' },
                    public_key: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
      handle: () => ({
        status: 200,
        body: { keys: [{ key_id: key.keyId, algorithm: 'Ed25519', public_key: key.publicPem }] },
      }),
    },
  ];
}

await runService({
  name: 'constitution',
  title: 'Constitution service',
  description:
    "Keeps each tenant's constitution (the rules the policy engine scores with), signs every version with Ed25519 and announces new versions on constitution.updated.",
  tags: [
    { name: 'constitution', description: "Tenants' constitutions." },
    { name: 'operations', description: 'Health, metrics, documents and fault injection.' },
  ],
  produces: [TOPICS.constitutionUpdated],
  build: (rt) => {
    const dir = stateDir();
    const key = loadOrCreateKey(join(dir, 'keys'));
    const store = new ConstitutionStore(join(dir, 'constitution/store.json'));
    return { routes: routes(rt, store, key) };
  },
});
