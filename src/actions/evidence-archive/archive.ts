import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultResultPath, emitAnnotations, group, log, runInfo, setOutputs, writeResultFile, writeSummary } from '../../lib/action/index.js';
import type { Annotation } from '../../lib/annotations.js';
import { toError } from '../../lib/errors.js';
import { writeTextFile } from '../../lib/files.js';
import { commitBack, type CommitBackResult } from '../../lib/git/index.js';
import { artifactServiceMissing, uploadArtifact, type UploadedArtifact } from '../../lib/evidence/artifact.js';
import { collectFiles } from '../../lib/evidence/collect.js';
import { renderEvidenceIndex } from '../../lib/evidence/index-readme.js';
import { LAYOUT, relativeLink, resultNames } from '../../lib/evidence/layout.js';
import { MANIFEST_NAME, type Manifest } from '../../lib/evidence/manifest.js';
import { renderStatusReport, type ReportDashboard, type ReportMetric, type ReportResult } from '../../lib/evidence/report.js';
import { isEnvelope, type AnyEnvelope } from '../../lib/evidence/results.js';
import { formatBytes } from '../../lib/evidence/sizes.js';
import { EvidenceStage } from '../../lib/evidence/stage.js';
import { captureDashboards } from './dashboards.js';
import type { ArchivePlan } from './inputs.js';
import { snapshotMetrics } from './snapshots.js';

/** Result files larger than this are archived but not parsed for the report. */
const MAX_PARSED_RESULT = 64 * 1024 * 1024;

