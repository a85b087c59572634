import { dateInZone } from '../../lib/dates.js';
import { branchFromEnv, branchInput, planCommit, type CommitPlan } from '../../lib/git/index.js';
import type { InputValues } from '../../lib/inputs/spec.js';
import { ownedPath, type OwnedPath } from '../../lib/owned-paths.js';
import { isSensitiveHeader, urlSecrets } from '../../lib/redact.js';
import { metadata, type EndpointsConfig } from './metadata.js';

export type Inputs = InputValues<typeof metadata.inputs>;

export interface RecordPlan {
  date: string;
  endpoints: EndpointsConfig;
  /** The dated folder the recording replaces, inside the repository. */
  out: OwnedPath;
  requestTimeoutMs: number;
  commit?: CommitPlan;
  resultPath?: string;
  /** Credentials the endpoints carry: masked before anything is printed, kept out of every file. */
  secrets: string[];
}

/** Everything the recording will do, from the inputs alone: bad input fails before a request is sent. Pure. */
export function planRecording(
  inputs: Inputs,
  workspace: string,
  env: NodeJS.ProcessEnv,
  now: Date = new Date(),
): RecordPlan {
  const date = inputs.date ?? dateInZone(now, inputs.timezone);
  const endpoints = inputs.endpoints!;
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
  return {
    date,
    endpoints,
    out: ownedPath(workspace, inputs.outputDir, date, 'output-dir'),
    requestTimeoutMs: inputs.requestTimeout,
    ...(commit ? { commit } : {}),
    ...(inputs.resultPath ? { resultPath: inputs.resultPath } : {}),
    secrets,
  };
}
