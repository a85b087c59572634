import { readdir, realpath, stat } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { isInside } from '../real-path.js';
import { glob } from 'tinyglobby';

/** A glob under one of the roots evidence may be read from. */
export interface ResultSource {
  /** The glob as the user wrote it (for messages). */
  pattern: string;
  root: 'workspace' | 'runner-temp';
  rootDir: string;
  /** The glob relative to rootDir. */
  glob: string;
  /** The folder the glob names, relative to rootDir ('' for the root itself), forward slashes. */
  base: string;
}

export interface CollectedFile {
  /** The path to open: a string, or the raw bytes when the name is not valid UTF-8. */
  abs: string | Buffer;
  root: 'workspace' | 'runner-temp';
  /** Relative to its root, forward slashes (raw bytes when the name is not valid UTF-8). */
  rel: string | Buffer;
  /** The folder of the glob that found it (ResultSource.base). */
  base: string;
  size: number;
}

/**
 * Finds the files the globs name, once each, in a stable order. Files under `exclude` (the evidence
 * folder, the status report, the staging folder, .git) are skipped so a run never archives its own
 * output; symbolic links that lead outside their root are skipped too.
 */
export async function collectFiles(
  sources: readonly ResultSource[],
  exclude: readonly string[],
): Promise<{ files: CollectedFile[]; unmatched: string[] }> {
  const seen = new Map<string, CollectedFile>();
  const unmatched: string[] = [];
  // Compared as real paths: a link into an excluded folder or into .git is caught by where it leads.
  const excluded = await Promise.all(exclude.map((e) => realpath(e).catch(() => resolve(e))));
  for (const s of sources) {
    const matches = await glob(s.glob, {
      cwd: s.rootDir,
      absolute: true,
      onlyFiles: true,
      dot: false,
      followSymbolicLinks: false,
      expandDirectories: false,
    });
    const rootReal = await realpath(s.rootDir).catch(() => s.rootDir);
    let kept = 0;
    for (const m of matches.sort()) {
      // A name that is not valid UTF-8 reaches us with U+FFFD in it and cannot be opened by that
      // string: find its real bytes in the folder.
      const paths: (string | Buffer)[] = m.includes('\uFFFD')
        ? await rawPaths(s.rootDir, relative(s.rootDir, m))
        : [resolve(m)];
      for (const abs of paths) {
        const real = await (typeof abs === 'string' ? realpath(abs) : realpath(abs, 'buffer')).catch(
          () => undefined,
        );
        const realText = real === undefined ? undefined : String(real);
        const linkText = String(abs);
        if (!realText || !readable(realText, rootReal, excluded) || linkText.split(sep).includes('.git'))
          continue;
        const st = await stat(real!).catch(() => undefined);
        if (!st?.isFile()) continue;
        kept++;
        const key = typeof abs === 'string' ? abs : abs.toString('hex');
        const rel =
          typeof abs === 'string'
            ? relative(s.rootDir, abs).split(sep).join('/')
            : abs.subarray(Buffer.byteLength(resolve(s.rootDir)) + 1);
        if (!seen.has(key)) seen.set(key, { abs, root: s.root, rel, base: s.base, size: st.size });
      }
    }
    if (kept === 0) unmatched.push(s.pattern);
  }
  const order = (f: CollectedFile) => `${f.root}:${String(f.rel)}`;
  const files = [...seen.values()].sort((a, b) => (order(a) < order(b) ? -1 : 1));
  return { files, unmatched };
}

/** A file may be archived when it really lives under its root, outside every .git and excluded folder. */
function readable(real: string, rootReal: string, excluded: readonly string[]): boolean {
  if (real === rootReal || !isInside(rootReal, real)) return false;
  if (relative(rootReal, real).split(sep).includes('.git')) return false;
  return !excluded.some((e) => real === e || real.startsWith(`${e}${sep}`));
}

/** The raw byte paths below `root` whose names decode (lossily) to `rel`. */
async function rawPaths(root: string, rel: string): Promise<Buffer[]> {
  let found: Buffer[] = [Buffer.from(resolve(root))];
  for (const segment of rel.split(sep)) {
    const next: Buffer[] = [];
    for (const dir of found) {
      const entries = await readdir(dir, { encoding: 'buffer' }).catch(() => [] as Buffer[]);
      for (const e of entries) {
        if (e.toString('utf8') === segment) next.push(Buffer.concat([dir, Buffer.from('/'), e]));
      }
    }
    found = next;
  }
  return found;
}
