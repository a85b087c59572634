import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

// A tenant's constitution: the rules the policy engine scores prompts with. The constitution service
// signs the canonical JSON of each version; the hash of the same bytes identifies the version.

export type Severity = 'none' | 'low' | 'medium' | 'high';
export type Role = 'guest' | 'user' | 'operator' | 'admin';
export const ROLES: readonly Role[] = ['guest', 'user', 'operator', 'admin'];

export interface Rule {
  id: string;
  description: string;
  /** Words or phrases; a rule matches when any of them occurs in the prompt as whole words. */
  keywords: string[];
  /** What a match adds to the score (0..1). */
  weight: number;
  severity: Exclude<Severity, 'none'>;
}

export interface Bundle {
  tenant: string;
  version: number;
  /** A prompt is denied when its score reaches the threshold. */
  threshold: number;
  rules: Rule[];
  /** Added to the score by the caller's role (trusted roles lower it). */
  role_modifiers: Record<Role, number>;
  updated_at: string;
  updated_by: string;
}

export interface SignedBundle {
  tenant: string;
  version: number;
  hash: string;
  bundle: Bundle;
  signature: { algorithm: 'Ed25519'; key_id: string; value: string };
  public_key: string;
}

export const TENANT_SCHEMA = { type: 'string', pattern: '^[a-z][a-z0-9-]{1,62}$' };
export const HASH_SCHEMA = { type: 'string', pattern: '^[0-9a-f]{64}$' };

export const RULE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'description', 'keywords', 'weight', 'severity'],
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$' },
    description: { type: 'string', minLength: 1, maxLength: 500 },
    keywords: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: { type: 'string', minLength: 1, maxLength: 80 },
    },
    weight: { type: 'number', minimum: 0, maximum: 1 },
    severity: { type: 'string', enum: ['low', 'medium', 'high'] },
  },
};

export const ROLE_MODIFIERS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: [...ROLES],
  properties: Object.fromEntries(ROLES.map((r) => [r, { type: 'number', minimum: -1, maximum: 1 }])),
};

export const BUNDLE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['tenant', 'version', 'threshold', 'rules', 'role_modifiers', 'updated_at', 'updated_by'],
  properties: {
    tenant: TENANT_SCHEMA,
    version: { type: 'integer', minimum: 1 },
    threshold: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    rules: { type: 'array', maxItems: 100, items: RULE_SCHEMA },
    role_modifiers: ROLE_MODIFIERS_SCHEMA,
    updated_at: { type: 'string', format: 'date-time' },
    updated_by: { type: 'string', minLength: 1, maxLength: 128 },
  },
};

export const SIGNED_BUNDLE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['tenant', 'version', 'hash', 'bundle', 'signature', 'public_key'],
  properties: {
    tenant: TENANT_SCHEMA,
    version: { type: 'integer', minimum: 1 },
    hash: { ...HASH_SCHEMA, description: 'SHA-256 (hex) of the canonical JSON of `bundle`.' },
    bundle: BUNDLE_SCHEMA,
    signature: {
      type: 'object',
      additionalProperties: false,
      required: ['algorithm', 'key_id', 'value'],
      description:
        'Ed25519 signature of the canonical JSON of `bundle` (keys sorted at every level, no whitespace, UTF-8).',
      properties: {
        algorithm: { const: 'Ed25519' },
        key_id: {
          type: 'string',
          pattern: '^[0-9a-f]{16}$',
          description: 'First 16 hex digits of the SHA-256 of the public key (SPKI DER).',
        },
        value: { type: 'string', contentEncoding: 'base64' },
      },
    },
    public_key: { type: 'string', description: 'The signing public key, SPKI PEM.' },
  },
};

/** JSON with keys sorted at every level and no whitespace: the bytes that are hashed and signed. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new Error('canonical JSON has no representation for non-finite numbers');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function bundleHash(bundle: Bundle): string {
  return createHash('sha256').update(canonicalJson(bundle), 'utf8').digest('hex');
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** Checks a signed bundle against a trusted public key; returns what is wrong, or undefined. */
export function verifySignedBundle(signed: SignedBundle, trustedPem: string): string | undefined {
  const key = createPublicKey(trustedPem);
  if (signed.signature.key_id !== keyIdOf(key))
    return `signed by key ${signed.signature.key_id}, expected ${keyIdOf(key)}`;
  const bytes = Buffer.from(canonicalJson(signed.bundle), 'utf8');
  if (!verify(null, bytes, key, Buffer.from(signed.signature.value, 'base64')))
    return 'the Ed25519 signature does not match the bundle';
  const hash = bundleHash(signed.bundle);
  if (hash !== signed.hash) return `hash ${signed.hash} does not match the bundle (${hash})`;
  if (signed.bundle.version !== signed.version || signed.bundle.tenant !== signed.tenant)
    return 'tenant or version differ from the bundle';
  return undefined;
}
