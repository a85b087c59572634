// Reading a large JUnit report on several threads, with saxes as the only XML parser.
//
// The file is cut into byte ranges at `<testcase` tags. Part 0 is read by this thread from the start
// of the file, exactly as a sequential parse would read it. Every later part is read in a worker by a
// fresh parser that is first fed a *primed prefix*: the start tags the speculation says are open at
// its cut (the XML declaration, the root start tag and, under <testsuites>, the enclosing <testsuite>
// start tag, each copied byte for byte from the file), then its range.
//
// Why the merged result is exactly the sequential one. A parser's future (the events it emits and
// the engine's records, for whatever input follows) depends only on: saxes' state and what it has
// buffered, the open elements with their attributes (saxes checks close tags against them; the engine
// takes a case's suite and file from the open testsuites), the XML version it reads by, and whether
// the engine has a case open or is capturing text. Line and column differ, but they appear only in
// errors, and any error sends us back to the sequential parse. So after part k-1 has consumed its
// whole range we check that its parser is in saxes' plain text state (learnt by probing, see
// engine.ts) with nothing buffered, no case open and nothing captured, and that its open-element stack,
// XML version and open testsuites are equal to those of part k's parser after its primed prefix
// (which must be clean in the same way). If so, part k's parser stands exactly where the sequential
// parser stands at that byte: by induction from part 0 (a true prefix of the sequential parse), every
// part then emits the events the sequential parse emits for the same bytes. The cut itself is at a
// `<` byte, so it is a character boundary in UTF-8 and the text state resets saxes' "]]>" tracking on
// it; a cut that lands inside CDATA, a comment, a processing instruction or a tag leaves part k-1 in
// another state and fails the check. Errors in any part, or a failed check anywhere, throw the parallel
// results away and the file is read again on one thread, so error messages, lines and columns always
// come from the sequential parse. The last part ends the document (so unclosed elements are caught
// there); the other parts do not.
//
// Two things only a whole read can settle also send the file to one thread: a test that occurs more
// than once (within a part, or in two parts: each part's identity hashes are compared), since its last
// run is its outcome and the sequential read takes a second pass for it; and a character XML 1.0
// forbids after part 0, since the notice names where the first one is.
import { existsSync } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  DEFAULT_MAX_FAILURES,
  JUnitStreamParser,
  addDialect,
  finishSummary,
  parseJUnitFileSequential,
  readText,
  type JUnitBoundaryState,
  type JUnitEngineOptions,
  type ReportDialect,
} from './engine.js';
import { repeatsIn, shareAValue } from './identity.js';
import { addCounts, type JUnitFileSummary } from './types.js';

/** Smaller files are read on one thread: starting a worker would cost more than it saves. */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
/** Each part is at least this large (so a 40 MiB file is read in two parts, not four). */
const PART_MIN_BYTES = 16 * 1024 * 1024;
const MAX_PARTS = 4;
/** How far past its target a cut is looked for, and how far back its enclosing <testsuite>. */
const SPLIT_WINDOW_BYTES = 4 * 1024 * 1024;
/** Bytes read at a time while looking for cuts and tags. */
const SCAN_BLOCK_BYTES = 64 * 1024;
/** The prolog and root start tag are looked for in this much of the file's head. */
const HEAD_BYTES = 1024 * 1024;
/** A start tag longer than this is not copied into a prefix (that cut is dropped). */
const MAX_TAG_BYTES = 1024 * 1024;
/** Case times are sent back in blocks of this many. */
const TIME_BLOCK = 16 * 1024;
/** Marks a worker started to read one part (workerData[JOB_KEY]). */
const JOB_KEY = 'ccJUnitPart';

const TESTCASE = Buffer.from('<testcase');
const TESTSUITE = Buffer.from('<testsuite');
const TESTSUITE_CLOSE = Buffer.from('</testsuite');

export interface ParallelOutcome {
  summary: JUnitFileSummary;
  /** How many parts the summary was read in: 1 when the file was read on one thread. */
  parts: number;
  /** Why the file was read on one thread (too small, speculation failed, an error to report...). */
  sequentialBecause?: string;
}

/** The options a part needs, without the callback (it cannot cross threads). */
type PartOptions = Omit<
  JUnitEngineOptions,
  | 'onCase'
  | 'onTime'
  | 'parallel'
  | 'parallelMinBytes'
  | 'parallelParts'
  | 'parallelWorker'
  | 'repeats'
  | 'censusOf'
>;

