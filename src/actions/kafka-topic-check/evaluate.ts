import { formatDuration } from '../../lib/duration.js';
import { formatProbability, judgeSilence, type SilenceVerdict } from './silence.js';
import { combineDirections, partitionDirection, type LagDirection, type LagSample } from './direction.js';
import type {
  CheckReport,
  ClockSkewRecord,
  CountUnit,
  Finding,
  GroupObservation,
  GroupPartitionObservation,
  GroupPartitionReport,
  GroupPartitionStatus,
  GroupReport,
  GroupStatus,
  Observation,
  PartitionLog,
  PartitionReport,
  RecordStamp,
  SchemaViolation,
  TimestampType,
  TopicObservation,
  TopicReport,
} from './model.js';

export interface TopicRules {
  name: string;
  minMessages: number;
  maxAgeMs?: number;
  minPartitions?: number;
  allowIdle: boolean;
  owner?: string;
  runbook?: string;
}

export interface GroupRules {
  name: string;
  maxLag?: number;
  maxLagSeconds?: number;
  /** The topics the group is judged on; without them, the checked topics it commits on or is assigned. */
  topics?: string[];
  /** How often the group commits: a frozen committed offset is STALLED only over a longer window. */
  commitIntervalMs?: number;
  owner?: string;
  runbook?: string;
}

/** Validates one decoded message; returns the violations (empty when it conforms). */
export type MessageValidator = (message: unknown) => { pointer: string; message: string }[];

export interface EvaluateInput {
  topics: TopicRules[];
  groups: GroupRules[];
  observation: Observation;
  windowMs: number;
  /** How far back each partition's own rate is measured (0: silence is not judged). */
  lookbackMs: number;
  /** Below this probability a partition's silence in the window is reported. */
  silenceThreshold: number;
  failOn: 'error' | 'warning';
  validators: Map<string, MessageValidator>;
  /** Records stamped further ahead of the observer's clock than this are clock skew, not freshness. */
  clockSkewToleranceMs: number;
  maxTraceIds?: number;
}

/** When the facts were gathered, and how they are to be read. */
export interface TopicContext {
  observedAt: number;
  windowStartedAt: number;
  windowMs: number;
  lookbackMs: number;
  silenceThreshold: number;
  clockSkewToleranceMs: number;
  maxTraceIds: number;
}

const GROUP_SEVERITY: Record<GroupStatus, number> = {
  OK: 0,
  UNCOMMITTED: 1,
  WARN: 2,
  UNKNOWN: 3,
  STALLED: 4,
  STOPPED: 4,
  REWIND: 5,
};
const DAY_MS = 86_400_000;

/** Turns observations into verdicts. Pure: the same facts always give the same report. */
export function evaluate(input: EvaluateInput): CheckReport {
  const obs = input.observation;
  const ctx: TopicContext = {
    observedAt: obs.observedAt,
    windowStartedAt: obs.windowStartedAt,
    windowMs: input.windowMs,
    lookbackMs: input.lookbackMs,
    silenceThreshold: input.silenceThreshold,
    clockSkewToleranceMs: input.clockSkewToleranceMs,
    maxTraceIds: input.maxTraceIds ?? 20,
  };
  const topics = input.topics.map((rules) => {
    const seen = obs.topics.find((t) => t.name === rules.name) ?? {
      name: rules.name,
      exists: false,
      partitions: [],
      samples: [],
    };
    return evaluateTopic(rules, seen, ctx, input.validators.get(rules.name));
  });
  const groups = input.groups.map((rules) => {
    const seen = obs.groups.find((g) => g.name === rules.name) ?? {
      name: rules.name,
      state: 'Dead',
      members: 0,
      partitions: [],
    };
    return evaluateGroup(rules, seen, obs.observedAt, input.windowMs);
  });
  const all = [...topics.flatMap((t) => t.findings), ...groups.flatMap((g) => g.findings)];
  const errors = all.filter((f) => f.level === 'error').length;
  const warnings = all.filter((f) => f.level === 'warning').length;
  const fails = (level: string) => level === 'error' || (input.failOn === 'warning' && level === 'warning');
  return {
    healthy: errors === 0 && (input.failOn === 'error' || warnings === 0),
    failOn: input.failOn,
    windowMs: input.windowMs,
    observedAt: new Date(obs.observedAt).toISOString(),
    topics,
    groups,
    requests: obs.requests,
    counts: {
      topicsChecked: topics.length,
      topicsFailed: topics.filter((t) => fails(t.status)).length,
      groupsFailed: groups.filter((g) => fails(g.level)).length,
      schemaViolations: topics.reduce((n, t) => n + t.schemaViolations.length, 0),
      errors,
      warnings,
    },
  };
}

