import { describe, expect, it } from 'vitest';
import {
  classifyPartition,
  countCommitted,
  evaluate,
  evaluateGroup,
  evaluateTopic,
  formatAge,
  type PartitionFacts,
  type TopicContext,
  type TopicRules,
} from '../../src/actions/kafka-topic-check/evaluate.js';
import type {
  GroupPartitionObservation,
  Observation,
  PartitionLog,
  PartitionObservation,
  RecordStamp,
  TopicObservation,
} from '../../src/actions/kafka-topic-check/model.js';

const NOW = Date.parse('2026-11-25T16:00:00Z');
const WINDOW = 30_000;
const ctx = (over: Partial<TopicContext> = {}): TopicContext => ({
  observedAt: NOW,
  windowStartedAt: NOW - WINDOW,
  windowMs: WINDOW,
  lookbackMs: 3_600_000,
  silenceThreshold: 0.001,
  clockSkewToleranceMs: 60_000,
  maxTraceIds: 20,
  ...over,
});
const stamp = (offset: number, agoMs: number, extra: Partial<RecordStamp> = {}): RecordStamp => ({
  offset: BigInt(offset),
  timestamp: NOW - agoMs,
  timestampType: 'CreateTime',
  producerId: -1,
  ...extra,
});

/** A partition whose log was read from `readFrom` (default: the start of the window) to its end. */
function part(
  partition: number,
  endAtStart: number,
  endAtEnd: number,
  committed: RecordStamp[],
  extra: Partial<PartitionObservation> = {},
): PartitionObservation {
  return {
    partition,
    leader: 1,
    replicas: [1],
    isr: [1],
    logStart: 0n,
    endAtStart: BigInt(endAtStart),
    endAtEnd: BigInt(endAtEnd),
    atLookback: 0n,
    readFrom: BigInt(Math.min(endAtStart, committed[0] ? Number(committed[0].offset) : endAtEnd)),
    committed,
    skipped: { aborted: 0, control: 0 },
    ...extra,
  };
}
/** `n` committed records at offsets from..from+n-1, the last `newestAgoMs` old, one second apart. */
const run = (from: number, n: number, newestAgoMs: number) =>
  Array.from({ length: n }, (_, i) => stamp(from + i, newestAgoMs + (n - 1 - i) * 1_000));
const topic = (
  name: string,
  partitions: PartitionObservation[],
  samples: TopicObservation['samples'] = [],
): TopicObservation => ({ name, exists: true, partitions, samples });
const rules = (r: Partial<TopicRules> = {}): TopicRules => ({
  name: 't',
  minMessages: 1,
  allowIdle: false,
  ...r,
});

describe('counting committed records', () => {
  const log: PartitionLog = {
    logStart: 0n,
    atLookback: 0n,
    endAtStart: 10n,
    endAtEnd: 20n,
    readFrom: 8n,
    committed: [stamp(8, 0), stamp(9, 0), stamp(12, 0), stamp(13, 0), stamp(17, 0)],
    skipped: { aborted: 3, control: 2 },
  };
  it('counts only the records in range, not the offsets between them', () => {
    expect(countCommitted(log, 10n, 20n)).toBe(3);
    expect(countCommitted(log, 8n, 20n)).toBe(5);
    expect(countCommitted(log, 14n, 17n)).toBe(0);
    expect(countCommitted(log, 20n, 20n)).toBe(0);
  });
  it('knows nothing before where the log was read from', () => {
    expect(countCommitted(log, 7n, 20n)).toBeUndefined();
  });
  it('a committed offset before the log start counts from the log start', () => {
    expect(countCommitted({ ...log, logStart: 8n }, 2n, 20n)).toBe(5);
  });
});

