// What the check observed (facts from the cluster) and what it concluded (the report).

import type { RecordStamp, TimestampType } from '../../lib/kafka/inspector.js';
import type { CatchUp, LagDirection, LagTrend } from './direction.js';

export type { CatchUp, LagDirection, LagTrend, RecordStamp, TimestampType };

/**
 * One partition's log as a read_committed consumer sees it. Offsets are last stable offsets: the
 * end a read_committed consumer can reach. `committed` holds every committed record in
 * [readFrom, endAtEnd), aborted records and transaction markers left out (only counted in `skipped`),
 * so counts over any range that starts at or after `readFrom` are exact; before it, only offsets are known.
 */
export interface PartitionLog {
  /** Log start offset at the end of the window. */
  logStart: bigint;
  endAtStart: bigint;
  endAtEnd: bigint;
  /** The first offset stamped at or after the lookback's start (endAtStart when none is). */
  atLookback: bigint;
  readFrom: bigint;
  committed: RecordStamp[];
  skipped: { aborted: number; control: number };
}

export interface PartitionObservation extends PartitionLog {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface SampledMessage {
  partition: number;
  offset: bigint;
  timestamp: number;
  value: Buffer | null;
  traceId?: string;
}

export interface TopicObservation {
  name: string;
  exists: boolean;
  partitions: PartitionObservation[];
  /** The newest committed records of each partition (up to `sample`). */
  samples: SampledMessage[];
}

export interface GroupPartitionObservation {
  topic: string;
  partition: number;
  committedAtStart?: bigint;
  committedAtEnd?: bigint;
  /** A member of the group holds this partition in its assignment (at the end of the window). */
  assigned: boolean;
  log: PartitionLog;
  /**
   * The first committed record at or after the committed offset (the next one the group will read),
   * when one was read; null when the read found that none is there.
   */
  nextRecord?: RecordStamp | null;
  /**
   * The committed offset and the last stable offset sampled together, from the window's start to its
   * end (the first and last samples are the start and end offsets above, the others fall inside).
   */
  trail?: OffsetSample[];
}

export interface OffsetSample {
  /** When it was taken (epoch ms). */
  at: number;
  end: bigint;
  committed?: bigint;
}

export interface GroupObservation {
  name: string;
  /** Group state at the end of the window (Stable, Empty, Dead, PreparingRebalance, ...). */
  state: string;
  members: number;
  /** Every partition of the group's topics (its `topics`, or the checked topics); evaluation picks those in scope. */
  partitions: GroupPartitionObservation[];
}

export interface Observation {
  windowStartedAt: number;
  windowEndedAt: number;
  /** When the newest records were read (ages are measured from here). */
  observedAt: number;
  topics: TopicObservation[];
  groups: GroupObservation[];
  requests: { total: number; byApi: Record<string, number> };
}

export type Level = 'error' | 'warning';

export interface Finding {
  level: Level;
  code: string;
  message: string;
}

export interface SchemaViolation {
  partition: number;
  offset: string;
  pointer: string;
  message: string;
}

/** Counts are committed records when the partitions' logs were read far enough back, offsets otherwise. */
export type CountUnit = 'records' | 'offsets';

export interface PartitionReport {
  partition: number;
  leader: number;
  /** Last stable offsets at the start and end of the window, and the log start offset. */
  startOffset: string;
  endOffset: string;
  logStartOffset: string;
  /** Committed records that arrived in the window (absent when only offsets are known). */
  messagesInWindow?: number;
  offsetsInWindow: number;
  /** The newest committed record not stamped in the future. */
  newestOffset?: string;
  newestTimestamp?: string;
  newestAgeMs?: number;
  timestampType?: TimestampType;
  underReplicated: boolean;
  offline: boolean;
  /** For a partition quiet in the window: what it received in the lookback before, and what that predicts. */
  silence?: { beforeWindow: number; expected: number; probability: number };
}

export interface ClockSkewRecord {
  partition: number;
  offset: string;
  timestamp: string;
  aheadMs: number;
  producerId: number;
}

export interface TopicReport {
  name: string;
  status: 'ok' | 'warning' | 'error';
  exists: boolean;
  partitions: number;
  countedIn: CountUnit;
  /** Committed records in the window and their rate; absent when only offsets could be counted. */
  messagesInWindow?: number;
  ratePerMinute?: number;
  /** How far the last stable offsets advanced: records plus transaction markers and aborted records. */
  offsetsInWindow: number;
  newestAgeMs?: number;
  newestTimestamp?: string;
  newestPartition?: number;
  timestampTypes: TimestampType[];
  /** Committed records stamped further in the future than the clock-skew tolerance (newest first, at most 10). */
  clockSkew: ClockSkewRecord[];
  /** Committed records that arrived during the window stamped more than max-age before it opened. */
  oldTimestamps?: { records: number; newestTimestamp: string; partition: number; ageMs: number };
  /** Committed records arrived during the window: the topic is live whatever their timestamps say. */
  arrivedInWindow: boolean;
  /** Partitions that received nothing in the window. */
  idlePartitions: number[];
  /** Of those, the ones quiet over the whole lookback too (information, never a warning). */
  unusedPartitions: number[];
  /** What is worth knowing but needs no one's action. */
  notes: string[];
  offlinePartitions: number[];
  underReplicatedPartitions: number[];
  sampled: number;
  schemaViolations: SchemaViolation[];
  traceIds: string[];
  owner?: string;
  runbook?: string;
  findings: Finding[];
  partitionDetails: PartitionReport[];
}

export type GroupPartitionStatus =
  'OK' | 'WARN' | 'STALLED' | 'STOPPED' | 'REWIND' | 'UNCOMMITTED' | 'UNKNOWN';
export type GroupStatus = GroupPartitionStatus;

export interface GroupPartitionReport {
  topic: string;
  partition: number;
  committed?: string;
  committedAtStart?: string;
  endOffset: string;
  assigned: boolean;
  /** Committed records between the committed offset and the end (when counted), and the offsets between them. */
  lag?: number;
  lagOffsets?: number;
  timeLagMs?: number;
  status: GroupPartitionStatus;
  /** Why a partition is UNKNOWN or needs no commit. */
  note?: string;
  /** How its lag moved over the window, counted like the group's lag (absent without committed offsets all along). */
  direction?: LagDirection;
}

/** How the group's lag moved on one of its topics. */
export interface GroupTopicDirection {
  topic: string;
  direction: LagDirection;
}

export interface GroupReport {
  name: string;
  status: GroupStatus;
  level: 'ok' | 'warning' | 'error';
  state: string;
  members: number;
  lagCountedIn: CountUnit;
  /** Committed records the group has yet to read (absent when only offsets could be counted). */
  totalLag?: number;
  totalLagOffsets: number;
  maxTimeLagMs: number;
  commitIntervalMs?: number;
  uncommittedPartitions: number;
  /**
   * How the group's lag moved over the window, over the partitions whose every sample has a committed
   * offset (and could be counted):
   * production and consumption rates, trend, time to catch up, falling behind.
   */
  direction?: LagDirection;
  /** The same, per topic of the group. */
  topics?: GroupTopicDirection[];
  owner?: string;
  runbook?: string;
  findings: Finding[];
  partitions: GroupPartitionReport[];
}

export interface CheckReport {
  healthy: boolean;
  failOn: 'error' | 'warning';
  windowMs: number;
  observedAt: string;
  topics: TopicReport[];
  groups: GroupReport[];
  requests: { total: number; byApi: Record<string, number> };
  counts: {
    topicsChecked: number;
    topicsFailed: number;
    groupsFailed: number;
    schemaViolations: number;
    errors: number;
    warnings: number;
  };
}
