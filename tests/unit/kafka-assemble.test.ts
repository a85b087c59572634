// observe()'s result assembly on plain data shaped like the brokers' answers (Metadata, ListOffsets,
// OffsetFetch, DescribeGroups and read_committed fetches): the rules that turn offsets into logs and
// a group's committed offset into the next record it will read.
import { describe, expect, it } from 'vitest';
import {
  assembleGroup,
  assembleTopics,
  committedOffsetsByPartition,
  groupPartitions,
  innerSampleTimes,
  nextRecordAfter,
  partitionLogs,
  partitionsByTopic,
  probeStarts,
} from '../../src/actions/kafka-topic-check/assemble.js';
import type { PartitionLog } from '../../src/actions/kafka-topic-check/model.js';
import {
  tpKey as k,
  type CommittedRead,
  type RecordStamp,
  type TopicMetadata,
} from '../../src/lib/kafka/inspector.js';

const stamp = (offset: bigint, timestamp = 1_700_000_000_000): RecordStamp => ({
  offset,
  timestamp,
  timestampType: 'CreateTime',
  producerId: 7,
});

const meta: TopicMetadata[] = [
  {
    name: 'policy.decisions',
    exists: true,
    errorCode: 0,
    partitions: [
      { partition: 0, leader: 1, replicas: [1], isr: [1], errorCode: 0, offlineReplicas: [] },
      { partition: 1, leader: 1, replicas: [1], isr: [1], errorCode: 0, offlineReplicas: [] },
    ],
  },
  { name: 'training.audit', exists: false, errorCode: 3, partitions: [] },
];

function log(over: Partial<PartitionLog>): PartitionLog {
  return {
    logStart: 0n,
    endAtStart: 0n,
    endAtEnd: 0n,
    atLookback: 0n,
    readFrom: 0n,
    committed: [],
    skipped: { aborted: 0, control: 0 },
    ...over,
  };
}

