import { copyFile, mkdir, rm, writeFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RunInfo } from '../step-result.js';
import { redactor as defaultRedactor, type Redactor } from '../redact.js';
import { archiveFile, sha256Of } from './hash.js';
import {
  buildManifest,
  INDEX_NAME,
  MANIFEST_NAME,
  mediaTypeOf,
  type EvidenceKind,
  type Manifest,
  type ManifestEntry,
} from './manifest.js';
import { countMasks, scrubText } from './scrub.js';
import { assignStorage } from './sizes.js';

export type StagedEntry = Omit<ManifestEntry, 'stored'>;

export interface EntryMeta {
  kind: EvidenceKind;
  source: string;
  capturedAt?: Date;
  /** The run that produced the file, when it is not this run (a result from another job). */
  run?: RunInfo;
  action?: string;
  status?: string;
}

/** Commit priority when the size budget is tight: the report's inputs first, bulky extras last. */
const PRIORITY: Record<EvidenceKind, number> = { result: 0, metric: 1, chart: 2, screenshot: 3, file: 4 };

/**
 * The complete bundle, assembled in a staging folder outside the repository (it is what the
 * artifact contains). Every file is scrubbed of secrets on the way in and hashed as written.
 */
export class EvidenceStage {
  private readonly entries = new Map<string, StagedEntry>();
  private readonly knownDirs = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly run: RunInfo,
    private readonly secrets: Redactor = defaultRedactor,
  ) {}

  static async create(dir: string, run: RunInfo, secrets?: Redactor): Promise<EvidenceStage> {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return new EvidenceStage(dir, run, secrets);
  }

  get files(): StagedEntry[] {
    return [...this.entries.values()];
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  /** Where an entry is in the staging folder. */
  pathOf(path: string): string {
    return this.abs(path);
  }

  /** Copies a file in (text scrubbed, binary verbatim); `src` is raw bytes for a name that is not UTF-8. */
  async addFile(src: string | Buffer, path: string, meta: EntryMeta): Promise<StagedEntry> {
    this.claim(path);
    // The staging folder is private to this run: files are written in place, folders made once.
    const r = await archiveFile(src, this.abs(path), {
      secrets: this.secrets,
      inPlace: true,
      knownDirs: this.knownDirs,
    });
    return this.record(path, r.sha256, r.size, meta, r.redactions);
  }

  /** Writes text we produced (snapshots, charts), scrubbed like everything else. */
  async addText(path: string, text: string, meta: EntryMeta): Promise<StagedEntry> {
    this.claim(path);
    const clean = scrubText(text, this.secrets);
    const data = Buffer.from(clean, 'utf8');
    await this.write(path, data);
    return this.record(
      path,
      sha256Of(data),
      data.length,
      meta,
      Math.max(0, countMasks(clean) - countMasks(text)),
    );
  }

  /** Writes bytes we produced (screenshots). */
  async addBytes(path: string, data: Uint8Array, meta: EntryMeta): Promise<StagedEntry> {
    this.claim(path);
    await this.write(path, data);
    return this.record(path, sha256Of(data), data.length, meta, 0);
  }

  /**
   * The manifest: which files are committed and which stay in the artifact only (by size, in
   * priority order), written into the staging folder.
   */
  async finish(m: {
    date: string;
    createdAt: Date;
    maxFileSize: number;
    maxTotalSize: number;
    artifactName?: string;
  }): Promise<Manifest> {
    const ordered = this.files.sort(
      (a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
    );
    // Without an artifact, what does not fit in the repository is listed and hashed but not kept.
    const stored = assignStorage(
      ordered.map((f) => f.size),
      m.maxFileSize,
      m.maxTotalSize,
      m.artifactName ? 'artifact' : 'not-kept',
    );
    const manifest = buildManifest({
      date: m.date,
      createdAt: m.createdAt.toISOString(),
      run: this.run,
      ...(m.artifactName ? { artifact: { name: m.artifactName } } : {}),
      limits: { maxFileSize: m.maxFileSize, maxTotalSize: m.maxTotalSize },
      files: ordered.map((f, i) => ({ ...f, stored: stored[i]! })),
    });
    await this.writeManifest(manifest);
    return manifest;
  }

  /** (Re)writes the manifest file, e.g. once the artifact turned out to be missing. */
  async writeManifest(manifest: Manifest): Promise<void> {
    await this.write(
      MANIFEST_NAME,
      Buffer.from(scrubText(`${JSON.stringify(manifest, null, 2)}\n`, this.secrets)),
    );
  }

  async writeIndex(markdown: string): Promise<void> {
    await this.write(INDEX_NAME, Buffer.from(scrubText(markdown, this.secrets)));
  }

  /** Every file of the bundle (for the artifact), absolute. */
  allPaths(manifest: Manifest): string[] {
    return [...manifest.files.map((f) => this.abs(f.path)), this.abs(MANIFEST_NAME), this.abs(INDEX_NAME)];
  }

  /**
   * Replaces `evidenceDir` with the committed part of the bundle: the files stored in the
   * repository, the manifest and the index (`index` lets the repository copy link the artifact).
   */
  async publish(manifest: Manifest, evidenceDir: string, index: string): Promise<string[]> {
    const tmp = `${evidenceDir}.tmp-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    const written: string[] = [];
    for (const f of manifest.files.filter((x) => x.stored === 'repository')) {
      const dst = join(tmp, ...f.path.split('/'));
      await mkdir(dirname(dst), { recursive: true });
      await copyFile(this.abs(f.path), dst);
      written.push(f.path);
    }
    await mkdir(tmp, { recursive: true });
    await copyFile(this.abs(MANIFEST_NAME), join(tmp, MANIFEST_NAME));
    await writeFile(join(tmp, INDEX_NAME), scrubText(index, this.secrets));
    // Swap the folder in whole: a reader never sees a mix of two runs.
    await rm(evidenceDir, { recursive: true, force: true });
    await mkdir(dirname(evidenceDir), { recursive: true });
    await rename(tmp, evidenceDir);
    return [...written, MANIFEST_NAME, INDEX_NAME];
  }

  private claim(path: string): void {
    if (this.entries.has(path) || path === MANIFEST_NAME || path === INDEX_NAME)
      throw new Error(`two evidence files would be written to ${path}`);
    if (path.split('/').some((s) => s === '..' || s === '.' || s === '') || path.startsWith('/'))
      throw new Error(`evidence path ${JSON.stringify(path)} is not a plain relative path`);
  }

  private abs(path: string): string {
    return join(this.dir, ...path.split('/'));
  }

  private async write(path: string, data: Uint8Array): Promise<void> {
    const abs = this.abs(path);
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, data);
  }

  private record(
    path: string,
    sha256: string,
    size: number,
    meta: EntryMeta,
    redactions: number,
  ): StagedEntry {
    const run = meta.run ?? this.run;
    const entry: StagedEntry = {
      path,
      sha256,
      size,
      kind: meta.kind,
      mediaType: mediaTypeOf(path),
      source: scrubText(meta.source, this.secrets),
      capturedAt: (meta.capturedAt ?? new Date()).toISOString(),
      ...(run.runId ? { runId: run.runId } : {}),
      ...(run.runAttempt ? { runAttempt: run.runAttempt } : {}),
      ...(run.url ? { runUrl: run.url } : {}),
      ...(redactions > 0 ? { redactions } : {}),
      ...(meta.action ? { action: meta.action } : {}),
      ...(meta.status ? { status: meta.status } : {}),
    };
    this.entries.set(path, entry);
    return entry;
  }
}
