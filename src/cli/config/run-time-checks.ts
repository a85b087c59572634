import { isAbsolute, join, resolve } from 'node:path';
import { quote } from '../../lib/errors.js';
import { parseDurationMs } from '../../lib/duration.js';
import type { ActionMetadata } from '../../lib/inputs/metadata.js';
import { ShellWordsError, splitCommandLine } from '../../lib/process/shell-words.js';
import type { ConfigProblem } from './load.js';
import { isPlainObject } from './sections.js';
import { setupEntries } from './setup.js';

/** The outside world the checks need, passed in so the rules stay pure. */
export interface RunTimeCheckIo {
  /** Whether the absolute path exists. */
  exists(path: string): boolean;
  /** The shell's complaint about the command line's syntax, or undefined when it parses. Never runs it. */
  shellSyntaxError(line: string): string | undefined;
}

export interface RunTimeCheckContext {
  /** The parsed configuration (sections as the file writes them). */
  data: Record<string, unknown>;
  /** Relative paths resolve against this, as the actions resolve them against the workspace. */
  workspace: string;
  actions: ReadonlyMap<string, ActionMetadata>;
  io: RunTimeCheckIo;
  /** A problem at the line of `pointer` (its deepest existing node). */
  at(pointer: string[], message: string): ConfigProblem;
}

/**
 * What the schema cannot see but the actions would refuse at run time: shell syntax, a window that
 * leaves no time for the rest of the check, files that are not there, owners that are no squad.
 */
export function runTimeProblems(ctx: RunTimeCheckContext): ConfigProblem[] {
  return [
    ...shellSyntaxProblems(ctx),
    ...windowProblems(ctx),
    ...missingFileProblems(ctx),
    ...releaseSetProblems(ctx),
    ...unknownSquadProblems(ctx),
  ];
}

/** helm-deploy deploys a release set or a single release, not both: the action refuses the mix. */
export function releaseSetProblems(ctx: RunTimeCheckContext): ConfigProblem[] {
  const helm = section(ctx, 'helm-deploy');
  if (!Array.isArray(helm.releases) || helm.releases.length === 0) return [];
  return (['release', 'chart'] as const)
    .filter((k) => typeof helm[k] === 'string' && helm[k] !== '')
    .map((k) =>
      ctx.at(
        ['helm-deploy', k],
        `${k} ${quote(helm[k] as string)} must be left out when releases is given (each release of the set names its own chart)`,
      ),
    );
}

const entries = (v: unknown): [number, Record<string, unknown>][] =>
  Array.isArray(v)
    ? v.flatMap((e, i) => (isPlainObject(e) ? [[i, e] as [number, Record<string, unknown>]] : []))
    : [];

const section = (ctx: RunTimeCheckContext, name: string): Record<string, unknown> => {
  const s = ctx.data[name];
  return isPlainObject(s) ? s : {};
};

/**
 * The lines that a shell runs: every `setup` command (each job runs its own as one bash script) and
 * the suites with `shell: true`, checked by the shell's own parser. The other suites are split into
 * words without a shell, exactly as smoke-suite will; what only a shell could run is refused there.
 */
export function shellSyntaxProblems(ctx: RunTimeCheckContext): ConfigProblem[] {
  const shellLines: { pointer: string[]; run: string }[] = [];
  const problems: ConfigProblem[] = [];
  for (const { pointer, step } of setupEntries(ctx.data.setup))
    if (typeof step.run === 'string') shellLines.push({ pointer: [...pointer, 'run'], run: step.run });
  for (const [i, suite] of entries(section(ctx, 'smoke-suite').suites)) {
    if (typeof suite.run !== 'string') continue;
    const pointer = ['smoke-suite', 'suites', String(i), 'run'];
    if (suite.shell === true) shellLines.push({ pointer, run: suite.run });
    else {
      const reason = wordsProblem(suite.run);
      if (reason) problems.push(ctx.at(pointer, `${reason} (value ${quote(suite.run)})`));
    }
  }
  for (const { pointer, run } of shellLines) {
    const error = ctx.io.shellSyntaxError(run);
    if (error) problems.push(ctx.at(pointer, `is not valid shell syntax (bash -n: ${error})`));
  }
  return problems;
}

function wordsProblem(run: string): string | undefined {
  try {
    splitCommandLine(run);
    return undefined;
  } catch (err) {
    if (err instanceof ShellWordsError) return err.reason;
    throw err;
  }
}

