import { createReadStream } from 'node:fs';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { JUnitParseError, JUnitRefusedError } from './errors.js';
import type { CaseStatus, JUnitCase, JUnitFileSummary } from './types.js';

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
  /** Called for every case as soon as it closes (streaming consumers keep what they need). */
  onCase?: (c: JUnitCase) => void;
  /** Bytes read from disk at a time (parseJUnitFile). */
  readChunkBytes?: number;
}

export const DEFAULT_MAX_FAILURE_CHARS = 16_384;
export const DEFAULT_MAX_OUTPUT_CHARS = 4_096;
export const DEFAULT_MAX_FAILURES = 500;
// 64 KiB: each chunk becomes a string small enough for the young generation, so it is freed by cheap
// scavenges instead of piling up as large objects until a full GC (peak RSS roughly halves).
export const DEFAULT_READ_CHUNK_BYTES = 64 * 1024;
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
const DRAINABLE_STATES: ReadonlySet<unknown> = (() => {
  try {
    const inText = new SaxesParser();
    inText.on('text', () => undefined);
    inText.write('<a>x');
    const inCData = new SaxesParser();
    inCData.write('<a><![CDATA[x');
    const states = [(inText as unknown as SaxesInternals).state, (inCData as unknown as SaxesInternals).state];
    return new Set(states.every((s) => typeof s === 'number') && states[0] !== states[1] ? states : []);
  } catch {
    return new Set();
  }
})();

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
        break;
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

/** Streams a report file through the engine: memory stays bounded whatever the file's size. */
export async function parseJUnitFile(path: string, options: JUnitEngineOptions = {}): Promise<JUnitFileSummary> {
  const engine = new JUnitStreamParser({ file: path, ...options });
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: options.readChunkBytes ?? DEFAULT_READ_CHUNK_BYTES });
  try {
    for await (const chunk of stream) engine.write(chunk as string);
  } finally {
    stream.destroy();
  }
  return engine.end();
}
