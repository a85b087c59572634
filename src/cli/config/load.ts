import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ConfigurationError, quote } from '../../lib/errors.js';
import { dateInZone, isCalendarDate, isTimeZone } from '../../lib/dates.js';
import { parseInputs } from '../../lib/inputs/spec.js';
import type { ActionMetadata } from '../../lib/inputs/metadata.js';
import { validateAgainst } from '../../lib/schema.js';
import { budgetWarning } from '../../actions/helm-deploy/inputs.js';
import { configSchema, DEFAULT_TIMEZONE } from './schema.js';
import { configurableInputs, isPlainObject, ownedReason, toInputString } from './sections.js';
import { runTimeProblems, type RunTimeCheckIo } from './run-time-checks.js';
import { readClusters, readFanOut, type FanOut, type KafkaCluster } from './fan-out.js';

const KAFKA = 'kafka-topic-check';

import { SETUP_JOBS, setupByJob, setupSchemaFor, type SetupJob, type SetupStep } from './setup.js';

export type { SetupJob, SetupStep } from './setup.js';

/** The configuration, checked, as the inputs each action gets (strings, exactly as the runner passes them). */
export interface LoadedConfig {
  file: string;
  timezone: string;
  /** The day's date: the override when given, else today in `timezone`. */
  date: string;
  /** The smoke job's setup commands (a `setup` list, or `setup.smoke`). */
  setup: SetupStep[];
  /** Every job's setup commands, empty for a job that has none. */
  setupByJob: Record<SetupJob, SetupStep[]>;
  /** Per action (only the sections present): input name → value. */
  inputs: Record<string, Record<string, string>>;
  /** How the sections' jobs fan out over a job matrix (fan-out.ts). */
  fanOut: FanOut;
}

export interface ConfigProblem {
  line?: number;
  column?: number;
  /** Where in the file, as a path such as `kafka-topic-check.topics[0].max-age`. */
  path: string;
  message: string;
}

