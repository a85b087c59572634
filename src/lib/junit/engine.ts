import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { JUnitParseError, JUnitRefusedError } from './errors.js';
import { HashLog, IdentityHasher, identityKey } from './identity.js';
import { isReplaceableCode, replaceForbidden, stripAnsi } from './text.js';
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
   * Called for every `<testcase>` as soon as it closes, as written (a test a runner reran comes once
   * per run; the summary counts its last run only). A callback cannot run in a worker thread, so
   * parseJUnitFile reads the file on one thread when it is given; `caseIds` asks for the ids most
   * consumers want in a form that works on the parallel path too.
   */
  onCase?: (c: JUnitCase) => void;
  /** Called with every case's time as it closes (how a part of a parallel read hands its times back). */
  onTime?: (seconds: number) => void;
  /** Case ids to report in `summary.caseIds` (see JUnitCaseIds). */
  caseIds?: {
    /** How many failed/errored case ids to keep (the first ones, in report order). */
    failed?: number;
    /** Report the passed cases whose id is one of these (e.g. tests that failed on an earlier attempt). */
    passed?: readonly string[] | ReadonlySet<string>;
    /** How many ids of tests that passed on the runner's own rerun to keep. */
    flaky?: number;
  };
  /** Set by the reads in this module: the second read of a report in which some tests repeat. */
  repeats?: RepeatPlan;
  /** Set by the reads in this module: count the exact identities of the cases with these hashes. */
  censusOf?: ReadonlySet<number>;
  /** Set by the reads in this module: log identity hashes in a pytest report too (see `hashing`). */
  hashEveryReport?: boolean;
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
/** Attribute values are kept up to this many characters (and an ellipsis). */
const MAX_ATTRIBUTE_CHARS = 4_096;
/**
 * What the XML parser may hold of an attribute value between two writes. Anything above
 * MAX_ATTRIBUTE_CHARS gives the same clipped value, so cutting there never changes a result.
 */
const ATTRIBUTE_BUFFER_CHARS = 2 * MAX_ATTRIBUTE_CHARS;
/** Text the XML parser may buffer for one node before it is handed over (or dropped). */
const DRAIN_THRESHOLD = 64 * 1024;
/** Longer tag, attribute or entity names, and more attributes on one tag, are refused (no writer makes them). */
const MAX_NAME_CHARS = 1024 * 1024;
const MAX_ATTRIBUTES = 10_000;

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
  /** Where the character read last starts in `chunk` (what a "disallowed character" error is about). */
  prevI?: unknown;
  chunk?: unknown;
  /** Tag or attribute name being read, entity name being read, and where an entity returns to. */
  name?: unknown;
  entity?: unknown;
  entityReturnState?: unknown;
  attribList?: unknown;
}
/**
 * The same goes for an attribute value: saxes builds it as one string, so a 300 MiB `classname` would
 * be held whole. Between two writes, a value longer than ATTRIBUTE_BUFFER_CHARS is cut to that length
 * (in an attribute value, or in an entity inside one); comments, which nothing reads, are dropped.
 */
const [TEXT_STATE, CDATA_STATE, ATTRIBUTE_STATE, ENTITY_STATE, COMMENT_STATE] = (() => {
  const probe = (xml: string, withText = false): unknown => {
    const p = new SaxesParser();
    if (withText) p.on('text', () => undefined);
    p.write(xml);
    return (p as unknown as SaxesInternals).state;
  };
  try {
    const states = [
      probe('<a>x', true),
      probe('<a><![CDATA[x'),
      probe('<a b="x'),
      probe('<a>&am'),
      probe('<a><!-- x'),
    ];
    return states.every((s) => typeof s === 'number') && new Set(states).size === states.length ? states : [];
  } catch {
    return [];
  }
})();
/** What the probe learnt of saxes' private states (pinned by tests/unit/dependency-internals.test.ts). */
export const SAXES_STATES = {
  text: TEXT_STATE,
  cdata: CDATA_STATE,
  attribute: ATTRIBUTE_STATE,
  entity: ENTITY_STATE,
  comment: COMMENT_STATE,
} as const;
const DRAINABLE_STATES: ReadonlySet<unknown> = new Set(
  TEXT_STATE === undefined ? [] : [TEXT_STATE, CDATA_STATE],
);

