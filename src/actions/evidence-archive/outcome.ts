// The end of an evidence-archive step, from what the run gathered: the result file, the outputs, the
// summary and the annotations. Pure: the same facts always give the same end.
import type { StepEnd } from '../../lib/action/index.js';
import type { Annotation } from '../../lib/annotations.js';
import type { UploadedArtifact } from '../../lib/evidence/artifact.js';
import { MANIFEST_NAME, type Manifest } from '../../lib/evidence/manifest.js';
import type { ReportDashboard, ReportMetric, ReportResult } from '../../lib/evidence/report.js';
import { formatBytes } from '../../lib/evidence/sizes.js';
import { commitSummaryLines, type CommitOutcome } from '../../lib/git/index.js';
import type { SealedBundle } from './bundle.js';
import type { FollowUpIssue } from './follow-up-sync.js';
import type { ArchivePlan } from './inputs.js';
import type { PanelFinding } from '../../lib/evidence/panel-limits.js';

export interface ArchiveFacts {
  plan: ArchivePlan;
  startedAt: Date;
  resultPath: string | undefined;
  results: ReportResult[];
  metrics: ReportMetric[];
  dashboards: ReportDashboard[];
  bundle: SealedBundle;
  report: string;
  delivered?: CommitOutcome | undefined;
  commitError?: Error | undefined;
  followUps?: FollowUpIssue[] | undefined;
  followUpError?: Error | undefined;
  /** Panels outside their threshold or regression limit (`queries`). */
  panelFindings?: PanelFinding[] | undefined;
  problems: string[];
}

export function archiveStepEnd(f: ArchiveFacts): StepEnd<Record<string, unknown>> {
  const { plan, startedAt, metrics, dashboards, report, delivered, commitError, followUps, followUpError } =
    f;
  const { manifest, artifact, artifactError } = f.bundle;
  const problems = f.problems;
  const findings = f.panelFindings ?? [];
  const panelFailure = panelsFailed(findings);
  const fail = commitError ?? artifactError ?? followUpError ?? panelFailure;
  return {
    action: 'evidence-archive',
    startedAt,
    resultPath: f.resultPath,
    status: fail ? 'failure' : 'success',
    result: {
      date: plan.date,
      statusFile: plan.paths.statusFileRel,
      evidenceDir: plan.paths.evidenceDirRel,
      manifest: { path: `${plan.paths.evidenceDirRel}/${MANIFEST_NAME}`, ...manifest.totals },
      results: f.results.map((r) => ({
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
      panelFindings: findings,
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
      ...shardAnnotations(f.results),
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
      ...findings.map((p) => ({
        level: p.severity === 'failure' ? ('error' as const) : ('warning' as const),
        message: `${p.title}${p.series ? ` ${p.series}` : ''}: ${p.detail}${p.owner ? ` (owner: ${p.owner})` : ''}`,
        title: `evidence-archive: panel ${p.kind === 'threshold' ? 'threshold' : 'regression'}`,
        rank: p.severity === 'failure' ? 0 : 1,
      })),
      ...problems.map((p, i) => ({
        level: 'warning' as const,
        message: p,
        title: 'evidence-archive',
        rank: i,
      })),
    ],
    ...(fail ? { fail } : {}),
  };
}

/**
 * A sharded smoke job's shards leave their annotations in their results; the merge kept each once,
 * ranked across the shards within smoke-suite's per-level limit, and this step shows them.
 */
function shardAnnotations(results: readonly ReportResult[]): Annotation[] {
  return results.flatMap((r) => {
    const doc = r.envelope.result as { spread?: unknown; annotations?: unknown } | null;
    if (r.envelope.action !== 'smoke-suite' || !doc?.spread || !Array.isArray(doc.annotations)) return [];
    return (doc.annotations as Annotation[]).filter(
      (a) => ['error', 'warning', 'notice'].includes(a.level) && typeof a.message === 'string',
    );
  });
}

/** Panels whose limits were set with `severity: failure` fail the step, after everything was committed. */
function panelsFailed(findings: readonly PanelFinding[]): Error | undefined {
  const failed = findings.filter((f) => f.severity === 'failure');
  if (failed.length === 0) return undefined;
  const names = [...new Set(failed.map((f) => f.title))].join(', ');
  return new Error(
    `${failed.length} panel limit(s) of severity failure broken: ${names} (see the status report)`,
  );
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
