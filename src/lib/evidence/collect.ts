import { realpath, stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { glob } from 'tinyglobby';

/** A glob under one of the roots evidence may be read from. */
export interface ResultSource {
  /** The glob as the user wrote it (for messages). */
  pattern: string;
  root: 'workspace' | 'runner-temp';
  rootDir: string;
  /** The glob relative to rootDir. */
  glob: string;
}

export interface CollectedFile {
  abs: string;
  root: 'workspace' | 'runner-temp';
  /** Relative to its root, forward slashes. */
  rel: string;
  size: number;
}

/**
 * Finds the files the globs name, once each, in a stable order. Files under `exclude` (the evidence
 * folder, the status report, the staging folder, .git) are skipped so a run never archives its own
 * output; symbolic links that lead outside their root are skipped too.
 */
export async function collectFiles(sources: readonly ResultSource[], exclude: readonly string[]): Promise<{ files: CollectedFile[]; unmatched: string[] }> {
  const seen = new Map<string, CollectedFile>();
  const unmatched: string[] = [];
  const excluded = exclude.map((e) => resolve(e));
  for (const s of sources) {
    const matches = await glob(s.glob, { cwd: s.rootDir, absolute: true, onlyFiles: true, dot: false, followSymbolicLinks: false, expandDirectories: false });
    let kept = 0;
    for (const m of matches.sort()) {
      const abs = resolve(m);
      if (excluded.some((e) => abs === e || abs.startsWith(`${e}${sep}`)) || abs.split(sep).includes('.git')) continue;
      const real = await realpath(abs).catch(() => undefined);
      const rootReal = await realpath(s.rootDir).catch(() => s.rootDir);
      if (!real || relative(rootReal, real).startsWith('..')) continue;
      const st = await stat(real).catch(() => undefined);
      if (!st?.isFile()) continue;
      kept++;
      if (!seen.has(abs)) seen.set(abs, { abs, root: s.root, rel: relative(s.rootDir, abs).split(sep).join('/'), size: st.size });
    }
    if (kept === 0) unmatched.push(s.pattern);
  }
  const files = [...seen.values()].sort((a, b) => (a.root + a.rel < b.root + b.rel ? -1 : 1));
  return { files, unmatched };
}