describe('topic verdicts', () => {
  it('counts committed records and their rate over the window', () => {
    const r = evaluateTopic(
      rules(),
      topic('t', [part(0, 10, 40, run(10, 30, 1_000)), part(1, 5, 35, run(5, 30, 2_000))]),
      ctx(),
      undefined,
    );
    expect(r.status).toBe('ok');
    expect(r.countedIn).toBe('records');
    expect(r.messagesInWindow).toBe(60);
    expect(r.offsetsInWindow).toBe(60);
    expect(r.ratePerMinute).toBe(120);
    expect(r.newestAgeMs).toBe(1_000);
    expect(r.newestTimestamp).toBe(new Date(NOW - 1_000).toISOString());
    expect(r.partitionDetails[0]).toMatchObject({
      startOffset: '10',
      endOffset: '40',
      messagesInWindow: 30,
      offsetsInWindow: 30,
      newestOffset: '39',
    });
  });

  it('transaction markers and aborted records are not messages: offsets advanced are said apart', () => {
    // 54 offsets in the window, of which 2 committed records; the rest aborted records and markers.
    const r = evaluateTopic(
      rules({ minMessages: 5 }),
      topic('t', [part(0, 100, 154, [stamp(120, 4_000), stamp(121, 3_000)])]),
      ctx(),
      undefined,
    );
    expect(r.messagesInWindow).toBe(2);
    expect(r.offsetsInWindow).toBe(54);
    expect(r.findings.map((f) => f.code)).toEqual(['no-traffic']);
    expect(r.findings[0]!.message).toBe(
      'topic t received 2 committed records in the 30.0s window (offsets advanced by 54: transaction markers and aborted records are not messages); at least 5 expected; newest committed record is 3.0s old (producer time 2026-11-25T15:59:57.000Z, partition 0)',
    );
  });

  it('only offsets are known when the log was not read back to the window start: the report never mixes the two', () => {
    const counted = part(0, 10, 20, run(10, 10, 1_000));
    const tooFar = part(1, 0, 90_000, run(89_995, 5, 1_000), { readFrom: 89_995n });
    const r = evaluateTopic(rules({ minMessages: 100_000 }), topic('t', [counted, tooFar]), ctx(), undefined);
    expect(r.countedIn).toBe('offsets');
    expect(r.messagesInWindow).toBeUndefined();
    expect(r.ratePerMinute).toBeUndefined();
    expect(r.offsetsInWindow).toBe(90_010);
    expect(r.findings[0]!.message).toMatch(
      /^topic t saw its offsets advance by 90,010 in the 30\.0s window \(committed records not counted: too far to read\); at least 100000 expected/,
    );
  });

  it('a topic that went quiet fails naming the newest committed record, its time source and partition', () => {
    const r = evaluateTopic(
      rules({ maxAgeMs: 15 * 60_000 }),
      topic('t', [
        part(0, 40, 40, run(37, 3, 17 * 60_000 + 3_000)),
        part(1, 35, 35, run(32, 3, 20 * 60_000)),
      ]),
      ctx(),
      undefined,
    );
    expect(r.status).toBe('error');
    expect(r.findings.map((f) => f.code)).toEqual(['stale', 'no-traffic']);
    expect(r.findings[0]!.message).toBe(
      'topic t went quiet: newest committed record is 17m03s old (producer time 2026-11-25T15:42:57.000Z, partition 0); max-age is 15m00s',
    );
  });

  it('broker time is named as such', () => {
    const logAppend = run(0, 3, 20 * 60_000).map((s) => ({ ...s, timestampType: 'LogAppendTime' as const }));
    const r = evaluateTopic(
      rules({ maxAgeMs: 60_000 }),
      topic('t', [part(0, 3, 3, logAppend)]),
      ctx(),
      undefined,
    );
    expect(r.findings[0]!.message).toContain('newest committed record is 20m00s old (broker time ');
    expect(r.timestampTypes).toEqual(['LogAppendTime']);
  });

  it('a topic that only had aborted transactions in the window is stale and has no traffic', () => {
    // The window's 30 offsets are an aborted transaction and its marker; the last committed record is older.
    const p = part(0, 10, 40, [stamp(9, 25_000)], { readFrom: 9n, skipped: { aborted: 29, control: 1 } });
    const r = evaluateTopic(rules({ maxAgeMs: 20_000 }), topic('t', [p]), ctx(), undefined);
    expect(r.messagesInWindow).toBe(0);
    expect(r.arrivedInWindow).toBe(false);
    expect(r.findings.map((f) => f.code)).toEqual(['stale', 'no-traffic']);
    expect(r.findings[0]!.message).toBe(
      'topic t went quiet: newest committed record is 25.0s old (producer time 2026-11-25T15:59:35.000Z, partition 0); max-age is 20.0s',
    );
  });

  it('a log of aborted transactions only holds no committed record, and says so', () => {
    const r = evaluateTopic(
      rules({ maxAgeMs: 20_000 }),
      topic('t', [part(0, 0, 12, [], { readFrom: 0n })]),
      ctx({ windowMs: 0 }),
      undefined,
    );
    expect(r.findings[0]!.message).toBe(
      'topic t went quiet: the topic holds no committed record: its 12 offsets are transaction markers and aborted records; max-age is 20.0s',
    );
  });

  it('a record stamped in the future is clock skew, and freshness rests on the newest record not in the future', () => {
    const p = part(0, 2, 2, [stamp(0, 30_000), stamp(1, -3_600_000, { producerId: 4242 })], { readFrom: 0n });
    const r = evaluateTopic(rules({ maxAgeMs: 20_000 }), topic('t', [p]), ctx(), undefined);
    expect(r.newestAgeMs).toBe(30_000);
    expect(r.partitionDetails[0]!.newestOffset).toBe('0');
    expect(r.clockSkew).toEqual([
      {
        partition: 0,
        offset: '1',
        timestamp: new Date(NOW + 3_600_000).toISOString(),
        aheadMs: 3_600_000,
        producerId: 4242,
      },
    ]);
    expect(r.findings.map((f) => [f.level, f.code])).toEqual([
      ['error', 'stale'],
      ['error', 'no-traffic'],
      ['warning', 'clock-skew'],
    ]);
    expect(r.findings[2]!.message).toBe(
      'topic t: 1 committed record stamped more than 1m00s in the future by producer time; the furthest, partition 0 offset 1 from producer id 4242, is 1h00m ahead (2026-11-25T17:00:00.000Z); freshness rests on records not stamped in the future',
    );
  });

  it('a record a little ahead, within the tolerance, still dates the topic (age 0)', () => {
    const r = evaluateTopic(
      rules({ maxAgeMs: 20_000 }),
      topic('t', [part(0, 0, 1, [stamp(0, -5_000)])]),
      ctx(),
      undefined,
    );
    expect(r.newestAgeMs).toBe(0);
    expect(r.clockSkew).toEqual([]);
    expect(r.status).toBe('ok');
  });

  it('records that arrived in the window with old timestamps are live traffic with an old-timestamps finding', () => {
    const month = 30 * 86_400_000;
    const p = part(0, 5, 8, [...run(0, 5, 40 * 86_400_000), ...run(5, 3, month)], { readFrom: 0n });
    const r = evaluateTopic(rules({ maxAgeMs: 60_000 }), topic('t', [p]), ctx(), undefined);
    expect(r.messagesInWindow).toBe(3);
    expect(r.arrivedInWindow).toBe(true);
    expect(r.findings.map((f) => [f.level, f.code])).toEqual([['warning', 'old-timestamps']]);
    expect(r.findings[0]!.message).toBe(
      'topic t: 3 committed records arrived during the window with producer timestamps 30 days old (the newest 2026-10-26T16:00:00.000Z, partition 0): the topic is live, its producer stamps old times',
    );
    expect(r.oldTimestamps).toEqual({
      records: 3,
      newestTimestamp: '2026-10-26T16:00:00.000Z',
      partition: 0,
      ageMs: month,
    });
  });

  it('allow-idle passes a rarely written topic while its newest record is within max-age', () => {
    const idle = topic('t', [part(0, 3, 3, run(0, 3, 5 * 60_000))]);
    expect(
      evaluateTopic(rules({ allowIdle: true, maxAgeMs: 15 * 60_000 }), idle, ctx(), undefined).status,
    ).toBe('ok');
    expect(
      evaluateTopic(rules({ allowIdle: false, maxAgeMs: 15 * 60_000 }), idle, ctx(), undefined).status,
    ).toBe('error');
    expect(evaluateTopic(rules({ allowIdle: true, maxAgeMs: 60_000 }), idle, ctx(), undefined).status).toBe(
      'error',
    );
  });

  it('an empty topic has no newest record and says so', () => {
    const r = evaluateTopic(
      rules({ maxAgeMs: 60_000 }),
      topic('t', [part(0, 0, 0, [])]),
      ctx({ windowMs: 10_000 }),
      undefined,
    );
    expect(r.newestAgeMs).toBeUndefined();
    expect(r.findings[0]!.message).toContain('the topic has no records at all');
  });

  it('a partition quiet in the window is reported only when its own rate over the lookback made that improbable', () => {
    // Partition 1 received 3,600 records in the hour before the window (1/s): 30 expected in a 30 s
    // window, P(0) = e^-30. Partition 2 received 36 (0.01/s): 0.3 expected, P(0) = 0.74, normal.
    // Partition 3 received nothing for the whole hour: unused, a note and not a warning.
    const r = evaluateTopic(
      rules(),
      topic('t', [
        part(0, 5000, 5050, run(5000, 50, 10)),
        part(1, 3600, 3600, []),
        part(2, 36, 36, []),
        part(3, 0, 0, []),
      ]),
      ctx(),
      undefined,
    );
    expect(r.idlePartitions).toEqual([1, 2, 3]);
    expect(r.unusedPartitions).toEqual([3]);
    expect(r.findings).toEqual([
      {
        level: 'warning',
        code: 'silent-partitions',
        message:
          'topic t: 1 of 4 partition(s) received nothing in the 30.0s window although their own rate over ' +
          'the last 1h00m made that improbable (P < 0.001): 1 (30 expected, P = 9.4e-14)',
      },
    ]);
    expect(r.status).toBe('warning');
    expect(r.notes).toEqual([
      'topic t: partition(s) 3 received nothing in the window or the 1h00m before it: unused (key skew?)',
    ]);
    expect(r.partitionDetails[2]!.silence).toMatchObject({ beforeWindow: 36, expected: 0.3 });
    expect(r.partitionDetails[2]!.silence!.probability).toBeCloseTo(Math.exp(-0.3), 12);
  });

  it('keyed traffic that leaves some partitions unused and some slow reads green', () => {
    const r = evaluateTopic(
      rules(),
      topic('t', [part(0, 900, 960, run(900, 60, 10)), part(1, 0, 0, []), part(2, 20, 20, [])]),
      ctx(),
      undefined,
    );
    expect(r.status).toBe('ok');
    expect(r.findings).toEqual([]);
    expect(r.unusedPartitions).toEqual([1]);
  });

  it('the lookback counts records, not transaction markers: offsets are scaled by the window’s share of records', () => {
    // In the window, 20 offsets held 10 records (one marker per record): the 600 offsets before the
    // window count as 300 records, 2.5 expected in 30 s, P(0) = 0.08: not reported. Unscaled it would be 5
    // expected, P(0) = 0.0067; with a threshold of 0.01 that would be reported and this is not.
    const committed = run(600, 10, 2000);
    const r = evaluateTopic(
      rules(),
      topic('t', [
        part(
          0,
          600,
          620,
          committed.map((c, i) => ({ ...c, offset: BigInt(600 + 2 * i) })),
        ),
        part(1, 600, 600, []),
      ]),
      ctx({ silenceThreshold: 0.01 }),
      undefined,
    );
    expect(r.messagesInWindow).toBe(10);
    expect(r.partitionDetails[1]!.silence!.expected).toBe(2.5);
    expect(r.findings.filter((f) => f.code === 'silent-partitions')).toEqual([]);
  });

  it('with the lookback at 0, silence is not judged', () => {
    const r = evaluateTopic(
      rules(),
      topic('t', [part(0, 5000, 5050, run(5000, 50, 10)), part(1, 3600, 3600, [])]),
      ctx({ lookbackMs: 0 }),
      undefined,
    );
    expect(r.findings).toEqual([]);
    expect(r.idlePartitions).toEqual([1]);
  });

  it('reports partitions without a leader, under-replication and too few partitions', () => {
    const r = evaluateTopic(
      rules({ minPartitions: 3 }),
      topic('t', [
        part(0, 0, 5, run(0, 5, 10), { leader: -1 }),
        part(1, 0, 5, run(0, 5, 10), { replicas: [1, 2], isr: [1] }),
      ]),
      ctx({ windowMs: 10_000 }),
      undefined,
    );
    expect(r.offlinePartitions).toEqual([0]);
    expect(r.underReplicatedPartitions).toEqual([1]);
    expect(r.findings.map((f) => [f.level, f.code])).toEqual([
      ['error', 'too-few-partitions'],
      ['error', 'offline-partitions'],
      ['warning', 'under-replicated'],
    ]);
  });

  it('validates samples and reports violations with partition, offset and pointer; collects trace ids', () => {
    const samples = [
      { partition: 1, offset: 7n, timestamp: NOW, value: Buffer.from('{"a":1}'), traceId: 'tr-1' },
      { partition: 0, offset: 3n, timestamp: NOW, value: Buffer.from('not json'), traceId: 'tr-2' },
      { partition: 0, offset: 4n, timestamp: NOW, value: Buffer.from('{"a":"x"}'), traceId: 'tr-1' },
    ];
    const validate = (m: unknown) =>
      typeof (m as { a: unknown }).a === 'number' ? [] : [{ pointer: '/a', message: 'must be number' }];
    const r = evaluateTopic(
      rules(),
      topic('t', [part(0, 0, 5, run(0, 5, 10)), part(1, 0, 8, run(0, 8, 10))], samples),
      ctx({ windowMs: 10_000 }),
      validate,
    );
    expect(r.schemaViolations).toEqual([
      { partition: 0, offset: '3', pointer: '', message: 'value is not valid JSON' },
      { partition: 0, offset: '4', pointer: '/a', message: 'must be number' },
    ]);
    expect(r.traceIds).toEqual(['tr-2', 'tr-1']);
    expect(r.findings.at(-1)!.message).toContain('first at partition 0 offset 3');
  });

  it('a missing topic is an error', () => {
    const r = evaluateTopic(
      rules({ name: 'nope' }),
      { name: 'nope', exists: false, partitions: [], samples: [] },
      ctx(),
      undefined,
    );
    expect(r.findings).toEqual([
      { level: 'error', code: 'topic-missing', message: 'topic nope does not exist' },
    ]);
  });

  it('long ages read in days', () => {
    expect(formatAge(30 * 86_400_000 + 5_000)).toBe('30 days');
    expect(formatAge(90 * 60_000)).toBe('1h30m');
  });
});

