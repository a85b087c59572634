import { existsSync, readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { finishStep, group, log, readInputs, workspace, type StepEnd } from '../../lib/action/index.js';
import { ConfigurationError, quote } from '../../lib/errors.js';
import { globInside } from '../../lib/glob-inside.js';
import { metadata } from './metadata.js';
import { planDrift, planDriftReport, type DriftPlan } from './inputs.js';
import { reportOnPullRequest } from './report-mode.js';
import { compareDeclared } from './compare.js';
import { driftStepEnd } from './outcome.js';
import { loadRecording, openRecording } from './recorded.js';
import { applyWaivers } from './waivers.js';
import { changesSince, readWaivers, requireCommit } from './sources.js';
import { decide } from './report.js';

const toPosix = (p: string) => p.split(sep).join('/');

export async function main(): Promise<void> {
  const ws = workspace();
  const startedAt = new Date();
  const inputs = readInputs(metadata.inputs);
  const end =
    inputs.mode === 'report'
      ? await reportOnPullRequest(planDriftReport(inputs, ws), ws, startedAt)
      : await checkDrift(planDrift(inputs, ws, startedAt), ws, startedAt);
  await finishStep(end);
}

/** `mode: check`: compares the declared contracts with the recording; fails on what `fail-on` says. */
async function checkDrift(plan: DriftPlan, ws: string, startedAt: Date): Promise<StepEnd<unknown>> {
  const loadOpts = { allowExternalRefs: plan.allowExternalRefs, root: ws };

  const declaredFiles = await globInside(
    ws,
    plan.declared,
    (glob) => `input 'declared' has value ${quote(glob)}: the folder`,
  );
  if (declaredFiles.length === 0)
    throw new ConfigurationError(
      `input 'declared' matched no files in ${ws} (globs: ${plan.declared.join(', ')})`,
    );

  if (plan.baseRef) await requireCommit(ws, plan.baseRef);
  const recordingRoot = plan.recording.kind === 'folder' ? plan.recording.path : plan.recording.root;
  // The pull request's own changes to the recordings: shown, used from the merge on.
  const pendingRecording = plan.baseRef ? await changesSince(ws, plan.baseRef, recordingRoot) : undefined;
  const recording = await openRecording(plan, ws, pendingRecording);
  const recordedLabel = toPosix(relative(ws, recording.dir)) || '.';
  const waiverSet = await readWaivers(ws, plan.waivers, plan.baseRef);

  const recorded = await group(
    `Load the recorded contracts${recording.ref ? ` (as on ${recording.ref})` : ''}`,
    () => loadRecording(ws, recording, recordedLabel, loadOpts, log.info),
  );

  const { findings, documents } = await group('Compare the declared contracts', () =>
    compareDeclared({
      ws,
      files: declaredFiles,
      recorded,
      recordedLabel,
      baseRef: plan.baseRef,
      loadOpts,
      log: log.info,
    }),
  );

  const waiverOutcome = applyWaivers(findings, waiverSet.applied, plan.today, plan.maxWaiverDays);
  for (const w of waiverOutcome.refused)
    log.info(`waiver for ${w.rule} at ${w.path} (owner ${w.owner}) refused: ${w.refused}`);
  const pullRequest = pullRequestOfEvent();
  const labels = pullRequest.labels;
  const bypass = plan.bypassLabel && labels.includes(plan.bypassLabel) ? plan.bypassLabel : undefined;
  const decision = decide(findings, plan.failOn, waiverOutcome, bypass);
  if (decision.bypassed)
    log.warning(
      `design-drift: ${decision.reasons.join('; ')}; not failing because the pull request has the label '${bypass}'`,
    );
  return driftStepEnd({
    plan,
    startedAt,
    decision,
    findings,
    documents,
    recordedLabel,
    recording,
    recordingRootLabel: toPosix(relative(ws, recordingRoot)),
    pendingRecording,
    waiverSet,
    waiverOutcome,
    labels,
    bypass,
    pullRequest,
  });
}

/** The pull request that triggered the run, from the event payload the runner wrote: its labels, number and head. */
function pullRequestOfEvent(): { labels: string[]; number?: number; headSha?: string } {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path || !existsSync(path)) return { labels: [] };
  try {
    const event = JSON.parse(readFileSync(path, 'utf8')) as {
      pull_request?: { number?: number; head?: { sha?: string }; labels?: { name?: string }[] };
    };
    const pr = event.pull_request;
    return {
      labels: (pr?.labels ?? []).map((l) => l.name ?? '').filter(Boolean),
      ...(typeof pr?.number === 'number' ? { number: pr.number } : {}),
      ...(typeof pr?.head?.sha === 'string' ? { headSha: pr.head.sha } : {}),
    };
  } catch {
    return { labels: [] };
  }
}