/** Index of the first record at or after `offset` (records are in offset order). */
function firstAtOrAfter(records: RecordStamp[], offset: bigint): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid]!.offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Committed records in [from, to), or undefined when the log was not read back to `from`. */
export function countCommitted(log: PartitionLog, from: bigint, to: bigint): number | undefined {
  const start = from < log.logStart ? log.logStart : from;
  if (start >= to) return 0;
  if (log.readFrom > start) return undefined;
  return firstAtOrAfter(log.committed, to) - firstAtOrAfter(log.committed, start);
}

const timeSource = (type: TimestampType | undefined) =>
  type === 'LogAppendTime' ? 'broker time' : 'producer time';
const iso = (ms: number) => new Date(ms).toISOString();
/** 54000 → 54,000, without toLocaleString, whose first call loads ICU data (tens of milliseconds). */
export const count = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
export const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

/** Ages a person reads at a glance: 12.3s, 4m05s, 3h02m, 30 days. */
export function formatAge(ms: number): string {
  return ms >= 2 * DAY_MS ? `${Math.round(ms / DAY_MS)} days` : formatDuration(ms);
}

type Located = RecordStamp & { partition: number };

/** What the committed records of one topic say, partition by partition. */
interface TopicFacts {
  details: PartitionReport[];
  /** Stamped further ahead than the tolerance. */
  skewed: ClockSkewRecord[];
  /** Became readable during the window. */
  arrivals: Located[];
  /** The newest committed record not stamped in the future. */
  newest?: Located;
}

function topicFacts(seen: TopicObservation, ctx: TopicContext): TopicFacts {
  const datedBy = ctx.observedAt + ctx.clockSkewToleranceMs;
  const facts: TopicFacts = { details: [], skewed: [], arrivals: [] };
  for (const p of seen.partitions) {
    let dated: RecordStamp | undefined;
    for (const r of p.committed) {
      if (r.timestamp > datedBy) {
        const aheadMs = r.timestamp - ctx.observedAt;
        const where = { partition: p.partition, offset: r.offset.toString() };
        facts.skewed.push({ ...where, timestamp: iso(r.timestamp), aheadMs, producerId: r.producerId });
      } else if (!dated || r.timestamp >= dated.timestamp) dated = r;
      if (r.offset >= p.endAtStart) facts.arrivals.push({ ...r, partition: p.partition });
    }
    if (dated && (!facts.newest || dated.timestamp > facts.newest.timestamp))
      facts.newest = { ...dated, partition: p.partition };
    const inWindow = countCommitted(p, p.endAtStart, p.endAtEnd);
    facts.details.push({
      partition: p.partition,
      leader: p.leader,
      startOffset: p.endAtStart.toString(),
      endOffset: p.endAtEnd.toString(),
      logStartOffset: p.logStart.toString(),
      ...(inWindow !== undefined ? { messagesInWindow: inWindow } : {}),
      offsetsInWindow: Math.max(0, Number(p.endAtEnd - p.endAtStart)),
      ...(dated
        ? {
            newestOffset: dated.offset.toString(),
            newestTimestamp: iso(dated.timestamp),
            newestAgeMs: Math.max(0, ctx.observedAt - dated.timestamp),
            timestampType: dated.timestampType,
          }
        : {}),
      underReplicated: p.isr.length < p.replicas.length,
      offline: p.leader < 0,
    });
  }
  facts.skewed.sort((a, b) => b.aheadMs - a.aheadMs);
  return facts;
}

