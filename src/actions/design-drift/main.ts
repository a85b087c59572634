import { existsSync, readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { finishStep, group, log, readInputs, workspace } from '../../lib/action/index.js';
import { ConfigurationError, quote } from '../../lib/errors.js';
import { globInside } from '../../lib/glob-inside.js';
import { metadata } from './metadata.js';
import { planDrift } from './inputs.js';
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
  const plan = planDrift(readInputs(metadata.inputs), ws, startedAt);
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
  const labels = prLabels();
  const bypass = plan.bypassLabel && labels.includes(plan.bypassLabel) ? plan.bypassLabel : undefined;
  const decision = decide(findings, plan.failOn, waiverOutcome, bypass);
  if (decision.bypassed)
    log.warning(
      `design-drift: ${decision.reasons.join('; ')}; not failing because the pull request has the label '${bypass}'`,
    );
  await finishStep(
    driftStepEnd({
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
    }),
  );
}

/** Labels of the pull request that triggered the run, from the event payload the runner wrote. */
function prLabels(): string[] {
  const path = process.env.GITHUB_EVENT_PATH;
  if (!path || !existsSync(path)) return [];
  try {
    const event = JSON.parse(readFileSync(path, 'utf8')) as {
      pull_request?: { labels?: { name?: string }[] };
    };
    return (event.pull_request?.labels ?? []).map((l) => l.name ?? '').filter(Boolean);
  } catch {
    return [];
  }
}