describe('consumer group classification (Burrow-style rules over the window)', () => {
  const p = (
    cs: number | undefined,
    ce: number | undefined,
    es: number,
    ee: number,
    more: Partial<PartitionFacts> = {},
  ): PartitionFacts => ({
    ...(cs !== undefined ? { committedAtStart: BigInt(cs) } : {}),
    ...(ce !== undefined ? { committedAtEnd: BigInt(ce) } : {}),
    endAtStart: BigInt(es),
    endAtEnd: BigInt(ee),
    logStart: 0n,
    lagAtEnd: ce === undefined ? 0 : Math.max(0, ee - ce),
    ...(cs !== undefined ? { lagAtStart: Math.max(0, es - cs) } : {}),
    ...(cs !== undefined && cs < es ? { waitingSinceStart: true } : {}),
    ...more,
  });
  it.each([
    ['caught up', p(10, 20, 20, 20), 1, 'OK'],
    ['moving and keeping up', p(10, 20, 25, 30), 1, 'OK'],
    ['moving but falling behind', p(10, 12, 20, 40), 1, 'WARN'],
    // Lag grew only because the last commit came a moment before the end snapshot: it keeps up.
    ['keeping up, committed just before the end', p(19, 36, 20, 40), 1, 'OK'],
    ['lag grew and still short of where the log was at the start', p(10, 19, 20, 40), 1, 'WARN'],
    [
      'members present, offset frozen over a window longer than the commit interval, records waiting',
      p(10, 10, 20, 30),
      2,
      'STALLED',
    ],
    ['no members, offset frozen, lag', p(10, 10, 20, 30), 0, 'STOPPED'],
    ['offset went backwards', p(30, 5, 40, 40), 1, 'REWIND'],
    ['never committed', p(undefined, undefined, 0, 50), 1, 'UNCOMMITTED'],
    ['never committed on a partition that never held a record', p(undefined, undefined, 0, 0), 1, 'OK'],
    // A read_committed consumer caught up behind a commit marker and an aborted batch: 54 offsets, 0 records.
    [
      'caught up behind transaction markers',
      p(96, 96, 150, 150, { lagAtEnd: 0, lagAtStart: 0, waitingSinceStart: false }),
      1,
      'OK',
    ],
    [
      'frozen, but the records it has yet to read arrived during the window',
      p(20, 20, 20, 30, { waitingSinceStart: false }),
      1,
      'OK',
    ],
  ] as const)('%s → %s', (_name, facts, members, expected) => {
    expect(classifyPartition(facts, members, 30_000, 5_000).status).toBe(expected);
  });

  it('a frozen offset is never STALLED without a commit interval shorter than the window: UNKNOWN, with the reason', () => {
    const frozen = p(10, 10, 20, 30);
    expect(classifyPartition(frozen, 1, 20_000)).toEqual({
      status: 'UNKNOWN',
      note: 'the committed offset did not move in the 20.0s window; without commit-interval a group that commits less often cannot be told from a stalled one',
    });
    expect(classifyPartition(frozen, 1, 20_000, 30_000)).toEqual({
      status: 'UNKNOWN',
      note: "the committed offset did not move in the 20.0s window, which is not longer than the group's commit-interval of 30.0s",
    });
    expect(classifyPartition(frozen, 1, 20_000, 5_000).status).toBe('STALLED');
    expect(classifyPartition({ ...frozen, waitingSinceStart: undefined }, 1, 20_000, 5_000).status).toBe(
      'UNKNOWN',
    );
  });

  it('without a window only lag is judged', () => {
    expect(classifyPartition(p(10, 10, 20, 30), 1, 0).status).toBe('OK');
  });
});

