import { isAbsolute, resolve } from 'node:path';
import { ConfigurationError, InputError } from '../../lib/errors.js';
import { chooseCredentials, kafkaSecurity } from '../../lib/inputs/kafka-security.js';
import { parseDurationMs } from '../../lib/duration.js';
import type { InputValues } from '../../lib/inputs/spec.js';
import type { KafkaConnection } from '../../lib/kafka/inspector.js';
import type { GroupRules, TopicRules } from './evaluate.js';
import type { metadata } from './metadata.js';

export type Inputs = InputValues<typeof metadata.inputs>;

export interface CheckPlan {
  connection: KafkaConnection;
  /** Where the SASL credentials came from, for the log. */
  credentialsFrom: 'cluster-credentials' | 'username/password';
  /** Every password `cluster-credentials` holds: masked before anything can print one. */
  secrets: string[];
  topics: (TopicRules & { schema?: string; message?: string })[];
  groups: GroupRules[];
  windowMs: number;
  lookbackMs: number;
  /** Below this probability, a partition's silence in the window is reported. */
  silenceThreshold: number;
  sample: number;
  clockSkewToleranceMs: number;
  timeoutMs: number;
  failOn: 'error' | 'warning';
}

/** Turns validated inputs into the check's plan; cross-field rules live here. Pure but for reading a CA file (kafkaSecurity). */
export function planCheck(inputs: Inputs, workspace: string): CheckPlan {
  const brokers = inputs.brokers.split(/[\s,]+/).filter(Boolean);
  const credentials = chooseCredentials(inputs, inputs.cluster);
  const connection: KafkaConnection = {
    brokers,
    connectionTimeoutMs: Math.min(10_000, inputs.timeout),
    requestTimeoutMs: Math.min(30_000, inputs.timeout),
    ...kafkaSecurity(
      { ...inputs, username: credentials.username, password: credentials.password },
      workspace,
    ),
  };

  const names = new Set<string>();
  const topics = (inputs.topics ?? []).map((t, i) => {
    if (names.has(t.name))
      throw new ConfigurationError(`input 'topics' lists topic ${t.name} twice (entry ${i})`);
    names.add(t.name);
    const maxAgeMs = t['max-age'] === undefined ? undefined : parseDurationMs(t['max-age']);
    if (t['allow-idle'] && maxAgeMs === undefined)
      throw new ConfigurationError(
        `input 'topics' entry ${i} (${t.name}): allow-idle needs max-age, the age within which an idle topic still passes`,
      );
    if (t.message && !t.schema)
      throw new ConfigurationError(
        `input 'topics' entry ${i} (${t.name}): message needs schema (the AsyncAPI file it is in)`,
      );
    return {
      name: t.name,
      minMessages: t['min-messages'] ?? 1,
      allowIdle: t['allow-idle'] ?? false,
      ...(maxAgeMs !== undefined ? { maxAgeMs } : {}),
      ...(t['min-partitions'] !== undefined ? { minPartitions: t['min-partitions'] } : {}),
      ...(t.owner ? { owner: t.owner } : {}),
      ...(t.runbook ? { runbook: t.runbook } : {}),
      ...(t.schema ? { schema: isAbsolute(t.schema) ? t.schema : resolve(workspace, t.schema) } : {}),
      ...(t.message ? { message: t.message } : {}),
    };
  });
  const groups = (inputs.consumerGroups ?? []).map((g, i) => ({
    name: g.name,
    ...(g['max-lag'] !== undefined ? { maxLag: g['max-lag'] } : {}),
    ...(g['commit-interval'] !== undefined
      ? { commitIntervalMs: commitInterval(g['commit-interval'], i, g.name) }
      : {}),
    ...(g['max-lag-seconds'] !== undefined ? { maxLagSeconds: g['max-lag-seconds'] } : {}),
    ...(g.topics ? { topics: g.topics } : {}),
    ...(g.owner ? { owner: g.owner } : {}),
    ...(g.runbook ? { runbook: g.runbook } : {}),
  }));
  if (inputs.window >= inputs.timeout) {
    throw new ConfigurationError(
      `input 'window' (${inputs.window}ms) must be shorter than input 'timeout' (${inputs.timeout}ms), which bounds the whole check`,
    );
  }
  return {
    connection,
    credentialsFrom: credentials.from,
    secrets: credentials.secrets,
    topics,
    groups,
    windowMs: inputs.window,
    lookbackMs: inputs.lookback,
    silenceThreshold: probability(inputs.silenceProbability),
    sample: inputs.sample,
    clockSkewToleranceMs: inputs.clockSkewTolerance,
    timeoutMs: inputs.timeout,
    failOn: inputs.failOn,
  };
}

function probability(text: string): number {
  const p = Number(text);
  if (!(p > 0 && p < 1))
    throw new InputError(
      'silence-probability',
      text,
      'expected a probability strictly between 0 and 1, such as 0.001',
    );
  return p;
}

function commitInterval(text: string, entry: number, name: string): number {
  const ms = parseDurationMs(text);
  if (ms === undefined || ms <= 0)
    throw new ConfigurationError(
      `input 'consumer-groups' entry ${entry} (${name}): commit-interval ${JSON.stringify(text)} is not a positive duration such as 5s or 1m`,
    );
  return ms;
}