/** One Integration Day's archive, from a validated plan: collect, snapshot, capture, publish, upload, commit. */
export async function archive(o: { plan: ArchivePlan; workspace: string; startedAt: Date; resultPath?: string }): Promise<void> {
  const { plan, startedAt } = o;
  const ws = o.workspace;
  const run = runInfo();
  const resultPath = o.resultPath ?? defaultResultPath('evidence-archive');
  const stageDir = join(plan.runnerTemp, 'evidence-archive', `${plan.date}-${run.runId ?? 'local'}-${run.runAttempt ?? '1'}`);
  const problems: string[] = [];
  const stage = await EvidenceStage.create(stageDir, run);
  log.info(`Integration Day ${plan.date}: evidence → ${plan.paths.evidenceDirRel}/, report → ${plan.paths.statusFileRel}`);

  const results = await group('Collecting step results and files', async () => {
    const { files, unmatched } = await collectFiles(plan.results, [plan.paths.evidenceDir, plan.paths.statusFile, stageDir, resultPath]);
    for (const u of unmatched) log.info(`no file matches ${u}`);
    const parsed: { file: (typeof files)[number]; envelope?: AnyEnvelope; error?: string }[] = [];
    for (const file of files) {
      if (!file.rel.endsWith('.json') || file.size > MAX_PARSED_RESULT) {
        parsed.push({ file });
        continue;
      }
      try {
        const value: unknown = JSON.parse(await readFile(file.abs, 'utf8'));
        parsed.push(isEnvelope(value) && value.action !== 'evidence-archive' ? { file, envelope: value } : { file });
      } catch (err) {
        parsed.push({ file, error: toError(err).message.split('\n')[0]! });
      }
    }
    const envelopes = parsed.filter((p) => p.envelope);
    const names = resultNames(envelopes.map((p) => ({ action: p.envelope!.action, ...(p.envelope!.run?.job ? { job: p.envelope!.run.job } : {}), source: p.file.rel })));
    const out: ReportResult[] = [];
    for (const [i, p] of envelopes.entries()) {
      const env = p.envelope!;
      const entry = await stage.addFile(p.file.abs, LAYOUT.result(names[i]!), {
        kind: 'result', source: `${p.file.root}:${p.file.rel}`, capturedAt: validDate(env.finishedAt) ?? startedAt, run: env.run ?? run, action: env.action, status: env.status,
      });
      // The report reads the archived (scrubbed) copy, so nothing it quotes can carry a secret.
      out.push({ envelope: JSON.parse(await readFile(join(stage.dir, ...entry.path.split('/')), 'utf8')) as AnyEnvelope, entry });
      log.info(`result ${env.action}: ${env.status} (${p.file.rel})`);
    }
    for (const p of parsed.filter((x) => !x.envelope)) {
      await stage.addFile(p.file.abs, LAYOUT.file(p.file.root, p.file.rel), { kind: 'file', source: `${p.file.root}:${p.file.rel}` });
    }
    const unreadable = parsed.filter((p) => p.error).map((p) => ({ source: `${p.file.root}:${p.file.rel}`, reason: p.error! }));
    for (const u of unreadable) problems.push(`${u.source} is not valid JSON (${u.reason}); archived as a plain file`);
    log.info(`${out.length} step result(s) and ${parsed.length - out.length} other file(s) archived`);
    return { results: out, unreadable };
  });

  const metrics: ReportMetric[] = plan.prometheus && plan.queries.length
    ? await group(`Metric snapshots: ${plan.queries.length} quer${plan.queries.length === 1 ? 'y' : 'ies'} against ${plan.prometheus.url}`, () =>
      snapshotMetrics({ plan, stage, end: startedAt, problems, log: log.info }))
    : [];

  const dashboards: ReportDashboard[] = plan.dashboards.length
    ? await group(`Dashboard screenshots: ${plan.dashboards.length}`, () => captureDashboards({ plan, stage, problems, log: log.info }))
    : [];

  const manifest = await stage.finish({ date: plan.date, createdAt: new Date(), maxFileSize: plan.maxFileSize, maxTotalSize: plan.maxTotalSize, ...(plan.artifact ? { artifactName: plan.artifact.name } : {}) });
  const titles: Record<string, string> = {};
  for (const m of metrics) if (m.chart) titles[m.chart.path] = m.panel ?? m.name;
  for (const d of dashboards) if (d.entry) titles[d.entry.path] = d.name;
  const statusLinkFromEvidence = relativeLink(`${plan.paths.evidenceDirRel}/README.md`, plan.paths.statusFileRel);
  await stage.writeIndex(renderEvidenceIndex({ manifest, statusReportLink: statusLinkFromEvidence, titles, ...(plan.artifact ? { artifact: { name: plan.artifact.name } } : {}) }));
  if (manifest.totals.artifactOnlyFiles) problems.push(`${manifest.totals.artifactOnlyFiles} file(s) (${formatBytes(manifest.totals.artifactOnlyBytes)}) exceed max-file-size/max-total-size and are in the artifact only`);

  let artifact: UploadedArtifact | undefined;
  let artifactError: Error | undefined;
  if (plan.artifact) {
    const missing = artifactServiceMissing();
    if (missing) {
      problems.push(`artifact not uploaded: ${missing}`);
    } else {
      artifact = await group(`Uploading artifact ${plan.artifact.name}`, () =>
        uploadArtifact({ name: plan.artifact!.name, root: stage.dir, files: stage.allPaths(manifest), retentionDays: plan.artifact!.retentionDays, log: log.info }),
      ).catch((err: unknown) => {
        artifactError = toError(err);
        problems.push(`artifact upload failed: ${artifactError.message}`);
        return undefined;
      });
      if (artifact) log.info(`artifact ${artifact.name}: id ${artifact.id}, ${formatBytes(artifact.size)}${artifact.url ? `, ${artifact.url}` : ''}`);
    }
  }
  const artifactRef = plan.artifact ? { name: artifact?.name ?? plan.artifact.name, ...(artifact ? { id: String(artifact.id) } : {}), ...(artifact?.url ? { url: artifact.url } : {}) } : undefined;

  const report = renderStatusReport({
    date: plan.date, timeZone: plan.timeZone, generatedAt: new Date(), run,
    statusFileRel: plan.paths.statusFileRel, evidenceDirRel: plan.paths.evidenceDirRel,
    results: results.results, unreadable: results.unreadable, metrics, dashboards, manifest,
    ...(artifactRef ? { artifact: artifactRef } : {}), captureProblems: problems, expectedSteps: plan.expectedSteps,
  });
  await group('Writing the evidence folder and the status report', async () => {
    const index = renderEvidenceIndex({ manifest, statusReportLink: statusLinkFromEvidence, titles, ...(artifactRef ? { artifact: artifactRef } : {}) });
    const written = await stage.publish(manifest, plan.paths.evidenceDir, index);
    await writeTextFile(plan.paths.statusFile, report);
    log.info(`${written.length} file(s) in ${plan.paths.evidenceDirRel}/ (${formatBytes(manifest.totals.repositoryBytes)}), report ${plan.paths.statusFileRel}`);
  });

  let commit: CommitBackResult | undefined;
  let commitError: Error | undefined;
  if (plan.commit) {
    const c = plan.commit;
    commit = await group(`Committing to ${c.branch}`, () =>
      commitBack({ repoDir: ws, paths: [plan.paths.statusFileRel, plan.paths.evidenceDirRel], branch: c.branch, message: c.message, pushAttempts: c.pushAttempts, tempDir: plan.runnerTemp, log: log.info }),
    ).catch((err: unknown) => {
      commitError = toError(err);
      return undefined;
    });
  }

  const finishedAt = new Date();
  const failed = commitError ?? artifactError;
  await writeResultFile(resultPath, {
    action: 'evidence-archive', schemaVersion: 1, status: failed ? 'failure' : 'success',
    startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), run,
    result: {
      date: plan.date, statusFile: plan.paths.statusFileRel, evidenceDir: plan.paths.evidenceDirRel,
      manifest: { path: `${plan.paths.evidenceDirRel}/${MANIFEST_NAME}`, ...manifest.totals },
      results: results.results.map((r) => ({ action: r.envelope.action, status: r.envelope.status, path: r.entry?.path })),
      metrics: metrics.map((m) => ({ name: m.name, series: m.stats.length, ...(m.error ? { error: m.error } : {}) })),
      dashboards: dashboards.map((d) => ({ name: d.name, ...(d.entry ? { path: d.entry.path } : {}), ...(d.error ? { error: d.error } : {}), ...(d.blank ? { blank: true } : {}) })),
      commit: commit ?? (commitError ? { error: commitError.message } : null),
      artifact: artifact ?? (artifactError ? { error: artifactError.message } : null),
      problems,
    },
  });
  setOutputs({
    date: plan.date,
    'status-file': plan.paths.statusFileRel,
    'evidence-dir': plan.paths.evidenceDirRel,
    'manifest-path': `${plan.paths.evidenceDirRel}/${MANIFEST_NAME}`,
    files: manifest.totals.files,
    'commit-sha': commit?.commitSha ?? '',
    pushed: commit?.pushed ?? false,
    'push-attempts': commit?.attempts ?? 0,
    'artifact-id': artifact ? String(artifact.id) : '',
    'artifact-url': artifact?.url ?? '',
    'result-path': resultPath,
  });
  await writeSummary(`${report}\n${summaryFooter(plan.paths.statusFileRel, manifest, commit, commitError, artifact)}`, plan.paths.statusFileRel);
  const annotations: Annotation[] = problems.map((p, i) => ({ level: 'warning', message: p, title: 'evidence-archive', rank: i }));
  if (commitError) annotations.unshift({ level: 'error', message: commitError.message, title: 'evidence-archive: commit-back', rank: -1 });
  emitAnnotations(annotations);
  await rm(stageDir, { recursive: true, force: true }).catch(() => {});
  if (failed) throw failed;
}

function summaryFooter(statusFile: string, manifest: Manifest, commit: CommitBackResult | undefined, commitError: Error | undefined, artifact: UploadedArtifact | undefined): string {
  const lines = ['---', `Archived ${manifest.totals.files} file(s), ${formatBytes(manifest.totals.bytes)}; report in \`${statusFile}\`.`];
  if (commit?.pushed) lines.push(`Committed \`${commit.commitSha.slice(0, 12)}\` to \`${commit.branch}\` (${commit.attempts} push attempt(s), ${commit.rebases} rebase(s)).`);
  else if (commit?.upToDate) lines.push(`\`${commit.branch}\` already had this evidence; nothing was committed.`);
  if (commitError) lines.push(`Commit-back failed: ${commitError.message}`);
  if (artifact) lines.push(`Artifact [\`${artifact.name}\`](${artifact.url ?? '#'}) (${formatBytes(artifact.size)}).`);
  return `${lines.join('\n\n')}\n`;
}

function validDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
