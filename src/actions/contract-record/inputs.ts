import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from '../../lib/errors.js';
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
  /** Each service's runbook link (a URL or a repository path), by service name. */
  runbooks: Record<string, string>;
  kafka?: TopicSampling;
  /** The dated folder the recording replaces, inside the repository. */
  out: OwnedPath;
  requestTimeoutMs: number;
  commit?: CommitPlan;
  resultPath?: string;
  /** Credentials the endpoints carry: masked before anything is printed, kept out of every file. */
  secrets: string[];
}

/**
 * Everything the recording will do, from the inputs alone: bad input fails before a request is sent.
 * Pure but for reading a CA file and looking for runbooks in the workspace (`exists`).
 */
export function planRecording(
  inputs: Inputs,
  workspace: string,
  env: NodeJS.ProcessEnv,
  now: Date = new Date(),
  exists: (path: string) => boolean = existsSync,
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
    runbooks: runbooksOf(endpoints, workspace, exists),
    ...(kafka ? { kafka } : {}),
    out: ownedPath(workspace, inputs.outputDir, date, 'output-dir'),
    requestTimeoutMs: inputs.requestTimeout,
    ...(commit ? { commit } : {}),
    ...(inputs.resultPath ? { resultPath: inputs.resultPath } : {}),
    secrets,
  };
}

/**
 * A service's runbook: the one it names, else docs/runbooks/<service>.md when the repository has it.
 * A named repository path must exist, so the recording never links to nothing.
 */
export function runbooksOf(
  endpoints: EndpointsConfig,
  workspace: string,
  exists: (path: string) => boolean,
): Record<string, string> {
  const out: Record<string, string> = {};
  endpoints.services.forEach((s, i) => {
    if (s.runbook) {
      const file = s.runbook.replace(/#.*$/, '');
      if (!/^https?:\/\//.test(s.runbook) && !exists(join(workspace, file)))
        throw new ConfigurationError(
          `input 'endpoints': services[${i}] (${s.name}) names runbook ${s.runbook}, but ${file} is not in the repository; give an existing path or a URL`,
        );
      out[s.name] = s.runbook;
    } else if (exists(join(workspace, defaultRunbook(s.name)))) out[s.name] = defaultRunbook(s.name);
  });
  return out;
}

export const defaultRunbook = (service: string) => `docs/runbooks/${service}.md`;