export function evaluateTopic(
  rules: TopicRules,
  seen: TopicObservation,
  ctx: TopicContext,
  validate: MessageValidator | undefined,
): TopicReport {
  const findings: Finding[] = [];
  const add = (level: Finding['level'], code: string, message: string) =>
    findings.push({ level, code, message });
  const base = { name: rules.name, owner: rules.owner, runbook: rules.runbook };
  const name = rules.name;
  if (!seen.exists) {
    add('error', 'topic-missing', `topic ${name} does not exist`);
    return {
      ...base,
      status: 'error',
      exists: false,
      partitions: 0,
      countedIn: 'records',
      messagesInWindow: 0,
      ratePerMinute: 0,
      offsetsInWindow: 0,
      timestampTypes: [],
      clockSkew: [],
      arrivedInWindow: false,
      idlePartitions: [],
      unusedPartitions: [],
      notes: [],
      offlinePartitions: [],
      underReplicatedPartitions: [],
      sampled: 0,
      schemaViolations: [],
      traceIds: [],
      findings,
      partitionDetails: [],
    };
  }
  const { observedAt, windowMs } = ctx;
  const { details, skewed, arrivals, newest } = topicFacts(seen, ctx);

  const countedIn: CountUnit = details.every((d) => d.messagesInWindow !== undefined) ? 'records' : 'offsets';
  const offsets = details.reduce((n, p) => n + p.offsetsInWindow, 0);
  const messages = countedIn === 'records' ? details.reduce((n, p) => n + p.messagesInWindow!, 0) : undefined;
  const traffic = messages ?? offsets;
  const newestAgeMs = newest ? Math.max(0, observedAt - newest.timestamp) : undefined;
  const offline = details.filter((p) => p.offline).map((p) => p.partition);
  const underReplicated = details.filter((p) => p.underReplicated && !p.offline).map((p) => p.partition);
  const quietIn = (p: PartitionReport) =>
    (countedIn === 'records' ? p.messagesInWindow : p.offsetsInWindow) === 0;
  const idle = windowMs > 0 ? details.filter(quietIn).map((p) => p.partition) : [];
  const ageText = describeNewest(seen, newest, newestAgeMs, skewed.length);

  if (rules.minPartitions !== undefined && details.length < rules.minPartitions) {
    add(
      'error',
      'too-few-partitions',
      `topic ${name} has ${details.length} partition(s); at least ${rules.minPartitions} expected`,
    );
  }
  if (offline.length > 0) {
    add(
      'error',
      'offline-partitions',
      `topic ${name} has ${offline.length} partition(s) without a leader: ${offline.join(', ')}`,
    );
  }
  if (underReplicated.length > 0) {
    const list = underReplicated.join(', ');
    add(
      'warning',
      'under-replicated',
      `topic ${name} has ${underReplicated.length} under-replicated partition(s): ${list}`,
    );
  }

  // A committed record that became readable during the window proves the topic live, whatever its
  // timestamp says, as long as the window fits in max-age.
  const arrived = arrivals.length > 0;
  let fresh: boolean | undefined;
  if (rules.maxAgeMs !== undefined) {
    const arrivalFresh = arrived && observedAt - ctx.windowStartedAt <= rules.maxAgeMs;
    fresh = (newestAgeMs !== undefined && newestAgeMs <= rules.maxAgeMs) || arrivalFresh;
    if (!fresh)
      add(
        'error',
        'stale',
        `topic ${name} went quiet: ${ageText}; max-age is ${formatDuration(rules.maxAgeMs)}`,
      );
  }
  // A rarely written topic passes while its newest record is recent enough.
  if (windowMs > 0 && traffic < rules.minMessages && !(rules.allowIdle && fresh === true)) {
    const idleHint = rules.allowIdle ? ' (allow-idle needs max-age to be met)' : '';
    const window = `the ${formatDuration(windowMs)} window`;
    let received: string;
    if (messages === undefined) {
      received = `saw its offsets advance by ${count(offsets)} in ${window} (committed records not counted: too far to read)`;
    } else {
      const skippedNote =
        offsets > messages
          ? ` (offsets advanced by ${count(offsets)}: transaction markers and aborted records are not messages)`
          : '';
      received = `received ${plural(messages, 'committed record')} in ${window}${skippedNote}`;
    }
    add(
      'error',
      'no-traffic',
      `topic ${name} ${received}; at least ${rules.minMessages} expected; ${ageText}${idleHint}`,
    );
  }
  // A partition quiet in the window is news only when its own recent rate made that improbable.
  const silence =
    windowMs > 0 && ctx.lookbackMs > 0
      ? judgeQuietPartitions(seen, details, idle, messages, offsets, ctx)
      : { silent: [], unused: [], plausible: [] };
  if (silence.silent.length > 0) {
    const list = silence.silent
      .slice(0, 10)
      .map((q) => `${q.partition} (${round2(q.expected)} expected, P = ${formatProbability(q.probability)})`);
    add(
      'warning',
      'silent-partitions',
      `topic ${name}: ${silence.silent.length} of ${details.length} partition(s) received nothing in the ` +
        `${formatDuration(windowMs)} window although their own rate over the last ` +
        `${formatDuration(ctx.lookbackMs)} made that improbable (P < ${formatProbability(ctx.silenceThreshold)}): ` +
        `${list.join(', ')}${silence.silent.length > 10 ? ', …' : ''}`,
    );
  }
  const notes =
    silence.unused.length > 0
      ? [
          `topic ${name}: partition(s) ${silence.unused.join(', ')} received nothing in the window or the ` +
            `${formatDuration(ctx.lookbackMs)} before it: unused (key skew?)`,
        ]
      : [];
  if (skewed.length > 0) {
    const far = skewed[0]!;
    const producer =
      far.producerId >= 0 ? `producer id ${far.producerId}` : 'a producer without a producer id';
    add(
      'warning',
      'clock-skew',
      `topic ${name}: ${plural(skewed.length, 'committed record')} stamped more than ` +
        `${formatDuration(ctx.clockSkewToleranceMs)} in the future by producer time; the furthest, partition ${far.partition} ` +
        `offset ${far.offset} from ${producer}, is ${formatAge(far.aheadMs)} ahead (${far.timestamp}); ` +
        'freshness rests on records not stamped in the future',
    );
  }
  const oldTimestamps = rules.maxAgeMs === undefined ? undefined : oldArrivals(arrivals, ctx, rules.maxAgeMs);
  if (oldTimestamps) {
    add(
      'warning',
      'old-timestamps',
      `topic ${name}: ${plural(oldTimestamps.records, 'committed record')} arrived during the window ` +
        `with producer timestamps ${formatAge(oldTimestamps.ageMs)} old (the newest ${oldTimestamps.newestTimestamp}, ` +
        `partition ${oldTimestamps.partition}): the topic is live, its producer stamps old times`,
    );
  }

  const { schemaViolations, traceIds } = checkSamples(seen, validate, ctx.maxTraceIds);
  if (schemaViolations.length > 0) {
    const first = schemaViolations[0]!;
    add(
      'error',
      'schema-violation',
      `topic ${name}: ${schemaViolations.length} schema violation(s) in sampled messages; ` +
        `first at partition ${first.partition} offset ${first.offset}${first.pointer ? ` ${first.pointer}` : ''}: ${first.message}`,
    );
  }

  const status = findings.some((f) => f.level === 'error') ? 'error' : findings.length > 0 ? 'warning' : 'ok';
  const ratePerMinute = (n: number) => (windowMs > 0 ? round2((n / windowMs) * 60_000) : 0);
  return {
    ...base,
    status,
    exists: true,
    partitions: details.length,
    countedIn,
    ...(messages !== undefined ? { messagesInWindow: messages, ratePerMinute: ratePerMinute(messages) } : {}),
    offsetsInWindow: offsets,
    ...(newest
      ? { newestAgeMs, newestTimestamp: iso(newest.timestamp), newestPartition: newest.partition }
      : {}),
    timestampTypes: [
      ...new Set(seen.partitions.flatMap((p) => p.committed.map((r) => r.timestampType))),
    ].sort(),
    clockSkew: skewed.slice(0, 10),
    ...(oldTimestamps ? { oldTimestamps } : {}),
    arrivedInWindow: arrived,
    idlePartitions: idle,
    unusedPartitions: silence.unused,
    notes,
    offlinePartitions: offline,
    underReplicatedPartitions: underReplicated,
    sampled: seen.samples.length,
    schemaViolations,
    traceIds,
    findings,
    partitionDetails: details,
  };
}

