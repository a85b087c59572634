import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import kafkajs, { type Admin, type Consumer } from 'kafkajs';
import { validateAgainst, type JsonSchema } from '../../src/lib/schema.js';
import { needsServers, requireServer } from '../support/servers.js';

needsServers('kafka', 'staging');

// The staging topics exist with their documented partition counts, carry live traffic from the
// background traffic of `stack:up`, and every message on them matches the AsyncAPI document the
// services publish, with a trace_id header that follows a request across services.

const { Kafka, logLevel } = kafkajs;

const ORCHESTRATOR = `http://127.0.0.1:${process.env.ORCHESTRATOR_PORT ?? '18083'}`;
const CONSTITUTION = `http://127.0.0.1:${process.env.CONSTITUTION_PORT ?? '18082'}`;
const TOPICS = ['constitution.updated', 'policy.decisions', 'conversation.events', 'training.audit'];

interface Received {
  topic: string;
  partition: number;
  key: string | null;
  headers: Record<string, string>;
  payload: Record<string, unknown>;
}

let brokers = '';
let asyncapi: {
  channels: Record<
    string,
    {
      address: string;
      messages: Record<string, { payload: JsonSchema; headers: JsonSchema }>;
      bindings: { kafka: { partitions: number } };
    }
  >;
};
const kafka = () =>
  new Kafka({ clientId: 'staging-topics-test', brokers: [brokers], logLevel: logLevel.NOTHING });

async function sumOfEnds(admin: Admin, topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
}

function channelFor(topic: string) {
  const channel = Object.values(asyncapi.channels).find((c) => c.address === topic);
  if (!channel) throw new Error(`the AsyncAPI document has no channel for ${topic}`);
  return { ...channel, message: Object.values(channel.messages)[0]! };
}

beforeAll(async () => {
  brokers = await requireServer('kafka');
  const res = await fetch(`${ORCHESTRATOR}/asyncapi.json`, { signal: AbortSignal.timeout(3000) }).catch(
    () => undefined,
  );
  if (!res?.ok)
    throw new Error(
      `the staging orchestrator is not answering at ${ORCHESTRATOR}. Start the local stack first: \`npm run stack:up\` (or \`bash stack/stack.sh up staging\`).`,
    );
  asyncapi = (await res.json()) as typeof asyncapi;
});

