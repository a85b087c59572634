import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ConfigurationError } from '../../lib/errors.js';
import { git } from '../../lib/git/index.js';
import { readTextInside } from '../../lib/real-path.js';
import { loadContract, type Contract } from '../../lib/contracts/diff.js';
import type { LoadOptions } from '../../lib/contracts/refs.js';
import { diffWaivers, parseWaivers, type Waiver, type WaiverChanges } from './waivers.js';

const toPosix = (p: string) => p.split(sep).join('/');

/** A workspace file as committed on `ref` (`git show <ref>:./<path>`), or undefined when it is not there. */
export async function showAtRef(ws: string, ref: string, absPath: string): Promise<string | undefined> {
  const r = await git(['show', `${ref}:./${toPosix(relative(ws, absPath))}`], {
    cwd: ws,
    allowFailure: true,
  });
  return r.code === 0 ? r.stdout : undefined;
}

export async function requireCommit(ws: string, ref: string): Promise<void> {
  const ok = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd: ws,
    allowFailure: true,
  });
  if (ok.code !== 0) {
    throw new ConfigurationError(
      `input 'base-ref' has value ${JSON.stringify(ref)}, which is not a commit in this checkout; ` +
        'fetch it first (actions/checkout with fetch-depth: 0)',
    );
  }
}

/** The declared file as it is on `ref`, with its local `$ref`s read from the same ref; undefined when the file is new. */
export async function loadAtRef(
  ws: string,
  ref: string,
  rel: string,
  opts: LoadOptions,
): Promise<Contract | undefined> {
  const text = await showAtRef(ws, ref, join(ws, rel));
  if (text === undefined) return undefined;
  const readLocal = async (abs: string) => {
    const shown = await showAtRef(ws, ref, abs);
    if (shown === undefined) throw new Error(`${toPosix(relative(ws, abs))} does not exist at ${ref}`);
    return shown;
  };
  return loadContract(`${rel}@${ref}`, join(ws, rel), { ...opts, text, readLocal });
}

/** The waivers a run applies, where they came from, and what the pull request would change about them. */
export interface WaiverSet {
  applied: Waiver[];
  /** `base-ref`: read from the base branch; `workspace`: from the checkout (no base ref given). */
  source: 'base-ref' | 'workspace' | 'none';
  /** The pull request's changes to the waivers file: shown, applied only once merged. */
  pending?: WaiverChanges;
}

/**
 * With a base ref, the waivers are the base branch's: a pull request cannot waive its own findings.
 * Its version of the file is read only to show what it would change after merge.
 */
export async function readWaivers(
  ws: string,
  waivers: { file: string; path: string } | undefined,
  baseRef: string | undefined,
): Promise<WaiverSet> {
  if (!waivers) return { applied: [], source: 'none' };
  const what = "input 'waivers': the file";
  if (!baseRef) {
    if (!existsSync(waivers.path)) throw new ConfigurationError(`${what} ${waivers.file} does not exist`);
    return {
      applied: parseWaivers(await readTextInside(ws, waivers.path, what), waivers.file),
      source: 'workspace',
    };
  }
  const atBase = await showAtRef(ws, baseRef, waivers.path);
  const here = existsSync(waivers.path) ? await readTextInside(ws, waivers.path, what) : undefined;
  if (atBase === undefined && here === undefined) {
    throw new ConfigurationError(
      `${what} ${waivers.file} exists neither on the base ref ${baseRef} nor in this checkout`,
    );
  }
  const applied = atBase === undefined ? [] : parseWaivers(atBase, `${waivers.file} at ${baseRef}`);
  const proposed =
    here === undefined ? [] : parseWaivers(here, `${waivers.file} (as this pull request changes it)`);
  return { applied, source: 'base-ref', pending: diffWaivers(applied, proposed) };
}

/** A file the checkout adds, changes or removes compared with a ref. */
export interface RecordingChange {
  /** Relative to the workspace, with `/`. */
  path: string;
  change: 'added' | 'changed' | 'removed';
}

const CHANGE_BY_STATUS: Record<string, RecordingChange['change']> = { A: 'added', D: 'removed' };

/**
 * What the checkout changes under `folder` compared with `ref`, committed or not: tracked files that
 * differ (`git diff <ref>` against the working tree) and new files git does not ignore.
 */
export async function changesSince(ws: string, ref: string, folder: string): Promise<RecordingChange[]> {
  const rel = toPosix(relative(ws, folder)) || '.';
  // Literal pathspecs: a folder name with `*` or `:` in it names that folder, nothing more.
  const opts = { cwd: ws };
  const diff = await git(
    ['--literal-pathspecs', 'diff', '--name-status', '-z', '--no-renames', '--relative', ref, '--', rel],
    opts,
  );
  const fields = diff.stdout.split('\0').filter(Boolean);
  const out: RecordingChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    out.push({ path: fields[i + 1]!, change: CHANGE_BY_STATUS[fields[i]!] ?? 'changed' });
  }
  const untracked = await git(
    ['--literal-pathspecs', 'ls-files', '-z', '--others', '--exclude-standard', '--', rel],
    opts,
  );
  for (const path of untracked.stdout.split('\0').filter(Boolean)) out.push({ path, change: 'added' });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
