import { describe, expect, it } from 'vitest';
import { classifyPartition, evaluate, evaluateGroup, evaluateTopic, type TopicRules } from '../../src/actions/kafka-topic-check/evaluate.js';
import type { Observation, PartitionObservation, TopicObservation } from '../../src/actions/kafka-topic-check/model.js';

const NOW = Date.parse('2026-11-25T16:00:00Z');
const part = (partition: number, endAtStart: number, endAtEnd: number, newestAgoMs?: number, extra: Partial<PartitionObservation> = {}): PartitionObservation => ({
  partition, leader: 1, replicas: [1], isr: [1], logStart: 0n, endAtStart: BigInt(endAtStart), endAtEnd: BigInt(endAtEnd),
  ...(newestAgoMs !== undefined ? { newest: { offset: BigInt(endAtEnd - 1), timestamp: NOW - newestAgoMs, timestampType: 'CreateTime' as const } } : {}),
  ...extra,
});
const topic = (name: string, partitions: PartitionObservation[], samples: TopicObservation['samples'] = []): TopicObservation => ({ name, exists: true, partitions, samples });
const rules = (r: Partial<TopicRules> = {}): TopicRules => ({ name: 't', minMessages: 1, allowIdle: false, ...r });

describe('topic verdicts', () => {
  it('counts messages and rate over the window from end offsets', () => {
    const r = evaluateTopic(rules(), topic('t', [part(0, 10, 40, 1_000), part(1, 5, 35, 2_000)]), NOW, 30_000, undefined, 20);
    expect(r.status).toBe('ok');
    expect(r.messagesInWindow).toBe(60);
    expect(r.ratePerMinute).toBe(120);
    expect(r.newestAgeMs).toBe(1_000);
    expect(r.newestTimestamp).toBe(new Date(NOW - 1_000).toISOString());
  });

  it('a topic that went quiet fails naming the topic and the newest record age', () => {
    const r = evaluateTopic(rules({ maxAgeMs: 15 * 60_000 }), topic('t', [part(0, 40, 40, 17 * 60_000 + 3_000), part(1, 35, 35, 20 * 60_000)]), NOW, 30_000, undefined, 20);
    expect(r.status).toBe('error');
    const codes = r.findings.map((f) => f.code);
    expect(codes).toEqual(['stale', 'no-traffic']);
    expect(r.findings[0]!.message).toContain('topic t went quiet: newest record is 17m03s old');
    expect(r.findings[0]!.message).toContain('max-age is 15m00s');
  });

  it('allow-idle passes a rarely written topic while its newest record is within max-age', () => {
    const idle = topic('t', [part(0, 3, 3, 5 * 60_000)]);
    expect(evaluateTopic(rules({ allowIdle: true, maxAgeMs: 15 * 60_000 }), idle, NOW, 30_000, undefined, 20).status).toBe('ok');
    expect(evaluateTopic(rules({ allowIdle: false, maxAgeMs: 15 * 60_000 }), idle, NOW, 30_000, undefined, 20).status).toBe('error');
    expect(evaluateTopic(rules({ allowIdle: true, maxAgeMs: 60_000 }), idle, NOW, 30_000, undefined, 20).status).toBe('error');
  });

  it('an empty topic has no newest record and says so', () => {
    const r = evaluateTopic(rules({ maxAgeMs: 60_000 }), topic('t', [part(0, 0, 0)]), NOW, 10_000, undefined, 20);
    expect(r.newestAgeMs).toBeUndefined();
    expect(r.findings[0]!.message).toContain('the topic has no records at all');
  });

  it('reports idle partitions of a busy topic separately from a topic with no traffic', () => {
    const r = evaluateTopic(rules(), topic('t', [part(0, 0, 50, 10), part(1, 0, 0, 60_000), part(2, 0, 40, 10)]), NOW, 10_000, undefined, 20);
    expect(r.idlePartitions).toEqual([1]);
    expect(r.findings).toEqual([expect.objectContaining({ level: 'warning', code: 'idle-partitions' })]);
    expect(r.status).toBe('warning');
  });

  it('reports partitions without a leader, under-replication and too few partitions', () => {
    const r = evaluateTopic(rules({ minPartitions: 3 }), topic('t', [part(0, 0, 5, 10, { leader: -1 }), part(1, 0, 5, 10, { replicas: [1, 2], isr: [1] })]), NOW, 10_000, undefined, 20);
    expect(r.offlinePartitions).toEqual([0]);
    expect(r.underReplicatedPartitions).toEqual([1]);
    expect(r.findings.map((f) => [f.level, f.code])).toEqual([['error', 'too-few-partitions'], ['error', 'offline-partitions'], ['warning', 'under-replicated']]);
  });

  it('validates samples and reports violations with partition, offset and pointer; collects trace ids', () => {
    const samples = [
      { partition: 1, offset: 7n, timestamp: NOW, value: Buffer.from('{"a":1}'), traceId: 'tr-1' },
      { partition: 0, offset: 3n, timestamp: NOW, value: Buffer.from('not json'), traceId: 'tr-2' },
      { partition: 0, offset: 4n, timestamp: NOW, value: Buffer.from('{"a":"x"}'), traceId: 'tr-1' },
    ];
    const validate = (m: unknown) => (typeof (m as { a: unknown }).a === 'number' ? [] : [{ pointer: '/a', message: 'must be number' }]);
    const r = evaluateTopic(rules(), topic('t', [part(0, 0, 5, 10), part(1, 0, 8, 10)], samples), NOW, 10_000, validate, 20);
    expect(r.schemaViolations).toEqual([
      { partition: 0, offset: '3', pointer: '', message: 'value is not valid JSON' },
      { partition: 0, offset: '4', pointer: '/a', message: 'must be number' },
    ]);
    expect(r.traceIds).toEqual(['tr-2', 'tr-1']);
    expect(r.findings.at(-1)!.message).toContain('first at partition 0 offset 3');
  });

  it('a missing topic is an error', () => {
    const r = evaluateTopic(rules({ name: 'nope' }), { name: 'nope', exists: false, partitions: [], samples: [] }, NOW, 10_000, undefined, 20);
    expect(r.findings).toEqual([{ level: 'error', code: 'topic-missing', message: 'topic nope does not exist' }]);
  });
});

