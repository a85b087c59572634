import type { JsonSchema } from './validation.js';

// The four topics of the staging system: who produces them, how wide they are, and what their
// messages look like. The AsyncAPI document and the payload validation both come from here.

export const TOPICS = {
  constitutionUpdated: 'constitution.updated',
  policyDecisions: 'policy.decisions',
  conversationEvents: 'conversation.events',
  trainingAudit: 'training.audit',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export interface TopicSpec {
  name: TopicName;
  partitions: number;
  producer: 'constitution' | 'policy-engine' | 'orchestrator';
  /** Who owns the topic in the team's handbook (squads named in the dashboards and reports). */
  owner: string;
  /** The message key that decides the partition (ordering is per key). */
  key: string;
  description: string;
  payload: JsonSchema;
}

const TENANT = { type: 'string', pattern: '^[a-z][a-z0-9-]{1,62}$', description: 'Tenant id.' } as const;
const HASH = {
  type: 'string',
  pattern: '^[0-9a-f]{64}$',
  description: 'SHA-256 (hex) of the canonical constitution bundle.',
} as const;
const ENVELOPE = {
  event_id: { type: 'string', format: 'uuid', description: 'Unique id of this event.' },
  timestamp: {
    type: 'string',
    format: 'date-time',
    description: 'When the event was produced (RFC 3339, UTC).',
  },
} as const;

export const TOPIC_SPECS: readonly TopicSpec[] = [
  {
    name: TOPICS.constitutionUpdated,
    partitions: 6,
    producer: 'constitution',
    owner: 'Governance Core',
    key: 'tenant',
    description: "A tenant's constitution got a new signed version.",
    payload: {
      type: 'object',
      additionalProperties: false,
      required: ['event_id', 'timestamp', 'tenant', 'version', 'hash', 'key_id'],
      properties: {
        ...ENVELOPE,
        tenant: TENANT,
        version: { type: 'integer', minimum: 1 },
        hash: HASH,
        key_id: {
          type: 'string',
          pattern: '^[0-9a-f]{16}$',
          description: 'Id of the Ed25519 key that signed the bundle.',
        },
      },
    },
  },
  {
    name: TOPICS.policyDecisions,
    partitions: 12,
    producer: 'policy-engine',
    owner: 'Governance Core',
    key: 'session_id',
    description: 'One event per evaluation made by the policy engine.',
    payload: {
      type: 'object',
      additionalProperties: false,
      required: [
        'event_id',
        'timestamp',
        'session_id',
        'tenant',
        'user',
        'role',
        'allowed',
        'score',
        'severity',
        'policy',
        'constitution_hash',
        'constitution_version',
        'latency_ms',
      ],
      properties: {
        ...ENVELOPE,
        session_id: { type: 'string', minLength: 1, maxLength: 128 },
        tenant: TENANT,
        user: { type: 'string', minLength: 1, maxLength: 128 },
        role: { type: 'string', enum: ['guest', 'user', 'operator', 'admin'] },
        allowed: { type: 'boolean' },
        score: { type: 'number', minimum: 0, maximum: 1 },
        severity: { type: 'string', enum: ['none', 'low', 'medium', 'high'] },
        policy: { type: 'string', minLength: 1 },
        constitution_hash: HASH,
        constitution_version: { type: 'integer', minimum: 1 },
        latency_ms: { type: 'number', minimum: 0 },
      },
    },
  },
  {
    name: TOPICS.conversationEvents,
    partitions: 12,
    producer: 'orchestrator',
    owner: 'Runtime & Training',
    key: 'session_id',
    description:
      'What happens in conversations: sessions started, steps answered or denied, streamed replies.',
    payload: {
      type: 'object',
      additionalProperties: false,
      required: ['event_id', 'timestamp', 'type', 'session_id', 'tenant', 'user'],
      properties: {
        ...ENVELOPE,
        type: {
          type: 'string',
          enum: ['session.started', 'step.completed', 'step.denied', 'stream.started', 'stream.completed'],
        },
        session_id: { type: 'string', minLength: 1, maxLength: 128 },
        tenant: TENANT,
        user: { type: 'string', minLength: 1, maxLength: 128 },
        step: { type: 'integer', minimum: 1 },
        policy: { type: 'string' },
        tokens: { type: 'integer', minimum: 0 },
        duration_ms: { type: 'number', minimum: 0 },
      },
    },
  },
  {
    name: TOPICS.trainingAudit,
    partitions: 6,
    producer: 'orchestrator',
    owner: 'Runtime & Training',
    key: 'tenant',
    description: "Every request to switch a tenant's training mode, applied or rejected.",
    payload: {
      type: 'object',
      additionalProperties: false,
      required: ['event_id', 'timestamp', 'tenant', 'action', 'actor', 'outcome', 'enabled'],
      properties: {
        ...ENVELOPE,
        tenant: TENANT,
        action: { type: 'string', enum: ['enable', 'disable'] },
        actor: { type: 'string', minLength: 1, maxLength: 128 },
        outcome: { type: 'string', enum: ['applied', 'rejected'] },
        enabled: { type: 'boolean', description: 'Training mode state after the request.' },
        enabled_by: { type: 'string', description: 'Who holds training mode (on rejected requests).' },
      },
    },
  },
];

export function topicSpec(name: string): TopicSpec | undefined {
  return TOPIC_SPECS.find((t) => t.name === name);
}
