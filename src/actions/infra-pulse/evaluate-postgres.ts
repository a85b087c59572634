import { formatDuration } from '../../lib/duration.js';
import { formatBytes } from '../../lib/evidence/sizes.js';
import { describeTarget, type PostgresProbe } from '../../lib/postgres/probe.js';
import type { PostgresPlan } from './inputs.js';
import { withoutObservation, worst, type CheckResult, type Finding, type Outcome } from './model.js';

const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;
const MONITOR_HINT = 'grant the role pg_monitor to see it';

/**
 * One PostgreSQL server: connect and `SELECT 1` latency, its role (pg_is_in_recovery) against the
 * expected one, replication (pg_stat_replication on a primary; the WAL receiver and replay lag on a
 * standby), connections against max_connections, and the oldest open transaction. Unreachable or a
 * refused login: FAIL. What the role may not see is UNKNOWN, never OK. Pure.
 */
export function evaluatePostgres(plan: PostgresPlan, outcome: Outcome<PostgresProbe>): CheckResult {
  const thresholds: Record<string, string> = {
    latency: `WARN > ${formatDuration(plan.maxLatencyMs)}`,
    role: plan.role ? `FAIL unless ${plan.role}` : 'not checked',
    replication: `WARN when replay lags > ${formatDuration(plan.maxReplayLagMs)} or > ${formatBytes(plan.maxReplayLagBytes)}${plan.minStandbys !== undefined ? `, or fewer than ${plan.minStandbys} standby(s) stream` : ''}; FAIL when a standby has no WAL receiver`,
    connections: `WARN ≥ ${pct(plan.warnRatio)}, FAIL ≥ ${pct(plan.failRatio)} of max_connections`,
    transactions: `WARN > ${formatDuration(plan.maxTransactionAgeMs)}, FAIL > ${formatDuration(plan.failTransactionAgeMs)}`,
  };
  const base = {
    id: `postgres:${plan.name}`,
    kind: 'postgres' as const,
    name: plan.name,
    target: describeTarget(plan.target),
    required: plan.required,
    owner: plan.owner,
    runbooks: plan.runbooks,
    thresholds,
    durationMs: outcome.durationMs,
  };
  if (!outcome.ok) return withoutObservation(base, outcome, outcome.kind === 'auth' ? 'login' : 'reachable');
  const p = outcome.value;
  const findings: Finding[] = [];
  const role = p.inRecovery ? 'standby' : 'primary';
  if (p.selectMs > plan.maxLatencyMs)
    findings.push({
      status: 'WARN',
      aspect: 'latency',
      message: `SELECT 1 took ${formatDuration(p.selectMs)}`,
      threshold: thresholds.latency!,
    });
  if (plan.role && role !== plan.role)
    findings.push({
      status: 'FAIL',
      aspect: 'role',
      message:
        role === 'primary'
          ? 'expected a standby, but it is a primary (not in recovery): it was promoted, or the addresses are swapped'
          : 'expected a primary, but it is in recovery (a standby): writes sent here fail',
      threshold: thresholds.role!,
    });

  let lagBytes: number | null = null;
  let lagSeconds: number | null = null;
  if (p.standbys) {
    const streaming = p.standbys.filter((s) => s.state === 'streaming');
    const hidden = p.standbys.filter((s) => s.state === null);
    if (plan.minStandbys !== undefined && streaming.length + hidden.length < plan.minStandbys)
      findings.push({
        status: 'WARN',
        aspect: 'replication',
        message: `${streaming.length} of ${plan.minStandbys} expected standby(s) streaming${
          p.standbys.length > streaming.length
            ? ` (${p.standbys
                .filter((s) => s.state && s.state !== 'streaming')
                .map((s) => `${s.applicationName ?? s.pid}: ${s.state}`)
                .join(', ')})`
            : ''
        }: a standby is down or cannot reach this primary`,
        threshold: thresholds.replication!,
      });
    if (hidden.length)
      findings.push({
        status: 'UNKNOWN',
        aspect: 'replication',
        message: `${hidden.length} replication connection(s) whose state this role may not read: ${MONITOR_HINT}`,
      });
    for (const s of streaming) {
      const name = s.applicationName || s.clientAddr || String(s.pid);
      if (s.replayLagBytes !== null) lagBytes = Math.max(lagBytes ?? 0, s.replayLagBytes);
      if (s.replayLagSeconds !== null) lagSeconds = Math.max(lagSeconds ?? 0, s.replayLagSeconds);
      const slow: string[] = [];
      if (s.replayLagBytes !== null && s.replayLagBytes > plan.maxReplayLagBytes)
        slow.push(formatBytes(s.replayLagBytes));
      if (s.replayLagSeconds !== null && s.replayLagSeconds * 1000 > plan.maxReplayLagMs)
        slow.push(formatDuration(s.replayLagSeconds * 1000));
      if (slow.length)
        findings.push({
          status: 'WARN',
          aspect: 'replication',
          message: `standby ${name} replays ${slow.join(' / ')} behind`,
          threshold: thresholds.replication!,
        });
    }
  }
  if (p.standby) {
    const s = p.standby;
    lagBytes = s.replayLagBytes;
    lagSeconds = s.replayLagSeconds;
    if (!s.receiver)
      findings.push({
        status: 'FAIL',
        aspect: 'replication',
        message:
          'no WAL receiver runs: this standby is not streaming from its primary (the primary is down, or unreachable from here); its data grows stale',
        threshold: thresholds.replication!,
      });
    else if (s.receiver.status === null)
      findings.push({
        status: 'UNKNOWN',
        aspect: 'replication',
        message: `the WAL receiver's state is hidden from this role: ${MONITOR_HINT}`,
      });
    else if (s.receiver.status !== 'streaming')
      findings.push({
        status: 'WARN',
        aspect: 'replication',
        message: `the WAL receiver is ${s.receiver.status}, not streaming`,
        threshold: thresholds.replication!,
      });
    const slow: string[] = [];
    if (s.replayLagBytes !== null && s.replayLagBytes > plan.maxReplayLagBytes)
      slow.push(formatBytes(s.replayLagBytes));
    if (s.replayLagSeconds !== null && s.replayLagSeconds * 1000 > plan.maxReplayLagMs)
      slow.push(formatDuration(s.replayLagSeconds * 1000));
    if (slow.length)
      findings.push({
        status: 'WARN',
        aspect: 'replication',
        message: `replay is ${slow.join(' / ')} behind what was received`,
        threshold: thresholds.replication!,
      });
  }

  const usable = p.maxConnections - p.reservedConnections;
  const ratio = usable > 0 ? p.connections / usable : 1;
  if (ratio >= plan.warnRatio)
    findings.push({
      status: ratio >= plan.failRatio ? 'FAIL' : 'WARN',
      aspect: 'connections',
      message: `${p.connections} client connections of ${usable} available (max_connections ${p.maxConnections} less ${p.reservedConnections} reserved, ${pct(ratio)})`,
      threshold: thresholds.connections!,
    });

  const oldest = p.oldestTransaction;
  if (oldest && oldest.seconds * 1000 > plan.maxTransactionAgeMs)
    findings.push({
      status: oldest.seconds * 1000 > plan.failTransactionAgeMs ? 'FAIL' : 'WARN',
      aspect: 'transactions',
      message: `a transaction has been open for ${formatDuration(oldest.seconds * 1000)} (pid ${oldest.pid}${oldest.application ? `, ${oldest.application}` : ''}${oldest.state ? `, ${oldest.state}` : ''}): it holds back vacuum and may hold locks`,
      threshold: thresholds.transactions!,
    });
  if (p.hiddenSessions > 0)
    findings.push({
      status: 'UNKNOWN',
      aspect: 'transactions',
      message: `${p.hiddenSessions} other session(s) are hidden from this role, so their transactions are not checked: ${MONITOR_HINT}`,
    });

  const status = worst(findings.map((f) => f.status));
  return {
    ...base,
    status,
    summary: [
      role,
      p.standbys
        ? `${p.standbys.filter((s) => s.state === 'streaming').length} standby(s) streaming`
        : undefined,
      p.standby ? `WAL receiver ${p.standby.receiver?.status ?? 'none'}` : undefined,
      lagBytes !== null || lagSeconds !== null
        ? `replay lag ${lagBytes !== null ? formatBytes(lagBytes) : '?'} / ${lagSeconds !== null ? formatDuration(lagSeconds * 1000) : '?'}`
        : undefined,
      `SELECT 1 ${formatDuration(p.selectMs)}`,
      `connections ${p.connections}/${p.maxConnections}`,
      oldest ? `oldest transaction ${formatDuration(oldest.seconds * 1000)}` : 'no open transaction',
    ]
      .filter(Boolean)
      .join(', '),
    findings:
      findings.length > 0
        ? findings
        : [
            {
              status: 'OK',
              aspect: 'reachable',
              message: `answers as ${role}; replication, connections and transactions within thresholds`,
            },
          ],
    metrics: {
      reachable: true,
      version: p.serverVersion,
      role,
      connectMs: round(p.connectMs),
      selectMs: round(p.selectMs),
      streamingStandbys: p.standbys ? p.standbys.filter((s) => s.state === 'streaming').length : null,
      walReceiver: p.standby ? (p.standby.receiver?.status ?? 'none') : null,
      replayLagBytes: lagBytes,
      replayLagSeconds: lagSeconds === null ? null : round(lagSeconds),
      connections: p.connections,
      maxConnections: p.maxConnections,
      oldestTransactionSeconds: oldest ? round(oldest.seconds) : null,
    },
  };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
