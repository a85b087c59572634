// The pure half of observe(): from what the brokers answered (metadata, offsets, group descriptions,
// records read) to the Observation that evaluate() judges. No I/O here, so each rule is unit-tested
// on plain data shaped like the protocol's answers.
import {
  tpKey,
  type CommittedRead,
  type GroupDescription,
  type KafkaRecord,
  type RecordStamp,
  type TopicMetadata,
  type TopicPartition,
} from '../../lib/kafka/inspector.js';
import type { GroupObservation, OffsetSample, PartitionLog, TopicObservation } from './model.js';

/** Offsets by `topic/partition` key, as the inspector returns them. */
export type Offsets = Map<string, bigint>;
/** A group's committed offsets by key; undefined where the group has none. */
export type GroupOffsets = Map<string, bigint | undefined>;

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const clamp = (v: bigint, lo: bigint, hi: bigint) => (v < lo ? lo : v > hi ? hi : v);

/** The partitions of a check: every existing topic's, by name. */
export function partitionsByTopic(meta: TopicMetadata[]): Map<string, number[]> {
  return new Map(meta.filter((t) => t.exists).map((t) => [t.name, t.partitions.map((p) => p.partition)]));
}

/** A group's partitions: those of its own topics, or of the check's topics when it names none. */
export function groupPartitions(
  group: { topics?: string[] },
  checkTopics: string[],
  partitionsOf: Map<string, number[]>,
): TopicPartition[] {
  return (group.topics ?? checkTopics).flatMap((topic) =>
    (partitionsOf.get(topic) ?? []).map((partition) => ({ topic, partition })),
  );
}

/** Each partition's log before any record is read: its offsets at both ends of the window. */
export function partitionLogs(
  tps: TopicPartition[],
  ends: { atStart: Offsets; atEnd: Offsets; logStart: Offsets; atLookback?: Offsets },
): Map<string, PartitionLog> {
  const logs = new Map<string, PartitionLog>();
  for (const tp of tps) {
    const key = tpKey(tp.topic, tp.partition);
    const end = ends.atEnd.get(key) ?? 0n;
    const logStart = ends.logStart.get(key) ?? 0n;
    const endAtStart = ends.atStart.get(key) ?? 0n;
    // ListOffsets by time answers -1 when no record is stamped that late: nothing since.
    const byTime = ends.atLookback?.get(key);
    const atLookback = byTime === undefined || byTime < 0n ? endAtStart : clamp(byTime, logStart, endAtStart);
    logs.set(key, {
      logStart,
      endAtStart,
      endAtEnd: end,
      atLookback,
      readFrom: end,
      committed: [],
      skipped: { aborted: 0, control: 0 },
    });
  }
  return logs;
}

/** Every committed offset any group had, at either end of the window, by partition. */
export function committedOffsetsByPartition(samples: GroupOffsets[]): Map<string, bigint[]> {
  const byKey = new Map<string, bigint[]>();
  for (const offsets of samples)
    for (const [key, c] of offsets) if (c !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), c]);
  return byKey;
}

/**
 * Where one more read must start so each group's next record is known: the lowest committed offset of
 * a partition that the log reading did not reach back to, and that is not already at the log's end.
 */
export function probeStarts(
  committedAtEnd: GroupOffsets[],
  logs: Map<string, PartitionLog>,
): Map<string, bigint> {
  const from = new Map<string, bigint>();
  for (const offsets of committedAtEnd) {
    for (const [key, c] of offsets) {
      const log = logs.get(key);
      if (c === undefined || !log) continue;
      const at = max(c, log.logStart);
      if (at < log.endAtEnd && at < log.readFrom && at < (from.get(key) ?? log.endAtEnd)) from.set(key, at);
    }
  }
  return from;
}

/**
 * The next committed record a group will read from `committed` on: null when it is at the end of the
 * log, undefined when neither the log reading nor the probe covered that offset.
 */
export function nextRecordAfter(
  log: PartitionLog,
  probe: CommittedRead | undefined,
  committed: bigint,
): RecordStamp | null | undefined {
  const at = max(committed, log.logStart);
  if (at >= log.endAtEnd) return null;
  const known =
    log.readFrom <= at
      ? { stamps: log.committed, reached: log.endAtEnd }
      : probe && probe.from <= at
        ? probe
        : undefined;
  if (!known) return undefined;
  return known.stamps.find((r) => r.offset >= at) ?? (known.reached >= log.endAtEnd ? null : undefined);
}

