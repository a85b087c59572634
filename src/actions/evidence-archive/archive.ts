import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultResultPath, finishStep, group, log, runInfo } from '../../lib/action/index.js';
import { toError } from '../../lib/errors.js';
import { writeTextFile } from '../../lib/files.js';
import { deliverCommit, renderPullRequestBody, type CommitOutcome } from '../../lib/git/index.js';
import { MANIFEST_MARKER, MANIFEST_NAME } from '../../lib/evidence/manifest.js';
import {
  renderStatusReport,
  type ReportDashboard,
  type ReportMetric,
  type ReportResult,
} from '../../lib/evidence/report.js';
import type { RunInfo } from '../../lib/step-result.js';
import { archiveStepEnd } from './outcome.js';
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
import { readPreviousDay } from './previous-day.js';
import { weekOverWeek, type WeekOverWeek } from './week.js';

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

  const week = await group('Since last week', () => compareWithLastWeek(plan, ws, results.results, metrics));

  const bundle = await sealBundle({ plan, stage, metrics, dashboards, problems });
  const { manifest, artifactRef } = bundle;

  // Before the report is rendered: it links each failed item's issue.
  const { followUps, followUpError } = await openFollowUps(plan, o.forge, results.results, {
    run,
    artifactUrl: artifactRef?.url,
    problems,
  });

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
    expectedClusters: Object.fromEntries(
      Object.entries(plan.expectedSteps).flatMap(([step, e]) => (e.clusters ? [[step, e.clusters]] : [])),
    ),
    ...(followUps ? { followUps } : {}),
    sinceLastWeek: week.sinceLastWeek,
    panelFindings: week.panelFindings,
  });
  await group('Writing the evidence folder and the status report', async () => {
    const written = await stage.publish(manifest, plan.paths.evidenceDir, bundle.index);
    const existing = await readFile(plan.paths.statusFile, 'utf8').catch(() => undefined);
    await writeTextFile(plan.paths.statusFile, statusFileText(existing, report, plan.paths.statusFileRel));
    log.info(
      `${written.length} file(s) in ${plan.paths.evidenceDirRel}/ (${formatBytes(manifest.totals.repositoryBytes)}), report ${plan.paths.statusFileRel}`,
    );
  });

  const { delivered, commitError } = await commitEvidence(plan, ws, report, run.url, o.forge);

  await rm(stageDir, { recursive: true, force: true }).catch(() => {});
  await finishStep(
    archiveStepEnd({
      plan,
      startedAt,
      resultPath: o.resultPath,
      results: results.results,
      metrics,
      dashboards,
      bundle,
      report,
      delivered,
      commitError,
      followUps,
      followUpError,
      panelFindings: week.panelFindings,
      problems,
    }),
  );
}

/** The earlier day read back from the checkout and compared; a day it cannot read is said, never fatal. */
async function compareWithLastWeek(
  plan: ArchivePlan,
  workspace: string,
  results: ReportResult[],
  metrics: ReportMetric[],
): Promise<WeekOverWeek> {
  const previous = await readPreviousDay({ workspace, date: plan.date, templates: plan.templates });
  log.info(
    previous
      ? `compared with ${previous.date} (${previous.evidenceDirRel}/): ${previous.panels.length} panel(s), ${previous.smoke ? `${previous.smoke.failing.length} failing smoke test(s)` : 'no smoke-suite result'}`
      : `no earlier day than ${plan.date} in this checkout to compare with`,
  );
  const week = weekOverWeek({ previous, results, metrics, queries: plan.queries });
  for (const f of week.panelFindings) log.info(`panel ${f.panel}: ${f.kind} (${f.severity}): ${f.detail}`);
  return week;
}

/** The follow-up issues of the day's items, opened, commented or closed; an error does not stop the day. */
async function openFollowUps(
  plan: ArchivePlan,
  forge: Forge | undefined,
  results: ReportResult[],
  ctx: { run: RunInfo; artifactUrl: string | undefined; problems: string[] },
): Promise<{ followUps?: FollowUpIssue[]; followUpError?: Error }> {
  if (!plan.followUp || !forge) return {};
  let followUpError: Error | undefined;
  const items = dayItems(results, plan.followUp.incidentRunbooks);
  const failed = items.filter((i) => i.failed).length;
  const followUps = await group(
    `Follow-up issues on ${forge.owner}/${forge.repo}: ${failed} failed item(s), ${items.length - failed} passed`,
    () =>
      syncFollowUps({
        forge,
        date: plan.date,
        items,
        links: followUpLinks(plan, forge, ctx.run.url, ctx.artifactUrl),
        assignees: plan.followUp!.assignees,
        log: log.info,
      }),
  ).then(
    (r) => {
      ctx.problems.push(...r.warnings);
      return r.issues;
    },
    (err: unknown) => {
      followUpError = toError(err);
      return undefined;
    },
  );
  return { ...(followUps ? { followUps } : {}), ...(followUpError ? { followUpError } : {}) };
}

/** The evidence folder and the report committed back: pushed, or in a pull request. */
async function commitEvidence(
  plan: ArchivePlan,
  workspace: string,
  report: string,
  runUrl: string | undefined,
  forge: Forge | undefined,
): Promise<{ delivered?: CommitOutcome; commitError?: Error }> {
  if (!plan.commit) return {};
  let commitError: Error | undefined;
  const c = plan.commit;
  const where = c.mode === 'push' ? c.branch : `a pull request from ${c.branch} into ${c.target}`;
  const delivered = await group(`Committing to ${where}`, () =>
    deliverCommit(
      c,
      {
        repoDir: workspace,
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
      forge && {
        forge: forge,
        body: (files) =>
          renderPullRequestBody({
            what: 'Integration Day evidence',
            action: 'evidence-archive',
            date: plan.date,
            head: c.branch,
            files,
            ...(runUrl ? { runUrl } : {}),
          }),
      },
    ),
  ).catch((err: unknown) => {
    commitError = toError(err);
    return undefined;
  });
  return { ...(delivered ? { delivered } : {}), ...(commitError ? { commitError } : {}) };
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