/** How each repeated test of a report stands, from a first read (see identity.ts). */
export interface RepeatPlan {
  /** Runs per identity hash, for each hash the first read saw more than once. */
  byHash: ReadonlyMap<number, number>;
  /** Runs per exact identity, once two identities were found to share a hash. */
  byKey?: ReadonlyMap<string, number>;
  /**
   * pytest-rerunfailures' convention: pytest writes each failed run that is rerun as an empty
   * `<testcase>`, one more than its `tests` count says. Then an earlier run that reads as passed failed.
   */
  earlierPassedRunsFailed: boolean;
}

/** Two identities share a hash: the read is redone with exact identities. */
class RepeatCollision extends Error {}

/** What finishSummary needs to know about a report's writer, summed over the parts of a parallel read. */
export interface ReportDialect {
  /** The root says jest-junit (`<testsuites name="jest tests" tests= failures=>`). */
  jestTests?: number;
  jestFailures?: number;
  /** jest-junit test cases as written: passed, skipped, and passed with nothing inside and time="0". */
  jestPassed: number;
  jestSkipped: number;
  jestBare: number;
}

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
 * A streaming JUnit reader on a SAX parser: it never builds a document, keeps per-case text and
 * every attribute up to fixed caps, and refuses DTDs outright (no entity expansion, no external
 * entities). It reads what pytest (also under xdist and pytest-rerunfailures), vitest, jest-junit,
 * node:test, gotestsum and Ant/Surefire write: nested `<testsuites>`/`<testsuite>`, properties,
 * system-out/system-err, skipped/error/failure, CDATA and missing attributes. Characters XML 1.0
 * forbids (the raw colour codes of node:test under FORCE_COLOR) are replaced, not fatal.
 *
 * One engine is one read of a report. A test the runner wrote more than once counts once per case
 * here; parseJUnitString and parseJUnitFile read the report again in that case, so that each test
 * counts once, by its last run (see RepeatPlan).
 */
export class JUnitStreamParser {
  private readonly parser = new SaxesParser<{ xmlns: false; position: true }>({
    xmlns: false,
    position: true,
  });
  private readonly internals = this.parser as unknown as SaxesInternals;
  private readonly file: string;
  private readonly maxFailureChars: number;
  private readonly maxOutputChars: number;
  private readonly maxFailures: number;
  private readonly maxProperties: number;
  private readonly onCase: ((c: JUnitCase) => void) | undefined;
  private readonly onTime: ((seconds: number) => void) | undefined;
  private readonly maxFailedIds: number;
  private readonly maxFlakyIds: number;
  private readonly watchedIds: ReadonlySet<string> | undefined;

  private readonly summary: JUnitFileSummary;
  private readonly suiteNames: string[] = [];
  private readonly suiteFiles: (string | undefined)[] = [];
  private current: JUnitCase | undefined;
  /** True while `current` was made up for a failure outside any testcase (a suite-level error). */
  private syntheticCase = false;
  /** Whether the open case has any element inside it, and its `time` attribute as written. */
  private currentHasChild = false;
  private currentTime: string | undefined;
  private sawRoot = false;
  private started = false;
  private closed = false;
  private finished = false;
  private depth = 0;

  private capture = NONE;
  private captureText = '';
  private captureCap = 0;
  private captureTruncated = false;
  private propertyName = '';
  private readonly onText = (text: string) => this.append(text);

  // Which cases are the same test (see identity.ts and RepeatPlan).
  private readonly hasher = new IdentityHasher();
  private readonly repeats: RepeatPlan | undefined;
  private readonly censusOf: ReadonlySet<number> | undefined;
  private readonly seen: HashLog | undefined;
  private readonly hashOwners = new Map<number, string>();
  private readonly runsLeft = new Map<string, { left: number; failedBefore: boolean }>();
  private readonly census = new Map<string, number>();

  // What the writer's conventions need (finishSummary).
  private pytest = false;
  private declaredTests = 0;
  /**
   * Whether the first read logs identity hashes, decided at the first suite or case. pytest writes
   * each test once and says how many in its `tests` count; only pytest-rerunfailures' reruns make
   * more cases than that. So a pytest report is hashed only when it holds more cases than it counts,
   * on a read of its own (the largest reports are pytest's, and hashing costs a tenth of a read).
   */
  private hashing: boolean | undefined;
  private readonly hashEveryReport: boolean;
  private readonly dialect: ReportDialect = { jestPassed: 0, jestSkipped: 0, jestBare: 0 };
  private jest = false;

