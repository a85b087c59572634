import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunInfo } from '../step-result.js';
import { hashFile } from './hash.js';

export type EvidenceKind = 'result' | 'metric' | 'chart' | 'screenshot' | 'file';

/** One archived file. `path` is relative to the evidence folder, with forward slashes. */
export interface ManifestEntry {
  path: string;
  sha256: string;
  size: number;
  kind: EvidenceKind;
  mediaType: string;
  /** Where it came from: `workspace:<path>`, `runner-temp:<path>`, `prometheus:<query name>`, `dashboard:<url>`, ... */
  source: string;
  capturedAt: string;
  runId?: string;
  runAttempt?: string;
  runUrl?: string;
  /**
   * `repository`: committed with the report; `artifact`: too large, kept in the workflow artifact
   * only; `not-kept`: too large, and there is no artifact to keep it in (listed, hashed, not stored).
   */
  stored: 'repository' | 'artifact' | 'not-kept';
  /** Secret values removed while copying. */
  redactions?: number;
  /** For the other actions' result files: which action and how it ended. */
  action?: string;
  status?: string;
}

export interface Manifest {
  schemaVersion: 1;
  date: string;
  createdAt: string;
  run: RunInfo;
  algorithm: 'sha256';
  artifact?: { name: string };
  limits: { maxFileSize: number; maxTotalSize: number };
  totals: {
    files: number;
    bytes: number;
    repositoryFiles: number;
    repositoryBytes: number;
    artifactOnlyFiles: number;
    artifactOnlyBytes: number;
    notKeptFiles: number;
    notKeptBytes: number;
  };
  files: ManifestEntry[];
}

export const MANIFEST_NAME = 'manifest.json';
/** Text every manifest this action writes contains: an evidence folder without it is not ours. */
export const MANIFEST_MARKER = '"algorithm": "sha256"';
export const INDEX_NAME = 'README.md';

export function buildManifest(
  m: Omit<Manifest, 'schemaVersion' | 'algorithm' | 'totals' | 'files'> & { files: ManifestEntry[] },
): Manifest {
  const files = [...m.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const repo = files.filter((f) => f.stored === 'repository');
  const art = files.filter((f) => f.stored === 'artifact');
  const dropped = files.filter((f) => f.stored === 'not-kept');
  const sum = (fs: ManifestEntry[]) => fs.reduce((n, f) => n + f.size, 0);
  return {
    schemaVersion: 1,
    date: m.date,
    createdAt: m.createdAt,
    run: m.run,
    algorithm: 'sha256',
    ...(m.artifact ? { artifact: m.artifact } : {}),
    limits: m.limits,
    totals: {
      files: files.length,
      bytes: sum(files),
      repositoryFiles: repo.length,
      repositoryBytes: sum(repo),
      artifactOnlyFiles: art.length,
      artifactOnlyBytes: sum(art),
      notKeptFiles: dropped.length,
      notKeptBytes: sum(dropped),
    },
    files,
  };
}

export interface Verification {
  verified: string[];
  mismatched: { path: string; expected: string; actual: string; expectedSize: number; actualSize: number }[];
  missing: string[];
  /** Artifact-only files, expected to be absent from a repository copy. */
  notHere: string[];
}

/**
 * Re-hashes every file the manifest lists from disk. In the repository copy, artifact-only files are
 * expected to be absent; in the artifact (`artifactCopy`) every file must be present.
 */
export async function verifyEvidence(
  dir: string,
  opts: { artifactCopy?: boolean } = {},
): Promise<Verification> {
  const manifest = JSON.parse(await readFile(join(dir, MANIFEST_NAME), 'utf8')) as Manifest;
  const out: Verification = { verified: [], mismatched: [], missing: [], notHere: [] };
  for (const f of manifest.files) {
    const actual = await hashFile(join(dir, ...f.path.split('/'))).catch(() => undefined);
    if (!actual) {
      if (f.stored === 'not-kept' || (f.stored === 'artifact' && !opts.artifactCopy))
        out.notHere.push(f.path);
      else out.missing.push(f.path);
    } else if (actual.sha256 !== f.sha256 || actual.size !== f.size) {
      out.mismatched.push({
        path: f.path,
        expected: f.sha256,
        actual: actual.sha256,
        expectedSize: f.size,
        actualSize: actual.size,
      });
    } else {
      out.verified.push(f.path);
    }
  }
  return out;
}

const MEDIA_TYPES: Record<string, string> = {
  json: 'application/json',
  md: 'text/markdown',
  txt: 'text/plain',
  log: 'text/plain',
  xml: 'application/xml',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  html: 'text/html',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  csv: 'text/csv',
};

export function mediaTypeOf(path: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  return MEDIA_TYPES[ext] ?? 'application/octet-stream';
}

/** The manifest once the artifact is known to be missing: what was meant for it was not kept. */
export function withoutArtifact(m: Manifest): Manifest {
  const { artifact: _dropped, ...rest } = m;
  return buildManifest({
    ...rest,
    files: m.files.map((f) => (f.stored === 'artifact' ? { ...f, stored: 'not-kept' as const } : f)),
  });
}