interface PartJob {
  path: string;
  /** First byte of the part (a `<testcase`) and the byte after its last; null: to the end of the file. */
  start: number;
  end: number | null;
  prefix: string;
  options: PartOptions;
}

type PartReply =
  | {
      ok: true;
      summary: JUnitFileSummary;
      /** Where the parser stood after the primed prefix, and (all but the last part) at the end of its range. */
      primed: JUnitBoundaryState;
      end: JUnitBoundaryState | null;
      /** <testsuite> start tags in the prefix: counted by the part, but they belong to an earlier part. */
      primedSuites: number;
      /** Every non-zero case time in report order, so the total is summed in the sequential order. */
      times: Float64Array[];
      /** The identity hash of every test the part read (sorted), and whether one of them came twice. */
      hashes: Float64Array;
      repeats: boolean;
      /** A pytest report: no hashes logged; its own testsuites' `tests` counts (not the primed one's). */
      hashesSkipped: boolean;
      declared: number;
      dialect: ReportDialect;
    }
  | { ok: false; reason: string };

interface Plan {
  /** Byte offsets where the parts start (starts[0] = 0). */
  starts: number[];
  /** Primed prefix of each part ('' for part 0). */
  prefixes: string[];
}

/**
 * Reads a report like parseJUnitFile, in parallel parts when it is large enough and several cores
 * are available; says how many parts it used. The summary (and any error thrown) is identical to
 * `parseJUnitFileSequential`'s.
 */
export async function parseJUnitFileParallel(
  path: string,
  options: JUnitEngineOptions = {},
): Promise<ParallelOutcome> {
  const sequential = async (why: string): Promise<ParallelOutcome> => ({
    summary: await parseJUnitFileSequential(path, options),
    parts: 1,
    sequentialBecause: why,
  });
  if (options.onCase !== undefined) return sequential('onCase is called on this thread for every case');
  if (options.parallel === false) return sequential('parallel: false');
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return sequential('cannot stat the file'); // the sequential read reports why
  }
  if (size < (options.parallelMinBytes ?? PARALLEL_MIN_BYTES)) return sequential('small file');
  const wanted = Math.min(
    MAX_PARTS,
    options.parallelParts ?? Math.min(availableParallelism(), Math.floor(size / PART_MIN_BYTES)),
  );
  if (wanted < 2) return sequential('one core, or too small for two parts');
  const worker = await workerScript(options);
  if (worker === undefined) return sequential('no worker script found');

  let plan: Plan | string;
  try {
    plan = await planParts(path, size, wanted);
  } catch (err) {
    plan = `cannot plan the parts: ${messageOf(err)}`; // e.g. unreadable: the sequential read reports it
  }
  if (typeof plan === 'string') return sequential(plan);
  const merged = await runParts(path, plan, worker, options);
  if (typeof merged === 'string') return sequential(merged);
  return { summary: merged, parts: plan.starts.length };
}

// ---------------------------------------------------------------------------------------------
// Planning: where to cut, and what each part is primed with.

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/** The byte after a tag name: whitespace, `/` or `>`. */
function endsTagName(b: number | undefined): boolean {
  return isSpace(b) || b === 0x2f || b === 0x3e;
}

/**
 * Index just past the `>` closing the start tag at `at`, skipping quoted attribute values (`>` is
 * legal in them); NOT_ENDED if `buf` ends first; BROKEN_TAG at a `<` outside quotes.
 */
const NOT_ENDED = -1;
const BROKEN_TAG = -2;
function startTagEnd(buf: Buffer, at: number): number {
  let quote = 0;
  for (let i = at + 1; i < buf.length; i++) {
    const b = buf[i]!;
    if (quote !== 0) {
      if (b === quote) quote = 0;
    } else if (b === 0x22 || b === 0x27) {
      quote = b;
    } else if (b === 0x3e) {
      return i + 1;
    } else if (b === 0x3c) {
      return BROKEN_TAG; // not well-formed: left to the sequential parse
    }
  }
  return NOT_ENDED;
}

interface Head {
  /** The XML declaration as written ('' when there is none). */
  decl: string;
  rootName: string;
  rootTag: string;
  /** Byte just past the root start tag. */
  rootEnd: number;
  /** The first <testsuite> start tag in the head, if open (a fallback guess when none is found near a cut). */
  firstSuiteTag: string | undefined;
}

