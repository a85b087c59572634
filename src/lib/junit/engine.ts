import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { JUnitParseError, JUnitRefusedError } from './errors.js';
import { parseJUnitFileParallel } from './parallel.js';
import { caseId, type CaseStatus, type JUnitCase, type JUnitFileSummary } from './types.js';

export interface JUnitEngineOptions {
  /** Name used in error messages (the report's path). */
  file?: string;
  /** Characters of failure/error text kept per case (the rest is counted as truncated). */
  maxFailureChars?: number;
  /** Characters of system-out and of system-err kept per case. */
  maxOutputChars?: number;
  /** Failed/errored cases kept in the summary; more are counted only. */
  maxFailures?: number;
  /** Properties kept per case. */
  maxProperties?: number;
  /**
   * Called for every case as soon as it closes (streaming consumers keep what they need). A callback
   * cannot run in a worker thread, so parseJUnitFile reads the file on one thread when it is given;
   * `caseIds` asks for the ids most consumers want in a form that works on the parallel path too.
   */
  onCase?: (c: JUnitCase) => void;
  /** Case ids to report in `summary.caseIds` (see JUnitCaseIds). */
  caseIds?: {
    /** How many failed/errored case ids to keep (the first ones, in report order). */
    failed?: number;
    /** Report the passed cases whose id is one of these (e.g. tests that failed on an earlier attempt). */
    passed?: readonly string[] | ReadonlySet<string>;
  };
  /** Bytes of the file handed to the XML parser at a time, as one string (parseJUnitFile). */
  readChunkBytes?: number;
  /**
   * parseJUnitFile: `false` reads the file on this thread only. Otherwise a large report is split and
   * its parts parsed in worker threads (see parallel.ts); the result is the same either way.
   */
  parallel?: boolean;
  /** parseJUnitFile: smallest file read in parallel (default 32 MiB). */
  parallelMinBytes?: number;
  /** parseJUnitFile: number of parts to aim for (at most 4), instead of one per core with ≥ 16 MiB each. */
  parallelParts?: number;
  /** parseJUnitFile: the worker script (a build of parse-worker.ts), when it is not found beside the engine. */
  parallelWorker?: string | URL;
}

export const DEFAULT_MAX_FAILURE_CHARS = 16_384;
export const DEFAULT_MAX_OUTPUT_CHARS = 4_096;
export const DEFAULT_MAX_FAILURES = 500;
// 64 KiB: each chunk becomes a string small enough for the young generation, so it is freed by cheap
// scavenges instead of piling up as large objects until a full GC (peak RSS roughly halves).
export const DEFAULT_READ_CHUNK_BYTES = 64 * 1024;
// Bytes read from disk at a time (a Buffer, outside the JS heap). Each read is a round trip through
// libuv's thread pool, during which the parsing thread waits; with parts parsed on every core, those
// pool threads queue behind the parsers, so 64 KiB reads left each parser idle ~20 % of the time.
const READ_BLOCK_BYTES = 1024 * 1024;
const DEFAULT_MAX_PROPERTIES = 32;
const MAX_ATTRIBUTE_CHARS = 4_096;
/** Text the XML parser may buffer for one node before it is handed over (or dropped). */
const DRAIN_THRESHOLD = 64 * 1024;

// What the text currently being read belongs to.
const NONE = 0;
const FAILURE = 1;
const SKIPPED = 2;
const OUT = 3;
const ERR = 4;
const PROPERTY = 5;

/**
 * saxes keeps the text of the node being read in a private buffer and hands it over only when the
 * node ends, so a 500 MB `<system-out>` would be held whole. Draining that buffer between chunks
 * keeps memory bounded, but is only safe while the parser is inside text or CDATA. The numbers saxes
 * uses for those states are private, so they are learnt from a probe instead of being hard-coded.
 */
interface SaxesInternals {
  state: unknown;
  text: string;
}
const [TEXT_STATE, CDATA_STATE] = (() => {
  try {
    const inText = new SaxesParser();
    inText.on('text', () => undefined);
    inText.write('<a>x');
    const inCData = new SaxesParser();
    inCData.write('<a><![CDATA[x');
    const states = [(inText as unknown as SaxesInternals).state, (inCData as unknown as SaxesInternals).state];
    return states.every((s) => typeof s === 'number') && states[0] !== states[1] ? states : [undefined, undefined];
  } catch {
    return [undefined, undefined];
  }
})();
const DRAINABLE_STATES: ReadonlySet<unknown> = new Set(TEXT_STATE === undefined ? [] : [TEXT_STATE, CDATA_STATE]);