/**
 * The partitions quiet in the window, each judged by what it received in the lookback before. Offsets
 * count transaction markers and aborted records too: the lookback's offsets are scaled by the share of
 * the window's offsets that were records, so a transactional producer's markers do not raise its rate.
 */
function judgeQuietPartitions(
  seen: TopicObservation,
  details: PartitionReport[],
  idle: number[],
  messages: number | undefined,
  offsets: number,
  ctx: TopicContext,
): SilenceVerdict {
  const recordShare = messages !== undefined && offsets > 0 ? messages / offsets : 1;
  const quiet = idle.map((partition) => {
    const log = seen.partitions.find((p) => p.partition === partition)!;
    return { partition, beforeWindow: Number(log.endAtStart - log.atLookback) * recordShare };
  });
  const verdict = judgeSilence(quiet, {
    lookbackMs: ctx.lookbackMs,
    windowMs: ctx.windowMs,
    threshold: ctx.silenceThreshold,
  });
  for (const q of [...verdict.silent, ...verdict.plausible]) {
    const d = details.find((x) => x.partition === q.partition)!;
    d.silence = {
      beforeWindow: round2(q.beforeWindow),
      expected: round2(q.expected),
      probability: q.probability,
    };
  }
  return verdict;
}

/** Records that arrived during the window stamped more than max-age before it opened. */
function oldArrivals(arrivals: Located[], ctx: TopicContext, maxAgeMs: number): TopicReport['oldTimestamps'] {
  const old = arrivals.filter((r) => r.timestamp < ctx.windowStartedAt - maxAgeMs);
  if (old.length === 0) return undefined;
  const latest = old.reduce((a, b) => (b.timestamp > a.timestamp ? b : a));
  const ageMs = ctx.observedAt - latest.timestamp;
  return { records: old.length, newestTimestamp: iso(latest.timestamp), partition: latest.partition, ageMs };
}

function checkSamples(seen: TopicObservation, validate: MessageValidator | undefined, maxTraceIds: number) {
  const schemaViolations: SchemaViolation[] = [];
  const traceIds: string[] = [];
  for (const s of [...seen.samples].sort(
    (a, b) => a.partition - b.partition || Number(a.offset - b.offset),
  )) {
    if (s.traceId && !traceIds.includes(s.traceId) && traceIds.length < maxTraceIds) traceIds.push(s.traceId);
    if (!validate) continue;
    const where = { partition: s.partition, offset: s.offset.toString() };
    let decoded: unknown;
    try {
      decoded = s.value === null ? null : JSON.parse(s.value.toString('utf8'));
    } catch {
      schemaViolations.push({ ...where, pointer: '', message: 'value is not valid JSON' });
      continue;
    }
    for (const v of validate(decoded))
      schemaViolations.push({ ...where, pointer: v.pointer, message: v.message });
  }
  return { schemaViolations, traceIds };
}

