import { join } from 'node:path';
import { clusterOf, type AnyEnvelope } from './results.js';

/**
 * Which result files count as the steps' results, and with what status. Pure.
 *
 * A result counts only when an action wrote it into the results folder, and, when the workflow
 * says which job runs each step (`expected-steps`), only when it arrived from that job: a smoke
 * suite runs on the same runner as its action and can write a file shaped like a deploy result,
 * but the hand-off between jobs records which job each file came from, and a smoke job does not
 * run the deploy. Where the job's own result (set by the runner, not by anything on it) says the
 * step did not succeed, a result file that says it did is overruled.
 */

export type JobResult = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface ExpectedStep {
  /** The job that runs the step; results from any other job are refused. */
  job?: string;
  /** `needs.<job>.result`. */
  result: JobResult;
  /** A matrix job's number of shards (smoke-suite's plan). */
  shards?: number;
  /** A matrix job's Kafka clusters: each has a result of its own, judged by itself. */
  clusters?: string[];
}

/** Where `collect` records which job handed over each result file. */
export const HANDOFF_RECORD = (runnerTemp: string) =>
  join(runnerTemp, 'command-center-handoff', 'provenance.json');

/**
 * collect's record, by absolute path here: each result file's job (and its name in that job's
 * results folder, when collect had to rename it), and each other file's job and path in that job's
 * workspace, which is what the evidence folder names it by.
 */
export interface HandoffRecord {
  /** `shard`: the share (`k/n`) of a matrix job that handed it over. */
  results: Record<
    string,
    { job: string; artifact?: string; name?: string; shard?: string; cluster?: string }
  >;
  files?: Record<string, { job: string; artifact?: string; path: string }>;
}

export interface Candidate {
  envelope: AnyEnvelope;
  /** How reports name the file (`runner-temp:command-center/helm-deploy.json`). */
  source: string;
  /** The job it came from: the hand-off's record, else the job the file names. */
  job?: string;
  /** True when the job is from the hand-off's record (which no step can write), not the file. */
  jobFromHandoff: boolean;
}

export interface Admitted {
  candidate: Candidate;
  /** The status the report counts (the job's result can overrule the file's). */
  status: string;
  /** Why the status differs from the file's, or what else a reader must know. */
  note?: string;
}

export interface Refused {
  candidate: Candidate;
  reason: string;
}

export function admitResults(
  candidates: readonly Candidate[],
  expected: Readonly<Record<string, ExpectedStep>>,
): { admitted: Admitted[]; refused: Refused[] } {
  const admitted: Admitted[] = [];
  const refused: Refused[] = [];
  for (const c of candidates) {
    const action = c.envelope.action;
    const step = expected[action];
    if (!step) {
      admitted.push({ candidate: c, status: c.envelope.status });
      continue;
    }
    const from = c.job ? `job ${c.job}` : 'an unknown job';
    if (step.job && c.job !== step.job) {
      refused.push({
        candidate: c,
        reason: `a ${action} result arrived from ${from}, but only job ${step.job} runs ${action}: not counted`,
      });
      continue;
    }
    if (step.result === 'skipped') {
      refused.push({
        candidate: c,
        reason: `a ${action} result arrived although ${step.job ? `job ${step.job}` : 'its job'} was skipped: not counted`,
      });
      continue;
    }
    // One job of a matrix per cluster: the job's result is every cluster's together, so each
    // cluster's result speaks for itself (a cluster that left none is reported missing).
    if (step.clusters?.length && clusterOf(c.envelope.result)) {
      admitted.push({ candidate: c, status: c.envelope.status });
      continue;
    }
    const fileSaysSuccess = c.envelope.status === 'success';
    if (fileSaysSuccess && step.result !== 'success') {
      admitted.push({
        candidate: c,
        status: 'failure',
        note: `${step.job ? `job ${step.job}` : 'its job'} ended ${step.result} although its result file says success: the job's result counts`,
      });
    } else if (!fileSaysSuccess && step.result === 'success') {
      admitted.push({
        candidate: c,
        status: c.envelope.status,
        note: `${step.job ? `job ${step.job}` : 'its job'} succeeded, but the step's result is ${c.envelope.status} (a step allowed to fail?)`,
      });
    } else {
      admitted.push({ candidate: c, status: c.envelope.status });
    }
  }
  return { admitted, refused };
}

/** `expected-steps` values: `success`, or `{ job: deploy, result: success }`. */
export function expectedStep(
  value: string | { job?: string; result: string; shards?: number | string; clusters?: string | string[] },
): ExpectedStep {
  if (typeof value === 'string') return { result: value as JobResult };
  const shards = value.shards === undefined || value.shards === '' ? undefined : Number(value.shards);
  const clusters = (Array.isArray(value.clusters) ? value.clusters : (value.clusters ?? '').split(','))
    .map((c) => c.trim())
    .filter(Boolean);
  return {
    ...(value.job ? { job: value.job } : {}),
    result: value.result as JobResult,
    ...(shards ? { shards } : {}),
    ...(clusters.length ? { clusters } : {}),
  };
}
