import { formatDuration } from '../../lib/duration.js';
import type { ClusterMetadata } from '../../lib/kafka/inspector.js';
import type { KafkaPlan } from './inputs.js';
import { withoutObservation, worst, type CheckResult, type Finding, type Outcome } from './model.js';

export interface KafkaObservation {
  cluster: ClusterMetadata;
  /** Each listed broker, and whether it answered on its own address. */
  answering: { nodeId: number; ok: boolean; error?: string }[];
}

const SHOWN = 5;

/**
 * The Kafka check: brokers answer (and as many as expected), a controller is named, no partition is
 * offline (leader -1: FAIL) or under-replicated (ISR smaller than the replicas: WARN), and the
 * metadata round trip is within its threshold. A cluster that cannot be reached is a FAIL. Pure.
 */
export function evaluateKafka(plan: KafkaPlan, outcome: Outcome<KafkaObservation>): CheckResult {
  const thresholds: Record<string, string> = {
    brokers:
      plan.expectedBrokers !== undefined
        ? `FAIL < ${plan.expectedBrokers} answering`
        : 'FAIL when a listed broker does not answer',
    controller: 'FAIL when none is named',
    partitions: 'WARN when under-replicated (ISR < replicas), FAIL when offline (leader -1)',
    metadata: `WARN > ${formatDuration(plan.maxMetadataRttMs)}`,
  };
  const base = {
    id: 'kafka',
    kind: 'kafka' as const,
    name: 'kafka',
    target: plan.connection.brokers.join(','),
    required: plan.required,
    owner: plan.owner,
    runbooks: plan.runbooks,
    thresholds,
    durationMs: outcome.durationMs,
  };
  if (!outcome.ok) return withoutObservation(base, outcome, 'reachable');
  const { cluster, answering } = outcome.value;
  const findings: Finding[] = [];
  const up = answering.filter((b) => b.ok);
  const down = answering.filter((b) => !b.ok);
  const byId = new Map(cluster.brokers.map((b) => [b.nodeId, b]));
  const named = (id: number) => {
    const b = byId.get(id);
    return b ? `broker ${id} (${b.host}:${b.port})` : `broker ${id}`;
  };
  for (const b of down)
    findings.push({
      status: 'FAIL',
      aspect: 'brokers',
      message: `${named(b.nodeId)} is listed but does not answer: ${b.error ?? 'no answer'}`,
    });
  if (plan.expectedBrokers !== undefined) {
    if (up.length < plan.expectedBrokers)
      findings.push({
        status: 'FAIL',
        aspect: 'brokers',
        message: `${up.length} of ${plan.expectedBrokers} expected brokers answer`,
        threshold: thresholds.brokers!,
      });
    else if (cluster.brokers.length > plan.expectedBrokers)
      findings.push({
        status: 'WARN',
        aspect: 'brokers',
        message: `${cluster.brokers.length} brokers are listed, ${plan.expectedBrokers} expected: update expected-brokers if the cluster grew`,
      });
  }
  if (cluster.controllerId < 0)
    findings.push({
      status: 'FAIL',
      aspect: 'controller',
      message:
        'the cluster names no controller (the KRaft quorum or ZooKeeper session is lost): metadata changes cannot be made',
      threshold: thresholds.controller!,
    });
  const partitions = cluster.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, ...p })));
  const offline = partitions.filter((p) => p.leader < 0);
  const under = partitions.filter((p) => p.leader >= 0 && p.isr.length < p.replicas.length);
  const list = (ps: typeof partitions) =>
    `${ps
      .slice(0, SHOWN)
      .map((p) => `${p.topic}-${p.partition}`)
      .join(', ')}${ps.length > SHOWN ? ` and ${ps.length - SHOWN} more` : ''}`;
  if (offline.length)
    findings.push({
      status: 'FAIL',
      aspect: 'partitions',
      message: `${offline.length} partition(s) offline, without a leader: ${list(offline)}`,
      threshold: thresholds.partitions!,
    });
  if (under.length)
    findings.push({
      status: 'WARN',
      aspect: 'partitions',
      message: `${under.length} partition(s) under-replicated (fewer in-sync replicas than replicas): ${list(under)}`,
      threshold: thresholds.partitions!,
    });
  const rtt = cluster.roundTripMs;
  if (rtt > plan.maxMetadataRttMs)
    findings.push({
      status: 'WARN',
      aspect: 'metadata',
      message: `metadata round trip ${formatDuration(rtt)}, over ${formatDuration(plan.maxMetadataRttMs)}`,
      threshold: thresholds.metadata!,
    });
  const status = worst(findings.map((f) => f.status));
  return {
    ...base,
    status,
    summary: `${up.length} broker(s) answer${plan.expectedBrokers !== undefined ? ` of ${plan.expectedBrokers} expected` : ''}, controller ${cluster.controllerId < 0 ? 'none' : cluster.controllerId}, ${partitions.length} partition(s): ${under.length} under-replicated, ${offline.length} offline; metadata ${formatDuration(rtt)}`,
    findings:
      findings.length > 0
        ? findings
        : [
            {
              status: 'OK',
              aspect: 'brokers',
              message: `${up.length} broker(s) answer, every partition has a leader and a full ISR`,
            },
          ],
    metrics: {
      reachable: true,
      ...(cluster.clusterId ? { clusterId: cluster.clusterId } : {}),
      brokersListed: cluster.brokers.length,
      brokersAnswering: up.length,
      controllerId: cluster.controllerId,
      topics: cluster.topics.length,
      partitions: partitions.length,
      underReplicated: under.length,
      offline: offline.length,
      metadataRoundTripMs: Math.round(rtt * 10) / 10,
    },
  };
}