/** What is known about the newest committed record, in words that say what was measured. */
function describeNewest(
  seen: TopicObservation,
  newest: Located | undefined,
  ageMs: number | undefined,
  skewed: number,
): string {
  if (newest) {
    const when = `${timeSource(newest.timestampType)} ${iso(newest.timestamp)}`;
    return `newest committed record is ${formatAge(ageMs!)} old (${when}, partition ${newest.partition})`;
  }
  const parts = seen.partitions;
  if (parts.every((p) => p.endAtEnd <= p.logStart)) return 'the topic has no records at all';
  if (skewed > 0) return `every committed record read is stamped in the future (${plural(skewed, 'record')})`;
  const offsets = parts.reduce((n, p) => n + Number(p.endAtEnd - p.readFrom), 0);
  if (parts.every((p) => p.readFrom <= p.logStart)) {
    return `the topic holds no committed record: its ${plural(offsets, 'offset')} are transaction markers and aborted records`;
  }
  return offsets > 0
    ? `no committed record in the newest ${plural(offsets, 'offset')} read: transaction markers and aborted records only`
    : 'its newest records could not be read';
}

export interface PartitionFacts {
  committedAtStart?: bigint;
  committedAtEnd?: bigint;
  endAtStart: bigint;
  endAtEnd: bigint;
  logStart: bigint;
  /** Lag at the end and at the start of the window, in one unit (committed records, or offsets). */
  lagAtEnd: number;
  lagAtStart?: number;
  /**
   * Whether a committed record past the committed offset was already readable when the window
   * opened: true, false, or undefined when the log could not be read that far.
   */
  waitingSinceStart?: boolean;
}

export interface PartitionVerdict {
  status: GroupPartitionStatus;
  note?: string;
}

/**
 * Classifies each partition of a group in the spirit of Burrow's rules, from the committed offsets
 * at the start and end of the window. A partition with no committed offset is UNCOMMITTED, never lag 0,
 * unless it has never held a record. A frozen committed offset is STALLED only when records were
 * waiting all along and the window is longer than the group's commit interval; otherwise UNKNOWN.
 */
export function classifyPartition(
  p: PartitionFacts,
  members: number,
  windowMs: number,
  commitIntervalMs?: number,
): PartitionVerdict {
  if (p.committedAtEnd === undefined) {
    if (p.endAtEnd > p.logStart) return { status: 'UNCOMMITTED' };
    return { status: 'OK', note: 'no record to consume: the partition has never held one (or all expired)' };
  }
  if (p.committedAtStart !== undefined && p.committedAtEnd < p.committedAtStart) return { status: 'REWIND' };
  if (p.lagAtEnd <= 0 || windowMs <= 0 || p.committedAtStart === undefined) return { status: 'OK' };
  if (p.committedAtEnd === p.committedAtStart) return classifyFrozen(p, members, windowMs, commitIntervalMs);
  // Two snapshots of a consumer that keeps up but commits every few hundred milliseconds show lag
  // going up and down by up to (rate × commit interval): growth alone is noise. It is falling behind
  // when its lag grew and, after the whole window, it has still not committed what the log already
  // held when the window opened.
  const grew = p.lagAtStart !== undefined && p.lagAtEnd > p.lagAtStart;
  return grew && p.committedAtEnd < p.endAtStart ? { status: 'WARN' } : { status: 'OK' };
}

/** A committed offset that did not move in the window, with records after it. */
function classifyFrozen(
  p: PartitionFacts,
  members: number,
  windowMs: number,
  commitIntervalMs?: number,
): PartitionVerdict {
  const window = formatDuration(windowMs);
  if (members === 0) return { status: 'STOPPED' };
  if (p.waitingSinceStart === false)
    return { status: 'OK', note: 'the records it has yet to read arrived during the window' };
  if (p.waitingSinceStart === undefined) {
    const note =
      'the committed offset did not move, and the records after it could not be read to tell whether any were waiting';
    return { status: 'UNKNOWN', note };
  }
  if (commitIntervalMs === undefined) {
    const note =
      `the committed offset did not move in the ${window} window; without commit-interval a group that commits ` +
      'less often cannot be told from a stalled one';
    return { status: 'UNKNOWN', note };
  }
  if (windowMs <= commitIntervalMs) {
    const note =
      `the committed offset did not move in the ${window} window, which is not longer than the group's ` +
      `commit-interval of ${formatDuration(commitIntervalMs)}`;
    return { status: 'UNKNOWN', note };
  }
  return { status: 'STALLED' };
}

