import { TOPIC_SPECS, TOPICS, type TopicName } from './events.js';
import { SERVICE_VERSION } from './metrics.js';

// The AsyncAPI 3 document for the four topics, built from the same payload schemas the producers
// check every event against before sending it.

const CONSUMERS: { id: string; service: string; group: string; topic: TopicName; description: string }[] = [
  {
    id: 'policyEngineReceivesConstitutionUpdated',
    service: 'policy-engine',
    group: 'policy-engine',
    topic: TOPICS.constitutionUpdated,
    description: 'Refreshes the cached constitution of the tenant (constitution sync).',
  },
  {
    id: 'orchestratorReceivesConversationEvents',
    service: 'orchestrator',
    group: 'orchestrator-training',
    topic: TOPICS.conversationEvents,
    description: 'Counts conversation samples of tenants whose training mode is on.',
  },
];

function channelId(topic: string): string {
  return topic.replace(/\.(\w)/g, (_m, c: string) => c.toUpperCase());
}

export const MESSAGE_HEADERS = {
  type: 'object',
  required: ['trace_id'],
  properties: {
    trace_id: { type: 'string', description: 'Trace id of the request that caused the event.' },
    source: { type: 'string', description: 'The service that produced the event.' },
    'content-type': { type: 'string', const: 'application/json' },
  },
};

export function buildAsyncApi(brokers: string[]): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const t of TOPIC_SPECS) {
    const id = channelId(t.name);
    channels[id] = {
      address: t.name,
      title: t.name,
      description: `${t.description} Owner: ${t.owner}.`,
      messages: {
        [id]: {
          name: id,
          title: t.name,
          contentType: 'application/json',
          headers: MESSAGE_HEADERS,
          payload: t.payload,
          bindings: {
            kafka: { key: { type: 'string', description: `The event's ${t.key}.` }, bindingVersion: '0.5.0' },
          },
        },
      },
      bindings: { kafka: { topic: t.name, partitions: t.partitions, replicas: 1, bindingVersion: '0.5.0' } },
      'x-owner': t.owner,
    };
    operations[
      `${t.producer.replace(/-(\w)/g, (_m, ch: string) => ch.toUpperCase())}Sends${id[0]!.toUpperCase()}${id.slice(1)}`
    ] = {
      action: 'send',
      title: `${t.producer} produces ${t.name}`,
      channel: { $ref: `#/channels/${id}` },
      messages: [{ $ref: `#/channels/${id}/messages/${id}` }],
      'x-service': t.producer,
    };
  }
  for (const c of CONSUMERS) {
    const id = channelId(c.topic);
    operations[c.id] = {
      action: 'receive',
      title: `${c.service} consumes ${c.topic}`,
      description: c.description,
      channel: { $ref: `#/channels/${id}` },
      messages: [{ $ref: `#/channels/${id}/messages/${id}` }],
      bindings: { kafka: { groupId: { type: 'string', enum: [c.group] }, bindingVersion: '0.5.0' } },
      'x-service': c.service,
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Staging events',
      version: SERVICE_VERSION,
      description:
        'Events of the staging system. Every message is a JSON object with event_id and timestamp, and carries the trace_id header of the request that caused it.',
    },
    defaultContentType: 'application/json',
    servers: Object.fromEntries(
      brokers.map((b, i) => [
        `broker${i + 1}`,
        { host: b, protocol: 'kafka', description: 'Kafka bootstrap server.' },
      ]),
    ),
    channels,
    operations,
  };
}