/** Each topic as metadata and logs describe it, with its newest records as samples when asked for. */
export function assembleTopics(
  meta: TopicMetadata[],
  logs: Map<string, PartitionLog>,
  samples: Map<string, KafkaRecord[]>,
  sample: number,
): TopicObservation[] {
  return meta.map((t) => ({
    name: t.name,
    exists: t.exists,
    partitions: t.partitions.map((p) => ({
      partition: p.partition,
      leader: p.leader,
      replicas: p.replicas,
      isr: p.isr,
      ...logs.get(tpKey(t.name, p.partition))!,
    })),
    samples:
      sample > 0
        ? t.partitions.flatMap((p) =>
            (samples.get(tpKey(t.name, p.partition)) ?? []).map((r) => ({
              partition: r.partition,
              offset: r.offset,
              timestamp: r.timestamp,
              value: r.value,
              ...(r.headers.trace_id ? { traceId: r.headers.trace_id } : {}),
            })),
          )
        : [],
  }));
}

/** Samples inside the window at most (the window's start and end are sampled besides). */
export const INNER_SAMPLES = 3;
/** Samples closer than this would mostly measure commit timing. */
export const MIN_SAMPLE_SPACING_MS = 1_000;

/**
 * When to sample committed and end offsets inside the window, in ms after it opens: evenly spaced,
 * at most INNER_SAMPLES of them and never closer than MIN_SAMPLE_SPACING_MS to each other or to
 * the window's ends. None without groups to judge: they only serve the direction of a group's lag.
 */
export function innerSampleTimes(windowMs: number, groups: number): number[] {
  if (groups === 0) return [];
  const inner = Math.min(INNER_SAMPLES, Math.floor(windowMs / MIN_SAMPLE_SPACING_MS) - 1);
  if (inner <= 0) return [];
  const spacing = windowMs / (inner + 1);
  return Array.from({ length: inner }, (_, i) => Math.round(spacing * (i + 1)));
}

/** Committed offsets of each group and the end offsets, taken together at one moment. */
export interface OffsetSnapshot {
  at: number;
  ends: Offsets;
  committed: GroupOffsets[];
}

export interface GroupFacts {
  name: string;
  partitions: TopicPartition[];
  committedAtStart: GroupOffsets;
  committedAtEnd: GroupOffsets;
  /** The group's committed offsets and the end offsets at every sample, start and end included. */
  trail?: { at: number; ends: Offsets; committed: GroupOffsets }[];
  /** The broker's description; a group it does not know is Dead with no members. */
  described: GroupDescription | undefined;
}

/** A group's state, membership and, per partition, its committed offsets, log and next record. */
export function assembleGroup(
  g: GroupFacts,
  logs: Map<string, PartitionLog>,
  probes: Map<string, CommittedRead>,
): GroupObservation {
  const assigned = new Set((g.described?.assigned ?? []).map((tp) => tpKey(tp.topic, tp.partition)));
  return {
    name: g.name,
    state: g.described?.state ?? 'Dead',
    members: g.described?.members ?? 0,
    partitions: g.partitions.map((tp) => {
      const key = tpKey(tp.topic, tp.partition);
      const log = logs.get(key)!;
      const cEnd = g.committedAtEnd.get(key);
      const cStart = g.committedAtStart.get(key);
      const next = cEnd === undefined ? undefined : nextRecordAfter(log, probes.get(key), cEnd);
      return {
        topic: tp.topic,
        partition: tp.partition,
        ...(cStart !== undefined ? { committedAtStart: cStart } : {}),
        ...(cEnd !== undefined ? { committedAtEnd: cEnd } : {}),
        assigned: assigned.has(key),
        log,
        ...(next !== undefined ? { nextRecord: next } : {}),
        ...(g.trail ? { trail: g.trail.map((s) => offsetSample(s, key)) } : {}),
      };
    }),
  };
}

function offsetSample(s: { at: number; ends: Offsets; committed: GroupOffsets }, key: string): OffsetSample {
  const committed = s.committed.get(key);
  return { at: s.at, end: s.ends.get(key) ?? 0n, ...(committed !== undefined ? { committed } : {}) };
}
