// Go reports name packages by import path (gotestsum and go-junit-report make it the testsuite name);
// the module path in go.mod says which directory an import path is.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

/** A Go module: its directory (absolute) and its path as go.mod declares it. */
export interface GoModule {
  dir: string;
  path: string;
}

/** The `module` directive of a go.mod (`module example.com/acme`, quotes allowed). */
export function parseGoModPath(text: string): string | undefined {
  return /^\s*module\s+"?([^\s"]+)"?/m.exec(text)?.[1];
}

/** The directories a go.work `use`s, in both the single-line and the block form. */
export function parseGoWorkUses(text: string): string[] {
  const out: string[] = [];
  const clean = text.replace(/\/\/[^\n]*/g, '');
  for (const m of clean.matchAll(/^\s*use\s*\(([^)]*)\)/gm)) {
    for (const line of m[1]!.split('\n')) if (line.trim() !== '') out.push(unquote(line.trim()));
  }
  for (const m of clean.matchAll(/^\s*use\s+([^\s(][^\n]*)$/gm)) out.push(unquote(m[1]!.trim()));
  return out;
}

function unquote(s: string): string {
  return s.replace(/^"(.*)"$/, '$1');
}

/**
 * The modules a suite running in `start` builds: the go.mod nearest above it (up to the workspace
 * root), and those of a go.work there. Nothing outside the workspace is read.
 */
export function findGoModules(start: string, workspace: string): GoModule[] {
  const out: GoModule[] = [];
  const add = (dir: string) => {
    if (!inside(dir, workspace) || out.some((m) => m.dir === dir)) return;
    const path = readPath(join(dir, 'go.mod'));
    if (path !== undefined) out.push({ dir, path });
  };
  for (let dir = resolve(start); inside(dir, workspace); dir = dirname(dir)) {
    const work = join(dir, 'go.work');
    if (existsSync(work)) {
      for (const use of parseGoWorkUses(readFileSync(work, 'utf8'))) add(resolve(dir, use));
    }
    add(dir);
    if (dir === workspace || out.length > 0) break;
  }
  return out;
}

function readPath(goMod: string): string | undefined {
  try {
    return parseGoModPath(readFileSync(goMod, 'utf8'));
  } catch {
    return undefined;
  }
}

function inside(dir: string, workspace: string): boolean {
  const rel = relative(workspace, dir);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

/** The directory of a package import path, through the module whose path is its longest prefix. */
export function packageDirectory(importPath: string, modules: readonly GoModule[]): string | undefined {
  let best: GoModule | undefined;
  for (const m of modules) {
    if (
      (importPath === m.path || importPath.startsWith(`${m.path}/`)) &&
      (best === undefined || m.path.length > best.path.length)
    )
      best = m;
  }
  return best === undefined ? undefined : join(best.dir, importPath.slice(best.path.length));
}