/** The window is spent inside the timeout, so a window as long as the timeout leaves no time to read. */
export function windowProblems(ctx: RunTimeCheckContext): ConfigProblem[] {
  const name = 'kafka-topic-check';
  if (!(name in ctx.data)) return [];
  const s = section(ctx, name);
  const m = ctx.actions.get(name);
  const value = (input: string): string | undefined => {
    const v = s[input] ?? m?.inputs[input]?.default;
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const window = value('window');
  const timeout = value('timeout');
  const windowMs = window === undefined ? undefined : parseDurationMs(window);
  const timeoutMs = timeout === undefined ? undefined : parseDurationMs(timeout);
  // A malformed duration is reported by the loader already.
  if (windowMs === undefined || timeoutMs === undefined || windowMs < timeoutMs) return [];
  const shown = (input: string, v: string) => `${input} ${quote(v)}${input in s ? '' : ' (the default)'}`;
  return [
    ctx.at(
      [name, 'window' in s ? 'window' : 'timeout'],
      `${shown('window', window!)} must be shorter than ${shown('timeout', timeout!)}: the timeout bounds the whole check, window included`,
    ),
  ];
}

/** Files the actions read from the workspace: each missing one at its line, with where it was looked for. */
export function missingFileProblems(ctx: RunTimeCheckContext): ConfigProblem[] {
  const wanted: { pointer: string[]; path: string; what: string }[] = [];
  const problems: ConfigProblem[] = [];
  const full = (path: string) => (isAbsolute(path) ? path : resolve(ctx.workspace, path));
  // The step's own chart, and each chart of a release set, with its values and set-file files.
  const helm = section(ctx, 'helm-deploy');
  const charts = [
    { at: ['helm-deploy'], release: helm },
    ...entries(helm.releases).map(([i, release]) => ({
      at: ['helm-deploy', 'releases', String(i)],
      release,
    })),
  ];
  for (const { at, release } of charts) {
    if (typeof release.chart === 'string' && isLocalChart(release.chart, release.repository)) {
      wanted.push({ pointer: [...at, 'chart'], path: release.chart, what: 'chart' });
      // A chart folder helm would refuse: it exists, but is not a chart.
      const chart = full(release.chart);
      if (!/\.tgz$/.test(release.chart) && ctx.io.exists(chart) && !ctx.io.exists(join(chart, 'Chart.yaml')))
        problems.push(
          ctx.at(
            [...at, 'chart'],
            `the chart folder ${quote(release.chart)} has no Chart.yaml (looked in ${chart})`,
          ),
        );
    }
    for (const { pointer, path } of listed(release.values, [...at, 'values']))
      wanted.push({ pointer, path, what: 'values file' });
    // `set-file` lines are key=path: the path part is a file helm reads.
    for (const { pointer, path: line } of listed(release['set-file'], [...at, 'set-file'])) {
      const eq = line.indexOf('=');
      if (eq > 0 && line.slice(eq + 1).trim() !== '')
        wanted.push({
          pointer,
          path: line.slice(eq + 1).trim(),
          what: `set-file file of ${quote(line.slice(0, eq))}`,
        });
    }
  }
  const workingDirectories = [
    ...setupEntries(ctx.data.setup).map(({ pointer, step }) => ({
      pointer,
      value: step['working-directory'],
    })),
    ...entries(section(ctx, 'smoke-suite').suites).map(([i, suite]) => ({
      pointer: ['smoke-suite', 'suites', String(i)],
      value: suite['working-directory'],
    })),
  ];
  for (const { pointer, value } of workingDirectories)
    if (typeof value === 'string' && value !== '')
      wanted.push({ pointer: [...pointer, 'working-directory'], path: value, what: 'working directory' });
  for (const [i, topic] of entries(section(ctx, 'kafka-topic-check').topics))
    if (typeof topic.schema === 'string' && topic.schema !== '')
      wanted.push({
        pointer: ['kafka-topic-check', 'topics', String(i), 'schema'],
        path: topic.schema,
        what: 'schema file',
      });
  const drift = section(ctx, 'design-drift');
  // With a base ref the waivers are read from that commit, which a look at the checkout cannot judge.
  if (typeof drift.waivers === 'string' && drift.waivers !== '' && !drift['base-ref'])
    wanted.push({ pointer: ['design-drift', 'waivers'], path: drift.waivers, what: 'waivers file' });
  const missing = wanted.flatMap(({ pointer, path, what }) =>
    ctx.io.exists(full(path))
      ? []
      : [ctx.at(pointer, `the ${what} ${quote(path)} does not exist (looked for ${full(path)})`)],
  );
  return [...missing, ...problems];
}

/**
 * Whether helm-deploy reads the chart from the workspace: not an oci:// or http(s) reference, no
 * `repository`, and not `repo/chart` (two plain segments name a chart of a repository Helm knows).
 */
export function isLocalChart(chart: string, repository: unknown): boolean {
  if (chart === '' || chart.startsWith('oci://') || /^https?:\/\//.test(chart)) return false;
  if (typeof repository === 'string' && repository !== '') return false;
  if (chart.startsWith('.') || chart.startsWith('/')) return true;
  return !/^[^/]+\/[^/]+$/.test(chart) || /\.tgz$/.test(chart);
}

/** A `lines` input's entries: a YAML list (each at its own line) or one string with a path per line. */
function listed(value: unknown, pointer: string[]): { pointer: string[]; path: string }[] {
  if (Array.isArray(value))
    return value.flatMap((v, i) =>
      typeof v === 'string' && v.trim() !== '' ? [{ pointer: [...pointer, String(i)], path: v.trim() }] : [],
    );
  if (typeof value !== 'string') return [];
  return value
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((path) => ({ pointer, path }));
}

/**
 * The squads are declared by backlog-grid's `squads` (the team's list of squads); where that list is
 * absent nothing is declared and owners are not checked. Every `owner` that names the squad owning a
 * thing (topics, consumer groups, design-drift, the pulse's dependencies, a panel's limits) and every suite's,
 * service's or panel's `squad` must be one of
 * them, so failures reach a squad that exists. A suite's `owner` is a person beside its squad: not checked.
 */
export function unknownSquadProblems(ctx: RunTimeCheckContext): ConfigProblem[] {
  const declared = declaredSquads(ctx.data);
  if (!declared) return [];
  const named: { pointer: string[]; squad: unknown }[] = [];
  const kafka = section(ctx, 'kafka-topic-check');
  for (const list of ['topics', 'consumer-groups'])
    for (const [i, e] of entries(kafka[list]))
      named.push({ pointer: ['kafka-topic-check', list, String(i), 'owner'], squad: e.owner });
  for (const [i, suite] of entries(section(ctx, 'smoke-suite').suites))
    named.push({ pointer: ['smoke-suite', 'suites', String(i), 'squad'], squad: suite.squad });
  named.push({ pointer: ['design-drift', 'owner'], squad: section(ctx, 'design-drift').owner });
  const pulse = section(ctx, 'infra-pulse');
  if (isPlainObject(pulse.kafka))
    named.push({ pointer: ['infra-pulse', 'kafka', 'owner'], squad: pulse.kafka.owner });
  for (const list of ['redis', 'postgres'])
    for (const [i, e] of entries(pulse[list]))
      named.push({ pointer: ['infra-pulse', list, String(i), 'owner'], squad: e.owner });
  // A panel's squad, and the owner its limits report to (the squad unless named).
  for (const [i, q] of entries(section(ctx, 'evidence-archive').queries))
    for (const key of ['squad', 'owner'])
      named.push({ pointer: ['evidence-archive', 'queries', String(i), key], squad: q[key] });
  const endpoints = section(ctx, 'contract-record').endpoints;
  for (const [i, service] of entries(isPlainObject(endpoints) ? endpoints.services : undefined))
    named.push({
      pointer: ['contract-record', 'endpoints', 'services', String(i), 'squad'],
      squad: service.squad,
    });
  const known = new Set(declared);
  return named.flatMap(({ pointer, squad }) =>
    typeof squad === 'string' && squad !== '' && !known.has(squad)
      ? [
          ctx.at(
            pointer,
            `${quote(squad)} is not a declared squad; backlog-grid.squads declares ${declared.map((s) => quote(s)).join(', ')}`,
          ),
        ]
      : [],
  );
}

function declaredSquads(data: Record<string, unknown>): string[] | undefined {
  const grid = data['backlog-grid'];
  if (!isPlainObject(grid)) return undefined;
  const squads = grid.squads;
  const list = Array.isArray(squads) ? squads : typeof squads === 'string' ? squads.split('\n') : [];
  const names = list
    .filter((s): s is string => typeof s === 'string')
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length ? names : undefined;
}
