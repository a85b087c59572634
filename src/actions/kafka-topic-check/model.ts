// What the check observed (facts from the cluster) and what it concluded (the report).

export interface PartitionObservation {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  /** Log start offset at the end of the window. */
  logStart: bigint;
  /** End (high-watermark) offset at the start and at the end of the window. */
  endAtStart: bigint;
  endAtEnd: bigint;
  /** The newest record read at the end of the window, if the partition has any. */
  newest?: { offset: bigint; timestamp: number; timestampType: 'CreateTime' | 'LogAppendTime' };
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
  samples: SampledMessage[];
}

export interface GroupPartitionObservation {
  topic: string;
  partition: number;
  committedAtStart?: bigint;
  committedAtEnd?: bigint;
  endAtStart: bigint;
  endAtEnd: bigint;
  /** Timestamp of the record at the committed offset (the next one the group will read), when lag > 0. */
  committedRecordTimestamp?: number;
}

export interface GroupObservation {
  name: string;
  /** Group state at the end of the window (Stable, Empty, Dead, PreparingRebalance, ...). */
  state: string;
  members: number;
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

export interface PartitionReport {
  partition: number;
  leader: number;
  messagesInWindow: number;
  newestOffset?: string;
  newestTimestamp?: string;
  newestAgeMs?: number;
  timestampType?: 'CreateTime' | 'LogAppendTime';
  underReplicated: boolean;
  offline: boolean;
}

export interface TopicReport {
  name: string;
  status: 'ok' | 'warning' | 'error';
  exists: boolean;
  partitions: number;
  messagesInWindow: number;
  ratePerMinute: number;
  newestAgeMs?: number;
  newestTimestamp?: string;
  timestampTypes: ('CreateTime' | 'LogAppendTime')[];
  idlePartitions: number[];
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

export type GroupPartitionStatus = 'OK' | 'WARN' | 'STALLED' | 'STOPPED' | 'REWIND' | 'UNCOMMITTED';
export type GroupStatus = GroupPartitionStatus | 'UNKNOWN';

export interface GroupPartitionReport {
  topic: string;
  partition: number;
  committed?: string;
  committedAtStart?: string;
  endOffset: string;
  lag?: number;
  timeLagMs?: number;
  status: GroupPartitionStatus;
}

export interface GroupReport {
  name: string;
  status: GroupStatus;
  level: 'ok' | 'warning' | 'error';
  state: string;
  members: number;
  totalLag: number;
  maxTimeLagMs: number;
  uncommittedPartitions: number;
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
  counts: { topicsChecked: number; topicsFailed: number; groupsFailed: number; schemaViolations: number; errors: number; warnings: number };
}
