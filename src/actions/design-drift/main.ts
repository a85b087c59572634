import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { finishStep, group, log, readInputs, workspace, type StepEnd } from '../../lib/action/index.js';
import { CheckFailedError, ConfigurationError, quote } from '../../lib/errors.js';
import { globInside } from '../../lib/glob-inside.js';
import { readTextInside, realPathInside } from '../../lib/real-path.js';
import { diffContracts, loadContract, type Contract } from '../../lib/contracts/diff.js';
import {
  newestRecording,
  newestRecordingAt,
  recordingAtRef,
  recordingInWorkingTree,
  type RecordingFiles,
} from '../../lib/contracts/recording.js';
import { CommittedTree } from '../../lib/git/committed-tree.js';
import { describeDocument } from '../../lib/contracts/kind.js';
import { parseSpecText } from '../../lib/contracts/source.js';
import { metadata } from './metadata.js';
import { planDrift, planDriftReport, type DriftPlan, type DriftReportPlan } from './inputs.js';
import { postDriftReport, readHandoff, reportMissingResult } from './pull-request.js';
import { ForgePermissionError, forgeOfRun } from '../../lib/forge/index.js';
import { runPageUrl } from '../../lib/step-result.js';
import { pairContracts } from './match.js';
import { applyWaivers } from './waivers.js';
import { changesSince, loadAtRef, readWaivers, requireCommit, type RecordingChange } from './sources.js';
import {
  buildAnnotations,
  decide,
  recordingAnnotations,
  renderSummary,
  waiverAnnotations,
  type DocumentPair,
  type Finding,
} from './report.js';

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
    () => loadRecording(ws, recording, recordedLabel, loadOpts),
  );

  const findings: Finding[] = [];
  const documents: DocumentPair[] = [];
  await group('Compare the declared contracts', async () => {
    for (const rel of declaredFiles) {
      const declared = await loadContract(rel, join(ws, rel), loadOpts);
      const [pair] = pairContracts([declared], recorded);
      const doc: DocumentPair = {
        declared: rel,
        kind: declared.info.kind,
        matchedBy: pair!.matchedBy,
        ...(pair!.recorded ? { recorded: pair!.recorded.set.entry.name } : {}),
      };
      if (pair!.recorded) {
        const changes = diffContracts(pair!.recorded, declared);
        for (const c of changes) findings.push({ ...c, against: 'recorded' });
        log.info(
          `${rel} vs ${pair!.recorded.set.entry.name}: ${changes.length} change(s), ${changes.filter((c) => c.level === 'breaking').length} breaking`,
        );
      } else {
        findings.push({
          rule: 'contract.document.unrecorded',
          level: 'informational',
          message: `${rel} (${declared.info.kind}${declared.info.title ? ` "${declared.info.title}"` : ''}) has no recorded counterpart in ${recordedLabel}`,
          file: rel,
          pointer: '',
          line: 1,
          against: 'recorded',
        });
        log.info(`${rel}: no recorded counterpart`);
      }
      if (plan.baseRef) {
        const atBase = await loadAtRef(ws, plan.baseRef, rel, loadOpts);
        if (atBase) {
          const changes = diffContracts(atBase, declared);
          for (const c of changes) findings.push({ ...c, against: 'base-ref' });
          doc.baseRef = 'compared';
          log.info(`${rel} vs ${plan.baseRef}: ${changes.length} change(s)`);
        } else {
          doc.baseRef = 'absent';
        }
      }
      documents.push(doc);
    }
  });

  const waiverOutcome = applyWaivers(findings, waiverSet.applied, plan.today, plan.maxWaiverDays);
  for (const w of waiverOutcome.refused)
    log.info(`waiver for ${w.rule} at ${w.path} (owner ${w.owner}) refused: ${w.refused}`);
  const pullRequest = pullRequestOfEvent();
  const labels = pullRequest.labels;
  const bypass = plan.bypassLabel && labels.includes(plan.bypassLabel) ? plan.bypassLabel : undefined;
  const decision = decide(findings, plan.failOn, waiverOutcome, bypass);
  const { who } = plan;
  const waiversFile = plan.waivers?.file;

  if (decision.bypassed)
    log.warning(
      `design-drift: ${decision.reasons.join('; ')}; not failing because the pull request has the label '${bypass}'`,
    );
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
        pullRequest.number !== undefined && pullRequest.headSha
          ? { number: pullRequest.number, headSha: pullRequest.headSha }
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
        ? { pendingRecording: { root: toPosix(relative(ws, recordingRoot)), changes: pendingRecording } }
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

/**
 * `mode: report`: posts the verdict a check run handed over on its pull request (a commit status on
 * the head commit and the sticky comment). Runs in the companion workflow, which has write access and
 * never checks out the pull request: the handed-over file is read as data and checked against the
 * head commit the event names.
 */