/**
 * What a parser's future depends on, taken between two elements (see parallel.ts): two parsers
 * that agree on this emit the same events for the same input from there on.
 */
export interface JUnitBoundaryState {
  /** saxes is in its plain text state (learnt by the probe above) with no text buffered. */
  inText: boolean;
  /** No case is open and no text is being captured. */
  idle: boolean;
  /** The XML version saxes reads by (from the document's declaration). */
  version: string | null;
  /** Open elements, outermost first: name, then attributes as [name, value] pairs. */
  stack: [string, [string, string][]][];
  /** Names and files of the open testsuites (what a case takes its suite and file from). */
  suiteNames: string[];
  suiteFiles: (string | null)[];
}

interface SaxesStackInternals {
  tags?: unknown;
  xmlDecl?: { version?: string };
}

/**
 * A streaming JUnit reader on a SAX parser: it never builds a document, keeps per-case text up to
 * fixed caps, and refuses DTDs outright (no entity expansion, no external entities). It reads what
 * pytest (also under xdist), vitest, jest-junit, node:test and Ant/Surefire write: nested
 * `<testsuites>`/`<testsuite>`, properties, system-out/system-err, skipped/error/failure, CDATA and
 * missing attributes.
 */
export class JUnitStreamParser {
  private readonly parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  private readonly internals = this.parser as unknown as SaxesInternals;
  private readonly file: string;
  private readonly maxFailureChars: number;
  private readonly maxOutputChars: number;
  private readonly maxFailures: number;
  private readonly maxProperties: number;
  private readonly onCase: ((c: JUnitCase) => void) | undefined;
  private readonly maxFailedIds: number;
  private readonly watchedIds: ReadonlySet<string> | undefined;

  private readonly summary: JUnitFileSummary;
  private readonly suiteNames: string[] = [];
  private readonly suiteFiles: (string | undefined)[] = [];
  private current: JUnitCase | undefined;
  /** True while `current` was made up for a failure outside any testcase (a suite-level error). */
  private syntheticCase = false;
  private sawRoot = false;
  private started = false;
  private closed = false;
  private depth = 0;

  private capture = NONE;
  private captureText = '';
  private captureCap = 0;
  private captureTruncated = false;
  private propertyName = '';
  private readonly onText = (text: string) => this.append(text);

  constructor(options: JUnitEngineOptions = {}) {
    this.file = options.file ?? '(report)';
    this.maxFailureChars = options.maxFailureChars ?? DEFAULT_MAX_FAILURE_CHARS;
    this.maxOutputChars = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
    this.maxFailures = options.maxFailures ?? DEFAULT_MAX_FAILURES;
    this.maxProperties = options.maxProperties ?? DEFAULT_MAX_PROPERTIES;
    this.onCase = options.onCase;
    this.summary = { file: this.file, tests: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0, time: 0, suites: 0, failures: [], failuresOmitted: 0 };
    const ids = options.caseIds;
    this.maxFailedIds = ids?.failed ?? 0;
    const watched = ids?.passed === undefined ? undefined : ids.passed instanceof Set ? ids.passed : new Set(ids.passed);
    this.watchedIds = watched !== undefined && watched.size > 0 ? watched : undefined;
    if (ids !== undefined) this.summary.caseIds = { failed: [], passed: [] };

    const p = this.parser;
    p.on('error', (err) => {
      throw this.syntaxError(err.message);
    });
    p.on('doctype', () => {
      throw this.refused();
    });
    p.on('opentag', (tag) => this.open(tag));
    p.on('closetag', (tag) => this.close(tag));
    // Text is only wanted inside a few elements; with no handler saxes skips building it at all.
    p.on('cdata', (text) => {
      if (this.capture !== NONE) this.append(text);
    });
  }

