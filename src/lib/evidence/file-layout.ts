import { posix } from 'node:path';
import type { CollectedFile } from './collect.js';
import { archivedName } from './file-names.js';
import { safeName } from './layout.js';
import type { HandoffRecord } from './step-results.js';

/**
 * Where each collected file goes in the evidence folder. Paths say what a file is, not where it
 * happened to lie on a runner:
 *
 *   logs/smoke/<suite>/attempt-<n>.log   each smoke attempt's output (named by smoke-suite's result)
 *   junit/<suite>.xml                    a suite's JUnit report (junit/<suite>/<file> when it wrote several)
 *   reports/smoke/...                    the rest of smoke-suite's report folder (summary.md, ...)
 *   files/<job>/<path>                   anything else another job handed over, by its path in that job's workspace
 *   files/<path>                         anything else: its workspace path, or its path below the folder its glob named
 *
 * Step results (`results/`), metric snapshots (`metrics/`) and screenshots (`dashboards/`) are named
 * where they are made. Pure.
 */

/** A collected file, as far as the layout needs to know it. */
export interface LayoutFile {
  /** How the manifest names where it came from; breaks ties so the same files always get the same paths. */
  source: string;
  /** The job that handed it over, when it came from another job. */
  job?: string;
  /** Its path in the workspace it was made in (this job's, or `job`'s), escaped as archivedName does. */
  workspacePath?: string;
  /** Otherwise: its path below the folder its glob named, escaped likewise. */
  path: string;
}

/** What one smoke-suite result says about the files it made (workspace paths). */
export interface SmokeFiles {
  /** The job that ran it, when known: only that job's files are matched. */
  job?: string;
  /** Its report folder (`report-dir`), relative to the workspace. */
  reportDir?: string;
  suites: { name: string; logs: { attempt: number; path: string }[]; reports: string[] }[];
}

export interface Placement {
  /** Relative to the evidence folder, forward slashes; unique, never `..`, never a reserved name. */
  path: string;
  /** Set for a smoke attempt's log: whose (the index of its SmokeFiles) and which attempt. */
  log?: { result: number; suite: string; attempt: number };
}

/**
 * How a collected file is named: its source in the manifest and notes, its name (escaped, see
 * archivedName) and what the layout knows of it. A file another job handed over is named by that
 * job and its path there (collect's record says which), not by the folder collect put it in.
 */
export function describeCollected(
  file: CollectedFile,
  handoff: HandoffRecord | undefined,
): { source: string; name: string; note?: string; layout: LayoutFile } {
  const own = archivedName(file.rel);
  const abs = typeof file.abs === 'string' ? file.abs : undefined;
  const handed = abs === undefined ? undefined : handoff?.files?.[abs];
  if (handed) {
    const there = archivedName(handed.path);
    const source = `job ${handed.job}:${there.shown}`;
    return {
      source,
      name: there.path,
      ...(there.note ? { note: there.note } : {}),
      layout: { source, job: handed.job, workspacePath: there.path, path: there.path },
    };
  }
  const source = `${file.root}:${own.shown}`;
  const described = { source, name: own.path, ...(own.note ? { note: own.note } : {}) };
  const result = abs === undefined ? undefined : handoff?.results[abs];
  if (result) {
    // Its name in the job's results folder (collect prefixes the job when two jobs used one name).
    const name = result.name === undefined ? posix.basename(own.path) : archivedName(result.name).path;
    return { ...described, layout: { source, job: result.job, path: name } };
  }
  if (file.root === 'workspace')
    return { ...described, layout: { source, workspacePath: own.path, path: own.path } };
  // Elsewhere in $RUNNER_TEMP: the path below the folder the glob named (`notes.json`, not `command-center/notes.json`).
  const base = file.base ? `${archivedName(file.base).path}/` : '';
  const below = own.path.startsWith(base) ? own.path.slice(base.length) : own.path;
  return { ...described, layout: { source, path: below } };
}

/** The files a smoke-suite result names; tolerant of anything missing, as all result reading is. */
export function smokeFilesOf(result: unknown, job?: string): SmokeFiles {
  const r = record(result);
  const reportDir = typeof r.reportDir === 'string' ? r.reportDir : undefined;
  const suites = (Array.isArray(r.suites) ? r.suites : []).map((raw) => {
    const s = record(raw);
    const attempts = (Array.isArray(s.attempts) ? s.attempts : []).map(record);
    const logs = attempts.flatMap((a) =>
      typeof a.log === 'string' && Number.isInteger(a.attempt)
        ? [{ attempt: a.attempt as number, path: a.log }]
        : [],
    );
    const reports = attempts.flatMap((a) =>
      (Array.isArray(a.reports) ? a.reports : []).flatMap((x) => {
        const file = record(x).file;
        return typeof file === 'string' ? [file] : [];
      }),
    );
    return { name: typeof s.name === 'string' ? s.name : 'unnamed', logs, reports: [...new Set(reports)] };
  });
  return { ...(job ? { job } : {}), ...(reportDir ? { reportDir } : {}), suites };
}

/**
 * The path of each file (in the order given). Files that would land on the same path, on paths that
 * differ only in case (a checkout on macOS or Windows folds them), or on a path where the other has a
 * folder, are told apart by a counter on the clashing name (`attempt-1-2.log`), assigned in the order
 * of (path, source): the same files always get the same paths. `reserved` are paths already taken
 * (the step results, the manifest, the index).
 */