describe('consumer group classification (Burrow-style rules over the window)', () => {
  const p = (cs: number | undefined, ce: number | undefined, es: number, ee: number) => ({
    ...(cs !== undefined ? { committedAtStart: BigInt(cs) } : {}), ...(ce !== undefined ? { committedAtEnd: BigInt(ce) } : {}), endAtStart: BigInt(es), endAtEnd: BigInt(ee),
  });
  it.each([
    ['caught up', p(10, 20, 20, 20), 1, 'OK'],
    ['moving and keeping up', p(10, 20, 25, 30), 1, 'OK'],
    ['moving but falling behind', p(10, 12, 20, 40), 1, 'WARN'],
    // Lag grew only because the last commit came a moment before the end snapshot: it keeps up.
    ['keeping up, committed just before the end', p(19, 36, 20, 40), 1, 'OK'],
    ['lag grew and still short of where the log was at the start', p(10, 19, 20, 40), 1, 'WARN'],
    ['members present, offset frozen, lag', p(10, 10, 20, 30), 2, 'STALLED'],
    ['no members, offset frozen, lag', p(10, 10, 20, 30), 0, 'STOPPED'],
    ['offset went backwards', p(30, 5, 40, 40), 1, 'REWIND'],
    ['never committed', p(undefined, undefined, 0, 50), 1, 'UNCOMMITTED'],
  ] as const)('%s → %s', (_name, obs, members, expected) => {
    expect(classifyPartition(obs, members, 30_000)).toBe(expected);
  });

  it('without a window only lag is judged', () => {
    expect(classifyPartition(p(10, 10, 20, 30), 1, 0)).toBe('OK');
  });

  it('an uncommitted partition is never reported as lag 0', () => {
    const g = evaluateGroup({ name: 'g' }, { name: 'g', state: 'Stable', members: 1, partitions: [{ topic: 't', partition: 0, endAtStart: 5n, endAtEnd: 9n, committedAtStart: 5n, committedAtEnd: 9n }, { topic: 't', partition: 1, endAtStart: 5n, endAtEnd: 9n }] }, NOW, 10_000);
    expect(g.partitions[1]!.status).toBe('UNCOMMITTED');
    expect(g.partitions[1]!.lag).toBeUndefined();
    expect(g.uncommittedPartitions).toBe(1);
    expect(g.findings.map((f) => f.code)).toEqual(['group-uncommitted']);
  });

  it('time lag comes from the record at the committed offset; thresholds fail the group', () => {
    const g = evaluateGroup({ name: 'g', maxLag: 10, maxLagSeconds: 60 }, { name: 'g', state: 'Stable', members: 1, partitions: [{ topic: 't', partition: 0, committedAtStart: 100n, committedAtEnd: 120n, endAtStart: 130n, endAtEnd: 140n, committedRecordTimestamp: NOW - 90_000 }] }, NOW, 10_000);
    expect(g.totalLag).toBe(20);
    expect(g.maxTimeLagMs).toBe(90_000);
    expect(g.findings.map((f) => f.code)).toEqual(['group-max-lag', 'group-max-lag-seconds']);
    expect(g.level).toBe('error');
  });

  it('an unknown group is reported as such', () => {
    const g = evaluateGroup({ name: 'ghost' }, { name: 'ghost', state: 'Dead', members: 0, partitions: [] }, NOW, 10_000);
    expect(g.status).toBe('UNKNOWN');
    expect(g.findings[0]!.message).toBe('consumer group ghost does not exist (no members and no committed offsets)');
  });
});

describe('overall verdict', () => {
  const obs = (topics: TopicObservation[]): Observation => ({ windowStartedAt: NOW - 10_000, windowEndedAt: NOW, observedAt: NOW, topics, groups: [], requests: { total: 5, byApi: {} } });
  it('warnings fail only with fail-on: warning', () => {
    const o = obs([topic('t', [part(0, 0, 50, 10), part(1, 0, 0, 10)])]);
    expect(evaluate({ topics: [rules()], groups: [], observation: o, windowMs: 10_000, failOn: 'error', validators: new Map() }).healthy).toBe(true);
    const strict = evaluate({ topics: [rules()], groups: [], observation: o, windowMs: 10_000, failOn: 'warning', validators: new Map() });
    expect(strict.healthy).toBe(false);
    expect(strict.counts).toMatchObject({ topicsFailed: 1, warnings: 1, errors: 0 });
  });
});
