import { group, log } from '../../lib/action/index.js';
import { toError } from '../../lib/errors.js';
import {
  artifactServiceMissing,
  uploadArtifact,
  type UploadedArtifact,
} from '../../lib/evidence/artifact.js';
import { renderEvidenceIndex } from '../../lib/evidence/index-readme.js';
import { relativeLink } from '../../lib/evidence/layout.js';
import { withoutArtifact, type Manifest } from '../../lib/evidence/manifest.js';
import type { ReportDashboard, ReportMetric } from '../../lib/evidence/report.js';
import { formatBytes } from '../../lib/evidence/sizes.js';
import type { EvidenceStage } from '../../lib/evidence/stage.js';
import type { ArchivePlan } from './inputs.js';

export interface SealedBundle {
  manifest: Manifest;
  artifact?: UploadedArtifact;
  artifactError?: Error;
  /** The artifact as the report and the index link it (only when it was really uploaded). */
  artifactRef?: { name: string; id: string; url?: string };
  /** The evidence README as committed to the repository. */
  index: string;
}

/**
 * Closes the staged bundle: the manifest (which files fit in the repository), the index, the
 * artifact upload. What was meant for an artifact that does not exist is marked as not kept, so
 * the repository copy never points at an artifact that is not there.
 */
export async function sealBundle(o: {
  plan: ArchivePlan;
  stage: EvidenceStage;
  metrics: ReportMetric[];
  dashboards: ReportDashboard[];
  problems: string[];
}): Promise<SealedBundle> {
  const { plan, stage, problems } = o;
  let manifest = await stage.finish({
    date: plan.date,
    createdAt: new Date(),
    maxFileSize: plan.maxFileSize,
    maxTotalSize: plan.maxTotalSize,
    ...(plan.artifact ? { artifactName: plan.artifact.name } : {}),
  });
  const titles: Record<string, string> = {};
  for (const m of o.metrics) if (m.chart) titles[m.chart.path] = m.panel ?? m.name;
  for (const d of o.dashboards) if (d.entry) titles[d.entry.path] = d.name;
  const statusReportLink = relativeLink(`${plan.paths.evidenceDirRel}/README.md`, plan.paths.statusFileRel);
  const index = (artifact?: { name: string; url?: string }) =>
    renderEvidenceIndex({ manifest, statusReportLink, titles, ...(artifact ? { artifact } : {}) });
  // The artifact carries its own index, written before the upload.
  await stage.writeIndex(index(plan.artifact ? { name: plan.artifact.name } : undefined));

  const upload = plan.artifact ? await uploadBundle(plan.artifact, stage, manifest, problems) : {};
  if (plan.artifact && !upload.artifact) {
    manifest = withoutArtifact(manifest);
    await stage.writeManifest(manifest);
  }
  noteSizeLimits(manifest, Boolean(plan.artifact), problems);
  const a = upload.artifact;
  const artifactRef = a ? { name: a.name, id: String(a.id), ...(a.url ? { url: a.url } : {}) } : undefined;
  return { manifest, ...upload, ...(artifactRef ? { artifactRef } : {}), index: index(artifactRef) };
}

async function uploadBundle(
  target: NonNullable<ArchivePlan['artifact']>,
  stage: EvidenceStage,
  manifest: Manifest,
  problems: string[],
): Promise<{ artifact?: UploadedArtifact; artifactError?: Error }> {
  const missing = artifactServiceMissing();
  if (missing) {
    problems.push(`artifact not uploaded: ${missing}`);
    return {};
  }
  try {
    const artifact = await group(`Uploading artifact ${target.name}`, () =>
      uploadArtifact({
        name: target.name,
        root: stage.dir,
        files: stage.allPaths(manifest),
        retentionDays: target.retentionDays,
        log: log.info,
      }),
    );
    const where = artifact.url ? `, ${artifact.url}` : '';
    log.info(`artifact ${artifact.name}: id ${artifact.id}, ${formatBytes(artifact.size)}${where}`);
    return { artifact };
  } catch (err) {
    const artifactError = toError(err);
    problems.push(`artifact upload failed: ${artifactError.message}`);
    return { artifactError };
  }
}

function noteSizeLimits(manifest: Manifest, artifactAsked: boolean, problems: string[]): void {
  const t = manifest.totals;
  if (t.artifactOnlyFiles) {
    problems.push(
      `${t.artifactOnlyFiles} file(s) (${formatBytes(t.artifactOnlyBytes)}) exceed max-file-size/max-total-size and are in the artifact only`,
    );
  }
  if (t.notKeptFiles) {
    problems.push(
      `${t.notKeptFiles} file(s) (${formatBytes(t.notKeptBytes)}) exceed max-file-size/max-total-size and were not kept ` +
        `(${artifactAsked ? 'the artifact was not uploaded' : 'artifact: false'}); their hashes are in the manifest`,
    );
  }
}
