import { dateInZone } from '../../lib/dates.js';
import { branchFromEnv, branchInput, planCommit, type CommitPlan } from '../../lib/git/index.js';
import { kafkaSecurity } from '../../lib/inputs/kafka-security.js';
import type { InputValues } from '../../lib/inputs/spec.js';
import type { KafkaConnection } from '../../lib/kafka/connection.js';
import { ownedPath, type OwnedPath } from '../../lib/owned-paths.js';
import { isSensitiveHeader, urlSecrets } from '../../lib/redact.js';
import { metadata, type EndpointsConfig } from './metadata.js';

export type Inputs = InputValues<typeof metadata.inputs>;

/** The topics to sample and how to reach their brokers (SASL and TLS included). */
export interface TopicSampling {
  connection: KafkaConnection;
  topics: string[];
  messages: number;
}

export interface RecordPlan {
  date: string;
  endpoints: EndpointsConfig;
  kafka?: TopicSampling;
  /** The dated folder the recording replaces, inside the repository. */
  out: OwnedPath;
  requestTimeoutMs: number;
  commit?: CommitPlan;
  resultPath?: string;
  /** Credentials the endpoints carry: masked before anything is printed, kept out of every file. */
  secrets: string[];
}

/** Everything the recording will do, from the inputs alone: bad input fails before a request is sent. Pure but for reading a CA file. */
export function planRecording(
  inputs: Inputs,
  workspace: string,
  env: NodeJS.ProcessEnv,
  now: Date = new Date(),
): RecordPlan {
  const date = inputs.date ?? dateInZone(now, inputs.timezone);
  const endpoints = inputs.endpoints!;
  // Checked even without topics to sample, so a half-set SASL configuration is reported where it is.
  const security = kafkaSecurity(inputs, workspace);
  const secrets: string[] = [];
  for (const s of endpoints.services) {
    secrets.push(...urlSecrets(s.url));
    for (const r of s.requests ?? []) {
      secrets.push(...urlSecrets(r.path));
      for (const [k, v] of Object.entries(r.headers ?? {})) if (isSensitiveHeader(k)) secrets.push(v);
    }
  }
  const commit = inputs.commit
    ? planCommit({
        mode: inputs.commitMode,
        kind: 'contracts',
        date,
        target: branchInput('branch', inputs.branch ?? branchFromEnv(env) ?? ''),
        message: inputs.commitMessage,
        defaultMessage: metadata.inputs['commit-message'].default!,
        pushAttempts: inputs.pushAttempts,
        autoMerge: inputs.autoMerge,
        token: inputs.token,
        apiUrl: inputs.apiUrl,
      })
    : undefined;
  const kafka = endpoints.kafka && {
    connection: {
      brokers: (Array.isArray(endpoints.kafka.brokers)
        ? endpoints.kafka.brokers
        : endpoints.kafka.brokers.split(',')
      )
        .map((b) => b.trim())
        .filter(Boolean),
      clientId: 'command-center-contract-record',
      ...security,
    },
    topics: endpoints.kafka.topics,
    messages: endpoints.kafka.messages ?? 20,
  };
  return {
    date,
    endpoints,
    ...(kafka ? { kafka } : {}),
    out: ownedPath(workspace, inputs.outputDir, date, 'output-dir'),
    requestTimeoutMs: inputs.requestTimeout,
    ...(commit ? { commit } : {}),
    ...(inputs.resultPath ? { resultPath: inputs.resultPath } : {}),
    secrets,
  };
}
