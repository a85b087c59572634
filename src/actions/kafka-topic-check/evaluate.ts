import { formatDuration } from '../../lib/duration.js';
import type {
  CheckReport, Finding, GroupObservation, GroupPartitionReport, GroupPartitionStatus, GroupReport, GroupStatus, Observation,
  PartitionReport, SchemaViolation, TopicObservation, TopicReport,
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
  failOn: 'error' | 'warning';
  validators: Map<string, MessageValidator>;
  maxTraceIds?: number;
}

const GROUP_SEVERITY: Record<GroupStatus, number> = { OK: 0, UNCOMMITTED: 1, WARN: 2, STALLED: 3, STOPPED: 3, REWIND: 4, UNKNOWN: 4 };

/** Turns observations into verdicts. Pure: the same facts always give the same report. */
export function evaluate(input: EvaluateInput): CheckReport {
  const obs = input.observation;
  const topics = input.topics.map((rules) => {
    const seen = obs.topics.find((t) => t.name === rules.name) ?? { name: rules.name, exists: false, partitions: [], samples: [] };
    return evaluateTopic(rules, seen, obs.observedAt, input.windowMs, input.validators.get(rules.name), input.maxTraceIds ?? 20);
  });
  const groups = input.groups.map((rules) => {
    const seen = obs.groups.find((g) => g.name === rules.name) ?? { name: rules.name, state: 'Dead', members: 0, partitions: [] };
    return evaluateGroup(rules, seen, obs.observedAt, input.windowMs);
  });
  const all = [...topics.flatMap((t) => t.findings), ...groups.flatMap((g) => g.findings)];
  const errors = all.filter((f) => f.level === 'error').length;
  const warnings = all.filter((f) => f.level === 'warning').length;
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
      topicsFailed: topics.filter((t) => t.status === 'error' || (input.failOn === 'warning' && t.status === 'warning')).length,
      groupsFailed: groups.filter((g) => g.level === 'error' || (input.failOn === 'warning' && g.level === 'warning')).length,
      schemaViolations: topics.reduce((n, t) => n + t.schemaViolations.length, 0),
      errors,
      warnings,
    },
  };
}