describe('group verdicts', () => {
  const log = (
    endAtStart: number,
    endAtEnd: number,
    committed: RecordStamp[],
    readFrom = 0,
  ): PartitionLog => ({
    logStart: 0n,
    atLookback: 0n,
    endAtStart: BigInt(endAtStart),
    endAtEnd: BigInt(endAtEnd),
    readFrom: BigInt(readFrom),
    committed,
    skipped: { aborted: 0, control: 0 },
  });
  const gp = (
    topicName: string,
    partition: number,
    l: PartitionLog,
    c?: [number, number],
    more: Partial<GroupPartitionObservation> = {},
  ): GroupPartitionObservation => ({
    topic: topicName,
    partition,
    assigned: false,
    log: l,
    ...(c ? { committedAtStart: BigInt(c[0]), committedAtEnd: BigInt(c[1]) } : {}),
    ...more,
  });

  it('an uncommitted partition is never reported as lag 0; one that never held a record is not uncommitted', () => {
    const g = evaluateGroup(
      { name: 'g' },
      {
        name: 'g',
        state: 'Stable',
        members: 1,
        partitions: [
          gp('t', 0, log(5, 9, run(5, 4, 100), 5), [5, 9]),
          gp('t', 1, log(5, 9, run(5, 4, 100), 5)),
          gp('t', 2, log(0, 0, [])),
        ],
      },
      NOW,
      10_000,
    );
    expect(g.partitions.map((x) => [x.partition, x.status, x.lag])).toEqual([
      [0, 'OK', 0],
      [1, 'UNCOMMITTED', undefined],
      [2, 'OK', 0],
    ]);
    expect(g.uncommittedPartitions).toBe(1);
    expect(g.findings.map((f) => f.message)).toEqual([
      'consumer group g has no committed offset on 1 partition that hold records: t/1',
    ]);
  });

  it('a live member assigned partitions without commits makes them UNCOMMITTED also without topics', () => {
    const partitions = [0, 1, 2].map((n) =>
      gp('t', n, n < 2 ? log(3, 3, run(0, 3, 60_000)) : log(0, 0, []), undefined, { assigned: true }),
    );
    const g = evaluateGroup(
      { name: 'g' },
      { name: 'g', state: 'Stable', members: 1, partitions },
      NOW,
      10_000,
    );
    expect(g.status).toBe('UNCOMMITTED');
    expect(g.partitions.map((x) => x.status)).toEqual(['UNCOMMITTED', 'UNCOMMITTED', 'OK']);
    expect(g.findings[0]!.message).toBe(
      'consumer group g has no committed offset on 2 partitions that hold records: t/0, t/1; 2 of them assigned to its 1 member',
    );
  });

  it('a group with members but nothing of the checked topics assigned or committed is UNKNOWN, never OK on 0 partitions', () => {
    const g = evaluateGroup(
      { name: 'g' },
      { name: 'g', state: 'Stable', members: 1, partitions: [gp('t', 0, log(3, 3, run(0, 3, 60_000)))] },
      NOW,
      10_000,
    );
    expect(g).toMatchObject({ status: 'UNKNOWN', level: 'error', partitions: [] });
    expect(g.findings[0]!.message).toBe(
      'consumer group g has 1 member (state Stable) but none is assigned a partition of the checked topics and it has no committed offsets on them',
    );
  });

  it('lag counts committed records from the committed offset to the last stable offset', () => {
    // Committed at 96; 97..149 is a commit marker, an aborted batch and its abort marker: lag 0, not 54.
    const g = evaluateGroup(
      { name: 'g', maxLag: 0 },
      {
        name: 'g',
        state: 'Stable',
        members: 1,
        partitions: [
          gp('t', 0, log(150, 150, [stamp(95, 9_000)], 95), [96, 96], { nextRecord: null, assigned: true }),
        ],
      },
      NOW,
      20_000,
    );
    expect(g).toMatchObject({
      status: 'OK',
      level: 'ok',
      lagCountedIn: 'records',
      totalLag: 0,
      totalLagOffsets: 54,
      maxTimeLagMs: 0,
    });
  });

  it('lag is said in offsets when the log was not read back to the committed offset', () => {
    const g = evaluateGroup(
      { name: 'g', maxLag: 10 },
      {
        name: 'g',
        state: 'Stable',
        members: 1,
        partitions: [
          gp('t', 0, log(90_000, 90_010, run(90_000, 10, 0), 90_000), [5, 20], {
            nextRecord: stamp(20, 3_600_000),
          }),
        ],
      },
      NOW,
      10_000,
    );
    expect(g.lagCountedIn).toBe('offsets');
    expect(g.totalLag).toBeUndefined();
    expect(g.totalLagOffsets).toBe(89_990);
    expect(g.maxTimeLagMs).toBe(3_600_000);
    expect(g.findings.map((f) => f.message)).toContain(
      'consumer group g lags 89,990 offsets (committed records not counted: too far to read; offsets include transaction markers and aborted records); max-lag is 10',
    );
  });

  it('STALLED names the commit interval and the committed records waiting', () => {
    const g = evaluateGroup(
      { name: 'g', commitIntervalMs: 5_000 },
      {
        name: 'g',
        state: 'Stable',
        members: 2,
        partitions: [
          gp('t', 0, log(20, 30, run(10, 20, 0), 10), [10, 10], { nextRecord: stamp(10, 19_000) }),
        ],
      },
      NOW,
      15_000,
    );
    expect(g.status).toBe('STALLED');
    expect(g.findings[0]!.message).toBe(
      'consumer group g is STALLED: 2 members connected but the committed offset did not move in 15.0s (longer than its commit-interval of 5.0s) while 20 committed records wait on t/0',
    );
  });

  it('a group that commits every 30 s, read in a 20 s window, is UNKNOWN with the reason, never STALLED', () => {
    const obs = {
      name: 'g',
      state: 'Stable',
      members: 1,
      partitions: [gp('t', 0, log(20, 30, run(10, 20, 0), 10), [10, 10], { nextRecord: stamp(10, 19_000) })],
    };
    for (const commitIntervalMs of [undefined, 30_000]) {
      const g = evaluateGroup(
        { name: 'g', ...(commitIntervalMs ? { commitIntervalMs } : {}) },
        obs,
        NOW,
        20_000,
      );
      expect(g).toMatchObject({ status: 'UNKNOWN', level: 'warning' });
      expect(g.findings.map((f) => f.code)).toEqual(['group-stall-unknown']);
    }
  });

  it('time lag comes from the next committed record; thresholds fail the group', () => {
    const g = evaluateGroup(
      { name: 'g', maxLag: 10, maxLagSeconds: 60 },
      {
        name: 'g',
        state: 'Stable',
        members: 1,
        partitions: [
          gp('t', 0, log(130, 140, run(100, 40, 0), 100), [100, 120], { nextRecord: stamp(120, 90_000) }),
        ],
      },
      NOW,
      10_000,
    );
    expect(g.totalLag).toBe(20);
    expect(g.maxTimeLagMs).toBe(90_000);
    expect(g.findings.map((f) => f.code)).toEqual(['group-max-lag', 'group-max-lag-seconds']);
    expect(g.level).toBe('error');
  });

  it('an unknown group is reported as such', () => {
    const g = evaluateGroup(
      { name: 'ghost' },
      { name: 'ghost', state: 'Dead', members: 0, partitions: [] },
      NOW,
      10_000,
    );
    expect(g.status).toBe('UNKNOWN');
    expect(g.findings[0]!.message).toBe(
      'consumer group ghost does not exist (no members and no committed offsets)',
    );
  });
});

describe('overall verdict', () => {
  const obs = (topics: TopicObservation[]): Observation => ({
    windowStartedAt: NOW - 10_000,
    windowEndedAt: NOW,
    observedAt: NOW,
    topics,
    groups: [],
    requests: { total: 5, byApi: {} },
  });
  it('warnings fail only with fail-on: warning', () => {
    // Partition 1's 3,600 records in the hour before predict 10 in the window: its silence warns.
    const o = obs([topic('t', [part(0, 0, 50, run(0, 50, 10)), part(1, 3600, 3600, [])])]);
    const input = {
      topics: [rules()],
      groups: [],
      observation: o,
      windowMs: 10_000,
      lookbackMs: 3_600_000,
      silenceThreshold: 0.001,
      validators: new Map(),
      clockSkewToleranceMs: 60_000,
    };
    expect(evaluate({ ...input, failOn: 'error' }).healthy).toBe(true);
    const strict = evaluate({ ...input, failOn: 'warning' });
    expect(strict.healthy).toBe(false);
    expect(strict.counts).toMatchObject({ topicsFailed: 1, warnings: 1, errors: 0 });
  });
});