  /** Feeds the next piece of the document. Throws JUnitParseError / JUnitRefusedError. */
  write(chunk: string): void {
    if (!this.sawRoot) {
      if (!this.started && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      this.started = true;
      // A DTD is refused before the parser reads any of it, however large its internal subset is.
      const at = firstIndex(chunk, '<!DOCTYPE', '<!ENTITY');
      if (at >= 0) throw this.refused(at, chunk);
    }
    this.parser.write(chunk);
    this.drain();
  }

  /** Ends the document and returns what it held. */
  end(): JUnitFileSummary {
    if (!this.closed) {
      this.closed = true;
      this.parser.close();
      if (!this.sawRoot) throw new JUnitParseError(this.file, 'the report is empty: no root element');
    }
    return this.summary;
  }

  /** The summary so far, without ending the document (a part of a report read in parallel). */
  summarySoFar(): JUnitFileSummary {
    return this.summary;
  }

  /** Where the parser stands between two elements, for parallel.ts to check its speculation against. */
  boundaryState(): JUnitBoundaryState {
    const internals = this.parser as unknown as SaxesInternals & SaxesStackInternals;
    const tags = Array.isArray(internals.tags) ? (internals.tags as unknown[]) : undefined;
    const stack: JUnitBoundaryState['stack'] = [];
    let readable = tags !== undefined;
    for (const t of tags ?? []) {
      const tag = t as { name?: unknown; attributes?: unknown } | null;
      if (typeof tag?.name !== 'string' || typeof tag.attributes !== 'object' || tag.attributes === null) {
        readable = false;
        break;
      }
      stack.push([tag.name, Object.entries(tag.attributes as Record<string, string>)]);
    }
    return {
      // Anything unexpected in saxes' internals reads as "not at a clean boundary": the caller then
      // falls back to a sequential parse, which is always correct.
      inText: readable && TEXT_STATE !== undefined && internals.state === TEXT_STATE && internals.text === '' && !this.closed,
      idle: this.current === undefined && this.capture === NONE && !this.syntheticCase && this.sawRoot,
      version: internals.xmlDecl?.version ?? null,
      stack,
      suiteNames: [...this.suiteNames],
      suiteFiles: this.suiteFiles.map((f) => f ?? null),
    };
  }

  private drain(): void {
    const pending = this.internals.text;
    if (pending.length < DRAIN_THRESHOLD || !DRAINABLE_STATES.has(this.internals.state)) return;
    if (this.capture !== NONE) this.append(pending);
    this.internals.text = '';
  }

  private open(tag: SaxesTagPlain): void {
    this.depth++;
    const a = tag.attributes;
    switch (tag.name) {
      case 'testsuites':
        this.root(tag);
        return;
      case 'testsuite':
        this.root(tag);
        this.summary.suites++;
        this.suiteNames.push(a.name ?? '');
        this.suiteFiles.push(a.file ?? a.filepath);
        return;
      case 'testcase':
        this.root(tag);
        if (this.current) this.finishCase();
        this.current = this.newCase(a);
        return;
      case 'failure':
      case 'error': {
        const c = this.current ?? this.suiteLevelCase();
        const status: CaseStatus = tag.name === 'failure' ? 'failed' : 'errored';
        if (c.status !== 'failed') c.status = status;
        if (c.message === undefined && a.message !== undefined) c.message = clip(a.message);
        if (c.type === undefined && a.type !== undefined) c.type = clip(a.type);
        this.startCapture(FAILURE, this.maxFailureChars, c.text === '' ? '' : `${c.text}\n\n`, c.textTruncated);
        return;
      }
      case 'skipped':
        if (!this.current) return;
        if (this.current.status === 'passed') {
          this.current.status = 'skipped';
          if (a.message !== undefined) this.current.message = clip(a.message);
          this.startCapture(SKIPPED, 1_024, '', false);
        }
        return;
      case 'flakyFailure':
      case 'flakyError':
        if (!this.current) return;
        this.current.flaky = true;
        if (this.current.message === undefined && a.message !== undefined) this.current.message = clip(a.message);
        return;
      case 'system-out':
        if (this.current && this.capture === NONE) this.startCapture(OUT, this.maxOutputChars, this.current.systemOut, this.current.outputTruncated);
        return;
      case 'system-err':
        if (this.current && this.capture === NONE) this.startCapture(ERR, this.maxOutputChars, this.current.systemErr, this.current.outputTruncated);
        return;
      case 'property': {
        const c = this.current;
        if (!c) return;
        const props = (c.properties ??= []);
        if (props.length >= this.maxProperties) return;
        if (a.value !== undefined) {
          props.push({ name: clip(a.name ?? ''), value: clip(a.value) });
        } else if (this.capture === NONE) {
          // Surefire 3 writes multi-line values as the element's text.
          this.propertyName = clip(a.name ?? '');
          this.startCapture(PROPERTY, 1_024, '', false);
        }
        return;
      }
      default:
        if (!this.sawRoot) this.root(tag);
    }
  }

  private close(tag: SaxesTagPlain): void {
    this.depth--;
    switch (tag.name) {
      case 'testcase':
        if (this.current && !this.syntheticCase) this.finishCase();
        return;
      case 'testsuite':
        if (this.current && this.syntheticCase) this.finishCase();
        this.suiteNames.pop();
        this.suiteFiles.pop();
        return;
      case 'failure':
      case 'error':
        if (this.capture === FAILURE && this.current) {
          this.current.text = this.captureText;
          this.current.textTruncated = this.captureTruncated;
          this.stopCapture();
        }
        return;
      case 'skipped':
        if (this.capture === SKIPPED && this.current) {
          if (this.current.text === '') this.current.text = this.captureText;
          this.stopCapture();
        }
        return;
      case 'system-out':
        if (this.capture === OUT && this.current) {
          this.current.systemOut = this.captureText;
          this.current.outputTruncated ||= this.captureTruncated;
          this.stopCapture();
        }
        return;
      case 'system-err':
        if (this.capture === ERR && this.current) {
          this.current.systemErr = this.captureText;
          this.current.outputTruncated ||= this.captureTruncated;
          this.stopCapture();
        }
        return;
      case 'property':
        if (this.capture === PROPERTY && this.current) {
          (this.current.properties ??= []).push({ name: this.propertyName, value: this.captureText });
          this.stopCapture();
        }
        return;
      default:
    }
  }

  private root(tag: SaxesTagPlain): void {
    if (this.sawRoot) return;
    this.sawRoot = true;
    if (tag.name !== 'testsuites' && tag.name !== 'testsuite') {
      throw new JUnitParseError(this.file, `not a JUnit report: the root element is <${tag.name}>, expected <testsuites> or <testsuite>`, this.parser.line, this.parser.column);
    }
  }

  private newCase(a: Record<string, string>): JUnitCase {
    const depth = this.suiteNames.length;
    const file = a.file ?? a.filepath ?? (depth > 0 ? this.suiteFiles[depth - 1] : undefined);
    const line = a.line === undefined ? undefined : Number.parseInt(a.line, 10);
    const c: JUnitCase = {
      suite: depth > 0 ? this.suiteNames[depth - 1]! : '',
      classname: a.classname ?? a.class ?? '',
      name: a.name ?? '(unnamed)',
      time: parseSeconds(a.time),
      status: 'passed',
      flaky: false,
      text: '',
      textTruncated: false,
      systemOut: '',
      systemErr: '',
      outputTruncated: false,
    };
    if (file !== undefined) c.file = file;
    if (line !== undefined && Number.isFinite(line)) c.line = line;
    return c;
  }

  /** A failure or error written straight under a testsuite (a suite that could not even start). */
  private suiteLevelCase(): JUnitCase {
    const depth = this.suiteNames.length;
    const suite = depth > 0 ? this.suiteNames[depth - 1]! : '';
    this.current = this.newCase({ name: suite === '' ? '(suite error)' : `${suite} (suite error)`, classname: suite });
    this.syntheticCase = true;
    return this.current;
  }

  private finishCase(): void {
    const c = this.current!;
    this.current = undefined;
    this.syntheticCase = false;
    if (this.capture !== NONE) this.stopCapture();
    const s = this.summary;
    s.tests++;
    s.time += c.time;
    if (c.flaky && c.status === 'passed') s.flaky++;
    switch (c.status) {
      case 'passed':
        s.passed++;
        break;
      case 'skipped':
        s.skipped++;
        break;
      case 'failed':
      case 'errored':
        if (c.status === 'failed') s.failed++;
        else s.errored++;
        if (s.failures.length < this.maxFailures) s.failures.push(c);
        else s.failuresOmitted++;
        if (s.caseIds !== undefined && s.caseIds.failed.length < this.maxFailedIds) s.caseIds.failed.push(caseId(c.classname, c.name));
        break;
    }
    if (this.watchedIds !== undefined && c.status === 'passed') {
      const id = caseId(c.classname, c.name);
      if (this.watchedIds.has(id)) s.caseIds!.passed.push(id);
    }
    this.onCase?.(c);
  }

  private startCapture(kind: number, cap: number, prefix: string, truncated: boolean): void {
    this.capture = kind;
    this.captureCap = cap;
    this.captureText = prefix.length > cap ? prefix.slice(0, cap) : prefix;
    this.captureTruncated = truncated;
    this.parser.on('text', this.onText);
  }

  private stopCapture(): void {
    this.capture = NONE;
    this.captureText = '';
    this.parser.off('text');
  }

  private append(text: string): void {
    const room = this.captureCap - this.captureText.length;
    if (text.length <= room) {
      this.captureText += text;
    } else {
      if (room > 0) this.captureText += text.slice(0, room);
      this.captureTruncated = true;
    }
  }

  private syntaxError(saxesMessage: string): JUnitParseError {
    // saxes prefixes "line:column: "; the position is reported separately.
    const reason = saxesMessage.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
    return new JUnitParseError(this.file, `not well-formed XML: ${reason}`, this.parser.line, this.parser.column);
  }

  private refused(at?: number, chunk?: string): JUnitRefusedError {
    const reason = 'refused: the report declares a DTD (<!DOCTYPE>/<!ENTITY>); JUnit reports never need one, and entity expansion is how XML bombs work';
    if (at === undefined || chunk === undefined) return new JUnitRefusedError(this.file, reason, this.parser.line, this.parser.column);
    // Found before parsing: report where it starts (lines counted from the parser's current one).
    const before = chunk.slice(0, at);
    const newlines = before.split('\n').length - 1;
    const column = newlines === 0 ? this.parser.column + at : at - before.lastIndexOf('\n') - 1;
    return new JUnitRefusedError(this.file, reason, this.parser.line + newlines, column);
  }
}

function parseSeconds(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  // Some writers format times with thousands separators ("1,234.5").
  const n = Number(raw.includes(',') ? raw.replace(/,/g, '') : raw);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

function firstIndex(text: string, ...needles: string[]): number {
  let first = -1;
  for (const n of needles) {
    const i = text.indexOf(n);
    if (i >= 0 && (first < 0 || i < first)) first = i;
  }
  return first;
}

function clip(value: string): string {
  return value.length > MAX_ATTRIBUTE_CHARS ? `${value.slice(0, MAX_ATTRIBUTE_CHARS)}…` : value;
}

/** Parses a whole report held in memory (tests and small reports). */
export function parseJUnitString(xml: string, options: JUnitEngineOptions = {}): JUnitFileSummary {
  const engine = new JUnitStreamParser(options);
  engine.write(xml);
  return engine.end();
}

/**
 * Streams a report file through the engine: memory stays bounded whatever the file's size. A large
 * report is read in parts on several threads (parallel.ts) unless `parallel: false` or `onCase` is
 * given; the summary, and any error, are the same as reading it on one thread.
 */
export async function parseJUnitFile(path: string, options: JUnitEngineOptions = {}): Promise<JUnitFileSummary> {
  if (options.parallel !== false && options.onCase === undefined) return (await parseJUnitFileParallel(path, options)).summary;
  return parseJUnitFileSequential(path, options);
}

/** parseJUnitFile on this thread only. */
export async function parseJUnitFileSequential(path: string, options: JUnitEngineOptions = {}): Promise<JUnitFileSummary> {
  const engine = new JUnitStreamParser({ file: path, ...options });
  for await (const text of readText(path, options.readChunkBytes)) engine.write(text);
  return engine.end();
}

/**
 * The bytes [start, end) of a file as UTF-8 text, in strings of at most `pieceBytes` bytes each (a
 * character split between two reads is carried over by the decoder). Reads are large, strings small:
 * see READ_BLOCK_BYTES and DEFAULT_READ_CHUNK_BYTES.
 */
export async function* readText(path: string, pieceBytes = DEFAULT_READ_CHUNK_BYTES, start = 0, end?: number): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  const file = await open(path, 'r');
  try {
    // One buffer, reused: every byte of it is decoded into strings before the next read.
    const block = Buffer.allocUnsafe(Math.max(READ_BLOCK_BYTES, pieceBytes));
    for (let pos = start; end === undefined || pos < end; ) {
      const want = end === undefined ? block.length : Math.min(block.length, end - pos);
      const { bytesRead } = await file.read(block, 0, want, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      for (let i = 0; i < bytesRead; i += pieceBytes) {
        const text = decoder.write(block.subarray(i, Math.min(i + pieceBytes, bytesRead)));
        if (text !== '') yield text;
      }
    }
    const rest = decoder.end();
    if (rest !== '') yield rest;
  } finally {
    await file.close();
  }
}
