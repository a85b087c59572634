import { AlertmanagerClient } from '../../lib/alertmanager/client.js';
import { DeadlineError, withDeadline } from '../../lib/deadline.js';
import { ConfigurationError } from '../../lib/errors.js';
import { KafkaInspector } from '../../lib/kafka/inspector.js';
import { UnreachableError } from '../../lib/net/get-json.js';
import { PostgresProbeError, probePostgres } from '../../lib/postgres/probe.js';
import { prometheusAlerts, scrapeTargets } from '../../lib/prometheus/status.js';
import { probeRedis, RedisProbeError } from '../../lib/redis/probe.js';
import {
  evaluateAlerts,
  evaluateTargets,
  type AlertsEvaluation,
  type AlertsObservation,
} from './evaluate-alerts.js';
import { evaluateKafka, type KafkaObservation } from './evaluate-kafka.js';
import { evaluatePostgres } from './evaluate-postgres.js';
import { evaluateRedis } from './evaluate-redis.js';
import type { AlertsPlan, KafkaPlan, PulsePlan } from './inputs.js';
import type { CheckResult, FailureKind, Outcome, TargetView } from './model.js';
import { buildReport } from './report.js';

/**
 * Runs every check of the plan at once, each inside its own timeout and all inside the overall
 * deadline, and evaluates what came back. A check that does not answer in time is ended (its
 * sockets closed) and reported; nothing waits past the deadline.
 */
export async function runPulse(plan: PulsePlan, opts: { log: (line: string) => void; now?: () => Date }) {
  const now = opts.now ?? (() => new Date());
  const started = performance.now();
  const overall = AbortSignal.timeout(plan.timeoutMs);
  const run = <T>(work: (signal: AbortSignal) => Promise<T>) => outcomeOf(plan.checkTimeoutMs, overall, work);
  const done = (c: CheckResult) => {
    opts.log(`${c.status.padEnd(7)} ${c.id} (${Math.round(c.durationMs)} ms): ${c.summary}`);
    return c;
  };

  const kafka = plan.kafka
    ? run((signal) => observeKafka(plan.kafka!, signal)).then((o) => done(evaluateKafka(plan.kafka!, o)))
    : undefined;
  const redis = plan.redis.map((r) =>
    run((signal) =>
      probeRedis(
        {
          host: r.host,
          port: r.port,
          ...(r.username ? { username: r.username } : {}),
          ...(r.password ? { password: r.password } : {}),
          ...(r.tls ? { tls: r.tls } : {}),
          connectTimeoutMs: plan.checkTimeoutMs,
        },
        signal,
      ),
    ).then((o) => done(evaluateRedis(r, o))),
  );
  const postgres = plan.postgres.map((p) =>
    run((signal) => probePostgres({ ...p.target, connectTimeoutMs: plan.checkTimeoutMs }, signal)).then((o) =>
      done(evaluatePostgres(p, o)),
    ),
  );
  const alerts: Promise<AlertsEvaluation> | undefined = plan.alerts
    ? run((signal) => observeAlerts(plan.alerts!, signal)).then((o) => {
        const e = evaluateAlerts(plan.alerts!, o, now());
        done(e.check);
        return e;
      })
    : undefined;
  const targets: Promise<{ check: CheckResult; down: TargetView[] }> | undefined = plan.targets
    ? run((signal) => scrapeTargets(plan.targets!.http, signal)).then((o) => {
        const e = evaluateTargets(plan.targets!, o);
        done(e.check);
        return e;
      })
    : undefined;

  const [k, rs, ps, a, t] = await Promise.all([
    kafka,
    Promise.all(redis),
    Promise.all(postgres),
    alerts,
    targets,
  ]);
  const wallMs = performance.now() - started;
  return buildReport({
    plan,
    checks: [...(k ? [k] : []), ...rs, ...ps, ...(a ? [a.check] : []), ...(t ? [t.check] : [])],
    ...(a ? { alerts: a } : {}),
    targetsDown: t?.down ?? [],
    wallMs,
    checkedAt: now(),
  });
}

/** Runs one check's I/O under its deadlines and turns whatever happens into an Outcome. Never throws. */
async function outcomeOf<T>(
  ms: number,
  overall: AbortSignal,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<Outcome<T>> {
  const started = performance.now();
  try {
    const value = await withDeadline(ms, overall, work);
    return { ok: true, value, durationMs: performance.now() - started };
  } catch (err) {
    const { kind, message } = classify(err);
    return { ok: false, error: message, kind, durationMs: performance.now() - started };
  }
}

function classify(err: unknown): { kind: FailureKind; message: string } {
  if (err instanceof DeadlineError) return { kind: 'timeout', message: err.message };
  if (err instanceof RedisProbeError || err instanceof PostgresProbeError)
    return { kind: err.kind, message: err.message };
  if (err instanceof UnreachableError) return { kind: 'unreachable', message: err.message };
  // kafka: refused credentials are the user's to fix; anything else is the cluster or the network.
  if (err instanceof ConfigurationError) return { kind: 'auth', message: err.message };
  return { kind: 'unreachable', message: err instanceof Error ? err.message : String(err) };
}

/** The cluster's metadata and whether each broker answers, through the same client kafka-topic-check uses. */
async function observeKafka(plan: KafkaPlan, signal: AbortSignal): Promise<KafkaObservation> {
  const inspector = new KafkaInspector(plan.connection);
  const close = () => void inspector.close();
  signal.addEventListener('abort', close, { once: true });
  try {
    await inspector.connect();
    const cluster = await inspector.describeCluster();
    const answering = await inspector.brokersAnswering(cluster.brokers.map((b) => b.nodeId));
    return {
      cluster,
      answering: cluster.brokers.map((b) => ({
        nodeId: b.nodeId,
        ...(answering.get(b.nodeId) ?? { ok: false }),
      })),
    };
  } finally {
    signal.removeEventListener('abort', close);
    await inspector.close();
  }
}

async function observeAlerts(plan: AlertsPlan, signal: AbortSignal): Promise<AlertsObservation> {
  if (plan.source === 'prometheus')
    return { alerts: await prometheusAlerts(plan.http, signal), silences: [] };
  const am = new AlertmanagerClient(plan.http);
  const [alerts, silences] = await Promise.all([am.alerts(signal), am.silences(signal)]);
  return { alerts, silences };
}
