import { existsSync, readdir, readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { glob, isDynamicPattern, type FileSystemAdapter } from 'tinyglobby';
import { realPathInside } from './real-path.js';

/**
 * The folder a pattern's walk starts in: its segments before the first one with glob syntax
 * (`specs/**\/*.json` → `specs`; a plain path → its folder).
 */
export function walkBase(pattern: string): string {
  const segments = pattern.split('/');
  const firstDynamic = segments.findIndex((s) => isDynamicPattern(s));
  return segments.slice(0, firstDynamic < 0 ? -1 : firstDynamic).join('/');
}

/** A symbolic link as the walker sees it: a leaf to match by its name, never a folder to enter. */
function asLeaf(entry: Dirent): Dirent {
  if (!entry.isSymbolicLink()) return entry;
  return Object.assign(Object.create(entry) as Dirent, {
    isFile: () => true,
    isDirectory: () => false,
    isSymbolicLink: () => false,
  });
}

type ReaddirCallback = (err: NodeJS.ErrnoException | null, entries?: Dirent[]) => void;

// tinyglobby's followSymbolicLinks: false keeps the walk out of linked folders but also drops links to
// files; listed as leaves, those still reach the caller, who judges each by its real path.
const linksAsLeaves = {
  readdir: (path: string, options: { withFileTypes: true }, callback: ReaddirCallback) =>
    readdir(path, options, (err, entries) => callback(err, entries?.map(asLeaf))),
  readdirSync: (path: string, options: { withFileTypes: true }) => readdirSync(path, options).map(asLeaf),
} as unknown as FileSystemAdapter;

/**
 * The files under `root` matching `patterns` (relative, `/`-separated, sorted), walked without entering
 * a symbolic link: a linked folder is never walked (one leading to `/` would walk the whole machine),
 * and a link whose own name matches is listed like a file, for the caller to read by its real path.
 * The folder a pattern starts its walk in must itself lie inside `root` by its real path; `what`
 * names the pattern in that error ("input 'declared' has value "specs/**": the folder").
 */
export async function globInside(
  root: string,
  patterns: readonly string[],
  what: (pattern: string) => string,
): Promise<string[]> {
  for (const pattern of patterns) {
    const base = join(root, walkBase(pattern));
    if (existsSync(base)) await realPathInside(root, base, what(pattern));
  }
  const files = await glob([...patterns], {
    cwd: root,
    onlyFiles: true,
    dot: false,
    followSymbolicLinks: false,
    fs: linksAsLeaves,
  });
  return files.sort();
}
