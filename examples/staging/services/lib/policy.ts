import { HASH_SCHEMA, ROLES, TENANT_SCHEMA, type Severity } from './constitution.js';

// The policy engine's request and answer, shared with the orchestrator that asks it.

export const EVALUATION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['session_id', 'tenant', 'user', 'prompt', 'role'],
  properties: {
    session_id: { type: 'string', minLength: 1, maxLength: 128 },
    tenant: TENANT_SCHEMA,
    user: { type: 'string', minLength: 1, maxLength: 128 },
    prompt: { type: 'string', minLength: 1, maxLength: 4000 },
    role: { type: 'string', enum: [...ROLES] },
  },
};

export const DECISION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['allowed', 'score', 'severity', 'reasons'],
  properties: {
    allowed: { type: 'boolean' },
    score: { type: 'number', minimum: 0, maximum: 1 },
    severity: { type: 'string', enum: ['none', 'low', 'medium', 'high'] },
    reasons: {
      type: 'object',
      additionalProperties: false,
      required: ['constitution_hash', 'constitution_version', 'policy', 'matched_rules'],
      properties: {
        constitution_hash: HASH_SCHEMA,
        constitution_version: { type: 'integer', minimum: 1 },
        policy: { type: 'string', description: 'The deciding rule (highest weight matched), or "default".' },
        matched_rules: { type: 'array', items: { type: 'string' } },
      },
    },
  },
};

export const POLICY_HEADERS = {
  'X-Policy-Decision': { description: 'allow or deny.', schema: { type: 'string', enum: ['allow', 'deny'] } },
  'X-Policy-Score': { description: 'The score (0..1).', schema: { type: 'string' } },
  'X-Constitution-Hash': {
    description: 'Hash of the constitution version that decided.',
    schema: HASH_SCHEMA,
  },
};

export interface Decision {
  allowed: boolean;
  score: number;
  severity: Severity;
  reasons: {
    constitution_hash: string;
    constitution_version: number;
    policy: string;
    matched_rules: string[];
  };
}