describe('observe(): result assembly', () => {
  it('partitions come from existing topics only, and a group without topics takes the check’s', () => {
    const partitionsOf = partitionsByTopic(meta);
    expect([...partitionsOf]).toEqual([['policy.decisions', [0, 1]]]);
    expect(groupPartitions({}, ['policy.decisions', 'training.audit'], partitionsOf)).toEqual([
      { topic: 'policy.decisions', partition: 0 },
      { topic: 'policy.decisions', partition: 1 },
    ]);
    expect(groupPartitions({ topics: ['training.audit'] }, ['policy.decisions'], partitionsOf)).toEqual([]);
  });

  it('a log starts unread at its end offset, with the offsets sampled at both ends of the window', () => {
    const logs = partitionLogs(
      [
        { topic: 'policy.decisions', partition: 0 },
        { topic: 'policy.decisions', partition: 1 },
      ],
      {
        atStart: new Map([[k('policy.decisions', 0), 10n]]),
        atEnd: new Map([[k('policy.decisions', 0), 25n]]),
        logStart: new Map([[k('policy.decisions', 0), 4n]]),
      },
    );
    expect(logs.get(k('policy.decisions', 0))).toEqual(
      log({ logStart: 4n, endAtStart: 10n, endAtEnd: 25n, atLookback: 10n, readFrom: 25n }),
    );
    // A partition ListOffsets did not answer for counts as empty, not as missing.
    expect(logs.get(k('policy.decisions', 1))).toEqual(log({}));
  });

  it('the offset at the lookback start is ListOffsets by time, -1 (nothing stamped since) being the window start', () => {
    const tps = [0, 1, 2].map((partition) => ({ topic: 't', partition }));
    const at = (v: bigint[]) => new Map(v.map((o, i) => [k('t', i), o]));
    const logs = partitionLogs(tps, {
      atStart: at([100n, 100n, 100n]),
      atEnd: at([120n, 100n, 100n]),
      logStart: at([50n, 0n, 0n]),
      atLookback: at([70n, -1n, 130n]),
    });
    expect([0, 1, 2].map((p) => logs.get(k('t', p))!.atLookback)).toEqual([70n, 100n, 100n]);
    // Without a lookback, every partition counts as quiet before the window (nothing to judge by).
    const none = partitionLogs(tps, {
      atStart: at([100n, 0n, 0n]),
      atEnd: at([100n, 0n, 0n]),
      logStart: at([0n, 0n, 0n]),
    });
    expect(none.get(k('t', 0))!.atLookback).toBe(100n);
  });

  it('committed offsets of every group at both ends are gathered by partition; no commit is skipped', () => {
    const byKey = committedOffsetsByPartition([
      new Map([
        [k('t', 0), 5n],
        [k('t', 1), undefined],
      ]),
      new Map([[k('t', 0), 9n]]),
    ]);
    expect([...byKey]).toEqual([[k('t', 0), [5n, 9n]]]);
  });

  it('a probe starts at the lowest committed offset the log reading did not reach, within the log', () => {
    const logs = new Map([
      [k('t', 0), log({ logStart: 0n, endAtEnd: 100n, readFrom: 80n })],
      [k('t', 1), log({ logStart: 50n, endAtEnd: 100n, readFrom: 90n })],
      [k('t', 2), log({ endAtEnd: 100n, readFrom: 40n })],
      [k('t', 3), log({ endAtEnd: 100n, readFrom: 100n })],
    ]);
    const from = probeStarts(
      [
        new Map([
          [k('t', 0), 30n],
          [k('t', 1), 10n],
          [k('t', 2), 60n],
          [k('t', 3), 100n],
        ]),
        new Map<string, bigint | undefined>([
          [k('t', 0), 20n],
          [k('t', 9), 1n],
        ]),
      ],
      logs,
    );
    // t/1's commit is below the log start (retention deleted it): the read starts at the log start.
    // t/2 was read back to 40 already; t/3's group is at the end; t/9 is not a partition of the check.
    expect([...from]).toEqual([
      [k('t', 0), 20n],
      [k('t', 1), 50n],
    ]);
  });

  it('the next record is the first committed one at or after the commit, or null at the end of the log', () => {
    const read = log({ endAtEnd: 12n, readFrom: 5n, committed: [stamp(5n), stamp(9n), stamp(11n)] });
    // Offsets 6-8 were aborted or control records: the next record a read_committed consumer gets is 9.
    expect(nextRecordAfter(read, undefined, 6n)).toEqual(stamp(9n));
    expect(nextRecordAfter(read, undefined, 12n)).toBeNull();
    // Only control records after the commit, and the log was read to its end: nothing left to read.
    const tail = log({ endAtEnd: 12n, readFrom: 5n, committed: [stamp(5n)] });
    expect(nextRecordAfter(tail, undefined, 6n)).toBeNull();
    // Not read back that far and no probe: unknown, not "nothing".
    expect(nextRecordAfter(read, undefined, 2n)).toBeUndefined();
    const probe: CommittedRead = {
      topic: 't',
      partition: 0,
      from: 2n,
      to: 12n,
      reached: 4n,
      complete: false,
      stamps: [stamp(3n)],
      last: [],
      abortedRecords: 0,
      controlRecords: 0,
      bytes: 100,
      errorCode: 0,
    };
    expect(nextRecordAfter(read, probe, 2n)).toEqual(stamp(3n));
    // The probe stopped at 4 before finding a record at or after 4: unknown.
    expect(nextRecordAfter(read, { ...probe, stamps: [] }, 2n)).toBeUndefined();
  });

  it('topics carry their partitions’ logs and, when sampling, the newest records with trace ids', () => {
    const logs = new Map([
      [k('policy.decisions', 0), log({ endAtEnd: 3n })],
      [k('policy.decisions', 1), log({ endAtEnd: 0n })],
    ]);
    const record = {
      topic: 'policy.decisions',
      partition: 0,
      offset: 2n,
      timestamp: 1_700_000_000_000,
      timestampType: 'CreateTime' as const,
      producerId: 7,
      key: 'tenant-1',
      value: Buffer.from('{}'),
      headers: { trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' },
    };
    const samples = new Map([[k('policy.decisions', 0), [record]]]);
    const [decisions, audit] = assembleTopics(meta, logs, samples, 5);
    expect(decisions!.partitions.map((p) => [p.partition, p.endAtEnd, p.leader])).toEqual([
      [0, 3n, 1],
      [1, 0n, 1],
    ]);
    expect(decisions!.samples).toEqual([
      {
        partition: 0,
        offset: 2n,
        timestamp: 1_700_000_000_000,
        value: Buffer.from('{}'),
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      },
    ]);
    expect(audit).toEqual({ name: 'training.audit', exists: false, partitions: [], samples: [] });
    expect(assembleTopics(meta, logs, samples, 0)[0]!.samples).toEqual([]);
  });

  it('a group the broker does not describe is Dead; assignment and commits are per partition', () => {
    const logs = new Map([
      [k('t', 0), log({ endAtEnd: 10n, readFrom: 0n, committed: [stamp(4n), stamp(8n)] })],
      [k('t', 1), log({ endAtEnd: 10n, readFrom: 10n })],
    ]);
    const partitions = [
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ];
    const stable = assembleGroup(
      {
        name: 'policy-audit',
        partitions,
        committedAtStart: new Map([[k('t', 0), 2n]]),
        committedAtEnd: new Map([
          [k('t', 0), 5n],
          [k('t', 1), 10n],
        ]),
        described: {
          groupId: 'policy-audit',
          state: 'Stable',
          members: 1,
          protocolType: 'consumer',
          errorCode: 0,
          assigned: [{ topic: 't', partition: 0 }],
        },
      },
      logs,
      new Map(),
    );
    expect(stable).toMatchObject({ name: 'policy-audit', state: 'Stable', members: 1 });
    expect(stable.partitions[0]).toMatchObject({
      committedAtStart: 2n,
      committedAtEnd: 5n,
      assigned: true,
      nextRecord: stamp(8n),
    });
    expect(stable.partitions[1]).toMatchObject({ committedAtEnd: 10n, assigned: false, nextRecord: null });
    expect('committedAtStart' in stable.partitions[1]!).toBe(false);

    const gone = assembleGroup(
      {
        name: 'gone',
        partitions,
        committedAtStart: new Map(),
        committedAtEnd: new Map(),
        described: undefined,
      },
      logs,
      new Map(),
    );
    expect(gone).toMatchObject({ state: 'Dead', members: 0 });
    expect(gone.partitions.every((p) => !('nextRecord' in p) && !p.assigned)).toBe(true);
  });

  it('offsets are sampled inside the window only for groups, evenly, at most 3 times and at least 1 s apart', () => {
    expect(innerSampleTimes(30_000, 0)).toEqual([]);
    expect(innerSampleTimes(30_000, 2)).toEqual([7_500, 15_000, 22_500]);
    expect(innerSampleTimes(8_000, 1)).toEqual([2_000, 4_000, 6_000]);
    expect(innerSampleTimes(3_000, 1)).toEqual([1_000, 2_000]);
    expect(innerSampleTimes(2_500, 1)).toEqual([1_250]);
    expect(innerSampleTimes(1_999, 1)).toEqual([]);
    expect(innerSampleTimes(0, 1)).toEqual([]);
  });

  it('a group partition’s trail pairs its committed offset with the end offset at every sample', () => {
    const logs = new Map([[k('t', 0), log({ endAtStart: 10n, endAtEnd: 30n, readFrom: 30n })]]);
    const g = assembleGroup(
      {
        name: 'g',
        partitions: [
          { topic: 't', partition: 0 },
          { topic: 't', partition: 1 },
        ],
        committedAtStart: new Map([[k('t', 0), 4n]]),
        committedAtEnd: new Map([[k('t', 0), 12n]]),
        trail: [
          { at: 1_000, ends: new Map([[k('t', 0), 10n]]), committed: new Map([[k('t', 0), 4n]]) },
          {
            at: 3_000,
            ends: new Map([[k('t', 0), 20n]]),
            committed: new Map<string, bigint | undefined>([
              [k('t', 0), 7n],
              [k('t', 1), undefined],
            ]),
          },
          { at: 5_000, ends: new Map([[k('t', 0), 30n]]), committed: new Map([[k('t', 0), 12n]]) },
        ],
        described: undefined,
      },
      new Map([...logs, [k('t', 1), log({})]]),
      new Map(),
    );
    expect(g.partitions[0]!.trail).toEqual([
      { at: 1_000, end: 10n, committed: 4n },
      { at: 3_000, end: 20n, committed: 7n },
      { at: 5_000, end: 30n, committed: 12n },
    ]);
    // No commit on partition 1 at any sample: the trail says so, it never invents one.
    expect(g.partitions[1]!.trail).toEqual([
      { at: 1_000, end: 0n },
      { at: 3_000, end: 0n },
      { at: 5_000, end: 0n },
    ]);
  });
});