async function reportOnPullRequest(
  plan: DriftReportPlan,
  ws: string,
  startedAt: Date,
): Promise<StepEnd<unknown>> {
  const forge = forgeOfRun({ token: plan.token, apiUrl: plan.apiUrl, log: (line) => log.info(line) });
  const detailsUrl = plan.detailsUrl ?? runPageUrl();
  if (!existsSync(plan.handoff.path)) {
    await reportMissingResult(forge, { headSha: plan.headSha, ...(detailsUrl ? { detailsUrl } : {}) });
    throw new ConfigurationError(
      `input 'handoff': the file ${plan.handoff.file} does not exist: the check run handed over no result ` +
        `(it failed before comparing, see its run); the status design-drift on ${plan.headSha} is set to error`,
    );
  }
  const text = await readTextInside(ws, plan.handoff.path, "input 'handoff': the file");
  const handoff = readHandoff(text, plan.handoff.file, plan.headSha);
  const outcome = await group(`Report on pull request #${handoff.pullRequest.number}`, () =>
    postDriftReport(forge, handoff, { headSha: plan.headSha, ...(detailsUrl ? { detailsUrl } : {}) }),
  ).catch((err: unknown) => {
    if (!(err instanceof ForgePermissionError)) throw err;
    throw new ConfigurationError(
      `${err.message}; the job running mode: report needs the permissions statuses: write and pull-requests: write (and actions: read to download the result), or a token that has them (input 'token')`,
    );
  });
  log.info(
    `status ${outcome.status.context}=${outcome.status.state} on ${outcome.headSha}; comment: ${outcome.comment.outcome}${outcome.comment.reason ? ` (${outcome.comment.reason})` : ''}`,
  );
  const summary = [
    `## Design drift reported on pull request #${outcome.pullRequest}`,
    '',
    `- commit status \`${outcome.status.context}\`: **${outcome.status.state}** on \`${outcome.headSha}\` (${outcome.status.description})`,
    `- sticky comment: **${outcome.comment.outcome}**${outcome.comment.reason ? ` (${outcome.comment.reason})` : ''}`,
    '',
  ].join('\n');
  return {
    action: 'design-drift',
    startedAt,
    resultPath: plan.resultPath,
    status: 'success',
    result: { mode: 'report', forge: forge.kind, ...outcome },
    outputs: { status: outcome.status.state, comment: outcome.comment.outcome },
    summary,
  };
}

/**
 * The recording the declared contracts are compared with. With a base ref, it is the base branch's
 * (its folder, index.json, files and their `$ref`s, as committed there): a pull request cannot choose
 * what it is compared with by adding or editing a recording. Without one (a push, a run by hand), the
 * working tree's, each file read by its real path inside the workspace.
 */
async function openRecording(
  plan: DriftPlan,
  ws: string,
  pending: RecordingChange[] | undefined,
): Promise<RecordingFiles> {
  const r = plan.recording;
  const input = r.kind === 'folder' ? 'recorded' : 'contracts-root';
  if (plan.baseRef) {
    const tree = new CommittedTree(ws, plan.baseRef);
    const dir = r.kind === 'folder' ? r.path : await newestRecordingAt(tree, r.root);
    if (dir && (await tree.entry(dir))?.kind === 'folder') return recordingAtRef(tree, dir);
    const added = pending?.length
      ? `; this pull request's own changes there (${pending.length} file(s)) take effect after merge`
      : '';
    throw new ConfigurationError(
      r.kind === 'folder'
        ? `input 'recorded': the folder ${r.input} does not exist on the base ref ${plan.baseRef}${added}`
        : `no recording under ${r.input}/<yyyy-mm-dd>/ on the base ref ${plan.baseRef} (input '${input}')${added}; ` +
            'a pull request is compared with the recording of its base branch: record the contracts there first (contract-record)',
    );
  }
  const dir = r.kind === 'folder' ? r.path : await newestRecording(r.root);
  if (!dir || !existsSync(dir)) {
    throw new ConfigurationError(
      r.kind === 'folder'
        ? `input 'recorded': the folder ${r.input} does not exist`
        : `no recording under ${r.input}/<yyyy-mm-dd>/ (input 'contracts-root'); record the contracts with contract-record first`,
    );
  }
  await realPathInside(ws, dir, `input '${input}': the folder`);
  return recordingInWorkingTree(dir);
}

async function loadRecording(
  ws: string,
  files: RecordingFiles,
  label: string,
  loadOpts: { allowExternalRefs: boolean },
): Promise<Contract[]> {
  const index = await files.index();
  if (index) {
    const tampered = await files.tampered(index);
    if (tampered.length > 0) {
      throw new ConfigurationError(
        `the recording ${label} does not match its index.json (edited by hand?): ${tampered.join(', ')}`,
      );
    }
  }
  const contractKinds = new Set(['openapi', 'asyncapi', 'json-schema']);
  const candidates = index
    ? index.files.filter((f) => contractKinds.has(f.kind)).map((f) => f.path)
    : await files.list();
  const out: Contract[] = [];
  for (const rel of candidates) {
    const abs = join(files.dir, rel);
    const name = toPosix(relative(ws, abs));
    const text = await files.readText(abs);
    if (!index) {
      // Without an index, anything that is not a contract (samples, notes) is skipped.
      try {
        describeDocument(parseSpecText(name, text), name);
      } catch {
        continue;
      }
    }
    const contract = await loadContract(name, abs, {
      ...loadOpts,
      root: files.dir,
      text,
      readLocal: files.readText,
    });
    out.push(contract);
    log.info(`recorded: ${name} (${contract.info.kind} ${contract.info.title ?? ''})`);
  }
  return out;
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