/** The lag of one partition, in offsets and (when the log was read back far enough) committed records. */
interface PartitionLag {
  p: GroupPartitionObservation;
  lag?: number;
  lagAtStart?: number;
  lagOffsets?: number;
  lagOffsetsAtStart?: number;
}

function lagOf(p: GroupPartitionObservation): PartitionLag {
  const { committedAtEnd: cE, committedAtStart: cS, log } = p;
  const behind = (end: bigint, c: bigint) => Number(end > c ? end - c : 0n);
  const lag = cE === undefined ? undefined : countCommitted(log, cE, log.endAtEnd);
  const lagAtStart = cS === undefined ? undefined : countCommitted(log, cS, log.endAtStart);
  return {
    p,
    ...(cE !== undefined ? { lagOffsets: behind(log.endAtEnd, cE) } : {}),
    ...(cS !== undefined ? { lagOffsetsAtStart: behind(log.endAtStart, cS) } : {}),
    ...(lag !== undefined ? { lag } : {}),
    ...(lagAtStart !== undefined ? { lagAtStart } : {}),
  };
}

function unknownGroup(rules: GroupRules, seen: GroupObservation): string {
  const state = seen.state === 'Dead' || seen.state === '' ? '' : ` (state ${seen.state})`;
  if (seen.members > 0) {
    return (
      `has ${plural(seen.members, 'member')}${state} but none is assigned a partition of the checked topics ` +
      'and it has no committed offsets on them'
    );
  }
  if (state === '') return 'does not exist (no members and no committed offsets)';
  return `has no members and no committed offsets on the checked topics${state}`;
}

