import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { KafkaFixture } from '../support/kafka.js';
import { SCRATCH_KAFKA, STACK, needsServers, requireServer } from '../support/servers.js';
import { ROOT } from '../support/paths.js';
import type { CheckReport } from '../../src/actions/kafka-topic-check/model.js';

needsServers('kafka', 'kafka39');

function report(run: ActionRun): CheckReport {
  return (JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8')) as { result: CheckReport }).result;
}
const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

beforeAll(() => ensureBuilt(), 120_000);

// The same behaviour must hold across the 3.x -> 4.x protocol change.
describe.each([
  ['Kafka 4.3.1', 'kafka' as const],
  ['Kafka 3.9.1', 'kafka39' as const],
])('kafka-topic-check against %s', (_label, server) => {
  let brokers: string;
  let kafka: KafkaFixture;
  beforeAll(async () => {
    brokers = await requireServer(server, server);
    kafka = await new KafkaFixture(brokers).connect();
  });
  afterAll(() => kafka?.close());

  it('a topic with live traffic and a consumer that keeps up pass, with exact request counts', async () => {
    const topic = await kafka.topic('live', 6);
    kafka.traffic(topic, 6, 100);
    const group = `keeps-up-${topic}`;
    await kafka.healthyConsumer(group, topic);
    await new Promise((r) => setTimeout(r, 1_000));
    const run = await runAction('kafka-topic-check', {
      inputs: {
        brokers,
        topics: `- name: ${topic}\n  min-messages: 5\n  max-age: 1m\n  min-partitions: 6\n  owner: Runtime & Training`,
        'consumer-groups': `- name: ${group}\n  max-lag: 500\n  max-lag-seconds: 30`,
        window: '3s',
        sample: '2',
        timeout: '60s',
      },
    });
    kafka.stopTraffic();
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    expect(run.outputs['topics-checked']).toBe('1');
    expect(run.outputs['topics-failed']).toBe('0');
    const r = report(run);
    const t = r.topics[0]!;
    expect(t.status).toBe('ok');
    expect(t.partitions).toBe(6);
    // 6 messages every 100 ms for 3 s, give or take scheduling: far more than the minimum.
    expect(t.countedIn).toBe('records');
    expect(t.messagesInWindow).toBeGreaterThanOrEqual(60);
    // No transactions here: every offset is a record.
    expect(t.messagesInWindow).toBe(t.offsetsInWindow);
    expect(t.partitionDetails.every((p) => p.messagesInWindow! > 0)).toBe(true);
    expect(t.newestAgeMs!).toBeLessThan(10_000);
    expect(t.timestampTypes).toEqual(['CreateTime']);
    expect(t.sampled).toBe(12);
    expect(t.traceIds.length).toBe(12);
    expect(r.groups[0]).toMatchObject({
      name: group,
      status: 'OK',
      state: 'Stable',
      members: 1,
      lagCountedIn: 'records',
    });
    expect(r.groups[0]!.partitions.every((p) => p.assigned)).toBe(true);
    // A group that keeps up and commits every 500 ms is never called falling behind.
    expect(r.groups[0]!.direction).toMatchObject({ samples: 4, fallingBehind: false });
    expect(r.groups[0]!.findings).toEqual([]);
    // Offsets are sampled with one ListOffsets per broker per sample, whatever the partition count:
    // the window's start, the lookback's start (by record time), two samples inside the 3 s window for
    // the group's direction, the window's end and the log start.
    expect(r.requests.byApi.ListOffsets).toBe(6);
    // The group's committed offsets at the same 4 samples, one OffsetFetch each; its coordinator is
    // found once (FindCoordinator, which kafkajs names GroupCoordinator).
    expect(r.requests.byApi.OffsetFetch).toBe(4);
    expect(r.requests.byApi.GroupCoordinator).toBe(1);
    // One Fetch per broker reads every partition from the window's start and the group's committed
    // offsets to the end: counts, lag, the newest records and the records at the committed offsets.
    expect(r.requests.byApi.Fetch).toBe(1);
    for (const p of r.groups[0]!.partitions)
      expect(p.timeLagMs, `time lag of partition ${p.partition}`).toBeGreaterThanOrEqual(0);
    expect(run.summary).toContain(`\`${topic}\``);
    expect(run.summary).toContain('All topics carry live traffic');
  });

  it('a partition whose writes stop is flagged by its own rate; a partition no key maps to is only a note', async () => {
    const stopped = await kafka.topic('stopped', 12);
    const keyed = await kafka.topic('keyed', 12);
    // Every partition of `stopped` written for 6 s (about 10 records/s each), then all but partition
    // 11; `keyed` never writes partition 11, as a producer whose keys never map there.
    kafka.traffic(stopped, 12, 100);
    kafka.traffic(keyed, 11, 100);
    await new Promise((r) => setTimeout(r, 6_000));
    kafka.stopTraffic();
    kafka.traffic(stopped, 11, 100);
    kafka.traffic(keyed, 11, 100);
    await new Promise((r) => setTimeout(r, 500));
    const run = await runAction('kafka-topic-check', {
      inputs: {
        brokers,
        topics: `- name: ${stopped}\n  owner: Runtime & Training\n- name: ${keyed}`,
        window: '5s',
        lookback: '15s',
        timeout: '60s',
      },
    });
    kafka.stopTraffic();
    expect(run.exitCode, run.stdout).toBe(0);
    const [s, k] = report(run).topics;
    expect(s!.idlePartitions).toEqual([11]);
    expect(s!.status).toBe('warning');
    const finding = s!.findings.find((f) => f.code === 'silent-partitions')!;
    expect(finding.message).toMatch(
      new RegExp(
        `^topic ${stopped}: 1 of 12 partition\\(s\\) received nothing in the 5\\.0s window .* 11 \\([\\d.]+ expected, P = [\\d.e-]+\\)$`,
      ),
    );
    // About 60 records in the 15 s before the window: some 20 expected in 5 s, P(0) about 2e-9.
    const silence = s!.partitionDetails[11]!.silence!;
    expect(silence.beforeWindow).toBeGreaterThanOrEqual(40);
    expect(silence.probability).toBeLessThan(0.001);
    expect(silence.probability).toBeCloseTo(Math.exp(-(silence.beforeWindow / 15_000) * 5_000), 10);
    expect(k!.status).toBe('ok');
    expect(k!.findings).toEqual([]);
    expect(k!.unusedPartitions).toEqual([11]);
    expect(k!.notes).toEqual([
      expect.stringContaining(
        'partition(s) 11 received nothing in the window or the 15.0s before it: unused (key skew?)',
      ),
    ]);
    expect(run.summary).toContain('unused (key skew?)');
  });

  it('a topic that went quiet fails, naming the topic and the newest record age from real timestamps', async () => {
    const topic = await kafka.topic('quiet', 3);
    const newest = Date.now() - 20 * 60_000;
    // Timestamps rise within each partition; partition 0's last record is the newest of all.
    await kafka.send(
      topic,
      [0, 1, 2].flatMap((p) =>
        [0, 1, 2].map((i) => ({
          partition: p,
          value: { event_id: `${p}-${i}` },
          timestamp: newest - (p * 3 + (2 - i)) * 1_000,
        })),
      ),
    );
    const run = await runAction('kafka-topic-check', {
      inputs: {
        brokers,
        topics: `- name: ${topic}\n  max-age: 15m\n  runbook: docs/runbooks/kafka-outage.md`,
        window: '2s',
        timeout: '30s',
      },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    const t = report(run).topics[0]!;
    expect(t.messagesInWindow).toBe(0);
    expect(t.newestTimestamp).toBe(new Date(newest).toISOString());
    expect(t.findings.map((f) => f.code)).toEqual(['stale', 'no-traffic']);
    const [first] = errors(run);
    expect(first).toMatch(
      new RegExp(
        `topic ${topic} went quiet: newest committed record is 20m0\\ds old \\(producer time ${new Date(newest).toISOString().replace(/\./g, '\\.')}, partition 0\\); max-age is 15m00s`,
      ),
    );
    expect(first).toContain('runbook: docs/runbooks/kafka-outage.md');
    expect(errors(run).at(-1)).toContain(`1 check(s) failed: ${topic}`);
  });

  it('a stalled group is STALLED and a group nobody runs is STOPPED; uncommitted is never lag 0', async () => {
    const topic = await kafka.topic('stall', 3);
    await kafka.send(
      topic,
      [0, 1, 2].map((p) => ({ partition: p, value: { event_id: String(p) } })),
    );
    const stalled = `stalled-${topic}`;
    const stopped = `stopped-${topic}`;
    await kafka.commit(
      stalled,
      topic,
      [0, 1, 2].map((partition) => ({ partition, offset: 1 })),
    );
    await kafka.commit(stopped, topic, [
      { partition: 0, offset: 0 },
      { partition: 1, offset: 0 },
    ]);
    await kafka.stalledConsumer(stalled, topic);
    kafka.traffic(topic, 3, 100);
    // The window must open with records already waiting behind the stalled group's commit (offset 1):
    // records that only arrive once it is open are, rightly, not proof of a stall.
    for (let i = 0; i < 200; i++) {
      const ends = await kafka.endOffsets(topic);
      if ([0, 1, 2].every((p) => (ends.get(p) ?? 0) > 1)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const run = await runAction('kafka-topic-check', {
      inputs: {
        brokers,
        topics: `- name: ${topic}`,
        'consumer-groups': `- name: ${stalled}\n  commit-interval: 1s\n  owner: Runtime & Training\n- name: ${stopped}\n  topics: [${topic}]`,
        window: '3s',
        timeout: '30s',
      },
    });
    kafka.stopTraffic();
    expect(run.exitCode).toBe(1);
    const [s, st] = report(run).groups;
    expect(s).toMatchObject({ name: stalled, status: 'STALLED', members: 1 });
    expect(s!.partitions.every((p) => p.committed === '1' && p.committedAtStart === '1' && p.lag! > 0)).toBe(
      true,
    );
    expect(st).toMatchObject({ name: stopped, status: 'STOPPED', members: 0, uncommittedPartitions: 1 });
    const p2 = st!.partitions.find((p) => p.partition === 2)!;
    expect(p2.status).toBe('UNCOMMITTED');
    expect(p2.lag).toBeUndefined();
    expect(
      errors(run).some(
        (m) => m.includes(`consumer group ${stalled} is STALLED`) && m.includes('owner: Runtime & Training'),
      ),
    ).toBe(true);
    expect(errors(run).some((m) => m.includes(`consumer group ${stopped} is STOPPED`))).toBe(true);
    // Time lag is measured from the real record at the committed offset.
    expect(s!.maxTimeLagMs).toBeGreaterThan(0);
  });
});

describe('kafka-topic-check failure paths', () => {
  let kafka: KafkaFixture;
  beforeAll(async () => {
    kafka = await new KafkaFixture(await requireServer('kafka')).connect();
  });
  afterAll(() => kafka?.close());

  it('a missing topic is a clear error', async () => {
    const run = await runAction('kafka-topic-check', {
      inputs: {
        brokers: STACK.kafka,
        topics: '- name: no-such-topic-anywhere',
        window: '0s',
        timeout: '20s',
      },
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run)[0]).toBe('topic no-such-topic-anywhere does not exist');
  });

  it('an unreachable broker fails quickly with a clear message, and its result says it is an outage', async () => {
    const run = await runAction('kafka-topic-check', {
      inputs: { brokers: '127.0.0.1:1', topics: '- name: x', timeout: '20s', window: '1s' },
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run).at(-1)).toMatch(
      /^kafka-topic-check: cannot reach Kafka at 127\.0\.0\.1:1: .*ECONNREFUSED.* \(while connecting\)$/,
    );
    expect(run.durationMs).toBeLessThan(20_000);
    // The result file is written all the same: the day's archive tells an outage from a quiet topic by it.
    const envelope = JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8')) as {
      status: string;
      result: { healthy: boolean; outage?: { brokers: string[]; message: string }; topics: unknown[] };
    };
    expect(envelope.status).toBe('failure');
    expect(envelope.result.healthy).toBe(false);
    expect(envelope.result.topics).toEqual([]);
    expect(envelope.result.outage?.brokers).toEqual(['127.0.0.1:1']);
    expect(envelope.result.outage?.message).toMatch(/^cannot reach Kafka at 127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect(run.outputs.healthy).toBe('false');
  });

  it('a broker killed mid-window gives a clear error, no hang', async () => {
    execFileSync('bash', [join(ROOT, 'stack/stack.sh'), 'up', 'kafka-scratch'], {
      stdio: 'ignore',
      timeout: 120_000,
    });
    const scratch = await new KafkaFixture(SCRATCH_KAFKA).connect();
    const topic = await scratch.topic('doomed', 2);
    await scratch.send(topic, [{ value: { event_id: '1' } }]);
    await scratch.close({ keepTopics: true });
    const pid = readFileSync(
      join(process.env.STACK_STATE ?? join(ROOT, '.stack'), 'kafka-scratch/pid'),
      'utf8',
    ).trim();
    const running = runAction('kafka-topic-check', {
      inputs: { brokers: SCRATCH_KAFKA, topics: `- name: ${topic}`, window: '6s', timeout: '40s' },
      timeoutMs: 60_000,
    });
    await new Promise((r) => setTimeout(r, 2_500));
    process.kill(-Number(pid), 'SIGKILL');
    const run = await running;
    execFileSync('bash', [join(ROOT, 'stack/stack.sh'), 'down', 'kafka-scratch'], { stdio: 'ignore' });
    expect(run.exitCode).toBe(1);
    expect(errors(run).at(-1)).toMatch(
      /cannot reach Kafka at 127\.0\.0\.1:\d+: .* \(while sampling offsets at the end of the window\)/,
    );
    expect(run.durationMs).toBeLessThan(40_000);
  });

  it('sampled messages that violate the JSON Schema are reported with partition, offset and pointer', async () => {
    const topic = await kafka.topic('schema', 2);
    await kafka.send(topic, [
      { partition: 0, value: { event_id: 'a', timestamp: '2026-11-25T10:00:00Z', score: 0.4 } },
      { partition: 1, value: { event_id: 'b', timestamp: '2026-11-25T10:00:01Z', score: 'high' } },
      { partition: 1, value: { event_id: 'c', timestamp: '2026-11-25T10:00:02Z', score: 0.9 } },
    ]);
    const run = await runAction('kafka-topic-check', {
      inputs: {
        brokers: STACK.kafka,
        topics: `- name: ${topic}\n  schema: schemas/decision.json\n  max-age: 1h`,
        window: '0s',
        sample: '5',
        timeout: '20s',
      },
      workspaceSetup: (ws) => {
        mkdirSync(join(ws, 'schemas'), { recursive: true });
        writeFileSync(
          join(ws, 'schemas/decision.json'),
          JSON.stringify({
            type: 'object',
            required: ['event_id', 'timestamp', 'score'],
            properties: {
              event_id: { type: 'string' },
              timestamp: { type: 'string', format: 'date-time' },
              score: { type: 'number', minimum: 0, maximum: 1 },
            },
          }),
        );
      },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['schema-violations']).toBe('1');
    const t = report(run).topics[0]!;
    expect(t.schemaViolations).toEqual([
      { partition: 1, offset: '0', pointer: '/score', message: expect.stringMatching(/type/) },
    ]);
    expect(errors(run)[0]).toContain(
      `topic ${topic}: 1 schema violation(s) in sampled messages; first at partition 1 offset 0 /score`,
    );
  });

  it('messages that conform to an AsyncAPI 3 message payload pass', async () => {
    const topic = await kafka.topic('asyncapi', 1);
    await kafka.send(topic, [
      { value: { event_id: 'e1', timestamp: '2026-11-25T10:00:00Z', tenant: 'acme' } },
    ]);
    const asyncapi = {
      asyncapi: '3.0.0',
      info: { title: 't', version: '1' },
      channels: {
        updates: { address: topic, messages: { Updated: { $ref: '#/components/messages/Updated' } } },
      },
      components: {
        messages: { Updated: { payload: { $ref: '#/components/schemas/Updated' } } },
        schemas: {
          Updated: {
            type: 'object',
            required: ['event_id', 'tenant'],
            properties: {
              event_id: { type: 'string' },
              tenant: { type: 'string' },
              timestamp: { type: 'string' },
            },
          },
        },
      },
    };
    const run = await runAction('kafka-topic-check', {
      inputs: {
        brokers: STACK.kafka,
        topics: `- name: ${topic}\n  schema: asyncapi.json\n  message: Updated\n  max-age: 1h`,
        window: '0s',
        timeout: '20s',
      },
      workspaceSetup: (ws) => writeFileSync(join(ws, 'asyncapi.json'), JSON.stringify(asyncapi)),
    });
    expect(run.exitCode).toBe(0);
    expect(report(run).topics[0]).toMatchObject({ sampled: 1, schemaViolations: [] });
  });
});

describe('kafka-topic-check security', () => {
  let kafka: KafkaFixture;
  let topic: string;
  beforeAll(async () => {
    kafka = await new KafkaFixture(await requireServer('kafka')).connect();
    await requireServer('kafkaSasl', 'kafka');
    topic = await kafka.topic('secure', 2);
    await kafka.send(topic, [{ value: { event_id: 'x' } }]);
  });
  afterAll(() => kafka?.close());

  it.each(['scram-sha-256', 'scram-sha-512', 'plain'])('authenticates with SASL %s', async (mechanism) => {
    const run = await runAction('kafka-topic-check', {
      inputs: {
        brokers: STACK.kafkaSasl,
        topics: `- name: ${topic}\n  max-age: 1h`,
        window: '0s',
        timeout: '20s',
        'sasl-mechanism': mechanism,
        username: STACK.scramUser,
        password: STACK.scramPassword,
      },
    });
    expect(run.exitCode).toBe(0);
    expect(run.masks).toContain(STACK.scramPassword);
  });

  it('a wrong password is reported as an authentication failure and never printed or written', async () => {
    const wrong = 'definitely-Wrong-pa55word';
    const run = await runAction('kafka-topic-check', {
      inputs: {
        brokers: STACK.kafkaSasl,
        topics: `- name: ${topic}`,
        window: '0s',
        timeout: '20s',
        'sasl-mechanism': 'scram-sha-512',
        username: STACK.scramUser,
        password: wrong,
      },
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run).at(-1)).toMatch(
      /authentication failed at 127\.0\.0\.1:\d+ for user "cc-checker" with mechanism scram-sha-512/,
    );
    // The only place the runner may see it is the mask command that hides it everywhere else.
    const printed = run.stdout
      .split('\n')
      .filter((l) => l !== `::add-mask::${wrong}`)
      .join('\n');
    expect(printed).not.toContain(wrong);
    expect(run.stderr).not.toContain(wrong);
    expect(run.summary).not.toContain(wrong);
  });

  it("with several clusters, the cluster's own entry of cluster-credentials is used, masked, and only for it", async () => {
    const wrong = 'shared-Wrong-pa55word';
    const credentials = JSON.stringify({
      main: { username: STACK.scramUser, password: STACK.scramPassword },
      other: { username: 'someone-else', password: 'other-Cluster-pa55' },
    });
    const check = (cluster: string) =>
      runAction('kafka-topic-check', {
        inputs: {
          brokers: STACK.kafkaSasl,
          topics: `- name: ${topic}\n  max-age: 1h`,
          window: '0s',
          timeout: '20s',
          'sasl-mechanism': 'scram-sha-256',
          username: STACK.scramUser,
          password: wrong,
          cluster,
          'cluster-credentials': credentials,
        },
      });
    const main = await check('main');
    expect(main.exitCode, main.stdout.slice(-2000)).toBe(0);
    expect(main.stdout).toContain(
      `SASL scram-sha-256 as ${STACK.scramUser} (cluster main), from cluster-credentials`,
    );
    // Each password of the mapping is masked on its own, not only the whole secret.
    expect(main.masks).toEqual(expect.arrayContaining([STACK.scramPassword, 'other-Cluster-pa55']));
    // A cluster the mapping does not list uses username and password: here the wrong one.
    const unlisted = await check('legacy');
    expect(unlisted.exitCode).toBe(1);
    expect(unlisted.stdout).toContain('(cluster legacy), from username/password');
    expect(errors(unlisted).at(-1)).toMatch(
      /authentication failed at 127\.0\.0\.1:\d+ for user "cc-checker"/,
    );
  });

  it('connects over TLS with the CA given as a file', async () => {
    const run = await runAction('kafka-topic-check', {
      inputs: {
        brokers: STACK.kafkaSsl,
        topics: `- name: ${topic}\n  max-age: 1h`,
        window: '0s',
        timeout: '20s',
        ssl: 'true',
        'ssl-ca': STACK.kafkaCaPath,
      },
    });
    expect(run.exitCode).toBe(0);
    expect(report(run).topics[0]!.status).toBe('ok');
  });

  it('TLS without the CA is refused with a certificate hint', async () => {
    const run = await runAction('kafka-topic-check', {
      inputs: {
        brokers: STACK.kafkaSsl,
        topics: `- name: ${topic}`,
        window: '0s',
        timeout: '15s',
        ssl: 'true',
      },
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run).at(-1)).toMatch(
      /cannot reach Kafka at .*(certificate|self[- ]signed).*\(TLS: check ssl and ssl-ca\)/i,
    );
  });
});