/** Finds the XML declaration and the root start tag (the first start tag after the prolog). */
async function readHead(fh: FileHandle, size: number): Promise<Head | string> {
  const buf = Buffer.allocUnsafe(Math.min(size, HEAD_BYTES));
  const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
  const head = buf.subarray(0, bytesRead);
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  let decl = '';
  if (head.toString('latin1', i, i + 5) === '<?xml' && isSpace(head[i + 5])) {
    const end = head.indexOf('?>', i);
    if (end < 0) return 'no end to the XML declaration';
    decl = head.toString('utf8', i, end + 2);
    i = end + 2;
  }
  for (;;) {
    while (isSpace(head[i])) i++;
    if (head[i] !== 0x3c) return 'no root start tag in the head of the file';
    const next = head[i + 1];
    if (next === 0x21 && head.toString('latin1', i, i + 4) === '<!--') {
      const end = head.indexOf('-->', i + 4);
      if (end < 0) return 'no root start tag in the head of the file';
      i = end + 3;
    } else if (next === 0x3f) {
      const end = head.indexOf('?>', i + 2);
      if (end < 0) return 'no root start tag in the head of the file';
      i = end + 2;
    } else if (next === 0x21) {
      return 'a DOCTYPE'; // refused by the engine: let the sequential parse say so
    } else {
      break;
    }
  }
  const rootEnd = startTagEnd(head, i);
  if (rootEnd < 0) return 'no complete root start tag in the head of the file';
  let nameEnd = i + 1;
  while (nameEnd < rootEnd && !endsTagName(head[nameEnd])) nameEnd++;
  const rootName = head.toString('utf8', i + 1, nameEnd);
  if (head[rootEnd - 2] === 0x2f) return 'the root element is empty';
  if (rootName !== 'testsuites' && rootName !== 'testsuite') return `the root element is <${rootName}>`;
  let firstSuiteTag: string | undefined;
  if (rootName === 'testsuites') {
    for (let at = head.indexOf(TESTSUITE, rootEnd); at >= 0; at = head.indexOf(TESTSUITE, at + 1)) {
      if (!endsTagName(head[at + TESTSUITE.length])) continue;
      const end = startTagEnd(head, at);
      if (end > 0 && head[end - 2] !== 0x2f) firstSuiteTag = head.toString('utf8', at, end);
      break;
    }
  }
  return { decl, rootName, rootTag: head.toString('utf8', i, rootEnd), rootEnd, firstSuiteTag };
}

/** First `name` tag (followed by whitespace, `/` or `>`) starting in [from, limit); -1 if none. */
async function findTagForward(
  fh: FileHandle,
  size: number,
  name: Buffer,
  from: number,
  limit: number,
): Promise<number> {
  const buf = Buffer.allocUnsafe(SCAN_BLOCK_BYTES);
  let pos = from;
  while (pos < limit) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - pos), pos);
    if (bytesRead <= name.length) return -1;
    const view = buf.subarray(0, bytesRead);
    for (let i = view.indexOf(name); i >= 0; i = view.indexOf(name, i + 1)) {
      if (pos + i >= limit) return -1;
      if (i + name.length >= bytesRead) break; // the byte after it is in the next block: seen again there
      if (endsTagName(view[i + name.length])) return pos + i;
    }
    pos += bytesRead - name.length;
  }
  return -1;
}

/** Last `name` tag (followed by whitespace, `/` or `>`) starting in [low, before); -1 if none. */
async function findTagBackward(
  fh: FileHandle,
  size: number,
  name: Buffer,
  before: number,
  low: number,
): Promise<number> {
  const buf = Buffer.allocUnsafe(SCAN_BLOCK_BYTES + name.length + 1);
  let hi = before;
  while (hi > low) {
    const lo = Math.max(low, hi - SCAN_BLOCK_BYTES);
    const { bytesRead } = await fh.read(buf, 0, Math.min(hi + name.length + 1, size) - lo, lo);
    const view = buf.subarray(0, bytesRead);
    for (
      let i = view.lastIndexOf(name, hi - lo - 1);
      i >= 0;
      i = i > 0 ? view.lastIndexOf(name, i - 1) : -1
    ) {
      if (endsTagName(view[i + name.length])) return lo + i;
    }
    hi = lo;
  }
  return -1;
}

