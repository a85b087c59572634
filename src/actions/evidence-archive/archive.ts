import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultResultPath, finishStep, group, log, runInfo } from '../../lib/action/index.js';
import { toError } from '../../lib/errors.js';
import { writeTextFile } from '../../lib/files.js';
import {
  commitSummaryLines,
  deliverCommit,
  renderPullRequestBody,
  type CommitOutcome,
} from '../../lib/git/index.js';
import type { UploadedArtifact } from '../../lib/evidence/artifact.js';
import { MANIFEST_MARKER, MANIFEST_NAME, type Manifest } from '../../lib/evidence/manifest.js';
import { renderStatusReport, type ReportDashboard, type ReportMetric } from '../../lib/evidence/report.js';
import { formatBytes } from '../../lib/evidence/sizes.js';
import { EvidenceStage } from '../../lib/evidence/stage.js';
import { dayItems } from '../../lib/evidence/items.js';
import { forgeFileUrl, type Forge } from '../../lib/forge/index.js';
import type { FollowUpLinks } from './follow-up.js';
import { syncFollowUps, type FollowUpIssue } from './follow-up-sync.js';
import { sealBundle } from './bundle.js';
import { captureDashboards } from './dashboards.js';
import type { ArchivePlan } from './inputs.js';
import { snapshotMetrics } from './snapshots.js';
import { statusFileText } from './ownership.js';
import { stageCollectedFiles } from './step-files.js';