/** Every problem of the file at once, each with its line, so one edit fixes them all. */
export class ConfigFileError extends ConfigurationError {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `${file} is not a valid Integration Day configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems
          .map(
            (p) =>
              `  ${file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}: ${p.path ? `${p.path}: ` : ''}${p.message}`,
          )
          .join('\n'),
    );
  }
}

export interface LoadOptions {
  /** Path shown in messages (as the user wrote it). */
  file: string;
  /** Relative file paths inside the configuration resolve against this (the repository root). */
  workspace: string;
  actions: readonly ActionMetadata[];
  /** Sections that must be present (the workflow that loads the file needs them). */
  require?: readonly string[];
  /** Date override (the run's `date` input); must be YYYY-MM-DD. */
  date?: string;
  now?: Date;
  /** The deploy step's timeout, to check Helm's timeout (plus its rollback) fits inside it. */
  deployStepTimeoutMs?: number;
  /**
   * When given, also what the actions would only refuse at run time (shell syntax, window and timeout,
   * missing files, unknown squads), checked through these files and this shell.
   */
  runTimeChecks?: RunTimeCheckIo;
}

/** Parses and checks the configuration text. Throws ConfigFileError listing every problem found. */
export function loadConfig(text: string, opts: LoadOptions): LoadedConfig {
  const { doc, lines, data } = parseYaml(text, opts.file);
  const problems: ConfigProblem[] = [];
  const at = (pointer: string[], message: string): ConfigProblem => ({
    ...locate(doc, lines, pointer),
    path: showPath(pointer),
    message,
  });
  const byName = new Map(opts.actions.map((m) => [m.name, m]));
  const { shaped, refusals } = withoutOwnedInputs(data, byName, at);
  problems.push(...refusals);
  for (const v of validateAgainst(configSchema(opts.actions, { nested: false }), shaped)) {
    const d = describeViolation(v, byName);
    problems.push(at(d.pointer, d.message));
  }
  problems.push(...setupProblems(data, byName, at));
  const fanOut = readFanOut(data, opts.workspace, at);
  problems.push(...fanOut.problems);
  problems.push(...missingSections(data, opts.require ?? []));
  const timezone = typeof data.timezone === 'string' ? data.timezone : DEFAULT_TIMEZONE;
  problems.push(...badDates(data, opts.date, at));

  const skip = skippedInputs(problems, new Set(refusals));
  const structural = structuredInputProblems(shaped, byName, at);
  problems.push(...structural.problems);
  for (const section of structural.broken) skip.broken.add(section);
  if (opts.runTimeChecks)
    problems.push(
      ...runTimeProblems({ data, workspace: opts.workspace, actions: byName, io: opts.runTimeChecks, at }),
    );

  const date =
    opts.date || dateInZone(opts.now ?? new Date(), isTimeZone(timezone) ? timezone : DEFAULT_TIMEZONE);
  const inputs: Record<string, Record<string, string>> = {};
  const clusters: KafkaCluster[] = [];
  for (const [section, value] of Object.entries(shaped)) {
    const m = byName.get(section);
    if (!m || !isPlainObject(value) || skip.broken.has(section)) continue;
    if (section === KAFKA && 'clusters' in value) {
      const read = readClusters(value, at, (merged, where) =>
        parseSection(section, merged, m, skip.badInputs, opts, where),
      );
      problems.push(...read.problems);
      clusters.push(...read.clusters);
      // What reads the section without a matrix (the contract recording) gets the first cluster.
      if (clusters[0]) {
        const { cluster: _name, ...first } = clusters[0].inputs;
        inputs[section] = first;
      }
      continue;
    }
    const parsed = parseSection(section, value, m, skip.badInputs, opts, at);
    problems.push(...parsed.problems);
    if (!parsed.strings) continue;
    if ('timezone' in m.inputs) parsed.strings.timezone = timezone;
    if ('date' in m.inputs && ownedReason(section, 'date', m.inputs.date!)) parsed.strings.date = date;
    inputs[section] = parsed.strings;
  }
  if (problems.length)
    throw new ConfigFileError(
      opts.file,
      problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)),
    );
  const byJob = setupByJob(data.setup);
  return {
    file: opts.file,
    timezone,
    date,
    setup: byJob.smoke,
    setupByJob: byJob,
    inputs,
    fanOut: { ...fanOut.fanOut, ...(clusters.length ? { [KAFKA]: { clusters } } : {}) },
  };
}

type Locate = (pointer: string[], message: string) => ConfigProblem;

/** The YAML as a mapping of sections, or every syntax problem at its line. */
function parseYaml(
  text: string,
  file: string,
): { doc: Document; lines: LineCounter; data: Record<string, unknown> } {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
  });
  const problems: ConfigProblem[] = doc.errors.map((e) => {
    // Without prettyErrors the parser leaves linePos empty; the offset is always there.
    const pos = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
    return {
      ...(pos ? { line: pos.line, column: pos.col } : {}),
      path: '',
      message: `not valid YAML: ${e.message.split('\n')[0]}`,
    };
  });
  if (problems.length) throw new ConfigFileError(file, problems);
  const data: unknown = doc.toJS({ maxAliasCount: 50 }) ?? {};
  if (!isPlainObject(data))
    throw new ConfigFileError(file, [
      {
        line: 1,
        path: '',
        message: 'the file must be a mapping of sections (helm-deploy:, smoke-suite:, ...)',
      },
    ]);
  return { doc, lines, data };
}

/**
 * The sections without the inputs the workflow sets itself, each refused with its reason. Owned
 * inputs are refused first: "the workflow sets this" says more than "not allowed".
 */
function withoutOwnedInputs(
  data: Record<string, unknown>,
  byName: Map<string, ActionMetadata>,
  at: Locate,
): { shaped: Record<string, unknown>; refusals: ConfigProblem[] } {
  const refusals: ConfigProblem[] = [];
  const shaped: Record<string, unknown> = { ...data };
  for (const [section, value] of Object.entries(data)) {
    const m = byName.get(section);
    if (!m || !isPlainObject(value)) continue;
    const kept: Record<string, unknown> = {};
    for (const [input, v] of Object.entries(value)) {
      const spec = m.inputs[input];
      const reason = spec ? ownedReason(section, input, spec) : undefined;
      if (reason) refusals.push(at([section, input], `is not set in this file: ${reason}`));
      else kept[input] = v;
    }
    shaped[section] = kept;
  }
  return { shaped, refusals };
}

function missingSections(data: Record<string, unknown>, required: readonly string[]): ConfigProblem[] {
  return required
    .filter((name) => !(name in data))
    .map((name) => ({
      line: 1,
      path: '',
      message: `the section '${name}' is missing; this workflow needs it (see config/README.md)`,
    }));
}

function badDates(data: Record<string, unknown>, date: string | undefined, at: Locate): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (typeof data.timezone === 'string' && !isTimeZone(data.timezone)) {
    problems.push(
      at(
        ['timezone'],
        `${quote(data.timezone)} is not an IANA time zone (such as America/Los_Angeles or UTC)`,
      ),
    );
  }
  if (date !== undefined && date !== '' && !isCalendarDate(date)) {
    problems.push({
      path: 'date',
      message: `the date override ${quote(date)} is not a calendar date written exactly as YYYY-MM-DD`,
    });
  }
  return problems;
}

/**
 * What the schema already found wrong is not checked again: a bad input (`section.input`) is left out
 * of its section's parse, and a section broken deeper down is not parsed at all. Refused inputs were
 * taken out of the sections already, so they stop nothing.
 */
function skippedInputs(
  problems: readonly ConfigProblem[],
  refusals: ReadonlySet<ConfigProblem>,
): { broken: Set<string>; badInputs: Set<string> } {
  const broken = new Set<string>();
  const badInputs = new Set<string>();
  for (const p of problems) {
    if (refusals.has(p)) continue;
    const parts = p.path.split(/[.[]/);
    if (parts.length === 2 && !p.path.includes('[')) badInputs.add(p.path);
    else broken.add(parts[0]!);
  }
  return { broken, badInputs };
}

/**
 * Structured inputs (suites, topics, endpoints, ...) checked against the action's own schema, so each
 * problem is reported at its line rather than as "input 'topics' is invalid".
 */
function structuredInputProblems(
  shaped: Record<string, unknown>,
  byName: Map<string, ActionMetadata>,
  at: Locate,
): { problems: ConfigProblem[]; broken: Set<string> } {
  const problems: ConfigProblem[] = [];
  const broken = new Set<string>();
  for (const [section, value] of Object.entries(shaped)) {
    const m = byName.get(section);
    if (!m || !isPlainObject(value)) continue;
    for (const [input, v] of Object.entries(value)) {
      const spec = m.inputs[input];
      if (spec?.kind !== 'yaml' || !spec.schema || typeof v === 'string' || v === null) continue;
      for (const violation of validateAgainst(spec.schema, v)) {
        const d = describeViolation(violation, byName, [section, input]);
        problems.push(at(d.pointer, d.message));
        broken.add(section);
      }
    }
  }
  return { problems, broken };
}

/**
 * A section as the action's inputs (strings, as the runner passes them), parsed exactly as the action
 * will at run time: durations, enums, files named. One input at a time, so every bad value of the
 * section is reported, not just the first. No strings when any input is bad.
 */
function parseSection(
  section: string,
  value: Record<string, unknown>,
  m: ActionMetadata,
  badInputs: ReadonlySet<string>,
  opts: LoadOptions,
  at: Locate,
): { strings?: Record<string, string>; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const strings: Record<string, string> = {};
  for (const [input, v] of Object.entries(value)) {
    // Unknown inputs and values the schema refused are reported already.
    if (!m.inputs[input] || badInputs.has(`${section}.${input}`)) continue;
    const s = toInputString(input, m.inputs[input], v);
    if (s !== undefined && s !== '') strings[input] = s;
  }
  const parsed: Record<string, unknown> = {};
  let sectionOk = true;
  for (const [input, spec] of Object.entries(m.inputs)) {
    if (badInputs.has(`${section}.${input}`)) {
      sectionOk = false;
      continue;
    }
    try {
      Object.assign(
        parsed,
        parseInputs({ [input]: spec }, (name) => strings[name], { workspace: opts.workspace }),
      );
    } catch (err) {
      if (!(err instanceof ConfigurationError)) throw err;
      sectionOk = false;
      problems.push(at([section, input], err.message));
    }
  }
  if (!sectionOk) return { problems };
  if (section === 'helm-deploy' && opts.deployStepTimeoutMs !== undefined) {
    const warning = budgetWarning(
      parsed.timeout as number,
      parsed.atomic as boolean,
      opts.deployStepTimeoutMs,
    );
    if (warning) problems.push(at([section, 'timeout'], warning));
  }
  return { strings, problems };
}

/** `setup` as a list (the smoke job's) or a mapping of job → list, each checked in its own shape. */
function setupProblems(
  data: Record<string, unknown>,
  actions: Map<string, ActionMetadata>,
  at: Locate,
): ConfigProblem[] {
  if (!('setup' in data)) return [];
  const schema = setupSchemaFor(data.setup);
  if (!schema)
    return [
      at(
        ['setup'],
        `must be a list of commands (the smoke job runs them) or a mapping of job to its list of commands (jobs: ${SETUP_JOBS.join(', ')})`,
      ),
    ];
  return validateAgainst(schema, data.setup).map((v) => {
    const d = describeViolation(v, actions, ['setup']);
    return at(d.pointer, d.message);
  });
}

/** An unknown key is reported at the key itself, with the closest known name when it looks like a typo. */
function describeViolation(
  v: { pointer: string; message: string; value?: unknown },
  actions: Map<string, ActionMetadata>,
  prefix: string[] = [],
): { pointer: string[]; message: string } {
  const pointer = [...prefix, ...splitPointer(v.pointer)];
  const unknownKey = /^has unknown key "(.*)"$/.exec(v.message)?.[1];
  if (unknownKey !== undefined) {
    const setupJobs = pointer.length === 1 && pointer[0] === 'setup';
    const known =
      pointer.length === 0
        ? ['timezone', 'setup', ...actions.keys()]
        : pointer.length === 1 && actions.has(pointer[0]!)
          ? configurableInputs(actions.get(pointer[0]!)!)
          : setupJobs
            ? [...SETUP_JOBS]
            : [];
    const near = closest(unknownKey, known);
    const what =
      pointer.length === 0
        ? 'section'
        : pointer.length === 1 && actions.has(pointer[0]!)
          ? `input of ${pointer[0]}`
          : setupJobs
            ? 'job'
            : 'key';
    const hint = near
      ? `; did you mean '${near}'?`
      : pointer.length === 0
        ? `; the sections are ${known.join(', ')}`
        : pointer.length === 1 && actions.has(pointer[0]!)
          ? `; see the inputs in actions/${pointer[0]}/README.md`
          : setupJobs
            ? `; the jobs that run setup commands are ${known.join(', ')}`
            : '';
    return { pointer: [...pointer, unknownKey], message: `is not a known ${what}${hint}` };
  }
  const shown =
    v.value !== undefined && typeof v.value !== 'object' ? ` (value ${quote(String(v.value), 80)})` : '';
  return { pointer, message: `${v.message}${shown}` };
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

function splitPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** `kafka-topic-check.topics[0].max-age` */
export function showPath(pointer: readonly string[]): string {
  return pointer.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The line and column of the deepest node of `pointer` that exists in the document. */
function locate(
  doc: Document,
  lines: LineCounter,
  pointer: readonly string[],
): { line?: number; column?: number } {
  let node: unknown = doc.contents;
  let found: Node | undefined = doc.contents ?? undefined;
  for (const part of pointer) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part);
      if (!pair) break;
      // The key's position: the line a person looks for.
      found = (pair.key as Node) ?? found;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(part)];
      if (!item) break;
      node = item;
      found = item as Node;
    } else break;
  }
  const offset = found?.range?.[0];
  if (offset === undefined) return {};
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}