/** The start tag at `at` as written, and whether it is self-closing; undefined if it does not end within MAX_TAG_BYTES. */
async function readStartTag(
  fh: FileHandle,
  size: number,
  at: number,
): Promise<{ text: string; selfClosing: boolean } | undefined> {
  let buf = Buffer.allocUnsafe(0);
  while (buf.length < MAX_TAG_BYTES && at + buf.length < size) {
    const more = Buffer.allocUnsafe(Math.min(SCAN_BLOCK_BYTES, size - at - buf.length));
    const { bytesRead } = await fh.read(more, 0, more.length, at + buf.length);
    if (bytesRead === 0) break;
    buf = Buffer.concat([buf, more.subarray(0, bytesRead)]);
    // Scanned again from the tag's start, where quote tracking must begin (tags are short).
    const end = startTagEnd(buf, 0);
    if (end === BROKEN_TAG) return undefined;
    if (end > 0) return { text: buf.toString('utf8', 0, end), selfClosing: buf[end - 2] === 0x2f };
  }
  return undefined;
}

/** The start tags a part beginning at `cut` is guessed to be inside of (validated after the parse). */
async function primedPrefix(
  fh: FileHandle,
  size: number,
  head: Head,
  cut: number,
): Promise<string | undefined> {
  const root = head.decl + head.rootTag;
  if (head.rootName !== 'testsuites') return root;
  const low = Math.max(head.rootEnd, cut - SPLIT_WINDOW_BYTES);
  const suite = await findTagBackward(fh, size, TESTSUITE, cut, low);
  if (suite < 0) {
    // No <testsuite> near the cut: most likely one large suite (pytest writes a single one).
    return head.firstSuiteTag === undefined ? root : root + head.firstSuiteTag;
  }
  // A </testsuite> after the last <testsuite>: the cut is guessed to be straight under the root.
  if ((await findTagBackward(fh, size, TESTSUITE_CLOSE, cut, suite)) >= 0) return root;
  const tag = await readStartTag(fh, size, suite);
  if (tag === undefined) return undefined;
  return tag.selfClosing ? root : root + tag.text;
}