export function evaluateTopic(rules: TopicRules, seen: TopicObservation, observedAt: number, windowMs: number, validate: MessageValidator | undefined, maxTraceIds: number): TopicReport {
  const findings: Finding[] = [];
  const base = { name: rules.name, owner: rules.owner, runbook: rules.runbook };
  if (!seen.exists) {
    findings.push({ level: 'error', code: 'topic-missing', message: `topic ${rules.name} does not exist` });
    return { ...base, status: 'error', exists: false, partitions: 0, messagesInWindow: 0, ratePerMinute: 0, timestampTypes: [], idlePartitions: [], offlinePartitions: [], underReplicatedPartitions: [], sampled: 0, schemaViolations: [], traceIds: [], findings, partitionDetails: [] };
  }

  const details: PartitionReport[] = seen.partitions.map((p) => ({
    partition: p.partition,
    leader: p.leader,
    messagesInWindow: Number(p.endAtEnd - p.endAtStart),
    ...(p.newest ? { newestOffset: p.newest.offset.toString(), newestTimestamp: new Date(p.newest.timestamp).toISOString(), newestAgeMs: Math.max(0, observedAt - p.newest.timestamp), timestampType: p.newest.timestampType } : {}),
    underReplicated: p.isr.length < p.replicas.length,
    offline: p.leader < 0,
  }));
  const messages = details.reduce((n, p) => n + p.messagesInWindow, 0);
  const ratePerMinute = windowMs > 0 ? round2((messages / windowMs) * 60_000) : 0;
  const ages = details.filter((p) => p.newestAgeMs !== undefined).map((p) => p.newestAgeMs!);
  const newestAgeMs = ages.length ? Math.min(...ages) : undefined;
  const newestDetail = details.find((p) => p.newestAgeMs === newestAgeMs);
  const offline = details.filter((p) => p.offline).map((p) => p.partition);
  const underReplicated = details.filter((p) => p.underReplicated && !p.offline).map((p) => p.partition);
  const idle = windowMs > 0 ? details.filter((p) => p.messagesInWindow === 0).map((p) => p.partition) : [];
  const ageText = newestAgeMs === undefined ? 'the topic has no records at all' : `newest record is ${formatDuration(newestAgeMs)} old (${newestDetail?.newestTimestamp}, partition ${newestDetail?.partition})`;

  if (rules.minPartitions !== undefined && details.length < rules.minPartitions) {
    findings.push({ level: 'error', code: 'too-few-partitions', message: `topic ${rules.name} has ${details.length} partition(s); at least ${rules.minPartitions} expected` });
  }
  if (offline.length > 0) {
    findings.push({ level: 'error', code: 'offline-partitions', message: `topic ${rules.name} has ${offline.length} partition(s) without a leader: ${offline.join(', ')}` });
  }
  if (underReplicated.length > 0) {
    findings.push({ level: 'warning', code: 'under-replicated', message: `topic ${rules.name} has ${underReplicated.length} under-replicated partition(s): ${underReplicated.join(', ')}` });
  }

  const fresh = rules.maxAgeMs === undefined ? undefined : newestAgeMs !== undefined && newestAgeMs <= rules.maxAgeMs;
  if (rules.maxAgeMs !== undefined && !fresh) {
    findings.push({ level: 'error', code: 'stale', message: `topic ${rules.name} went quiet: ${ageText}; max-age is ${formatDuration(rules.maxAgeMs)}` });
  }
  if (windowMs > 0 && messages < rules.minMessages) {
    // A rarely written topic passes while its newest record is recent enough.
    if (!(rules.allowIdle && fresh === true)) {
      const idleHint = rules.allowIdle ? ' (allow-idle needs max-age to be met)' : '';
      findings.push({ level: 'error', code: 'no-traffic', message: `topic ${rules.name} received ${messages} message(s) in the ${formatDuration(windowMs)} window; at least ${rules.minMessages} expected; ${ageText}${idleHint}` });
    }
  }
  // Some partitions idle while the topic is busy points at key skew or a stuck producer path.
  if (messages > 0 && idle.length > 0 && messages >= 3 * details.length) {
    findings.push({ level: 'warning', code: 'idle-partitions', message: `topic ${rules.name} had traffic (${messages} messages) but ${idle.length} of ${details.length} partition(s) received none: ${idle.join(', ')}` });
  }

  const schemaViolations: SchemaViolation[] = [];
  const traceIds: string[] = [];
  for (const s of [...seen.samples].sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset))) {
    if (s.traceId && !traceIds.includes(s.traceId) && traceIds.length < maxTraceIds) traceIds.push(s.traceId);
    if (!validate) continue;
    let decoded: unknown;
    try {
      decoded = s.value === null ? null : JSON.parse(s.value.toString('utf8'));
    } catch {
      schemaViolations.push({ partition: s.partition, offset: s.offset.toString(), pointer: '', message: 'value is not valid JSON' });
      continue;
    }
    for (const v of validate(decoded)) schemaViolations.push({ partition: s.partition, offset: s.offset.toString(), pointer: v.pointer, message: v.message });
  }
  if (schemaViolations.length > 0) {
    const first = schemaViolations[0]!;
    findings.push({ level: 'error', code: 'schema-violation', message: `topic ${rules.name}: ${schemaViolations.length} schema violation(s) in sampled messages; first at partition ${first.partition} offset ${first.offset}${first.pointer ? ` ${first.pointer}` : ''}: ${first.message}` });
  }

  const status = findings.some((f) => f.level === 'error') ? 'error' : findings.length > 0 ? 'warning' : 'ok';
  return {
    ...base,
    status,
    exists: true,
    partitions: details.length,
    messagesInWindow: messages,
    ratePerMinute,
    ...(newestAgeMs !== undefined ? { newestAgeMs, newestTimestamp: newestDetail?.newestTimestamp } : {}),
    timestampTypes: [...new Set(details.map((p) => p.timestampType).filter((t): t is 'CreateTime' | 'LogAppendTime' => !!t))],
    idlePartitions: idle,
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
 * Classifies each partition of a group in the spirit of Burrow's rules, from the committed offsets
 * at the start and end of the window. A partition with no committed offset is UNCOMMITTED, never lag 0.
 */
export function classifyPartition(p: { committedAtStart?: bigint; committedAtEnd?: bigint; endAtStart: bigint; endAtEnd: bigint }, members: number, windowMs: number): GroupPartitionStatus {
  if (p.committedAtEnd === undefined) return 'UNCOMMITTED';
  if (p.committedAtStart !== undefined && p.committedAtEnd < p.committedAtStart) return 'REWIND';
  const lagEnd = p.endAtEnd - p.committedAtEnd;
  if (lagEnd <= 0n || windowMs <= 0 || p.committedAtStart === undefined) return 'OK';
  if (p.committedAtEnd === p.committedAtStart) return members > 0 ? 'STALLED' : 'STOPPED';
  const lagStart = p.endAtStart - p.committedAtStart;
  // Two snapshots of a consumer that keeps up but commits every few hundred milliseconds show lag
  // going up and down by up to (rate × commit interval): growth alone is noise. It is falling behind
  // when its lag grew and, after the whole window, it has still not committed what the log already
  // held when the window opened.
  return lagEnd > lagStart && p.committedAtEnd < p.endAtStart ? 'WARN' : 'OK';
}

export function evaluateGroup(rules: GroupRules, seen: GroupObservation, observedAt: number, windowMs: number): GroupReport {
  const findings: Finding[] = [];
  const base = { name: rules.name, owner: rules.owner, runbook: rules.runbook, state: seen.state, members: seen.members };
  const committedAny = seen.partitions.some((p) => p.committedAtEnd !== undefined || p.committedAtStart !== undefined);
  if (!committedAny && seen.members === 0) {
    const what = seen.state === 'Dead' || seen.state === '' ? 'does not exist (no members and no committed offsets)' : `has no members and no committed offsets on the checked topics (state ${seen.state})`;
    findings.push({ level: 'error', code: 'group-unknown', message: `consumer group ${rules.name} ${what}` });
    return { ...base, status: 'UNKNOWN', level: 'error', totalLag: 0, maxTimeLagMs: 0, uncommittedPartitions: seen.partitions.length, findings, partitions: [] };
  }

  const partitions: GroupPartitionReport[] = seen.partitions.map((p) => {
    const status = classifyPartition(p, seen.members, windowMs);
    const lag = p.committedAtEnd === undefined ? undefined : Number(p.endAtEnd > p.committedAtEnd ? p.endAtEnd - p.committedAtEnd : 0n);
    const timeLagMs = lag === undefined ? undefined : lag === 0 ? 0 : p.committedRecordTimestamp !== undefined ? Math.max(0, observedAt - p.committedRecordTimestamp) : undefined;
    return {
      topic: p.topic,
      partition: p.partition,
      ...(p.committedAtEnd !== undefined ? { committed: p.committedAtEnd.toString() } : {}),
      ...(p.committedAtStart !== undefined ? { committedAtStart: p.committedAtStart.toString() } : {}),
      endOffset: p.endAtEnd.toString(),
      ...(lag !== undefined ? { lag } : {}),
      ...(timeLagMs !== undefined ? { timeLagMs } : {}),
      status,
    };
  });
  const totalLag = partitions.reduce((n, p) => n + (p.lag ?? 0), 0);
  const maxTimeLagMs = partitions.reduce((m, p) => Math.max(m, p.timeLagMs ?? 0), 0);
  const uncommitted = partitions.filter((p) => p.status === 'UNCOMMITTED');
  const worst = partitions.reduce<GroupStatus>((w, p) => (GROUP_SEVERITY[p.status] > GROUP_SEVERITY[w] ? p.status : w), 'OK');
  const list = (status: GroupPartitionStatus) => partitions.filter((p) => p.status === status).map((p) => `${p.topic}/${p.partition}`);

  if (list('REWIND').length) findings.push({ level: 'error', code: 'group-rewind', message: `consumer group ${rules.name}: committed offset went backwards on ${list('REWIND').join(', ')}` });
  if (list('STALLED').length) findings.push({ level: 'error', code: 'group-stalled', message: `consumer group ${rules.name} is STALLED: ${seen.members} member(s) connected but the committed offset did not move in ${formatDuration(windowMs)} while lag is ${totalLag} on ${list('STALLED').join(', ')}` });
  if (list('STOPPED').length) findings.push({ level: 'error', code: 'group-stopped', message: `consumer group ${rules.name} is STOPPED: no members and no commits in ${formatDuration(windowMs)} while lag is ${totalLag} on ${list('STOPPED').join(', ')}` });
  if (list('WARN').length) findings.push({ level: 'warning', code: 'group-lag-growing', message: `consumer group ${rules.name}: lag grew during the window on ${list('WARN').join(', ')} and it has not yet consumed what was there when the window opened, although it commits` });
  if (uncommitted.length) findings.push({ level: 'warning', code: 'group-uncommitted', message: `consumer group ${rules.name} has no committed offset on ${uncommitted.length} partition(s): ${list('UNCOMMITTED').slice(0, 10).join(', ')}${uncommitted.length > 10 ? ', …' : ''}` });
  if (rules.maxLag !== undefined && totalLag > rules.maxLag) findings.push({ level: 'error', code: 'group-max-lag', message: `consumer group ${rules.name} lags ${totalLag} message(s); max-lag is ${rules.maxLag}` });
  if (rules.maxLagSeconds !== undefined && maxTimeLagMs > rules.maxLagSeconds * 1000) findings.push({ level: 'error', code: 'group-max-lag-seconds', message: `consumer group ${rules.name} is ${formatDuration(maxTimeLagMs)} behind; max-lag-seconds is ${rules.maxLagSeconds}` });

  const level = findings.some((f) => f.level === 'error') ? 'error' : findings.length > 0 ? 'warning' : 'ok';
  return { ...base, status: worst, level, totalLag, maxTimeLagMs, uncommittedPartitions: uncommitted.length, findings, partitions };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