export function evaluateGroup(
  rules: GroupRules,
  seen: GroupObservation,
  observedAt: number,
  windowMs: number,
): GroupReport {
  const findings: Finding[] = [];
  const add = (level: Finding['level'], code: string, message: string) =>
    findings.push({ level, code, message });
  const name = rules.name;
  const base = {
    name,
    owner: rules.owner,
    runbook: rules.runbook,
    state: seen.state,
    members: seen.members,
    ...(rules.commitIntervalMs !== undefined ? { commitIntervalMs: rules.commitIntervalMs } : {}),
  };
  const committed = (p: GroupPartitionObservation) =>
    p.committedAtEnd !== undefined || p.committedAtStart !== undefined;
  // Without `topics`, a group is judged on the checked topics it commits on or its members are assigned.
  const consumed = new Set(seen.partitions.filter((p) => committed(p) || p.assigned).map((p) => p.topic));
  const inScope = seen.partitions.filter((p) => rules.topics !== undefined || consumed.has(p.topic));
  if (inScope.length === 0 || (!inScope.some(committed) && seen.members === 0)) {
    add('error', 'group-unknown', `consumer group ${name} ${unknownGroup(rules, seen)}`);
    return {
      ...base,
      status: 'UNKNOWN',
      level: 'error',
      lagCountedIn: 'records',
      totalLag: 0,
      totalLagOffsets: 0,
      maxTimeLagMs: 0,
      uncommittedPartitions: 0,
      findings,
      partitions: [],
    };
  }

  const lags = inScope.map(lagOf);
  // One unit for the whole group: committed records when every lag could be counted, offsets otherwise.
  const lagCountedIn: CountUnit = lags.every((l) => l.lagOffsets === undefined || l.lag !== undefined)
    ? 'records'
    : 'offsets';
  const partitions = lags.map((l) =>
    partitionReport(l, lagCountedIn, seen.members, observedAt, windowMs, rules.commitIntervalMs),
  );
  const directions = partitions.flatMap((p) => (p.direction ? [p.direction] : []));
  const direction = combineDirections(directions);
  const topics = [...new Set(partitions.map((p) => p.topic))].flatMap((topic) => {
    const d = combineDirections(
      partitions.flatMap((p) => (p.topic === topic && p.direction ? [p.direction] : [])),
    );
    return d ? [{ topic, direction: d }] : [];
  });
  const totalLagOffsets = partitions.reduce((n, p) => n + (p.lagOffsets ?? 0), 0);
  const totalLag = lagCountedIn === 'records' ? partitions.reduce((n, p) => n + (p.lag ?? 0), 0) : undefined;
  const maxTimeLagMs = partitions.reduce((m, p) => Math.max(m, p.timeLagMs ?? 0), 0);
  const worst = partitions.reduce<GroupStatus>(
    (w, p) => (GROUP_SEVERITY[p.status] > GROUP_SEVERITY[w] ? p.status : w),
    'OK',
  );
  const withStatus = (status: GroupPartitionStatus) => partitions.filter((p) => p.status === status);
  const names = (ps: GroupPartitionReport[]) => ps.map((p) => `${p.topic}/${p.partition}`).join(', ');
  const waiting = (ps: GroupPartitionReport[]) => {
    if (lagCountedIn === 'records') {
      const n = ps.reduce((s, p) => s + (p.lag ?? 0), 0);
      return `${plural(n, 'committed record')} ${n === 1 ? 'waits' : 'wait'}`;
    }
    const n = ps.reduce((s, p) => s + (p.lagOffsets ?? 0), 0);
    return `the committed offsets are ${plural(n, 'offset')} behind (committed records not counted: too far to read)`;
  };
  const window = formatDuration(windowMs);
  const interval =
    rules.commitIntervalMs === undefined
      ? ''
      : ` (longer than its commit-interval of ${formatDuration(rules.commitIntervalMs)})`;

  const rewind = withStatus('REWIND');
  const stalled = withStatus('STALLED');
  const stopped = withStatus('STOPPED');
  const unknown = withStatus('UNKNOWN');
  const fallingBehind = partitions.filter((p) => p.direction?.fallingBehind);
  const warn = withStatus('WARN').filter((p) => !p.direction?.fallingBehind);
  const uncommitted = withStatus('UNCOMMITTED');
  if (rewind.length)
    add(
      'error',
      'group-rewind',
      `consumer group ${name}: committed offset went backwards on ${names(rewind)}`,
    );
  if (stalled.length) {
    add(
      'error',
      'group-stalled',
      `consumer group ${name} is STALLED: ${plural(seen.members, 'member')} connected but the committed offset ` +
        `did not move in ${window}${interval} while ${waiting(stalled)} on ${names(stalled)}`,
    );
  }
  if (stopped.length) {
    add(
      'error',
      'group-stopped',
      `consumer group ${name} is STOPPED: no members and no commits in ${window} ` +
        `while ${waiting(stopped)} on ${names(stopped)}`,
    );
  }
  if (unknown.length) {
    add(
      'warning',
      'group-stall-unknown',
      `consumer group ${name} cannot be judged on ${names(unknown)}: ${unknown[0]!.note} ` +
        `(${waiting(unknown)}); never reported STALLED without proof`,
    );
  }
  if (fallingBehind.length) {
    // A warning whatever max-lag says: a small lag that grows at every sample is tomorrow's large one.
    const d = combineDirections(fallingBehind.map((p) => p.direction!))!;
    const unit = lagCountedIn === 'records' ? 'committed records' : 'offsets';
    add(
      'warning',
      'group-falling-behind',
      `consumer group ${name} is falling behind on ${names(fallingBehind)}: its lag grew at each of the ` +
        `${d.samples} samples of the ${window} window, from ${count(d.lagAtStart)} to ${count(d.lagAtEnd)} ${unit}, ` +
        `while its producers wrote ${perSecond(d.productionPerSecond)} and it consumed ${perSecond(d.consumptionPerSecond)}: ` +
        'at these rates it never catches up',
    );
  }
  if (warn.length) {
    add(
      'warning',
      'group-lag-growing',
      `consumer group ${name}: lag grew during the window on ${names(warn)} and it has not yet ` +
        'consumed what was there when the window opened, although it commits',
    );
  }
  if (uncommitted.length) {
    const assigned = uncommitted.filter((p) => p.assigned).length;
    const held =
      assigned > 0 ? `; ${assigned} of them assigned to its ${plural(seen.members, 'member')}` : '';
    const listed = names(uncommitted.slice(0, 10)) + (uncommitted.length > 10 ? ', …' : '');
    const many = plural(uncommitted.length, 'partition');
    add(
      'warning',
      'group-uncommitted',
      `consumer group ${name} has no committed offset on ${many} that hold records: ${listed}${held}`,
    );
  }
  const measured = totalLag ?? totalLagOffsets;
  if (rules.maxLag !== undefined && measured > rules.maxLag) {
    const what =
      totalLag !== undefined
        ? plural(measured, 'committed record')
        : `${plural(measured, 'offset')} (committed records not counted: too far to read; ` +
          'offsets include transaction markers and aborted records)';
    add('error', 'group-max-lag', `consumer group ${name} lags ${what}; max-lag is ${rules.maxLag}`);
  }
  if (rules.maxLagSeconds !== undefined && maxTimeLagMs > rules.maxLagSeconds * 1000) {
    add(
      'error',
      'group-max-lag-seconds',
      `consumer group ${name} is ${formatDuration(maxTimeLagMs)} behind (the oldest ` +
        `committed record it has yet to read); max-lag-seconds is ${rules.maxLagSeconds}`,
    );
  }

  const level = findings.some((f) => f.level === 'error') ? 'error' : findings.length > 0 ? 'warning' : 'ok';
  return {
    ...base,
    status: worst,
    level,
    lagCountedIn,
    ...(totalLag !== undefined ? { totalLag } : {}),
    totalLagOffsets,
    maxTimeLagMs,
    uncommittedPartitions: uncommitted.length,
    ...(direction ? { direction, topics } : {}),
    findings,
    partitions,
  };
}