async function planParts(path: string, size: number, wanted: number): Promise<Plan | string> {
  const fh = await open(path, 'r');
  try {
    const head = await readHead(fh, size);
    if (typeof head === 'string') return head;
    const starts = [0];
    const prefixes = [''];
    for (let k = 1; k < wanted; k++) {
      const from = Math.max(Math.floor((k * size) / wanted), starts[starts.length - 1]! + 1, head.rootEnd);
      const cut = await findTagForward(fh, size, TESTCASE, from, Math.min(size, from + SPLIT_WINDOW_BYTES));
      if (cut < 0) continue; // no cut near this target: fewer parts
      const prefix = await primedPrefix(fh, size, head, cut);
      if (prefix === undefined) continue;
      starts.push(cut);
      prefixes.push(prefix);
    }
    return starts.length > 1 ? { starts, prefixes } : 'no <testcase> to cut at';
  } finally {
    await fh.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Running the parts.

let defaultWorker: Promise<URL | undefined> | undefined;

async function workerScript(options: JUnitEngineOptions): Promise<URL | undefined> {
  if (options.parallelWorker !== undefined) {
    const w = options.parallelWorker;
    return typeof w === 'string' ? pathToFileURL(w) : w;
  }
  return (defaultWorker ??= findWorker());
}

/**
 * The worker script, resolved relative to this module at run time: scripts/build.mjs writes
 * dist/<action>/junit-worker.js next to index.js (or next to the chunks/ folder, when this code sits
 * in a chunk); compiled, unbundled modules have parse-worker.js beside them. Under vitest this module
 * is TypeScript source, which a worker thread cannot load (its imports name .js files): tests pass
 * `parallelWorker` (an esbuild of parse-worker.ts). No worker found: the file is read on one thread.
 */
async function findWorker(): Promise<URL | undefined> {
  const here = import.meta.url;
  if (typeof here !== 'string' || !here.startsWith('file:')) return undefined;
  const candidates = ['./junit-worker.js', './parse-worker.js'];
  if (basename(dirname(fileURLToPath(here))) === 'chunks') candidates.push('../junit-worker.js');
  for (const rel of candidates) {
    const url = new URL(rel, here);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

function partOptions(path: string, options: JUnitEngineOptions): PartOptions {
  const out: PartOptions = { file: options.file ?? path };
  if (options.maxFailureChars !== undefined) out.maxFailureChars = options.maxFailureChars;
  if (options.maxOutputChars !== undefined) out.maxOutputChars = options.maxOutputChars;
  if (options.maxFailures !== undefined) out.maxFailures = options.maxFailures;
  if (options.maxProperties !== undefined) out.maxProperties = options.maxProperties;
  if (options.readChunkBytes !== undefined) out.readChunkBytes = options.readChunkBytes;
  if (options.caseIds !== undefined) out.caseIds = options.caseIds;
  return out;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Runs one part in a worker; resolves with its reply (a failure reply if the worker dies). */
function runInWorker(script: URL, job: PartJob, workers: Worker[]): Promise<PartReply> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      // No inherited execArgv: options such as --input-type or loaders (tsx) are this process's
      // business, and some of them stop a worker from starting at all. The worker runs plain JS.
      worker = new Worker(script, { workerData: { [JOB_KEY]: job }, execArgv: [] });
    } catch (err) {
      resolve({ ok: false, reason: `worker: ${messageOf(err)}` });
      return;
    }
    workers.push(worker);
    worker.once('message', (reply: PartReply) => resolve(reply));
    worker.on('error', (err) => resolve({ ok: false, reason: `worker: ${messageOf(err)}` }));
    worker.once('exit', (code) => resolve({ ok: false, reason: `worker exited (${code}) without a result` }));
  });
}

/** Runs every part, checks the boundaries, merges; a string says why the parallel read was given up. */
async function runParts(
  path: string,
  plan: Plan,
  script: URL,
  options: JUnitEngineOptions,
): Promise<JUnitFileSummary | string> {
  const opts = partOptions(path, options);
  const n = plan.starts.length;
  const workers: Worker[] = [];
  let failed: string | undefined;
  const fail = (reason: string) => {
    failed ??= reason;
    for (const w of workers) void w.terminate();
  };
  try {
    const replies: Promise<PartReply>[] = [];
    for (let k = 1; k < n; k++) {
      const job: PartJob = {
        path,
        start: plan.starts[k]!,
        end: k + 1 < n ? plan.starts[k + 1]! : null,
        prefix: plan.prefixes[k]!,
        options: opts,
      };
      replies.push(
        runInWorker(script, job, workers).then((r) => {
          if (!r.ok) fail(`part ${k}: ${r.reason}`);
          return r;
        }),
      );
    }

    // Part 0 on this thread: the start of the sequential parse itself.
    const first = new JUnitStreamParser(opts);
    try {
      for await (const text of readText(path, options.readChunkBytes, 0, plan.starts[1]!)) {
        if (failed !== undefined) break;
        first.write(text);
      }
    } catch (err) {
      fail(`part 0: ${messageOf(err)}`);
    }
    if (failed !== undefined) return failed;
    const done = await Promise.all(replies);
    if (failed !== undefined) return failed;

    const parts = done as Extract<PartReply, { ok: true }>[];
    let before = first.boundaryState();
    for (let k = 1; k < n; k++) {
      const part = parts[k - 1]!;
      if (!clean(before) || !clean(part.primed) || !isDeepStrictEqual(before, part.primed))
        return `the guess at the cut before part ${k} was wrong`;
      before = part.end!;
    }
    const forbidden = parts.findIndex((p) => p.summary.forbiddenCharacters !== undefined);
    if (forbidden >= 0)
      return `part ${forbidden + 1} holds characters XML forbids (their position is the sequential read's)`;
    if (first.hashesSkipped()) {
      // pytest: more cases than its tests count means reruns, which the sequential read sorts out.
      const cases = first.summarySoFar().tests + parts.reduce((n, p) => n + p.summary.tests, 0);
      const declared = first.declaredSoFar() + parts.reduce((n, p) => n + p.declared, 0);
      if (parts.some((p) => !p.hashesSkipped)) return 'the parts did not agree on logging test identities';
      if (cases > declared) return 'pytest wrote more test cases than it counts (reruns)';
    } else if (
      first.repeatedSoFar().size > 0 ||
      parts.some((p) => p.repeats || p.hashesSkipped) ||
      repeatsAcross(first.hashesSoFar(), parts)
    ) {
      return 'a test occurs more than once (its last run counts)';
    }
    const dialect = { ...first.dialectSoFar() };
    for (const p of parts) addDialect(dialect, p.dialect);
    return finishSummary(merge(first.summarySoFar(), parts, options), dialect);
  } finally {
    for (const w of workers) void w.terminate();
  }
}

/** Whether a test of one part also occurs in another (each part's identity hashes come sorted). */
function repeatsAcross(first: Float64Array | undefined, parts: Extract<PartReply, { ok: true }>[]): boolean {
  if (first === undefined) return true;
  const all = [first, ...parts.map((p) => p.hashes)];
  for (let i = 0; i < all.length; i++)
    for (let j = i + 1; j < all.length; j++) if (shareAValue(all[i]!, all[j]!)) return true;
  return false;
}

function clean(b: JUnitBoundaryState | null | undefined): boolean {
  return b != null && b.inText && b.idle && b.stack.length > 0;
}

function merge(
  first: JUnitFileSummary,
  parts: Extract<PartReply, { ok: true }>[],
  options: JUnitEngineOptions,
): JUnitFileSummary {
  const out = first;
  const maxFailures = options.maxFailures ?? DEFAULT_MAX_FAILURES;
  const maxFailedIds = options.caseIds?.failed ?? 0;
  const maxFlakyIds = options.caseIds?.flaky ?? 0;
  for (const { summary: s, primedSuites, times } of parts) {
    // Times are added one case at a time below, so the counts are added without them.
    addCounts(out, { ...s, time: 0 });
    out.reruns += s.reruns;
    // The suites opened by the prefix were counted by the part that really read them.
    out.suites += s.suites - primedSuites;
    // Added one case at a time, in report order, as the sequential parse adds them: the same float.
    for (const block of times) for (const t of block) out.time += t;
    for (const c of s.failures) {
      if (out.failures.length < maxFailures) out.failures.push(c);
      else out.failuresOmitted++;
    }
    out.failuresOmitted += s.failuresOmitted;
    if (out.caseIds !== undefined && s.caseIds !== undefined) {
      for (const id of s.caseIds.failed)
        if (out.caseIds.failed.length < maxFailedIds) out.caseIds.failed.push(id);
      for (const id of s.caseIds.passed) out.caseIds.passed.push(id);
      for (const id of s.caseIds.flaky)
        if (out.caseIds.flaky.length < maxFlakyIds) out.caseIds.flaky.push(id);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The worker side.

let serving = false;

/**
 * In a worker started by runParts: reads its part and posts one reply. Does nothing anywhere else
 * (main thread, or a worker someone else started), so it is safe to call at any module's top level.
 */
export function servePartJob(): void {
  if (serving || isMainThread || parentPort === null) return;
  const job = (workerData as Record<string, unknown> | null | undefined)?.[JOB_KEY] as PartJob | undefined;
  if (job === undefined || typeof job.path !== 'string') return;
  serving = true;
  const port = parentPort;
  // Started on the next turn, once every module of the bundle has been evaluated (engine.ts and this
  // module import each other).
  setImmediate(() => {
    void readPart(job).then((reply) =>
      port.postMessage(
        reply,
        reply.ok
          ? [...reply.times.map((t) => t.buffer as ArrayBuffer), reply.hashes.buffer as ArrayBuffer]
          : [],
      ),
    );
  });
}

async function readPart(job: PartJob): Promise<PartReply> {
  const times: Float64Array[] = [];
  let block = new Float64Array(TIME_BLOCK);
  let used = 0;
  const engine = new JUnitStreamParser({
    ...job.options,
    onTime: (t) => {
      if (t === 0) return; // adding ±0 changes no sum
      if (used === block.length) {
        times.push(block);
        block = new Float64Array(TIME_BLOCK);
        used = 0;
      }
      block[used++] = t;
    },
  });
  try {
    engine.write(job.prefix);
    const primed = engine.boundaryState();
    const primedSuites = engine.summarySoFar().suites;
    const primedDeclared = engine.declaredSoFar();
    for await (const text of readText(job.path, job.options.readChunkBytes, job.start, job.end ?? undefined))
      engine.write(text);
    const last = job.end === null;
    // The summary is finished (finishSummary) once every part's counts are in.
    if (last) engine.closeDocument();
    if (used > 0) times.push(block.subarray(0, used));
    // Sorted here, on the part's own thread; a copy, so that it can be handed over whole.
    const hashes = (engine.hashesSoFar() ?? new Float64Array(0)).slice();
    const repeats = repeatsIn(hashes).size > 0;
    const hashesSkipped = engine.hashesSkipped();
    const declared = engine.declaredSoFar() - primedDeclared;
    return {
      ok: true,
      summary: engine.summarySoFar(),
      primed,
      end: last ? null : engine.boundaryState(),
      primedSuites,
      times,
      hashes,
      repeats,
      hashesSkipped,
      declared,
      dialect: engine.dialectSoFar(),
    };
  } catch (err) {
    return { ok: false, reason: messageOf(err) };
  }
}
