import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { ConfigurationError } from '../errors.js';
import { isCalendarDate } from '../dates.js';
import { readFileInside, readTextInside } from '../real-path.js';

/** What a recorded file is, as index.json says. */
export type RecordedKind = 'openapi' | 'asyncapi' | 'json-schema' | 'sample' | 'messages' | 'signature' | 'readme';

export interface IndexEntry {
  path: string;
  kind: RecordedKind;
  sha256: string;
  bytes: number;
  service?: string;
  topic?: string;
  source?: string;
}

/** index.json of a recording: every file with its hash, so a reader can tell nothing was edited since. */
export interface RecordingIndex {
  schemaVersion: 1;
  date: string;
  recordedAt: string;
  files: IndexEntry[];
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The newest `<root>/<yyyy-mm-dd>/` by the date in its name (not by file times, which a checkout resets). */
export async function newestRecording(root: string): Promise<string | undefined> {
  if (!existsSync(root)) return undefined;
  const dated = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory() && isCalendarDate(d.name)).map((d) => d.name).sort();
  const last = dated[dated.length - 1];
  return last === undefined ? undefined : join(root, last);
}

export async function readIndex(dir: string): Promise<RecordingIndex | undefined> {
  const p = join(dir, 'index.json');
  if (!existsSync(p)) return undefined;
  const text = await readTextInside(dir, p, 'the recording index');
  try {
    return JSON.parse(text) as RecordingIndex;
  } catch (err) {
    throw new ConfigurationError(`${p} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Checks every hash in index.json; returns the files whose content no longer matches. Reads only inside `dir`. */
export async function verifyIndex(dir: string, index: RecordingIndex): Promise<string[]> {
  const bad: string[] = [];
  for (const f of index.files) {
    const p = join(dir, f.path);
    if (!existsSync(p)) { bad.push(`${f.path} (missing)`); continue; }
    if (sha256(await readFileInside(dir, p, `the recorded file ${f.path}:`)) !== f.sha256) bad.push(f.path);
  }
  return bad;
}

/** Every .json/.yaml file under `dir` (recursively), relative, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (/\.(json|ya?ml)$/i.test(e.name) && (await stat(p)).isFile()) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  await walk(dir);
  return out.sort();
}