/** One Integration Day's archive, from a validated plan: collect, snapshot, capture, publish, upload, commit. */
export async function archive(o: {
  plan: ArchivePlan;
  workspace: string;
  startedAt: Date;
  resultPath?: string;
  /** The forge client, for follow-up issues and `commit-mode: pull-request`. */
  forge?: Forge;
}): Promise<void> {
  const { plan, startedAt } = o;
  const ws = o.workspace;
  const run = runInfo();
  const resultPath = o.resultPath ?? defaultResultPath('evidence-archive');
  const stageDir = join(
    plan.runnerTemp,
    'evidence-archive',
    `${plan.date}-${run.runId ?? 'local'}-${run.runAttempt ?? '1'}`,
  );
  const problems: string[] = [];
  const stage = await EvidenceStage.create(stageDir, run);
  log.info(
    `Integration Day ${plan.date}: evidence → ${plan.paths.evidenceDirRel}/, report → ${plan.paths.statusFileRel}`,
  );

  const results = await group('Collecting step results and files', () =>
    stageCollectedFiles({
      plan,
      stage,
      startedAt,
      run,
      problems,
      log: log.info,
      exclude: [plan.paths.evidenceDir, plan.paths.statusFile, stageDir, resultPath],
    }),
  );

  const metrics: ReportMetric[] =
    plan.prometheus && plan.queries.length
      ? await group(
          `Metric snapshots: ${plan.queries.length} quer${plan.queries.length === 1 ? 'y' : 'ies'} against ${plan.prometheus.url}`,
          () => snapshotMetrics({ plan, stage, end: startedAt, problems, log: log.info }),
        )
      : [];

  const dashboards: ReportDashboard[] = plan.dashboards.length
    ? await group(`Dashboard screenshots: ${plan.dashboards.length}`, () =>
        captureDashboards({ plan, stage, problems, log: log.info }),
      )
    : [];

  const bundle = await sealBundle({ plan, stage, metrics, dashboards, problems });
  const { manifest, artifact, artifactError, artifactRef } = bundle;

  // Before the report is rendered: it links each failed item's issue.
  let followUps: FollowUpIssue[] | undefined;
  let followUpError: Error | undefined;
  if (plan.followUp && o.forge) {
    const forge = o.forge;
    const items = dayItems(results.results, plan.followUp.incidentRunbooks);
    const failed = items.filter((i) => i.failed).length;
    followUps = await group(
      `Follow-up issues on ${forge.owner}/${forge.repo}: ${failed} failed item(s), ${items.length - failed} passed`,
      () =>
        syncFollowUps({
          forge,
          date: plan.date,
          items,
          links: followUpLinks(plan, forge, run.url, artifactRef?.url),
          assignees: plan.followUp!.assignees,
          log: log.info,
        }),
    ).then(
      (r) => {
        problems.push(...r.warnings);
        return r.issues;
      },
      (err: unknown) => {
        followUpError = toError(err);
        return undefined;
      },
    );
  }

  const report = renderStatusReport({
    date: plan.date,
    timeZone: plan.timeZone,
    generatedAt: new Date(),
    run,
    statusFileRel: plan.paths.statusFileRel,
    evidenceDirRel: plan.paths.evidenceDirRel,
    results: results.results,
    unreadable: results.unreadable,
    metrics,
    dashboards,
    manifest,
    ...(artifactRef ? { artifact: artifactRef } : {}),
    captureProblems: problems,
    expectedSteps: Object.fromEntries(
      Object.entries(plan.expectedSteps).map(([step, e]) => [step, e.result]),
    ),
    ...(followUps ? { followUps } : {}),
  });
  await group('Writing the evidence folder and the status report', async () => {
    const written = await stage.publish(manifest, plan.paths.evidenceDir, bundle.index);
    const existing = await readFile(plan.paths.statusFile, 'utf8').catch(() => undefined);
    await writeTextFile(plan.paths.statusFile, statusFileText(existing, report, plan.paths.statusFileRel));
    log.info(
      `${written.length} file(s) in ${plan.paths.evidenceDirRel}/ (${formatBytes(manifest.totals.repositoryBytes)}), report ${plan.paths.statusFileRel}`,
    );
  });

  let delivered: CommitOutcome | undefined;
  let commitError: Error | undefined;
  if (plan.commit) {
    const c = plan.commit;
    const where = c.mode === 'push' ? c.branch : `a pull request from ${c.branch} into ${c.target}`;
    delivered = await group(`Committing to ${where}`, () =>
      deliverCommit(
        c,
        {
          repoDir: ws,
          tempDir: plan.runnerTemp,
          log: log.info,
          paths: [plan.paths.evidenceDirRel],
          claims: [{ path: plan.paths.evidenceDirRel, markerFile: MANIFEST_NAME, marker: MANIFEST_MARKER }],
          // Rendered from the branch's own copy: another writer's section, or a person's notes, stay.
          renders: [
            {
              path: plan.paths.statusFileRel,
              render: (onBranch) => statusFileText(onBranch, report, plan.paths.statusFileRel),
            },
          ],
        },
        o.forge && {
          forge: o.forge,
          body: (files) =>
            renderPullRequestBody({
              what: 'Integration Day evidence',
              action: 'evidence-archive',
              date: plan.date,
              head: c.branch,
              files,
              ...(run.url ? { runUrl: run.url } : {}),
            }),
        },
      ),
    ).catch((err: unknown) => {
      commitError = toError(err);
      return undefined;
    });
  }

  await rm(stageDir, { recursive: true, force: true }).catch(() => {});
  await finishStep({
    action: 'evidence-archive',
    startedAt,
    resultPath: o.resultPath,
    status: commitError || artifactError || followUpError ? 'failure' : 'success',
    result: {
      date: plan.date,
      statusFile: plan.paths.statusFileRel,
      evidenceDir: plan.paths.evidenceDirRel,
      manifest: { path: `${plan.paths.evidenceDirRel}/${MANIFEST_NAME}`, ...manifest.totals },
      results: results.results.map((r) => ({
        action: r.envelope.action,
        status: r.envelope.status,
        path: r.entry?.path,
      })),
      metrics: metrics.map((m) => ({
        name: m.name,
        series: m.stats.length,
        ...(m.error ? { error: m.error } : {}),
      })),
      dashboards: dashboards.map((d) => ({
        name: d.name,
        ...(d.entry ? { path: d.entry.path } : {}),
        ...(d.error ? { error: d.error } : {}),
        ...(d.blank ? { blank: true } : {}),
      })),
      commit: delivered?.commit ?? (commitError ? { error: commitError.message } : null),
      pullRequest: delivered?.pullRequest ?? null,
      artifact: artifact ?? (artifactError ? { error: artifactError.message } : null),
      followUps: followUps ?? (followUpError ? { error: followUpError.message } : null),
      problems,
    },
    outputs: {
      date: plan.date,
      'status-file': plan.paths.statusFileRel,
      'evidence-dir': plan.paths.evidenceDirRel,
      'manifest-path': `${plan.paths.evidenceDirRel}/${MANIFEST_NAME}`,
      files: manifest.totals.files,
      'commit-sha': delivered?.commit.commitSha ?? '',
      pushed: delivered?.commit.pushed ?? false,
      'push-attempts': delivered?.commit.attempts ?? 0,
      'pull-request-number': delivered?.pullRequest ? String(delivered.pullRequest.number) : '',
      'pull-request-url': delivered?.pullRequest?.url ?? '',
      'artifact-id': artifact ? String(artifact.id) : '',
      'artifact-url': artifact?.url ?? '',
      'follow-up-issues': JSON.stringify(followUps ?? []),
    },
    summary: `${report}\n${summaryFooter(plan.paths.statusFileRel, manifest, delivered, commitError, artifact)}`,
    summaryFullAt: plan.paths.statusFileRel,
    annotations: [
      ...(commitError
        ? [
            {
              level: 'error' as const,
              message: commitError.message,
              title: 'evidence-archive: commit-back',
              rank: -1,
            },
          ]
        : []),
      ...(followUpError
        ? [
            {
              level: 'error' as const,
              message: `follow-up issues: ${followUpError.message}`,
              title: 'evidence-archive: follow-up issues',
              rank: -1,
            },
          ]
        : []),
      ...(delivered?.warnings ?? []).map((w) => ({
        level: 'warning' as const,
        message: w,
        title: 'evidence-archive: pull request',
        rank: -1,
      })),
      ...problems.map((p, i) => ({
        level: 'warning' as const,
        message: p,
        title: 'evidence-archive',
        rank: i,
      })),
    ],
    ...(commitError || artifactError || followUpError
      ? { fail: (commitError ?? artifactError ?? followUpError)! }
      : {}),
  });
}