  /** Set once the parser has met a character XML 1.0 forbids; until then no string needs cleaning. */
  private sawForbidden = false;

  constructor(options: JUnitEngineOptions = {}) {
    this.file = options.file ?? '(report)';
    this.maxFailureChars = options.maxFailureChars ?? DEFAULT_MAX_FAILURE_CHARS;
    this.maxOutputChars = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
    this.maxFailures = options.maxFailures ?? DEFAULT_MAX_FAILURES;
    this.maxProperties = options.maxProperties ?? DEFAULT_MAX_PROPERTIES;
    this.onCase = options.onCase;
    this.onTime = options.onTime;
    this.repeats = options.repeats;
    this.censusOf = options.censusOf;
    this.hashEveryReport = options.hashEveryReport === true;
    if (this.repeats === undefined && this.censusOf === undefined) this.seen = new HashLog();
    this.summary = {
      file: this.file,
      tests: 0,
      passed: 0,
      failed: 0,
      errored: 0,
      skipped: 0,
      flaky: 0,
      time: 0,
      suites: 0,
      failures: [],
      failuresOmitted: 0,
      reruns: 0,
      todo: 0,
    };
    const ids = options.caseIds;
    this.maxFailedIds = ids?.failed ?? 0;
    this.maxFlakyIds = ids?.flaky ?? 0;
    const watched =
      ids?.passed === undefined ? undefined : ids.passed instanceof Set ? ids.passed : new Set(ids.passed);
    this.watchedIds = watched !== undefined && watched.size > 0 ? watched : undefined;
    if (ids !== undefined) this.summary.caseIds = { failed: [], passed: [], flaky: [] };

    const p = this.parser;
    p.on('error', (err) => {
      if (err.message.endsWith('disallowed character.') && this.atReplaceableCharacter()) {
        this.noteForbidden();
        return; // saxes reads on; the character is replaced wherever it is kept
      }
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

  /** Ends the document and returns what it held (the same summary when called again). */
  end(): JUnitFileSummary {
    if (this.finished) return this.summary;
    this.closeDocument();
    this.finished = true;
    return finishSummary(this.summary, this.dialect);
  }

  /** Ends the document without finishing the summary (the last part of a parallel read). */
  closeDocument(): void {
    if (this.closed) return;
    this.closed = true;
    this.parser.close();
    if (!this.sawRoot) throw new JUnitParseError(this.file, 'the report is empty: no root element');
  }

  /** The summary so far, without ending the document (a part of a report read in parallel). */
  summarySoFar(): JUnitFileSummary {
    return this.summary;
  }

  /** What finishSummary needs of this report's writer. */
  dialectSoFar(): ReportDialect {
    return this.dialect;
  }

  /** Identity hashes met more than once, with how often (empty: no test repeats, this read is final). */
  repeatedSoFar(): ReadonlyMap<number, number> {
    return this.seen?.repeats() ?? new Map();
  }

  /** Every identity hash met, sorted, for a parallel read to look for tests repeated across parts. */
  hashesSoFar(): Float64Array | undefined {
    return this.seen?.sorted();
  }

  /** With `censusOf`: how often each identity whose hash is in it was met. */
  censusSoFar(): ReadonlyMap<string, number> {
    return this.census;
  }

  /** The first read logged no hashes (a pytest report, see `hashing`). */
  hashesSkipped(): boolean {
    return this.seen !== undefined && this.hashing !== true;
  }

  /** The `tests` counts of the testsuites read (pytest's count of its tests). */
  declaredSoFar(): number {
    return this.declaredTests;
  }

  /** A pytest report holding more cases than its tests count: reruns, to be read with identities. */
  mayRepeat(): boolean {
    return this.pytest && this.summary.tests + this.summary.reruns > this.declaredTests;
  }

  /** The plan for reading this report again, once it has been read whole with repeats found. */
  repeatPlan(): RepeatPlan {
    // pytest's `tests` attribute counts the tests, not the reruns it writes as extra cases.
    return { byHash: this.repeatedSoFar(), earlierPassedRunsFailed: this.mayRepeat() };
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
      inText:
        readable &&
        TEXT_STATE !== undefined &&
        internals.state === TEXT_STATE &&
        internals.text === '' &&
        !this.closed,
      idle: this.current === undefined && this.capture === NONE && !this.syntheticCase && this.sawRoot,
      version: internals.xmlDecl?.version ?? null,
      stack,
      suiteNames: [...this.suiteNames],
      suiteFiles: this.suiteFiles.map((f) => f ?? null),
    };
  }

  private drain(): void {
    const internals = this.internals;
    const { state, text } = internals;
    if (text.length >= DRAIN_THRESHOLD && DRAINABLE_STATES.has(state)) {
      if (this.capture !== NONE) this.append(text);
      internals.text = '';
    } else if (text.length > ATTRIBUTE_BUFFER_CHARS && ATTRIBUTE_STATE !== undefined) {
      if (
        state === ATTRIBUTE_STATE ||
        (state === ENTITY_STATE && internals.entityReturnState === ATTRIBUTE_STATE)
      ) {
        internals.text = text.slice(0, ATTRIBUTE_BUFFER_CHARS);
      } else if (state === COMMENT_STATE) {
        internals.text = ''; // no comment handler: saxes would hand the text to no one
      }
    }
    if (longerThan(internals.name, MAX_NAME_CHARS) || longerThan(internals.entity, MAX_NAME_CHARS)) {
      throw this.refusedBecause(
        `refused: a tag, attribute or entity name longer than ${MAX_NAME_CHARS} characters (no JUnit writer writes one)`,
      );
    }
    if (Array.isArray(internals.attribList) && internals.attribList.length > MAX_ATTRIBUTES) {
      throw this.refusedBecause(
        `refused: a tag with more than ${MAX_ATTRIBUTES} attributes (no JUnit writer writes one)`,
      );
    }
  }

  private open(tag: SaxesTagPlain): void {
    this.depth++;
    const a = tag.attributes;
    if (this.current !== undefined && tag.name !== 'testcase') this.currentHasChild = true;
    switch (tag.name) {
      case 'testsuites':
        this.root(tag);
        if (this.depth === 1) this.readRoot(a);
        return;
      case 'testsuite':
        this.root(tag);
        this.summary.suites++;
        this.suiteNames.push(this.nameOf(a.name) ?? '');
        this.suiteFiles.push(this.nameOf(a.file ?? a.filepath));
        if (a.name === 'pytest') this.pytest = true;
        if (a.tests !== undefined && a.tests.length <= 16)
          this.declaredTests += Number.parseInt(a.tests, 10) || 0;
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
        this.startCapture(
          FAILURE,
          this.maxFailureChars,
          c.text === '' ? '' : `${c.text}\n\n`,
          c.textTruncated,
        );
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
        if (this.current.message === undefined && a.message !== undefined)
          this.current.message = clip(a.message);
        return;
      case 'system-out':
        if (this.current && this.capture === NONE)
          this.startCapture(OUT, this.maxOutputChars, this.current.systemOut, this.current.outputTruncated);
        return;
      case 'system-err':
        if (this.current && this.capture === NONE)
          this.startCapture(ERR, this.maxOutputChars, this.current.systemErr, this.current.outputTruncated);
        return;
      case 'property': {
        const c = this.current;
        if (!c) return;
        const props = (c.properties ??= []);
        if (props.length >= this.maxProperties) return;
        if (a.value !== undefined) {
          props.push({ name: this.nameOf(a.name) ?? '', value: this.nameOf(a.value) ?? '' });
        } else if (this.capture === NONE) {
          // Surefire 3 writes multi-line values as the element's text.
          this.propertyName = this.nameOf(a.name) ?? '';
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
          this.current.systemOut = this.kept(this.captureText);
          this.current.outputTruncated ||= this.captureTruncated;
          this.stopCapture();
        }
        return;
      case 'system-err':
        if (this.capture === ERR && this.current) {
          this.current.systemErr = this.kept(this.captureText);
          this.current.outputTruncated ||= this.captureTruncated;
          this.stopCapture();
        }
        return;
      case 'property':
        if (this.capture === PROPERTY && this.current) {
          (this.current.properties ??= []).push({
            name: this.propertyName,
            value: this.kept(this.captureText),
          });
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
      throw new JUnitParseError(
        this.file,
        `not a JUnit report: the root element is <${this.nameOf(tag.name)}>, expected <testsuites> or <testsuite>`,
        this.parser.line,
        this.parser.column,
      );
    }
  }

  /** The root `<testsuites>`: whose report is this (pytest and jest-junit name theirs). */
  private readRoot(a: Record<string, string>): void {
    if (a.name === 'pytest tests') this.pytest = true;
    if (a.name === 'jest tests') {
      const tests = wholeNumber(a.tests);
      const failures = wholeNumber(a.failures);
      if (tests !== undefined && failures !== undefined) {
        this.jest = true;
        this.dialect.jestTests = tests;
        this.dialect.jestFailures = failures;
      }
    }
  }

  private newCase(a: Record<string, string>): JUnitCase {
    const depth = this.suiteNames.length;
    const file = this.nameOf(a.file ?? a.filepath) ?? (depth > 0 ? this.suiteFiles[depth - 1] : undefined);
    const line =
      a.line === undefined || a.line.length > MAX_ATTRIBUTE_CHARS ? undefined : Number.parseInt(a.line, 10);
    const c: JUnitCase = {
      suite: depth > 0 ? this.suiteNames[depth - 1]! : '',
      classname: this.nameOf(a.classname ?? a.class) ?? '',
      name: this.nameOf(a.name) ?? '(unnamed)',
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
    this.currentHasChild = false;
    this.currentTime = a.time;
    return c;
  }

  /** A failure or error written straight under a testsuite (a suite that could not even start). */
  private suiteLevelCase(): JUnitCase {
    const depth = this.suiteNames.length;
    const suite = depth > 0 ? this.suiteNames[depth - 1]! : '';
    this.current = this.newCase({
      name: suite === '' ? '(suite error)' : `${suite} (suite error)`,
      classname: suite,
    });
    this.currentHasChild = true;
    this.syntheticCase = true;
    return this.current;
  }

  private finishCase(): void {
    const c = this.current!;
    const bare = !this.currentHasChild && this.currentTime === '0';
    this.current = undefined;
    this.syntheticCase = false;
    if (this.capture !== NONE) this.stopCapture();
    const s = this.summary;
    s.time += c.time;
    this.onTime?.(c.time);
    if (this.jest) {
      if (c.status === 'passed') {
        this.dialect.jestPassed++;
        if (bare) this.dialect.jestBare++;
      } else if (c.status === 'skipped') {
        this.dialect.jestSkipped++;
      }
    }
    if (!this.isLastRun(c)) {
      s.reruns++;
      if (this.onCase) this.onCase(this.present(c));
      return;
    }
    s.tests++;
    if (c.flaky && c.status === 'passed') {
      s.flaky++;
      if (s.caseIds !== undefined && s.caseIds.flaky.length < this.maxFlakyIds)
        s.caseIds.flaky.push(caseId(c.classname, c.name));
    }
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
        if (s.failures.length < this.maxFailures) s.failures.push(this.present(c));
        else s.failuresOmitted++;
        if (s.caseIds !== undefined && s.caseIds.failed.length < this.maxFailedIds)
          s.caseIds.failed.push(caseId(c.classname, c.name));
        break;
    }
    if (this.watchedIds !== undefined && c.status === 'passed') {
      const id = caseId(c.classname, c.name);
      if (this.watchedIds.has(id)) s.caseIds!.passed.push(id);
    }
    if (this.onCase) this.onCase(this.present(c));
  }

  /**
   * Whether this case is the last run of its test in the report (what is counted). The first read
   * only logs hashes (repeats are found when it ends); a read with a RepeatPlan holds back the
   * earlier runs of repeated tests.
   */
  private isLastRun(c: JUnitCase): boolean {
    if (this.seen !== undefined) {
      this.hashing ??= this.hashEveryReport || !this.pytest;
      if (!this.hashing) return true;
    }
    const hash = this.hasher.hash(c.suite, c.classname, c.name, c.file);
    if (this.seen !== undefined) {
      this.seen.add(hash);
      return true;
    }
    if (this.censusOf !== undefined) {
      if (this.censusOf.has(hash)) {
        const key = identityKey(c.suite, c.classname, c.name, c.file);
        this.census.set(key, (this.census.get(key) ?? 0) + 1);
      }
      return true;
    }
    const plan = this.repeats!;
    const hashRuns = plan.byHash.get(hash);
    if (hashRuns === undefined) return true;
    const key = identityKey(c.suite, c.classname, c.name, c.file);
    let runs = hashRuns;
    if (plan.byKey !== undefined) {
      runs = plan.byKey.get(key) ?? 1;
    } else {
      const owner = this.hashOwners.get(hash);
      if (owner === undefined) this.hashOwners.set(hash, key);
      else if (owner !== key) throw new RepeatCollision();
    }
    if (runs < 2) return true;
    let test = this.runsLeft.get(key);
    if (test === undefined) {
      test = { left: runs, failedBefore: false };
      this.runsLeft.set(key, test);
    }
    if (--test.left > 0) {
      test.failedBefore ||=
        c.status === 'failed' ||
        c.status === 'errored' ||
        (c.status === 'passed' && plan.earlierPassedRunsFailed);
      return false;
    }
    this.runsLeft.delete(key);
    c.runs = runs;
    if (c.status === 'passed' && test.failedBefore) c.flaky = true;
    return true;
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

  /** A name-like attribute (suite, class, test, file, property): clipped, forbidden characters replaced. */
  private nameOf(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const clipped = clip(value);
    return this.sawForbidden ? replaceForbidden(stripRawAnsi(clipped)) : clipped;
  }

  /**
   * A case handed out (kept among the failures, or given to onCase): the texts a person reads lose
   * their colour codes, then characters XML forbids. Done here, not for every case read, since
   * scanning every failure text of a large report would cost the read a good part of its time.
   */
  private present(c: JUnitCase): JUnitCase {
    if (c.message !== undefined) c.message = this.kept(stripAnsi(c.message));
    if (c.type !== undefined) c.type = this.kept(stripAnsi(c.type));
    if (c.text !== '') c.text = this.kept(stripAnsi(c.text));
    return c;
  }

  /** Text kept as written but for forbidden characters (replaced once the parser has met one). */
  private kept(value: string): string {
    return this.sawForbidden ? replaceForbidden(value) : value;
  }

  /** saxes reports a "disallowed character" right after reading it: is it one we replace? */
  private atReplaceableCharacter(): boolean {
    const { chunk, prevI } = this.internals;
    return (
      typeof chunk === 'string' && typeof prevI === 'number' && isReplaceableCode(chunk.charCodeAt(prevI))
    );
  }

  private noteForbidden(): void {
    this.sawForbidden = true;
    const noted = this.summary.forbiddenCharacters;
    if (noted !== undefined) noted.count++;
    else this.summary.forbiddenCharacters = { count: 1, line: this.parser.line, column: this.parser.column };
  }

  private syntaxError(saxesMessage: string): JUnitParseError {
    // saxes prefixes "line:column: "; the position is reported separately.
    const reason = saxesMessage.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
    return new JUnitParseError(
      this.file,
      `not well-formed XML: ${clip(reason, 200)}`,
      this.parser.line,
      this.parser.column,
    );
  }

  private refusedBecause(reason: string): JUnitRefusedError {
    return new JUnitRefusedError(this.file, reason, this.parser.line, this.parser.column);
  }

  private refused(at?: number, chunk?: string): JUnitRefusedError {
    const reason =
      'refused: the report declares a DTD (<!DOCTYPE>/<!ENTITY>); JUnit reports never need one, and entity expansion is how XML bombs work';
    if (at === undefined || chunk === undefined)
      return new JUnitRefusedError(this.file, reason, this.parser.line, this.parser.column);
    // Found before parsing: report where it starts (lines counted from the parser's current one).
    const before = chunk.slice(0, at);
    const newlines = before.split('\n').length - 1;
    const column = newlines === 0 ? this.parser.column + at : at - before.lastIndexOf('\n') - 1;
    return new JUnitRefusedError(this.file, reason, this.parser.line + newlines, column);
  }
}

/**
 * The last step of every read, after a parallel read's parts are merged: jest-junit writes a
 * `test.todo` as a plain passed case that its root's `tests` count leaves out (tests = failed + passed
 * + pending), so cases beyond that count among the bare ones (nothing inside, time="0") are todo.
 */
export function finishSummary(summary: JUnitFileSummary, dialect: ReportDialect): JUnitFileSummary {
  if (dialect.jestTests !== undefined && dialect.jestFailures !== undefined) {
    const beyond = dialect.jestPassed + dialect.jestSkipped - (dialect.jestTests - dialect.jestFailures);
    const todo = Math.max(0, Math.min(beyond, dialect.jestBare, summary.passed));
    summary.passed -= todo;
    summary.skipped += todo;
    summary.todo += todo;
  }
  return summary;
}

/** Adds a part's dialect counts into `into` (the root's numbers are the same in every part). */
export function addDialect(into: ReportDialect, more: ReportDialect): void {
  into.jestPassed += more.jestPassed;
  into.jestSkipped += more.jestSkipped;
  into.jestBare += more.jestBare;
}

function parseSeconds(raw: string | undefined): number {
  if (raw === undefined || raw === '' || raw.length > MAX_ATTRIBUTE_CHARS) return 0;
  let n = Number(raw);
  // Some writers format times with thousands separators ("1,234.5").
  if (Number.isNaN(n) && raw.includes(',')) n = Number(raw.replace(/,/g, ''));
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

function clip(value: string, max = MAX_ATTRIBUTE_CHARS): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

function longerThan(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length > max;
}

function wholeNumber(raw: string | undefined): number | undefined {
  return raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
}

/** Colour codes as the terminal got them (ESC [ ... m): names may carry them, never pytest's `#x1B` form. */
function stripRawAnsi(value: string): string {
  return value.includes('\x1b') ? value.replace(RAW_ANSI_SEQUENCE, '') : value;
}
const RAW_ANSI_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]/g;

/** Parses a whole report held in memory (tests and small reports). */
export function parseJUnitString(xml: string, options: JUnitEngineOptions = {}): JUnitFileSummary {
  const plan = reads(options);
  for (let step = plan.next(); ;) {
    if (step.done) return step.value;
    const engine = new JUnitStreamParser(step.value);
    try {
      engine.write(xml);
    } catch (err) {
      step = plan.throw(err);
      continue;
    }
    step = plan.next(engine);
  }
}

/** Reads a report file on this thread (read-file.ts decides when to read one in parallel parts). */
export async function parseJUnitFileSequential(
  path: string,
  options: JUnitEngineOptions = {},
): Promise<JUnitFileSummary> {
  const plan = reads({ file: path, ...options });
  for (let step = plan.next(); ;) {
    if (step.done) return step.value;
    const engine = new JUnitStreamParser(step.value);
    try {
      for await (const text of readText(path, options.readChunkBytes)) engine.write(text);
    } catch (err) {
      step = plan.throw(err);
      continue;
    }
    step = plan.next(engine);
  }
}

/**
 * The reads one report takes, as engine options; each read's engine comes back once it has been fed
 * the whole report, and an error it threw is thrown in here. The first read counts every case and
 * logs each test's identity hash (for a pytest report only when it holds more cases than its tests
 * count, on a read of its own); if a test repeats, the report is read again with a RepeatPlan that
 * holds back the earlier runs (and, should two identities share a hash, once more before that to
 * count them exactly). Only the first read calls `onCase`.
 */
function* reads(
  options: JUnitEngineOptions,
): Generator<JUnitEngineOptions, JUnitFileSummary, JUnitStreamParser> {
  const first = yield options;
  const summary = first.end();
  const { onCase: _everyCase, onTime: _everyTime, ...again } = options;
  let plan = first.repeatPlan();
  if (first.hashesSkipped()) {
    // A pytest report: hashed only when it holds more cases than its tests count (reruns).
    if (!first.mayRepeat()) return summary;
    const hashed = yield { ...again, hashEveryReport: true };
    hashed.end();
    plan = hashed.repeatPlan();
  }
  if (plan.byHash.size === 0) return summary;
  try {
    const second = yield { ...again, repeats: plan };
    return second.end();
  } catch (err) {
    if (!(err instanceof RepeatCollision)) throw err;
  }
  const census = yield { ...again, censusOf: new Set(plan.byHash.keys()) };
  census.end();
  const exact = yield { ...again, repeats: { ...plan, byKey: census.censusSoFar() } };
  return exact.end();
}

/**
 * The bytes [start, end) of a file as UTF-8 text, in strings of at most `pieceBytes` bytes each (a
 * character split between two reads is carried over by the decoder). Reads are large, strings small:
 * see READ_BLOCK_BYTES and DEFAULT_READ_CHUNK_BYTES.
 */
export async function* readText(
  path: string,
  pieceBytes = DEFAULT_READ_CHUNK_BYTES,
  start = 0,
  end?: number,
): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  const file = await open(path, 'r');
  try {
    // One buffer, reused: every byte of it is decoded into strings before the next read.
    const block = Buffer.allocUnsafe(Math.max(READ_BLOCK_BYTES, pieceBytes));
    for (let pos = start; end === undefined || pos < end;) {
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