describe('staging topics', () => {
  it('exist with the partition counts the AsyncAPI document states (6 to 12)', async () => {
    const admin = kafka().admin();
    await admin.connect();
    try {
      const meta = await admin.fetchTopicMetadata({ topics: TOPICS });
      for (const t of meta.topics) {
        const documented = channelFor(t.name).bindings.kafka.partitions;
        expect(t.partitions.length, t.name).toBe(documented);
        expect(documented).toBeGreaterThanOrEqual(6);
        expect(documented).toBeLessThanOrEqual(12);
      }
      expect(meta.topics.map((t) => t.name).sort()).toEqual([...TOPICS].sort());
    } finally {
      await admin.disconnect();
    }
  });

  it('all four carry live traffic without this test producing anything', async () => {
    const admin = kafka().admin();
    await admin.connect();
    try {
      const start = Object.fromEntries(
        await Promise.all(TOPICS.map(async (t) => [t, await sumOfEnds(admin, t)] as const)),
      );
      const grew = new Set<string>();
      // constitution.updated is the rarest: the background traffic updates a constitution every 20 s.
      const deadline = Date.now() + 60_000;
      while (grew.size < TOPICS.length && Date.now() < deadline) {
        for (const t of TOPICS) if (!grew.has(t) && (await sumOfEnds(admin, t)) > start[t]!) grew.add(t);
        if (grew.size < TOPICS.length) await new Promise((r) => setTimeout(r, 1000));
      }
      expect([...grew].sort()).toEqual([...TOPICS].sort());
    } finally {
      await admin.disconnect();
    }
  });

  describe('messages', () => {
    const received: Received[] = [];
    const groupId = `staging-topics-test-${randomUUID()}`;
    let consumerRef: Consumer | undefined;
    const traceId = randomBytes(16).toString('hex');

    beforeAll(async () => {
      consumerRef = kafka().consumer({ groupId });
      await consumerRef.connect();
      await consumerRef.subscribe({ topics: TOPICS, fromBeginning: false });
      const joined = new Promise<void>((resolve) =>
        consumerRef!.on(consumerRef!.events.GROUP_JOIN, () => resolve()),
      );
      await consumerRef.run({
        eachMessage: async ({ topic, partition, message }) => {
          received.push({
            topic,
            partition,
            key: message.key?.toString() ?? null,
            headers: Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
            ),
            payload: JSON.parse(message.value!.toString()) as Record<string, unknown>,
          });
        },
      });
      await joined;
      // A new group starts at the end; give it a moment to fetch its starting offsets.
      await new Promise((r) => setTimeout(r, 1500));
      // One user journey with a known trace id: a session, an answered step, a training switch, a constitution update.
      const post = (url: string, body: unknown, method = 'POST') =>
        fetch(url, {
          method,
          headers: { 'Content-Type': 'application/json', 'X-Trace-Id': traceId },
          body: JSON.stringify(body),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, string> }));
      const tenant = `topics-${randomUUID().slice(0, 8)}`;
      expect(
        (
          await post(
            `${CONSTITUTION}/v1/constitution/${tenant}`,
            { threshold: 0.5, rules: [], updated_by: 'topics-test' },
            'PUT',
          )
        ).status,
      ).toBe(201);
      const session = await post(`${ORCHESTRATOR}/v1/sessions/start`, { tenant, user: 'topics' });
      expect(session.status).toBe(201);
      expect(
        (
          await post(`${ORCHESTRATOR}/v1/conversation/step`, {
            session_id: session.body.session_id,
            prompt: 'hello',
          })
        ).status,
      ).toBe(200);
      expect(
        (await post(`${ORCHESTRATOR}/v1/training/enable`, { tenant, requested_by: 'topics' })).status,
      ).toBe(200);
      expect(
        (await post(`${ORCHESTRATOR}/v1/training/disable`, { tenant, requested_by: 'topics' })).status,
      ).toBe(200);
      const deadline = Date.now() + 60_000;
      const complete = () =>
        TOPICS.every(
          (t) =>
            received.some((m) => m.topic === t && m.headers.trace_id === traceId) &&
            received.some((m) => m.topic === t && m.headers.trace_id !== traceId),
        );
      while (!complete() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    });

    afterAll(async () => {
      await consumerRef?.disconnect().catch(() => {});
      const admin = kafka().admin();
      await admin.connect();
      await admin.deleteGroups([groupId]).catch(() => {});
      await admin.disconnect();
    });

    it('arrive on every topic, from the test journey and from the background traffic', () => {
      for (const t of TOPICS) {
        expect(
          received.filter((m) => m.topic === t && m.headers.trace_id === traceId).length,
          `${t}: messages of this test's trace`,
        ).toBeGreaterThan(0);
        expect(
          received.filter((m) => m.topic === t && m.headers.trace_id !== traceId).length,
          `${t}: messages of other traffic`,
        ).toBeGreaterThan(0);
      }
    });

    it('match the AsyncAPI payload and header schemas', () => {
      expect(received.length).toBeGreaterThan(TOPICS.length);
      for (const m of received) {
        const { message } = channelFor(m.topic);
        expect(
          validateAgainst(message.payload, m.payload),
          `${m.topic}: ${JSON.stringify(m.payload)}`,
        ).toEqual([]);
        expect(
          validateAgainst(message.headers, m.headers),
          `${m.topic} headers: ${JSON.stringify(m.headers)}`,
        ).toEqual([]);
        expect(m.headers.trace_id).toMatch(/^[0-9a-zA-Z-]{8,64}$/);
        expect(m.headers['content-type']).toBe('application/json');
      }
      // The schemas really check: a decision without its score is refused.
      const decision = received.find((m) => m.topic === 'policy.decisions')!;
      const { score: _score, ...withoutScore } = decision.payload;
      expect(validateAgainst(channelFor('policy.decisions').message.payload, withoutScore)).toContainEqual({
        pointer: '',
        message: 'is missing required key "score"',
      });
    });

    it("carry one trace id across services: the step's policy decision and conversation event share it", () => {
      const ours = received.filter((m) => m.headers.trace_id === traceId);
      const decision = ours.find((m) => m.topic === 'policy.decisions')!;
      const step = ours.find(
        (m) => m.topic === 'conversation.events' && m.payload.type === 'step.completed',
      )!;
      expect(decision.headers.source).toBe('policy-engine');
      expect(step.headers.source).toBe('orchestrator');
      expect(decision.payload.session_id).toBe(step.payload.session_id);
      // Keyed by session, so a session's events keep their order on one partition.
      expect(decision.key).toBe(step.payload.session_id);
      expect(ours.filter((m) => m.topic === 'training.audit').map((m) => m.payload.action)).toEqual([
        'enable',
        'disable',
      ]);
      const ids = received.map((m) => m.payload.event_id);
      expect(new Set(ids).size).toBe(ids.length);
    });
  });
});