/** Where the day's report, evidence and runbooks are on the forge, for the issues' bodies and comments. */
function followUpLinks(
  plan: ArchivePlan,
  forge: Forge,
  runUrl: string | undefined,
  artifactUrl: string | undefined,
): FollowUpLinks {
  const fileUrl = (branch: string, path: string) =>
    forgeFileUrl({
      kind: forge.kind,
      serverUrl: plan.followUp!.serverUrl,
      repository: `${forge.owner}/${forge.repo}`,
      branch,
      path,
    });
  const committedTo = plan.commit?.branch;
  const linkBranch = plan.followUp!.branch;
  const traceUrl = plan.followUp!.traceUrl;
  return {
    ...(runUrl ? { run: runUrl } : {}),
    ...(committedTo ? { report: fileUrl(committedTo, plan.paths.statusFileRel) } : {}),
    ...(committedTo ? { evidence: fileUrl(committedTo, `${plan.paths.evidenceDirRel}/README.md`) } : {}),
    ...(artifactUrl ? { artifact: artifactUrl } : {}),
    runbook: (r) => (/^https?:\/\//.test(r) || !linkBranch ? r : fileUrl(linkBranch, r)),
    ...(traceUrl ? { trace: (id: string) => traceUrl.replaceAll('{trace_id}', encodeURIComponent(id)) } : {}),
  };
}

function summaryFooter(
  statusFile: string,
  manifest: Manifest,
  delivered: CommitOutcome | undefined,
  commitError: Error | undefined,
  artifact: UploadedArtifact | undefined,
): string {
  const lines = [
    '---',
    `Archived ${manifest.totals.files} file(s), ${formatBytes(manifest.totals.bytes)}; report in \`${statusFile}\`.`,
  ];
  if (delivered) lines.push(...commitSummaryLines('evidence', delivered));
  if (commitError) lines.push(`Commit-back failed: ${commitError.message}`);
  if (artifact)
    lines.push(`Artifact [\`${artifact.name}\`](${artifact.url ?? '#'}) (${formatBytes(artifact.size)}).`);
  return `${lines.join('\n\n')}\n`;
}
