import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { writeJsonFile } from './files.js';

export interface ResultEnvelope<T> {
  /** Which action wrote this (evidence-archive groups results by it). */
  action: string;
  /** Version of this file's shape. */
  schemaVersion: 1;
  status: 'success' | 'failure';
  startedAt: string;
  finishedAt: string;
  run: RunInfo;
  result: T;
}

export interface RunInfo {
  repository?: string;
  runId?: string;
  runAttempt?: string;
  job?: string;
  workflow?: string;
  sha?: string;
  url?: string;
}

export function runInfo(env: NodeJS.ProcessEnv = process.env): RunInfo {
  const info: RunInfo = {};
  if (env.GITHUB_REPOSITORY) info.repository = env.GITHUB_REPOSITORY;
  if (env.GITHUB_RUN_ID) info.runId = env.GITHUB_RUN_ID;
  if (env.GITHUB_RUN_ATTEMPT) info.runAttempt = env.GITHUB_RUN_ATTEMPT;
  if (env.GITHUB_JOB) info.job = env.GITHUB_JOB;
  if (env.GITHUB_WORKFLOW) info.workflow = env.GITHUB_WORKFLOW;
  if (env.GITHUB_SHA) info.sha = env.GITHUB_SHA;
  const url = runPageUrl(env);
  if (url) info.url = url;
  return info;
}

/**
 * The run's page on the GitHub server, or undefined when there is none: outside a runner, and under
 * act (`ACT=true`), which fills in github.com and a run id of its own that no page on GitHub has.
 */
export function runPageUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.ACT === 'true' || !env.GITHUB_SERVER_URL || !env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID)
    return undefined;
  return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}

/** Where an action's JSON result goes unless told otherwise: the runner's temp dir, one file per action. */
export function defaultResultPath(action: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.RUNNER_TEMP || tmpdir();
  const attempt = env.GITHUB_RUN_ATTEMPT ? `-${env.GITHUB_RUN_ATTEMPT}` : '';
  return join(base, 'command-center', `${action}${attempt}.json`);
}

/** Writes the machine-readable result that evidence-archive collects; secrets are redacted on the way. */
export async function writeResultFile<T>(path: string, envelope: ResultEnvelope<T>): Promise<string> {
  await writeJsonFile(path, envelope);
  return path;
}
