import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ConfigurationError } from '../errors.js';
import { isCalendarDate } from '../dates.js';
import { CommittedTree } from '../git/committed-tree.js';
import { isInside, readFileInside, readTextInside } from '../real-path.js';

/** What a recorded file is, as index.json says. */
export type RecordedKind =
  'openapi' | 'asyncapi' | 'json-schema' | 'sample' | 'messages' | 'signature' | 'har' | 'readme';

export interface IndexEntry {
  path: string;
  kind: RecordedKind;
  sha256: string;
  bytes: number;
  service?: string;
  topic?: string;
  source?: string;
}

/**
 * What the recording says of a service beside its files: where its runbook is, the policy headers its
 * samples answered with, and whether its signed bundles verified; so a reader of the index finds the
 * runbook next to the evidence it is about.
 */
export interface IndexService {
  name: string;
  squad?: string;
  /** A URL or a repository path. */
  runbook?: string;
  /** The HAR 1.2 file of every request made to the service. */
  har: string;
  headers: { sample: string; path: string; status: number; captured: Record<string, string> }[];
  bundles: { name: string; path: string; verified: boolean; keyId?: string }[];
}

/** index.json of a recording: every file with its hash, so a reader can tell nothing was edited since. */
export interface RecordingIndex {
  schemaVersion: 1;
  date: string;
  recordedAt: string;
  files: IndexEntry[];
  /** Written since runbooks and HAR files are recorded; older recordings lack it. */
  services?: IndexService[];
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The newest `<root>/<yyyy-mm-dd>/` by the date in its name (not by file times, which a checkout resets). */
export async function newestRecording(root: string): Promise<string | undefined> {
  if (!existsSync(root)) return undefined;
  const dated = (await readdir(root, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && isCalendarDate(d.name))
    .map((d) => d.name)
    .sort();
  const last = dated[dated.length - 1];
  return last === undefined ? undefined : join(root, last);
}

export async function readIndex(dir: string): Promise<RecordingIndex | undefined> {
  const p = join(dir, 'index.json');
  if (!existsSync(p)) return undefined;
  return parseIndex(await readTextInside(dir, p, 'the recording index'), p);
}

function parseIndex(text: string, name: string): RecordingIndex {
  try {
    return JSON.parse(text) as RecordingIndex;
  } catch (err) {
    throw new ConfigurationError(`${name} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Checks every hash in index.json; returns the files whose content no longer matches. Reads only inside `dir`. */
export async function verifyIndex(dir: string, index: RecordingIndex): Promise<string[]> {
  const bad: string[] = [];
  for (const f of index.files) {
    const p = join(dir, f.path);
    if (!existsSync(p)) {
      bad.push(`${f.path} (missing)`);
      continue;
    }
    if (sha256(await readFileInside(dir, p, `the recorded file ${f.path}:`)) !== f.sha256) bad.push(f.path);
  }
  return bad;
}

const isDocumentName = (name: string) => /\.(json|ya?ml)$/i.test(name);

/** Every .json/.yaml file under `dir` (recursively), relative, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (isDocumentName(e.name) && (await stat(p)).isFile())
        out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}

// The same four, reading a recording as committed on a git ref (`git ls-tree`, `git cat-file`): on a pull
// request, the recording the gate compares with is the base branch's, whatever the checkout holds.

/** The newest `<root>/<yyyy-mm-dd>/` on the tree's ref, by the date in its name. */
export async function newestRecordingAt(tree: CommittedTree, root: string): Promise<string | undefined> {
  const dated = ((await tree.list(root)) ?? []).filter((e) => e.kind === 'folder' && isCalendarDate(e.path));
  const last = dated
    .map((e) => e.path)
    .sort()
    .pop();
  return last === undefined ? undefined : join(root, last);
}

export async function readIndexAt(tree: CommittedTree, dir: string): Promise<RecordingIndex | undefined> {
  const p = join(dir, 'index.json');
  if (!(await tree.entry(p))) return undefined;
  const text = (await tree.read(p, 'the recording index')).toString('utf8');
  return parseIndex(text, `${tree.relative(p)} on ${tree.ref}`);
}

/** Checks every hash in index.json against the files as committed; an entry may not lead out of `dir`. */
export async function verifyIndexAt(
  tree: CommittedTree,
  dir: string,
  index: RecordingIndex,
): Promise<string[]> {
  const files = new Map(((await tree.list(dir, true)) ?? []).map((e) => [e.path, e]));
  const bad: string[] = [];
  for (const f of index.files) {
    const path = join(dir, f.path);
    if (!isInside(dir, path)) {
      throw new ConfigurationError(
        `the recording index of ${tree.relative(dir)} on ${tree.ref} names ${f.path}, ` +
          'outside the recording; only its own files are read',
      );
    }
    const entry = files.get(relative(dir, path).split(sep).join('/'));
    if (!entry) {
      bad.push(`${f.path} (missing)`);
      continue;
    }
    const bytes = await tree.readEntry(entry, tree.relative(path), 'the recorded file');
    if (sha256(bytes) !== f.sha256) bad.push(f.path);
  }
  return bad;
}

/** Every .json/.yaml file under `dir` on the tree's ref (links included, to be refused when read), sorted. */
export async function listFilesAt(tree: CommittedTree, dir: string): Promise<string[]> {
  const entries = (await tree.list(dir, true)) ?? [];
  return entries
    .filter((e) => e.kind !== 'submodule' && isDocumentName(e.path))
    .map((e) => e.path)
    .sort();
}

/** One recording's files, from the working tree or as committed on a ref. */
export interface RecordingFiles {
  /** The recording folder, an absolute path in the workspace. */
  readonly dir: string;
  /** The ref the files are read from; undefined: the working tree. */
  readonly ref?: string;
  index(): Promise<RecordingIndex | undefined>;
  /** The files whose content no longer matches the index. */
  tampered(index: RecordingIndex): Promise<string[]>;
  /** Its .json/.yaml files, relative to `dir`. */
  list(): Promise<string[]>;
  /** Reads a file of the recording (or one its `$ref`s name) by absolute path, only inside `dir`. */
  readText(path: string): Promise<string>;
}

/** The recording as the working tree has it, every file read by its real path inside `dir`. */
export function recordingInWorkingTree(dir: string): RecordingFiles {
  return {
    dir,
    index: () => readIndex(dir),
    tampered: (index) => verifyIndex(dir, index),
    list: () => listFiles(dir),
    readText: (path) => readTextInside(dir, path, 'the recorded file'),
  };
}

/** The recording as committed on the tree's ref. */
export function recordingAtRef(tree: CommittedTree, dir: string): RecordingFiles {
  return {
    dir,
    ref: tree.ref,
    index: () => readIndexAt(tree, dir),
    tampered: (index) => verifyIndexAt(tree, dir, index),
    list: () => listFilesAt(tree, dir),
    readText: async (path) => {
      if (!isInside(dir, path)) {
        throw new ConfigurationError(
          `${path} is outside the recording ${tree.relative(dir)}; only its own files are read`,
        );
      }
      return (await tree.read(path, 'the recorded file')).toString('utf8');
    },
  };
}
