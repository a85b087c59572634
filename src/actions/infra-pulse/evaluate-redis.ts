import { formatDuration } from '../../lib/duration.js';
import { formatBytes } from '../../lib/evidence/sizes.js';
import { infoNumber, replicasOf, type RedisInfo } from '../../lib/redis/info.js';
import type { RedisPlan } from './inputs.js';
import { withoutObservation, worst, type CheckResult, type Finding, type Outcome } from './model.js';

export interface RedisObservation {
  connectMs: number;
  pingMs: number;
  info: RedisInfo;
}

const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;

/**
 * One Redis server: PING latency, its role against the expected one, replication (each replica's
 * state and lag on a primary; the link to the primary on a replica), persistence, memory against
 * maxmemory, evicted keys, clients against maxclients. Unreachable or refused: FAIL. Pure.
 */
export function evaluateRedis(plan: RedisPlan, outcome: Outcome<RedisObservation>): CheckResult {
  const thresholds: Record<string, string> = {
    latency: `WARN > ${formatDuration(plan.maxLatencyMs)}`,
    role: plan.role ? `FAIL unless ${plan.role}` : 'not checked',
    replication: `WARN when a replica lags > ${formatDuration(plan.maxReplicaLagMs)} or is not online${plan.minReplicas !== undefined ? `, or fewer than ${plan.minReplicas} are connected` : ''}; FAIL when a replica's link to its primary is down`,
    persistence: 'FAIL when the last RDB save or AOF write failed',
    memory: `WARN ≥ ${pct(plan.warnRatio)}, FAIL ≥ ${pct(plan.failRatio)} of maxmemory`,
    evictions: `WARN > ${plan.maxEvictedKeys} evicted keys`,
    clients: `WARN ≥ ${pct(plan.warnRatio)}, FAIL ≥ ${pct(plan.failRatio)} of maxclients`,
  };
  const base = {
    id: `redis:${plan.name}`,
    kind: 'redis' as const,
    name: plan.name,
    target: `${plan.host}:${plan.port}`,
    required: plan.required,
    owner: plan.owner,
    runbooks: plan.runbooks,
    thresholds,
    durationMs: outcome.durationMs,
  };
  if (!outcome.ok) return withoutObservation(base, outcome, 'reachable');
  const { info, pingMs } = outcome.value;
  const findings: Finding[] = [];
  const n = (section: string, key: string) => infoNumber(info, section, key);
  const repl = info.replication ?? {};
  const role =
    repl.role === 'master' ? 'primary' : repl.role === 'slave' ? 'replica' : (repl.role ?? 'unknown');

  if (pingMs > plan.maxLatencyMs)
    findings.push({
      status: 'WARN',
      aspect: 'latency',
      message: `PING took ${formatDuration(pingMs)}`,
      threshold: thresholds.latency!,
    });

  if (plan.role && role !== plan.role)
    findings.push({
      status: 'FAIL',
      aspect: 'role',
      message:
        role === 'replica'
          ? `expected a primary, but it is a replica of ${repl.master_host}:${repl.master_port}: a failover happened or the addresses are swapped; writes sent here fail`
          : `expected a ${plan.role}, but it is a ${role}`,
      threshold: thresholds.role!,
    });

  const replicas = replicasOf(repl);
  const primaryOffset = n('replication', 'master_repl_offset');
  let maxLagSeconds: number | undefined;
  if (role === 'primary') {
    const connected = n('replication', 'connected_slaves') ?? replicas.length;
    if (plan.minReplicas !== undefined && connected < plan.minReplicas)
      findings.push({
        status: 'WARN',
        aspect: 'replication',
        message: `${connected} of ${plan.minReplicas} expected replica(s) connected: a replica is down or cannot reach this primary`,
        threshold: thresholds.replication!,
      });
    for (const r of replicas) {
      maxLagSeconds = Math.max(maxLagSeconds ?? 0, r.lagSeconds);
      const behind =
        primaryOffset !== undefined && Number.isFinite(r.offset) ? primaryOffset - r.offset : undefined;
      if (r.state !== 'online')
        findings.push({
          status: 'WARN',
          aspect: 'replication',
          message: `replica ${r.address} is ${r.state}, not online`,
          threshold: thresholds.replication!,
        });
      else if (r.lagSeconds * 1000 > plan.maxReplicaLagMs)
        findings.push({
          status: 'WARN',
          aspect: 'replication',
          message: `replica ${r.address} last acknowledged ${r.lagSeconds}s ago${behind !== undefined ? ` (${formatBytes(Math.max(0, behind))} behind)` : ''}`,
          threshold: thresholds.replication!,
        });
    }
  } else if (role === 'replica') {
    const link = repl.master_link_status;
    if (link !== 'up') {
      const since = n('replication', 'master_link_down_since_seconds');
      findings.push({
        status: 'FAIL',
        aspect: 'replication',
        message: `the link to its primary ${repl.master_host}:${repl.master_port} is ${link ?? 'unknown'}${since !== undefined && since >= 0 ? ` (for ${formatDuration(since * 1000)})` : ''}: reads here are stale`,
        threshold: thresholds.replication!,
      });
    } else {
      const io = n('replication', 'master_last_io_seconds_ago');
      if (io !== undefined) maxLagSeconds = io;
      if (io !== undefined && io * 1000 > plan.maxReplicaLagMs)
        findings.push({
          status: 'WARN',
          aspect: 'replication',
          message: `nothing heard from its primary for ${io}s`,
          threshold: thresholds.replication!,
        });
    }
    if (repl.master_sync_in_progress === '1')
      findings.push({
        status: 'WARN',
        aspect: 'replication',
        message: 'a full resynchronisation with its primary is in progress',
      });
  }

  const persistence = info.persistence ?? {};
  if (persistence.loading === '1')
    findings.push({ status: 'WARN', aspect: 'persistence', message: 'still loading its dataset from disk' });
  if (persistence.rdb_last_bgsave_status && persistence.rdb_last_bgsave_status !== 'ok')
    findings.push({
      status: 'FAIL',
      aspect: 'persistence',
      message: `the last RDB snapshot failed (rdb_last_bgsave_status:${persistence.rdb_last_bgsave_status}): a restart would lose the writes since the last good save`,
      threshold: thresholds.persistence!,
    });
  if (
    persistence.aof_enabled === '1' &&
    persistence.aof_last_write_status &&
    persistence.aof_last_write_status !== 'ok'
  )
    findings.push({
      status: 'FAIL',
      aspect: 'persistence',
      message: `the last AOF write failed (aof_last_write_status:${persistence.aof_last_write_status})`,
      threshold: thresholds.persistence!,
    });

  const used = n('memory', 'used_memory');
  const max = n('memory', 'maxmemory');
  const memoryRatio = used !== undefined && max ? used / max : undefined;
  if (memoryRatio !== undefined && memoryRatio >= plan.warnRatio)
    findings.push({
      status: memoryRatio >= plan.failRatio ? 'FAIL' : 'WARN',
      aspect: 'memory',
      message: `${formatBytes(used!)} used of ${formatBytes(max!)} maxmemory (${pct(memoryRatio)}, policy ${info.memory?.maxmemory_policy ?? 'unknown'})`,
      threshold: thresholds.memory!,
    });

  const evicted = n('stats', 'evicted_keys');
  if (evicted !== undefined && evicted > plan.maxEvictedKeys)
    findings.push({
      status: 'WARN',
      aspect: 'evictions',
      message: `${evicted} key(s) evicted since the server started (maxmemory-policy ${info.memory?.maxmemory_policy ?? 'unknown'}): data the applications wrote is gone`,
      threshold: thresholds.evictions!,
    });

  const clients = n('clients', 'connected_clients');
  const maxClients = n('clients', 'maxclients');
  const clientRatio = clients !== undefined && maxClients ? clients / maxClients : undefined;
  if (clientRatio !== undefined && clientRatio >= plan.warnRatio)
    findings.push({
      status: clientRatio >= plan.failRatio ? 'FAIL' : 'WARN',
      aspect: 'clients',
      message: `${clients} clients connected of maxclients ${maxClients} (${pct(clientRatio)})`,
      threshold: thresholds.clients!,
    });
  const rejected = n('stats', 'rejected_connections');
  if (rejected !== undefined && rejected > 0)
    findings.push({
      status: 'WARN',
      aspect: 'clients',
      message: `${rejected} connection(s) rejected since the server started (maxclients reached)`,
    });

  const status = worst(findings.map((f) => f.status));
  const replication =
    role === 'primary'
      ? `${replicas.length} replica(s)${maxLagSeconds !== undefined ? `, lag ≤ ${maxLagSeconds}s` : ''}`
      : role === 'replica'
        ? `link ${repl.master_link_status ?? 'unknown'} to ${repl.master_host}:${repl.master_port}`
        : '';
  return {
    ...base,
    status,
    summary: [
      `${role}${replication ? ` (${replication})` : ''}`,
      `PING ${formatDuration(pingMs)}`,
      used !== undefined
        ? `memory ${formatBytes(used)}${max ? ` of ${formatBytes(max)}` : ', no maxmemory'}`
        : undefined,
      clients !== undefined ? `clients ${clients}${maxClients ? `/${maxClients}` : ''}` : undefined,
      `RDB ${persistence.rdb_last_bgsave_status ?? '?'}${persistence.aof_enabled === '1' ? `, AOF ${persistence.aof_last_write_status ?? '?'}` : ''}`,
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
              message: `answers as ${role}; replication, persistence, memory and clients within thresholds`,
            },
          ],
    metrics: {
      reachable: true,
      version: info.server?.redis_version ?? null,
      role,
      connectMs: round(outcome.value.connectMs),
      pingMs: round(pingMs),
      connectedReplicas: role === 'primary' ? replicas.length : null,
      replicaLagSeconds: maxLagSeconds ?? null,
      masterLinkStatus: repl.master_link_status ?? null,
      rdbLastBgsaveStatus: persistence.rdb_last_bgsave_status ?? null,
      aofEnabled: persistence.aof_enabled === '1',
      aofLastWriteStatus: persistence.aof_last_write_status ?? null,
      usedMemory: used ?? null,
      maxMemory: max ?? null,
      evictedKeys: evicted ?? null,
      connectedClients: clients ?? null,
      maxClients: maxClients ?? null,
    },
  };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