export function layOutFiles(
  files: readonly LayoutFile[],
  smoke: readonly SmokeFiles[],
  reserved: readonly string[],
): Placement[] {
  const known = knownFiles(smoke);
  const wanted = files.map((f) => placeOne(f, known));
  const order = wanted
    .map((w, i) => ({ key: w.path, source: files[i]!.source, i }))
    .sort((a, b) => compare(a.key, b.key) || compare(a.source, b.source) || a.i - b.i);
  const taken = new Taken();
  for (const r of reserved) taken.add(r.split('/'));
  const placed: Placement[] = new Array<Placement>(files.length);
  for (const { i } of order) placed[i] = { ...wanted[i]!, path: taken.claim(wanted[i]!.path) };
  return placed;
}

interface KnownFile {
  result: number;
  job?: string;
  place: (w: { path: string }) => Placement;
}

interface Known {
  byPath: Map<string, KnownFile[]>;
  reportDirs: { result: number; job?: string; dir: string }[];
}

/** Every file the smoke results name, by its (escaped) workspace path, with where it goes. */
function knownFiles(smoke: readonly SmokeFiles[]): Known {
  const byPath = new Map<string, KnownFile[]>();
  const add = (path: string, k: KnownFile) => {
    const rel = workspaceRelative(path);
    if (rel === undefined) return;
    const key = archivedName(rel).path;
    byPath.set(key, [...(byPath.get(key) ?? []), k]);
  };
  const folders = new Set<string>();
  const reportDirs: Known['reportDirs'] = [];
  smoke.forEach((s, result) => {
    const job = s.job ? { job: s.job } : {};
    for (const suite of s.suites) {
      // One folder per suite across every smoke result, so two suites never share their logs' folder.
      let folder = safeName(suite.name);
      for (let n = 2; folders.has(folder.toLowerCase()); n++) folder = `${safeName(suite.name)}-${n}`;
      folders.add(folder.toLowerCase());
      for (const l of suite.logs)
        add(l.path, {
          result,
          ...job,
          place: () => ({
            path: `logs/smoke/${folder}/attempt-${l.attempt}.log`,
            log: { result, suite: suite.name, attempt: l.attempt },
          }),
        });
      for (const report of suite.reports)
        add(report, {
          result,
          ...job,
          place: (w) => ({
            path:
              suite.reports.length === 1
                ? `junit/${folder}${posix.extname(w.path)}`
                : `junit/${folder}/${posix.basename(w.path)}`,
          }),
        });
    }
    // A report folder that is the workspace itself (or outside it) says nothing about a file.
    const dir = s.reportDir === undefined ? undefined : workspaceRelative(s.reportDir);
    if (dir) reportDirs.push({ result, ...job, dir: archivedName(dir).path });
  });
  return { byPath, reportDirs };
}

function placeOne(f: LayoutFile, known: Known): Placement {
  const sameJob = (k: { job?: string }) => !k.job || !f.job || k.job === f.job;
  if (f.workspacePath !== undefined) {
    const w = normalize(f.workspacePath);
    const hit = known.byPath.get(w)?.find(sameJob);
    if (hit) return clean(hit.place({ path: w }));
    const folder = known.reportDirs.find((d) => sameJob(d) && w.startsWith(`${d.dir}/`));
    if (folder) return clean({ path: `reports/smoke/${w.slice(folder.dir.length + 1)}` });
  }
  const below = f.workspacePath ?? f.path;
  return clean({ path: ['files', ...(f.job ? [safeName(f.job)] : []), below].join('/') });
}

/**
 * A path a result names, relative to its workspace ('' for the workspace itself), or undefined when
 * it is elsewhere (smoke-suite names a file outside the workspace by its absolute path). A result
 * written on Windows uses backslashes; collected paths use forward slashes.
 */
function workspaceRelative(path: string): string | undefined {
  const p = path.replaceAll('\\', '/');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return undefined;
  const rel = normalize(p);
  return rel === '..' || rel.startsWith('../') ? undefined : rel;
}

/** No empty or `.` segments. */
function normalize(path: string): string {
  return path
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

/** Segments that would climb out of the folder or into git's own are escaped, never followed. */
function clean(p: Placement): Placement {
  const segments = p.path
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .map((s) => (s === '..' ? '%2E%2E' : s.toLowerCase() === '.git' ? `%2E${s.slice(1)}` : s));
  return { ...p, path: segments.join('/') };
}

/** Paths in use: files, and the folders they need; compared without case. */
class Taken {
  private readonly files = new Set<string>();
  private readonly dirs = new Set<string>();

  add(segments: readonly string[]): void {
    for (let i = 1; i < segments.length; i++) this.dirs.add(key(segments.slice(0, i)));
    this.files.add(key(segments));
  }

  /** `path`, or the nearest free variant of it: a counter on the segment that clashes. */
  claim(path: string): string {
    const original = path.split('/');
    const segments = [...original];
    const counters = new Map<number, number>();
    for (let at = this.clash(segments); at >= 0; at = this.clash(segments)) {
      const n = (counters.get(at) ?? 1) + 1;
      counters.set(at, n);
      segments[at] = numbered(original[at]!, n);
    }
    this.add(segments);
    return segments.join('/');
  }

  /** The index of the segment that clashes with a taken path, or -1. */
  private clash(segments: readonly string[]): number {
    for (let i = 1; i < segments.length; i++) if (this.files.has(key(segments.slice(0, i)))) return i - 1;
    const whole = key(segments);
    return this.files.has(whole) || this.dirs.has(whole) ? segments.length - 1 : -1;
  }
}

const key = (segments: readonly string[]) => segments.join('/').toLowerCase();

/** `attempt-1.log` → `attempt-1-2.log`; `.env` → `.env-2`; `notes` → `notes-2`. */
function numbered(name: string, n: number): string {
  const ext = posix.extname(name);
  return ext && ext !== name ? `${name.slice(0, -ext.length)}-${n}${ext}` : `${name}-${n}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
