import type { Annotation } from '../annotations.js';
import { emitAnnotations } from './annotate.js';
import { setOutputs, type OutputValue } from './outputs.js';
import { defaultResultPath, runInfo, writeResultFile } from '../step-result.js';
import { writeSummary } from './summary.js';

/** Everything an action reports when it ends, in one value. */
export interface StepEnd<T> {
  action: string;
  startedAt: Date;
  /** The parsed `result-path` input (already absolute), or undefined for the default file. */
  resultPath: string | undefined;
  status: 'success' | 'failure';
  result: T;
  /** The action's outputs; `result-path` is added. */
  outputs: Record<string, OutputValue>;
  /** The step summary; given the result file's path when it names it. */
  summary: string | ((resultPath: string) => string);
  /** Where the full content is when the summary has to be cut (default: the result file). */
  summaryFullAt?: string;
  annotations?: readonly Annotation[];
  maxAnnotationsPerLevel?: number;
  /** Thrown once everything is written: why the step fails (a failed check, or a bug). */
  fail?: Error;
}

/**
 * The one way every action ends: the JSON result file (which evidence-archive collects), the
 * outputs, the step summary and the ranked annotations, in that order, then the failure if any.
 * Whatever fails the step, everything that was learnt is written first.
 */
export async function finishStep<T>(end: StepEnd<T>): Promise<string> {
  const resultPath = end.resultPath ?? defaultResultPath(end.action);
  await writeResultFile(resultPath, {
    action: end.action,
    schemaVersion: 1,
    status: end.status,
    startedAt: end.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    run: runInfo(),
    result: end.result,
  });
  setOutputs({ ...end.outputs, 'result-path': resultPath });
  const summary = typeof end.summary === 'function' ? end.summary(resultPath) : end.summary;
  await writeSummary(summary, end.summaryFullAt ?? resultPath);
  if (end.annotations?.length) emitAnnotations(end.annotations, end.maxAnnotationsPerLevel);
  if (end.fail) throw end.fail;
  return resultPath;
}
