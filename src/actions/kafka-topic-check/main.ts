import {
  defaultResultPath,
  finishStep,
  group,
  log,
  maskSecret,
  readInputs,
  workspace,
} from '../../lib/action/index.js';
import { CheckFailedError } from '../../lib/errors.js';
import { KafkaUnavailableError } from '../../lib/kafka/errors.js';
import { formatDuration } from '../../lib/duration.js';
import { loadPayloadValidator } from '../../lib/message-schema.js';
import { evaluate, type MessageValidator } from './evaluate.js';
import { planCheck } from './inputs.js';
import { metadata } from './metadata.js';
import { observe } from './observe.js';
import { buildAnnotations, catchUpOf, inWindow, lagOf, renderSummary, trendOf } from './render.js';

export async function main(): Promise<void> {
  const startedAt = new Date();
  const inputs = readInputs(metadata.inputs);
  const plan = planCheck(inputs, workspace());
  for (const secret of plan.secrets) maskSecret(secret);
  const on = inputs.cluster ? ` (cluster ${inputs.cluster})` : '';
  if (plan.connection.sasl)
    log.info(
      `SASL ${plan.connection.sasl.mechanism} as ${plan.connection.sasl.username}${on}, from ${plan.credentialsFrom}`,
    );
  else if (inputs.clusterCredentials && !inputs.cluster)
    log.warning('cluster-credentials is set but cluster is not: it names no entry, so it is not used');
  const validators = new Map<string, MessageValidator>();
  for (const t of plan.topics) {
    if (t.schema)
      validators.set(
        t.name,
        loadPayloadValidator(
          { file: t.schema, topic: t.name, ...(t.message ? { message: t.message } : {}) },
          'topics',
        ),
      );
  }

  // One hard deadline for the whole step: the window plus every request must fit inside it.
  const deadline = AbortSignal.timeout(plan.timeoutMs);
  let phase = 'starting';
  const observation = await group(
    `Observing ${plan.topics.length} topic(s) and ${plan.groups.length} group(s) on ${plan.connection.brokers.join(', ')}`,
    () =>
      withDeadline(
        plan.timeoutMs,
        deadline,
        () => phase,
        () =>
          observe({
            connection: plan.connection,
            topics: plan.topics.map((t) => t.name),
            groups: plan.groups,
            windowMs: plan.windowMs,
            lookbackMs: plan.lookbackMs,
            sample: plan.sample,
            clockSkewToleranceMs: plan.clockSkewToleranceMs,
            signal: deadline,
            onPhase: (name) => {
              phase = name;
              log.info(`${new Date().toISOString()} ${name}`);
            },
          }),
      ),
  ).catch((err: unknown) => {
    if (err instanceof KafkaUnavailableError) return err;
    throw err;
  });
  if (observation instanceof KafkaUnavailableError) {
    // An outage, not a quiet topic: the result says so, so the day's archive can open an incident.
    const outage = { brokers: plan.connection.brokers, message: observation.message };
    await finishStep({
      action: 'kafka-topic-check',
      startedAt,
      resultPath: inputs.resultPath,
      status: 'failure',
      result: {
        ...(inputs.cluster ? { cluster: inputs.cluster } : {}),
        healthy: false,
        failOn: plan.failOn,
        outage,
        topics: [],
        groups: [],
      },
      outputs: {
        healthy: false,
        'topics-checked': 0,
        'topics-failed': 0,
        'groups-failed': 0,
        'schema-violations': 0,
        'report-path': inputs.resultPath ?? defaultResultPath('kafka-topic-check'),
      },
      summary: `## kafka-topic-check${on}: ❌ Kafka is unreachable\n\n${observation.message}\n\nNo topic or consumer group could be checked: this is an outage of the brokers (${outage.brokers.join(', ')}), not a quiet topic.\n`,
      fail: observation,
    });
    return;
  }

  const report = evaluate({
    topics: plan.topics,
    groups: plan.groups,
    observation,
    windowMs: plan.windowMs,
    lookbackMs: plan.lookbackMs,
    silenceThreshold: plan.silenceThreshold,
    failOn: plan.failOn,
    validators,
    clockSkewToleranceMs: plan.clockSkewToleranceMs,
  });
  for (const t of report.topics)
    log.info(
      `${t.status.padEnd(7)} ${t.name}: ${inWindow(t)} in window, newest committed record ${t.newestAgeMs === undefined ? 'n/a' : `${formatDuration(t.newestAgeMs)} old`}`,
    );
  for (const g of report.groups)
    log.info(
      `${g.status.padEnd(7)} group ${g.name}: lag ${lagOf(g)}${g.direction ? `, ${trendOf(g.direction)}, catch-up ${catchUpOf(g.direction)}` : ''}`,
    );

  const failing = [
    ...report.topics
      .filter((t) => t.status === 'error' || (plan.failOn === 'warning' && t.status === 'warning'))
      .map((t) => t.name),
    ...report.groups
      .filter((g) => g.level === 'error' || (plan.failOn === 'warning' && g.level === 'warning'))
      .map((g) => `group ${g.name}`),
  ];
  await finishStep({
    action: 'kafka-topic-check',
    startedAt,
    resultPath: inputs.resultPath,
    status: report.healthy ? 'success' : 'failure',
    result: inputs.cluster ? { cluster: inputs.cluster, ...report } : report,
    outputs: {
      healthy: report.healthy,
      'topics-checked': report.counts.topicsChecked,
      'topics-failed': report.counts.topicsFailed,
      'groups-failed': report.counts.groupsFailed,
      'schema-violations': report.counts.schemaViolations,
      // The JSON report is the result file (kept for the workflows that read `report-path`).
      'report-path': inputs.resultPath ?? defaultResultPath('kafka-topic-check'),
    },
    summary: (resultPath) => renderSummary(report, resultPath, inputs.cluster),
    annotations: buildAnnotations(report).filter(
      (a) => a.level === 'error' || plan.failOn === 'warning' || a.level === 'warning',
    ),
    ...(report.healthy
      ? {}
      : { fail: new CheckFailedError(`${failing.length} check(s) failed: ${failing.join(', ')}`) }),
  });
}

/** Ends the wait at the deadline; observe closes its sockets on the same signal, so the process ends too. */
async function withDeadline<T>(
  ms: number,
  signal: AbortSignal,
  phase: () => string,
  fn: () => Promise<T>,
): Promise<T> {
  let onAbort: (() => void) | undefined;
  const expired = new Promise<never>((_, reject) => {
    onAbort = () =>
      reject(
        new Error(
          `the check did not finish within its timeout of ${formatDuration(ms)} (still ${phase()}); raise 'timeout' or shorten 'window' if the brokers are slow, or check that they answer`,
        ),
      );
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([fn(), expired]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
