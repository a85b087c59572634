import { CheckFailedError } from '../../lib/errors.js';
import type { StepEnd } from '../../lib/action/index.js';
import type { RecordingFiles } from '../../lib/contracts/recording.js';
import type { DriftPlan } from './inputs.js';
import type { RecordingChange, WaiverSet } from './sources.js';
import type { WaiverOutcome } from './waivers.js';
import {
  buildAnnotations,
  recordingAnnotations,
  renderSummary,
  waiverAnnotations,
  type Decision,
  type DocumentPair,
  type Finding,
} from './report.js';

/** What a design-drift run found, gathered for its end of step. */
export interface DriftFacts {
  plan: DriftPlan;
  startedAt: Date;
  decision: Decision;
  findings: Finding[];
  documents: DocumentPair[];
  recordedLabel: string;
  recording: RecordingFiles;
  /** The recording root relative to the workspace, for the pending-recording note. */
  recordingRootLabel: string;
  pendingRecording: RecordingChange[] | undefined;
  waiverSet: WaiverSet;
  waiverOutcome: WaiverOutcome;
  labels: string[];
  bypass: string | undefined;
  /** The pull request of the run's event, for the companion workflow that reports on it. */
  pullRequest: { number?: number; headSha?: string };
}

/** The result file, outputs, summary, annotations and failure of a run. Pure. */
export function driftStepEnd(f: DriftFacts): StepEnd<Record<string, unknown>> {
  const { plan, startedAt, decision, findings, documents, recordedLabel, recording, pendingRecording } = f;
  const { waiverSet, waiverOutcome, labels, bypass } = f;
  const { who } = plan;
  const waiversFile = plan.waivers?.file;
  return {
    action: 'design-drift',
    startedAt,
    resultPath: plan.resultPath,
    status: decision.failed ? 'failure' : 'success',
    result: {
      failOn: plan.failOn,
      failed: decision.failed,
      reasons: decision.reasons,
      bypass: { label: plan.bypassLabel ?? null, used: decision.bypassed, prLabels: labels },
      today: plan.today,
      recorded: recordedLabel,
      recording: {
        folder: recordedLabel,
        readFrom: recording.ref ?? 'workspace',
        pendingAfterMerge: pendingRecording ?? null,
      },
      baseRef: plan.baseRef ?? null,
      // What a companion workflow needs to report on the pull request (design-drift-report.yml).
      pullRequest:
        f.pullRequest.number !== undefined && f.pullRequest.headSha
          ? { number: f.pullRequest.number, headSha: f.pullRequest.headSha }
          : null,
      counts: decision.counts,
      documents,
      waivers: {
        file: waiversFile ?? null,
        readFrom:
          waiverSet.source === 'base-ref'
            ? plan.baseRef
            : waiverSet.source === 'workspace'
              ? 'workspace'
              : null,
        maxDays: plan.maxWaiverDays,
        expired: waiverOutcome.expired,
        refused: waiverOutcome.refused,
        used: waiverOutcome.used,
        unused: waiverOutcome.unused,
        pendingAfterMerge: waiverSet.pending ?? null,
      },
      ...who,
      changes: findings.map((f) => ({ ...f, waivedBy: f.waivedBy ?? null })),
    },
    outputs: {
      breaking: decision.counts.breaking,
      'non-breaking': decision.counts.nonBreaking,
      changes: decision.counts.total,
      waived: decision.counts.waived,
      failed: decision.failed ? 'true' : decision.bypassed ? 'bypassed' : 'false',
    },
    summary: renderSummary({
      findings,
      documents,
      recordedDir: recordedLabel,
      ...(plan.baseRef ? { baseRef: plan.baseRef } : {}),
      ...(pendingRecording
        ? { pendingRecording: { root: f.recordingRootLabel, changes: pendingRecording } }
        : {}),
      failOn: plan.failOn,
      decision,
      waivers: waiverOutcome,
      ...(waiversFile ? { waiversFile } : {}),
      ...(waiverSet.pending ? { pendingWaivers: waiverSet.pending } : {}),
      today: plan.today,
      maxWaiverDays: plan.maxWaiverDays,
      ...(bypass ? { bypassLabel: bypass } : {}),
      who,
    }),
    annotations: [
      ...buildAnnotations(findings, plan.failOn, decision, who),
      ...waiverAnnotations(waiverOutcome, waiverSet.pending, waiversFile, plan.baseRef),
      ...recordingAnnotations(pendingRecording, recordedLabel, plan.baseRef),
    ],
    ...(decision.failed
      ? {
          fail: new CheckFailedError(
            `${decision.reasons.join('; ')} (fail-on: ${plan.failOn}; see the summary)${who.owner ? ` — owner: ${who.owner}` : ''}${who.runbook ? `, runbook: ${who.runbook}` : ''}`,
          ),
        }
      : {}),
  };
}