/** "12.5/s": rates to two decimals, enough to compare a group with its producers. */
export const perSecond = (n: number) => `${count(Math.round(n * 100) / 100)}/s`;

function partitionReport(
  l: PartitionLag,
  unit: CountUnit,
  members: number,
  observedAt: number,
  windowMs: number,
  commitIntervalMs?: number,
): GroupPartitionReport {
  const { p } = l;
  const next = p.nextRecord;
  const inUnit = (records: number | undefined, offsets: number | undefined) =>
    unit === 'records' ? records : offsets;
  const lagAtEnd = inUnit(l.lag, l.lagOffsets) ?? 0;
  const lagAtStart = inUnit(l.lagAtStart, l.lagOffsetsAtStart);
  const { status, note } = classifyPartition(
    {
      ...(p.committedAtStart !== undefined ? { committedAtStart: p.committedAtStart } : {}),
      ...(p.committedAtEnd !== undefined ? { committedAtEnd: p.committedAtEnd } : {}),
      endAtStart: p.log.endAtStart,
      endAtEnd: p.log.endAtEnd,
      logStart: p.log.logStart,
      lagAtEnd,
      ...(lagAtStart !== undefined ? { lagAtStart } : {}),
      ...(next === null
        ? { waitingSinceStart: false }
        : next
          ? { waitingSinceStart: next.offset < p.log.endAtStart }
          : {}),
    },
    members,
    windowMs,
    commitIntervalMs,
  );
  // A partition that never held a record has nothing to consume: its lag is 0 without a commit.
  const nothingToConsume = p.committedAtEnd === undefined && status === 'OK';
  let timeLagMs: number | undefined;
  if (p.committedAtEnd === undefined) timeLagMs = nothingToConsume ? 0 : undefined;
  else if (lagAtEnd === 0 || next === null) timeLagMs = 0;
  else if (next) timeLagMs = Math.max(0, observedAt - next.timestamp);
  let lag: number | undefined;
  if (unit === 'records') lag = nothingToConsume ? 0 : l.lag;
  const direction = windowMs > 0 ? directionOf(p, unit, status, commitIntervalMs) : undefined;
  return {
    topic: p.topic,
    partition: p.partition,
    ...(p.committedAtEnd !== undefined ? { committed: p.committedAtEnd.toString() } : {}),
    ...(p.committedAtStart !== undefined ? { committedAtStart: p.committedAtStart.toString() } : {}),
    endOffset: p.log.endAtEnd.toString(),
    assigned: p.assigned,
    ...(lag !== undefined ? { lag } : {}),
    ...(l.lagOffsets !== undefined ? { lagOffsets: l.lagOffsets } : {}),
    ...(timeLagMs !== undefined ? { timeLagMs } : {}),
    // Falling behind for the whole window is WARN even where the two ends alone looked fine.
    status: direction?.fallingBehind && status === 'OK' ? 'WARN' : status,
    ...(note ? { note } : {}),
    ...(direction ? { direction } : {}),
  };
}

/**
 * A partition's samples counted in the group's unit (committed records between offsets, read from
 * the log; or offsets), and the direction they give. None without a committed offset at every sample.
 */
export function directionOf(
  p: GroupPartitionObservation,
  unit: CountUnit,
  status: GroupPartitionStatus,
  commitIntervalMs?: number,
): LagDirection | undefined {
  const trail = p.trail;
  if (!trail || trail.length < 2 || trail.some((s) => s.committed === undefined)) return undefined;
  const measure = (from: bigint, to: bigint): number | undefined => {
    if (to <= from) return 0;
    return unit === 'records' ? countCommitted(p.log, from, to) : Number(to - from);
  };
  // Signed: a committed offset that went back consumed a negative amount.
  const between = (a: bigint, b: bigint) => (b >= a ? measure(a, b) : negate(measure(b, a)));
  const samples: LagSample[] = [];
  for (const [i, s] of trail.entries()) {
    const prev = trail[i - 1];
    const lag = measure(s.committed!, s.end);
    const produced = prev ? between(prev.end, s.end) : 0;
    const consumed = prev ? between(prev.committed!, s.committed!) : 0;
    if (lag === undefined || produced === undefined || consumed === undefined) return undefined;
    samples.push({ at: s.at, lag, produced, consumed });
  }
  // A committed offset that never moved measures no consumption: the stall rules judge it.
  const frozen =
    trail[0]!.committed === trail.at(-1)!.committed
      ? status === 'STALLED' || status === 'STOPPED'
        ? ('stalled' as const)
        : ('unproven' as const)
      : undefined;
  return partitionDirection({
    samples,
    ...(commitIntervalMs !== undefined ? { commitIntervalMs } : {}),
    ...(frozen ? { frozen } : {}),
  });
}

const negate = (n: number | undefined) => (n === undefined ? undefined : -n);

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
