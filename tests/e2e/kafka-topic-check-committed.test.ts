import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { runAction, type ActionRun, type RunOptions } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { KafkaFixture, type TruthRecord } from '../support/kafka.js';
import { needsServers, requireServer } from '../support/servers.js';
import type { CheckReport, GroupReport } from '../../src/actions/kafka-topic-check/model.js';
import { formatAge } from '../../src/actions/kafka-topic-check/evaluate.js';

needsServers('kafka', 'kafka39');

// The patterns real producers and consumers use (transactions, compaction, segment rolls, clocks that
// are wrong, groups that commit rarely or not yet), on both broker versions, each judged against the
// truth: what a read_committed consumer in this test reads from the same topics.
const BROKERS = [
  ['Kafka 4.3.1', 'kafka'],
  ['Kafka 3.9.1', 'kafka39'],
] as const;
type Label = (typeof BROKERS)[number][0];

const report = (run: ActionRun) =>
  (JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8')) as { result: CheckReport }).result;
const topicOf = (r: CheckReport, name: string) => r.topics.find((t) => t.name === name)!;
const groupOf = (r: CheckReport, name: string) => r.groups.find((g) => g.name === name)!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the bundle; `inWindow` runs once the observation window has opened. */
async function runCheck(opts: RunOptions, inWindow?: () => Promise<void>): Promise<ActionRun> {
  let during: Promise<void> | undefined;
  const run = await runAction('kafka-topic-check', {
    ...opts,
    onStdout: (text) => {
      if (inWindow && !during && text.includes('observing traffic for')) during = inWindow();
    },
  });
  if (inWindow) {
    if (!during) throw new Error(`the window never opened:\n${run.stdout}`);
    await during;
  }
  return run;
}

/** The end offsets the report read, by topic and partition: how far the truth has to be read. */
function ends(r: CheckReport, topics: string[]): Map<string, Map<number, bigint>> {
  return new Map(
    topics.map((name) => [
      name,
      new Map(topicOf(r, name).partitionDetails.map((p) => [p.partition, BigInt(p.endOffset)])),
    ]),
  );
}
const committedIn = (truth: TruthRecord[], topic: string, partition: number, from: bigint, to: bigint) =>
  truth.filter((x) => x.topic === topic && x.partition === partition && x.offset >= from && x.offset < to);

function forEachBroker<T>(scenario: (brokers: string, label: Label) => Promise<T>): {
  results: Map<Label, T>;
  setUp: () => Promise<void>;
} {
  const results = new Map<Label, T>();
  return {
    results,
    setUp: async () => {
      await Promise.all(
        BROKERS.map(async ([label, server]) =>
          results.set(label, await scenario(await requireServer(server, server), label)),
        ),
      );
    },
  };
}

beforeAll(() => ensureBuilt(), 120_000);

describe('transactional topics are read like a read_committed consumer reads them', () => {
  interface Txn {
    run: ActionRun;
    r: CheckReport;
    truth: TruthRecord[];
    mixed: string;
    abortedOnly: string;
    caughtUp: string;
    group: string;
    groupCommitted: bigint | undefined;
    oldCommittedTimestamp: number;
  }
  const fixtures: KafkaFixture[] = [];
  const { results, setUp } = forEachBroker<Txn>(async (brokers) => {
    const kafka = await new KafkaFixture(brokers).connect();
    fixtures.push(kafka);
    const [mixed, abortedOnly, caughtUp] = await Promise.all([
      kafka.topic('txn-mixed', 2),
      kafka.topic('txn-aborted', 1),
      kafka.topic('txn-caught-up', 1),
    ]);
    const txn = await kafka.transactionalProducer();
    const committed = (topic: string, partition: number, extra: { timestamp?: number } = {}) => ({
      topic,
      partition,
      value: { kind: 'committed' },
      traceId: `c-${randomUUID()}`,
      ...extra,
    });
    const aborted = (topic: string, partition: number) => ({
      topic,
      partition,
      value: { kind: 'aborted' },
      traceId: `x-${randomUUID()}`,
    });

    // Before the window: history on every topic. On abortedOnly the last committed record is 25 s old.
    await txn.commit([committed(mixed, 0), committed(mixed, 0), committed(mixed, 1)]);
    await txn.abort([aborted(mixed, 0), aborted(mixed, 1)]);
    // caughtUp: 5 committed records (offsets 0-4, commit marker 5), then an aborted batch of 52 and its marker (6-58).
    await txn.commit(Array.from({ length: 5 }, () => committed(caughtUp, 0)));
    await txn.abort(Array.from({ length: 52 }, () => aborted(caughtUp, 0)));
    // A read_committed consumer with kafkajs's defaults reads it all and commits after the last record it
    // was handed (offset 5), then passes the markers and the aborted batch without committing again.
    const group = `txn-reader-${randomUUID().slice(0, 8)}`;
    await kafka.defaultConsumer(group, caughtUp);
    let groupCommitted: bigint | undefined;
    for (let i = 0; i < 120 && groupCommitted !== 5n; i++) {
      await sleep(250);
      groupCommitted = (await kafka.committedOffsets(group, caughtUp)).get(0);
    }

    const oldCommittedTimestamp = Date.now() - 25_000;
    await txn.commit([
      committed(abortedOnly, 0, { timestamp: oldCommittedTimestamp - 1_000 }),
      committed(abortedOnly, 0, { timestamp: oldCommittedTimestamp }),
    ]);

    const run = await runCheck(
      {
        inputs: {
          brokers,
          topics: [
            `- name: ${mixed}\n  min-messages: 1\n  max-age: 1m\n  schema: committed.json`,
            `- name: ${abortedOnly}\n  min-messages: 1\n  max-age: 20s`,
            `- name: ${caughtUp}\n  min-messages: 0`,
          ].join('\n'),
          'consumer-groups': `- name: ${group}\n  max-lag: 0\n  commit-interval: 1s`,
          window: '6s',
          sample: '3',
          timeout: '60s',
        },
        // Only committed records conform: an aborted one sampled would be a schema violation.
        workspaceSetup: (ws) =>
          writeFileSync(
            `${ws}/committed.json`,
            JSON.stringify({
              type: 'object',
              required: ['kind'],
              properties: { kind: { const: 'committed' } },
            }),
          ),
      },
      async () => {
        // During the window: commits and aborts on mixed, the last of them aborted; only aborts on abortedOnly.
        await txn.commit([committed(mixed, 0), committed(mixed, 1)]);
        await txn.abort([aborted(mixed, 0), aborted(mixed, 1), aborted(abortedOnly, 0)]);
        await txn.commit([committed(mixed, 0), committed(mixed, 0)]);
        await txn.abort([
          aborted(mixed, 0),
          aborted(mixed, 1),
          aborted(abortedOnly, 0),
          aborted(abortedOnly, 0),
        ]);
      },
    );
    const r = report(run);
    const truth = await kafka.readCommitted(ends(r, [mixed, abortedOnly, caughtUp]));
    return { run, r, truth, mixed, abortedOnly, caughtUp, group, groupCommitted, oldCommittedTimestamp };
  });
  beforeAll(setUp, 240_000);
  afterAll(async () => {
    for (const k of fixtures) await k.close();
  });

  it.each(BROKERS)(
    '%s: counts, rates, newest record, samples and trace ids are those of committed records',
    (label) => {
      const { run, r, truth, mixed } = results.get(label)!;
      expect(run.stderr).toBe('');
      const t = topicOf(r, mixed);
      expect(t.countedIn).toBe('records');
      for (const p of t.partitionDetails) {
        const committed = committedIn(truth, mixed, p.partition, 0n, BigInt(p.endOffset));
        const inWindow = committedIn(truth, mixed, p.partition, BigInt(p.startOffset), BigInt(p.endOffset));
        expect(p.messagesInWindow, `partition ${p.partition}`).toBe(inWindow.length);
        expect(inWindow.length).toBeGreaterThan(0);
        // Markers and aborted records advanced the offsets too, and the newest offsets are not committed records.
        expect(p.offsetsInWindow).toBeGreaterThan(inWindow.length);
        expect(BigInt(p.endOffset) - 1n).toBeGreaterThan(committed.at(-1)!.offset);
        expect(p.newestOffset).toBe(committed.at(-1)!.offset.toString());
        expect(p.newestTimestamp).toBe(new Date(committed.at(-1)!.timestamp).toISOString());
      }
      expect(t.messagesInWindow).toBe(t.partitionDetails.reduce((n, p) => n + p.messagesInWindow!, 0));
      expect(t.ratePerMinute).toBe(Math.round((t.messagesInWindow! / 6_000) * 60_000 * 100) / 100);
      // The samples are each partition's newest 3 committed records: their trace ids, in order.
      const sampled = [0, 1].flatMap((p) =>
        committedIn(truth, mixed, p, 0n, BigInt(t.partitionDetails[p]!.endOffset)).slice(-3),
      );
      expect(t.sampled).toBe(sampled.length);
      expect(t.traceIds).toEqual(sampled.map((x) => x.traceId));
      expect(t.traceIds.every((id) => id.startsWith('c-'))).toBe(true);
      expect(t.schemaViolations).toEqual([]);
      expect(t.status).toBe('ok');
    },
  );

  it.each(BROKERS)(
    '%s: a topic with only aborted transactions in the window fails as stale with no traffic',
    (label) => {
      const { r, truth, abortedOnly, oldCommittedTimestamp } = results.get(label)!;
      const t = topicOf(r, abortedOnly);
      const p = t.partitionDetails[0]!;
      expect(committedIn(truth, abortedOnly, 0, BigInt(p.startOffset), BigInt(p.endOffset))).toEqual([]);
      expect(truth.filter((x) => x.topic === abortedOnly).at(-1)!.timestamp).toBe(oldCommittedTimestamp);
      expect(t).toMatchObject({
        status: 'error',
        countedIn: 'records',
        messagesInWindow: 0,
        arrivedInWindow: false,
        newestTimestamp: new Date(oldCommittedTimestamp).toISOString(),
      });
      // Three aborted records and two abort markers.
      expect(t.offsetsInWindow).toBe(5);
      expect(t.findings.map((f) => f.code)).toEqual(['stale', 'no-traffic']);
      expect(t.newestAgeMs).toBe(Date.parse(r.observedAt) - oldCommittedTimestamp);
      expect(t.newestAgeMs!).toBeGreaterThan(25_000);
      expect(t.findings[0]!.message).toBe(
        `topic ${abortedOnly} went quiet: newest committed record is ${formatAge(t.newestAgeMs!)} old (producer time ${new Date(oldCommittedTimestamp).toISOString()}, partition 0); max-age is 20.0s`,
      );
      expect(t.findings[1]!.message).toMatch(
        new RegExp(
          `^topic ${abortedOnly} received 0 committed records in the 6\\.0s window \\(offsets advanced by 5: transaction markers and aborted records are not messages\\)`,
        ),
      );
    },
  );

  it.each(BROKERS)(
    '%s: a read_committed group caught up behind a commit marker and an aborted batch is OK with lag 0',
    (label) => {
      const { r, truth, caughtUp, group, groupCommitted } = results.get(label)!;
      expect(groupCommitted).toBe(5n);
      const g = groupOf(r, group);
      const p = g.partitions[0]!;
      expect(p).toMatchObject({
        topic: caughtUp,
        partition: 0,
        committed: '5',
        committedAtStart: '5',
        endOffset: '59',
        lagOffsets: 54,
        assigned: true,
      });
      expect(committedIn(truth, caughtUp, 0, 5n, 59n)).toEqual([]);
      expect(p.lag).toBe(0);
      expect(p.status).toBe('OK');
      expect(g).toMatchObject({
        status: 'OK',
        level: 'ok',
        members: 1,
        lagCountedIn: 'records',
        totalLag: 0,
        totalLagOffsets: 54,
        maxTimeLagMs: 0,
        findings: [],
      });
      // Its direction is counted like its lag: 54 offsets of markers and aborted records behind, yet
      // 0 committed records at each of the 5 samples of the 6 s window; nothing to catch up.
      expect(p.direction).toMatchObject({
        samples: 5,
        lagSamples: [0, 0, 0, 0, 0],
        produced: 0,
        consumed: 0,
        trend: 'steady',
        catchUpMs: 0,
        fallingBehind: false,
      });
    },
  );
});

describe('the newest records are read to the end, across segment boundaries', () => {
  interface Segments {
    r: CheckReport;
    truth: TruthRecord[];
    topics: string[];
    newestTimestamp: Map<string, number>;
  }
  const fixtures: KafkaFixture[] = [];
  const { results, setUp } = forEachBroker<Segments>(async (brokers) => {
    const kafka = await new KafkaFixture(brokers).connect();
    fixtures.push(kafka);
    // segment.ms rolls a segment on the first append once the active one is older than that (by its
    // first batch's timestamp): the records stamped 50 s ago make the next one start a new segment.
    const topics = await Promise.all([
      kafka.topic('seg-compact', 1, { 'cleanup.policy': 'compact', 'segment.ms': '1000' }),
      kafka.topic('seg-delete', 1, { 'cleanup.policy': 'delete', 'segment.ms': '1000' }),
    ]);
    const old = Date.now() - 50_000;
    for (const topic of topics)
      await kafka.send(
        topic,
        Array.from({ length: 4 }, (_, i) => ({ key: `k${i}`, value: { n: i }, timestamp: old + i })),
      );
    const newestTimestamp = new Map<string, number>();
    const run = await runCheck(
      {
        inputs: {
          brokers,
          topics: topics.map((t) => `- name: ${t}\n  max-age: 30s`).join('\n'),
          window: '4s',
          sample: '5',
          timeout: '60s',
        },
      },
      async () => {
        await sleep(1_200);
        for (const topic of topics) {
          const at = Date.now();
          newestTimestamp.set(topic, at);
          await kafka.send(topic, [{ key: 'k-new', value: { n: 'new' }, timestamp: at }]);
        }
      },
    );
    const r = report(run);
    return { r, truth: await kafka.readCommitted(ends(r, topics)), topics, newestTimestamp };
  });
  beforeAll(setUp, 240_000);
  afterAll(async () => {
    for (const k of fixtures) await k.close();
  });

  it.each(BROKERS)(
    '%s: compacted and delete topics whose newest record starts a new segment are fresh, dated by that record',
    (label) => {
      const { r, truth, topics, newestTimestamp } = results.get(label)!;
      for (const topic of topics) {
        const t = topicOf(r, topic);
        const p = t.partitionDetails[0]!;
        const records = committedIn(truth, topic, 0, 0n, BigInt(p.endOffset));
        expect(records.length, topic).toBe(5);
        expect(records.at(-1)!.timestamp).toBe(newestTimestamp.get(topic));
        expect(t).toMatchObject({
          status: 'ok',
          findings: [],
          messagesInWindow: committedIn(truth, topic, 0, BigInt(p.startOffset), BigInt(p.endOffset)).length,
        });
        expect(t.messagesInWindow).toBe(1);
        expect(p.newestOffset).toBe(records.at(-1)!.offset.toString());
        expect(t.newestTimestamp).toBe(new Date(newestTimestamp.get(topic)!).toISOString());
        expect(t.newestAgeMs!).toBeLessThan(30_000);
        // All five records were sampled: the read went on past the end of the first segment.
        expect(t.sampled).toBe(5);
      }
    },
  );
});

describe('beyond the bounded read, lag is said in offsets, never mixed with records', () => {
  interface Far {
    r: CheckReport;
    topic: string;
    group: string;
  }
  const fixtures: KafkaFixture[] = [];
  // One more than a partition may be read to count (50,000 offsets).
  const RECORDS = 50_001;
  const { results, setUp } = forEachBroker<Far>(async (brokers) => {
    const kafka = await new KafkaFixture(brokers).connect();
    fixtures.push(kafka);
    const topic = await kafka.topic('far-behind', 1);
    for (let sent = 0; sent < RECORDS; sent += 5_000) {
      await kafka.send(
        topic,
        Array.from({ length: Math.min(5_000, RECORDS - sent) }, (_, i) => ({
          partition: 0,
          value: { n: sent + i },
        })),
      );
    }
    const group = `far-behind-${randomUUID().slice(0, 8)}`;
    await kafka.commit(group, topic, [{ partition: 0, offset: 0 }]);
    const run = await runCheck({
      inputs: {
        brokers,
        topics: `- name: ${topic}\n  min-messages: 0`,
        'consumer-groups': `- name: ${group}\n  max-lag: 10`,
        window: '1s',
        timeout: '60s',
      },
    });
    return { r: report(run), topic, group };
  });
  beforeAll(setUp, 240_000);
  afterAll(async () => {
    for (const k of fixtures) await k.close();
  });

  it.each(BROKERS)(
    '%s: a group 50,001 offsets behind has its lag in offsets, and the words say so',
    (label) => {
      const { r, topic, group } = results.get(label)!;
      const g = groupOf(r, group);
      expect(g).toMatchObject({
        lagCountedIn: 'offsets',
        totalLagOffsets: RECORDS,
        status: 'STOPPED',
        level: 'error',
      });
      expect(g.totalLag).toBeUndefined();
      expect(g.partitions[0]).toMatchObject({
        committed: '0',
        lagOffsets: RECORDS,
        endOffset: String(RECORDS),
      });
      expect(g.partitions[0]!.lag).toBeUndefined();
      expect(g.findings.map((f) => f.message)).toEqual([
        `consumer group ${group} is STOPPED: no members and no commits in 1.0s while the committed offsets are 50,001 offsets behind (committed records not counted: too far to read) on ${topic}/0`,
        `consumer group ${group} lags 50,001 offsets (committed records not counted: too far to read; offsets include transaction markers and aborted records); max-lag is 10`,
      ]);
      // The topic's own count needed only the window, which was read: it stays in records.
      expect(topicOf(r, topic)).toMatchObject({
        countedIn: 'records',
        messagesInWindow: 0,
        offsetsInWindow: 0,
      });
    },
  );
});

describe('timestamps that are wrong are findings of their own', () => {
  interface Clocks {
    r: CheckReport;
    truth: TruthRecord[];
    skewed: string;
    oldStamped: string;
    brokerStamped: string;
  }
  const fixtures: KafkaFixture[] = [];
  const MONTH = 30 * 86_400_000;
  const { results, setUp } = forEachBroker<Clocks>(async (brokers) => {
    const kafka = await new KafkaFixture(brokers).connect();
    fixtures.push(kafka);
    const [skewed, oldStamped, brokerStamped] = await Promise.all([
      // Kafka 4 refuses records more than an hour ahead by default; 3.9 accepts any.
      kafka.topic('clock-ahead', 1, { 'message.timestamp.after.max.ms': '7200000' }),
      kafka.topic('clock-old', 1, { 'retention.ms': '-1' }),
      kafka.topic('clock-broker', 1, { 'message.timestamp.type': 'LogAppendTime' }),
    ]);
    const produce = await kafka.idempotentProducer();
    const now = Date.now();
    await produce([{ topic: skewed, partition: 0, value: { n: 1 }, timestamp: now - 30_000 }]);
    await produce([{ topic: skewed, partition: 0, value: { n: 2 }, timestamp: now + 3_600_000 }]);
    // The same clock an hour ahead, on a topic where the broker stamps each record with its own time.
    await produce([{ topic: brokerStamped, partition: 0, value: { n: 1 }, timestamp: now + 3_600_000 }]);
    const run = await runCheck(
      {
        inputs: {
          brokers,
          topics: `- name: ${skewed}\n  max-age: 20s\n- name: ${oldStamped}\n  max-age: 1m\n- name: ${brokerStamped}\n  max-age: 1m\n  min-messages: 0`,
          window: '3s',
          timeout: '60s',
        },
      },
      async () => {
        await kafka.send(
          oldStamped,
          [0, 1, 2].map((i) => ({ partition: 0, value: { n: i }, timestamp: Date.now() - MONTH + i })),
        );
      },
    );
    const r = report(run);
    return {
      r,
      truth: await kafka.readCommitted(ends(r, [skewed, oldStamped, brokerStamped])),
      skewed,
      oldStamped,
      brokerStamped,
    };
  });
  beforeAll(setUp, 240_000);
  afterAll(async () => {
    for (const k of fixtures) await k.close();
  });

  it.each(BROKERS)(
    '%s: a record stamped an hour ahead, then silence, fails as stale with a clock-skew finding',
    (label) => {
      const { r, truth, skewed } = results.get(label)!;
      const [past, ahead] = truth.filter((x) => x.topic === skewed);
      expect(ahead!.producerId).toBeGreaterThanOrEqual(0);
      const t = topicOf(r, skewed);
      expect(t.newestTimestamp).toBe(new Date(past!.timestamp).toISOString());
      expect(t.newestAgeMs).toBe(Date.parse(r.observedAt) - past!.timestamp);
      expect(t.clockSkew).toEqual([
        {
          partition: 0,
          offset: ahead!.offset.toString(),
          timestamp: new Date(ahead!.timestamp).toISOString(),
          aheadMs: expect.any(Number),
          producerId: ahead!.producerId,
        },
      ]);
      expect(t.clockSkew[0]!.aheadMs).toBe(ahead!.timestamp - Date.parse(r.observedAt));
      expect(t.findings.map((f) => [f.level, f.code])).toEqual([
        ['error', 'stale'],
        ['error', 'no-traffic'],
        ['warning', 'clock-skew'],
      ]);
      expect(t.findings[0]!.message).toBe(
        `topic ${skewed} went quiet: newest committed record is ${formatAge(t.newestAgeMs!)} old (producer time ${new Date(past!.timestamp).toISOString()}, partition 0); max-age is 20.0s`,
      );
      expect(t.findings[2]!.message).toMatch(
        new RegExp(
          `^topic ${skewed}: 1 committed record stamped more than 1m00s in the future by producer time; the furthest, partition 0 offset ${ahead!.offset} from producer id ${ahead!.producerId}, is ${formatAge(t.clockSkew[0]!.aheadMs)} ahead`,
        ),
      );
    },
  );

  it.each(BROKERS)(
    "%s: on a LogAppendTime topic the broker's time dates the record, whatever the producer stamped",
    (label) => {
      const { r, truth, brokerStamped } = results.get(label)!;
      const [record] = truth.filter((x) => x.topic === brokerStamped);
      const t = topicOf(r, brokerStamped);
      expect(record!.timestamp).toBeLessThan(Date.parse(r.observedAt));
      expect(t).toMatchObject({
        status: 'ok',
        findings: [],
        clockSkew: [],
        timestampTypes: ['LogAppendTime'],
        newestTimestamp: new Date(record!.timestamp).toISOString(),
      });
      expect(t.partitionDetails[0]!.timestampType).toBe('LogAppendTime');
    },
  );

  it.each(BROKERS)(
    '%s: records stamped 30 days ago that arrive in the window are live traffic with an old-timestamps finding',
    (label) => {
      const { r, truth, oldStamped } = results.get(label)!;
      const t = topicOf(r, oldStamped);
      const p = t.partitionDetails[0]!;
      const arrived = committedIn(truth, oldStamped, 0, BigInt(p.startOffset), BigInt(p.endOffset));
      expect(arrived.length).toBe(3);
      expect(t).toMatchObject({ status: 'warning', messagesInWindow: 3, arrivedInWindow: true });
      expect(t.findings.map((f) => [f.level, f.code])).toEqual([['warning', 'old-timestamps']]);
      expect(t.findings[0]!.message).toBe(
        `topic ${oldStamped}: 3 committed records arrived during the window with producer timestamps 30 days old (the newest ${new Date(arrived.at(-1)!.timestamp).toISOString()}, partition 0): the topic is live, its producer stamps old times`,
      );
    },
  );
});

describe('consumer groups are seen through their members, and never called STALLED without proof', () => {
  interface Groups {
    r: CheckReport;
    truth: TruthRecord[];
    assignedTopic: string;
    busyTopic: string;
    names: Record<'fresh' | 'freshWithTopics' | 'every30' | 'every30Configured' | 'stalled', string>;
    committedAtT0: Map<string, Map<number, bigint>>;
  }
  const fixtures: KafkaFixture[] = [];
  const { results, setUp } = forEachBroker<Groups>(async (brokers) => {
    const kafka = await new KafkaFixture(brokers).connect();
    fixtures.push(kafka);
    const [assignedTopic, busyTopic] = await Promise.all([
      kafka.topic('grp-assigned', 3),
      kafka.topic('grp-busy', 2),
    ]);
    // Partitions 0 and 1 hold records; partition 2 never does.
    await kafka.send(assignedTopic, [
      { partition: 0, value: { n: 1 } },
      { partition: 0, value: { n: 2 } },
      { partition: 1, value: { n: 3 } },
    ]);
    kafka.traffic(busyTopic, 2, 200);
    const id = randomUUID().slice(0, 8);
    const names = {
      fresh: `fresh-${id}`,
      freshWithTopics: `fresh-topics-${id}`,
      every30: `every30-${id}`,
      every30Configured: `every30-conf-${id}`,
      stalled: `stalled-${id}`,
    };
    // Live members that commit nothing, and three that commit by hand.
    await kafka.committingConsumer(names.fresh, assignedTopic);
    await kafka.committingConsumer(names.freshWithTopics, assignedTopic);
    const every30 = await kafka.committingConsumer(names.every30, busyTopic);
    const every30Configured = await kafka.committingConsumer(names.every30Configured, busyTopic);
    const stalled = await kafka.committingConsumer(names.stalled, busyTopic);
    for (let i = 0; i < 120 && [every30, every30Configured, stalled].some((c) => c.positions.size < 2); i++)
      await sleep(250);
    // T0: all three commit; two of them again every 30 s, the third never again. The window below
    // opens right after T0 and closes well before T0 + 30 s.
    const committedAtT0 = new Map<string, Map<number, bigint>>();
    committedAtT0.set(names.every30, await every30.commit());
    committedAtT0.set(names.every30Configured, await every30Configured.commit());
    committedAtT0.set(names.stalled, await stalled.commit());
    // The window must open with records already waiting behind the frozen group's commit: a commit
    // that caught up with the log, followed by a pause in the traffic, is (rightly) not a stall.
    const frozenAt = committedAtT0.get(names.stalled)!;
    const waitingBehind = async () => {
      const ends = await kafka.endOffsets(busyTopic);
      return [...frozenAt].every(([p, offset]) => BigInt(ends.get(p) ?? 0) > offset);
    };
    for (let i = 0; i < 200 && !(await waitingBehind()); i++) await sleep(100);
    if (!(await waitingBehind()))
      throw new Error(`no record reached ${busyTopic} after the stalled group's commit within 20 s`);
    every30.commitEvery(30_000);
    every30Configured.commitEvery(30_000);
    const run = await runCheck({
      inputs: {
        brokers,
        topics: `- name: ${assignedTopic}\n  min-messages: 0\n- name: ${busyTopic}`,
        'consumer-groups': [
          `- name: ${names.fresh}`,
          `- name: ${names.freshWithTopics}\n  topics: [${assignedTopic}]`,
          `- name: ${names.every30}`,
          `- name: ${names.every30Configured}\n  commit-interval: 30s`,
          `- name: ${names.stalled}\n  commit-interval: 5s`,
        ].join('\n'),
        window: '20s',
        timeout: '90s',
      },
    });
    kafka.stopTraffic();
    const r = report(run);
    return {
      r,
      truth: await kafka.readCommitted(ends(r, [busyTopic])),
      assignedTopic,
      busyTopic,
      names,
      committedAtT0,
    };
  });
  beforeAll(setUp, 300_000);
  afterAll(async () => {
    for (const k of fixtures) await k.close();
  });

  const expectUncommitted = (g: GroupReport, topic: string) => {
    expect(g).toMatchObject({
      status: 'UNCOMMITTED',
      level: 'warning',
      members: 1,
      uncommittedPartitions: 2,
    });
    expect(g.partitions.map((p) => [p.topic, p.partition, p.status, p.assigned, p.lag])).toEqual([
      [topic, 0, 'UNCOMMITTED', true, undefined],
      [topic, 1, 'UNCOMMITTED', true, undefined],
      [topic, 2, 'OK', true, 0],
    ]);
    expect(g.findings.map((f) => f.message)).toEqual([
      `consumer group ${g.name} has no committed offset on 2 partitions that hold records: ${topic}/0, ${topic}/1; 2 of them assigned to its 1 member`,
    ]);
  };

  it.each(BROKERS)(
    '%s: a new group with a live member and no commits is UNCOMMITTED on what it is assigned, without topics',
    (label) => {
      const { r, assignedTopic, names } = results.get(label)!;
      expectUncommitted(groupOf(r, names.fresh), assignedTopic);
    },
  );

  it.each(BROKERS)(
    '%s: the same with topics; a partition that never held a record is not UNCOMMITTED',
    (label) => {
      const { r, assignedTopic, names } = results.get(label)!;
      expectUncommitted(groupOf(r, names.freshWithTopics), assignedTopic);
    },
  );

  it.each(BROKERS)(
    '%s: a group that commits every 30 s, read in a 20 s window, is UNKNOWN with the reason, its lag exact',
    (label) => {
      const { r, truth, busyTopic, names, committedAtT0 } = results.get(label)!;
      for (const [name, reason] of [
        [
          names.every30,
          'the committed offset did not move in the 20.0s window; without commit-interval a group that commits less often cannot be told from a stalled one',
        ],
        [
          names.every30Configured,
          "the committed offset did not move in the 20.0s window, which is not longer than the group's commit-interval of 30.0s",
        ],
      ] as const) {
        const g = groupOf(r, name);
        expect(g).toMatchObject({ status: 'UNKNOWN', level: 'warning', members: 1, lagCountedIn: 'records' });
        for (const p of g.partitions) {
          // No commit during the window: the committed offset is still the one of T0.
          expect(p.committed).toBe(committedAtT0.get(name)!.get(p.partition)!.toString());
          expect(p.committedAtStart).toBe(p.committed);
          expect(p.lag).toBe(
            committedIn(truth, busyTopic, p.partition, BigInt(p.committed!), BigInt(p.endOffset)).length,
          );
          expect(p.lag!).toBeGreaterThan(0);
          expect(p).toMatchObject({ status: 'UNKNOWN', note: reason });
        }
        expect(g.findings.map((f) => f.code)).toEqual(['group-stall-unknown']);
        expect(g.findings[0]!.message).toContain(`: ${reason} (`);
      }
    },
  );

  it.each(BROKERS)(
    '%s: with a commit interval shorter than the window, a frozen group is STALLED',
    (label) => {
      const { r, truth, busyTopic, names } = results.get(label)!;
      const g = groupOf(r, names.stalled);
      expect(g).toMatchObject({ status: 'STALLED', level: 'error', members: 1, commitIntervalMs: 5_000 });
      const waiting = g.partitions.reduce(
        (n, p) =>
          n + committedIn(truth, busyTopic, p.partition, BigInt(p.committed!), BigInt(p.endOffset)).length,
        0,
      );
      expect(g.totalLag).toBe(waiting);
      expect(g.findings[0]!.message).toBe(
        `consumer group ${names.stalled} is STALLED: 1 member connected but the committed offset did not move in 20.0s (longer than its commit-interval of 5.0s) while ${waiting} committed records wait on ${busyTopic}/0, ${busyTopic}/1`,
      );
    },
  );
});
