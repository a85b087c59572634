import { tmpdir } from 'node:os';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ConfigurationError, InputError } from '../../lib/errors.js';
import { dateInZone } from '../../lib/dates.js';
import { parseDurationMs } from '../../lib/duration.js';
import { resolveInside } from '../../lib/files.js';
import { parseHeader } from '../../lib/inputs/common.js';
import type { InputValues } from '../../lib/inputs/spec.js';
import { artifactName } from '../../lib/evidence/artifact.js';
import type { ResultSource } from '../../lib/evidence/collect.js';
import { evidencePaths, type EvidencePaths } from '../../lib/evidence/layout.js';
import { expectedStep, HANDOFF_RECORD, type ExpectedStep } from '../../lib/evidence/step-results.js';
import { DEFAULT_QUERIES, MAX_POINTS, stepFor, type MetricQuerySpec } from '../../lib/evidence/metrics.js';
import { DEFAULT_CHART_OPTIONS, type ChartOptions } from '../../lib/evidence/chart-rules/summary.js';
import { sizeInput } from '../../lib/evidence/sizes.js';
import { branchFromEnv, branchInput } from '../../lib/git/branch.js';
import { planCommit, type CommitPlan } from '../../lib/git/commit-mode.js';
import { panelLimits } from '../../lib/evidence/panel-limits.js';
import { MAX_CHART_SERIES, withDefaultPanel } from '../../lib/evidence/queries.js';
import { metadata, type MetricQuery } from './metadata.js';

export type Inputs = InputValues<typeof metadata.inputs>;

export interface DashboardPlan {
  name: string;
  url: string;
  waitFor?: string;
  width: number;
  height: number;
  fullPage: boolean;
  timeoutMs: number;
  sendAuth: boolean;
}

export interface ArchivePlan {
  date: string;
  timeZone: string;
  paths: EvidencePaths;
  /** `status-file` and `evidence-dir` as given, with `{date}`: where the earlier days are. */
  templates: { statusFile: string; evidenceDir: string };
  results: ResultSource[];
  /** Where the actions' own results are: only a result found here counts. */
  stepResults: ResultSource[];
  /** collect's record of which job handed over each result (absent outside multi-job workflows). */
  handoffRecord: string;
  prometheus?: { url: string; header?: { name: string; value: string } };
  queries: MetricQuerySpec[];
  dashboards: DashboardPlan[];
  dashboardHeader?: { name: string; value: string };
  browserPath?: string;
  commit?: CommitPlan;
  artifact?: { name: string; retentionDays: number };
  maxFileSize: number;
  maxTotalSize: number;
  runnerTemp: string;
  /** Step → the job that runs it and that job's result (`expected-steps`). */
  expectedSteps: Record<string, ExpectedStep>;
  /** Follow-up issues on the forge (`follow-up-issues: true`). */
  followUp?: FollowUpPlan;
}

export interface FollowUpPlan {
  /** Owner or squad → forge usernames (without `@`). */
  assignees: Record<string, string[]>;
  /** With `{trace_id}` where the id goes. */
  traceUrl?: string;
  incidentRunbooks: string[];
  /** The forge's web root (GITHUB_SERVER_URL), for links to files. */
  serverUrl: string;
  /** The branch repository paths (runbooks) are linked on: the one committed to, or the run's. */
  branch?: string;
}

/**
 * Turns the inputs into everything the run will do, and refuses a bad date or any path that would
 * leave the repository before a single file is written. Pure apart from reading the clock.
 */
export function planArchive(
  inputs: Inputs,
  workspace: string,
  env: NodeJS.ProcessEnv,
  now: Date = new Date(),
): ArchivePlan {
  const date = inputs.date ?? dateInZone(now, inputs.timezone);
  const paths = evidencePaths(workspace, date, inputs.statusFile, inputs.evidenceDir);
  // Where the other actions write their results when not told otherwise (their defaultResultPath).
  const runnerTemp = env.RUNNER_TEMP || tmpdir();
  const results = inputs.results.map((p) => resultSource(p, workspace, runnerTemp));
  const stepResults = inputs.stepResults.map((p) => resultSource(p, workspace, runnerTemp, 'step-results'));
  const expectedSteps = Object.fromEntries(
    Object.entries(inputs.expectedSteps ?? {}).map(([step, v]) => [step, expectedStep(v)]),
  );

  const queries: MetricQuerySpec[] = [];
  if (inputs.prometheusUrl) {
    const given = inputs.queries ?? DEFAULT_QUERIES.map((q) => ({ ...q, range: undefined, step: undefined }));
    for (const [i, raw] of given.entries()) {
      const q = withDefaultPanel(raw, i);
      const rangeMs = q.range ? parseDurationMs(q.range)! : inputs.metricsRange;
      const stepMs = q.step ? parseDurationMs(q.step) : undefined;
      const limits = panelLimits(q, `at /${i} (${q.name})`);
      const spec: MetricQuerySpec = {
        name: q.name,
        query: q.query,
        rangeMs,
        ...(stepMs !== undefined ? { stepMs } : {}),
        ...(q.unit !== undefined ? { unit: q.unit } : {}),
        ...(q.squad ? { squad: q.squad } : {}),
        ...(q.panel ? { panel: q.panel } : {}),
        ...(limits ? { limits } : {}),
        chart: chartOptions(q, i),
      };
      const points = rangeMs / 1000 / stepFor(spec);
      if (points > MAX_POINTS)
        throw new ConfigurationError(
          `input 'queries' is invalid: at /${i} the range ${q.range ?? `${inputs.metricsRange / 1000}s`} with step ${q.step ?? 'auto'} asks for ${Math.ceil(points)} points per series; Prometheus allows at most ${MAX_POINTS}: use a larger step`,
        );
      queries.push(spec);
    }
    unique(
      'queries',
      queries.map((q) => q.name),
    );
  } else if (inputs.queries) {
    throw new ConfigurationError(
      "input 'queries' is set but 'prometheus-url' is empty: give the Prometheus URL the queries run against",
    );
  }

  const dashboardHeader = inputs.dashboardAuthHeader
    ? parseHeader('dashboard-auth-header', inputs.dashboardAuthHeader)
    : undefined;
  const dashboards = (inputs.dashboards ?? []).map((d) => ({
    name: d.name,
    url: d.url,
    ...(d['wait-for'] ? { waitFor: d['wait-for'] } : {}),
    width: d.width ?? 1600,
    height: d.height ?? 1000,
    fullPage: d['full-page'] ?? true,
    timeoutMs: d.timeout ? parseDurationMs(d.timeout)! : 60_000,
    sendAuth: dashboardHeader !== undefined && d.auth !== false,
  }));
  unique(
    'dashboards',
    dashboards.map((d) => d.name),
  );

  let commit: ArchivePlan['commit'];
  if (inputs.commit) {
    const branch = inputs.branch ? branchInput('branch', inputs.branch) : branchFromEnv(env);
    if (!branch) {
      throw new InputError(
        'branch',
        '',
        `this run is not on a branch (GITHUB_REF=${env.GITHUB_REF ?? 'unset'}), so name the branch to commit the evidence to, or set commit: false`,
      );
    }
    commit = planCommit({
      mode: inputs.commitMode,
      kind: 'evidence',
      date,
      target: branch,
      message: inputs.commitMessage,
      defaultMessage: metadata.inputs['commit-message'].default!,
      pushAttempts: inputs.pushAttempts,
      autoMerge: inputs.autoMerge,
      token: inputs.token,
      apiUrl: inputs.apiUrl,
    });
  }
  const artifact = inputs.artifact
    ? {
        name: artifactName(inputs.artifactName, {
          date,
          ...(env.GITHUB_RUN_ID ? { runId: env.GITHUB_RUN_ID } : {}),
          ...(env.GITHUB_RUN_ATTEMPT ? { runAttempt: env.GITHUB_RUN_ATTEMPT } : {}),
          ...(env.GITHUB_JOB ? { job: env.GITHUB_JOB } : {}),
        }),
        retentionDays: inputs.retentionDays,
      }
    : undefined;
  const prometheusHeader = inputs.prometheusAuthHeader
    ? parseHeader('prometheus-auth-header', inputs.prometheusAuthHeader)
    : undefined;

  const followUp = inputs.followUpIssues
    ? planFollowUp(inputs, env, commit?.branch ?? branchFromEnv(env))
    : undefined;

  return {
    date,
    timeZone: inputs.timezone,
    paths,
    templates: { statusFile: inputs.statusFile, evidenceDir: inputs.evidenceDir },
    results,
    stepResults,
    expectedSteps,
    handoffRecord: HANDOFF_RECORD(runnerTemp),
    ...(inputs.prometheusUrl
      ? {
          prometheus: {
            url: inputs.prometheusUrl,
            ...(prometheusHeader ? { header: prometheusHeader } : {}),
          },
        }
      : {}),
    queries,
    dashboards,
    ...(dashboardHeader ? { dashboardHeader } : {}),
    ...(inputs.browserPath ? { browserPath: inputs.browserPath } : {}),
    ...(commit ? { commit } : {}),
    ...(artifact ? { artifact } : {}),
    maxFileSize: sizeInput('max-file-size', inputs.maxFileSize),
    maxTotalSize: sizeInput('max-total-size', inputs.maxTotalSize),
    runnerTemp,
    ...(followUp ? { followUp } : {}),
  };
}

/**
 * A query's chart options, defaults filled in. The schema already refused wrong types; this holds
 * the rules a schema says badly, so the error names the query, the key and what is allowed.
 */
export function chartOptions(q: Partial<MetricQuery>, index: number): ChartOptions {
  const d = DEFAULT_CHART_OPTIONS;
  const maxSeries = q['max-series'] ?? d.maxSeries;
  if (!Number.isInteger(maxSeries) || maxSeries < 1 || maxSeries > MAX_CHART_SERIES)
    throw new ConfigurationError(
      `input 'queries' is invalid: at /${index}/max-series the value ${String(maxSeries)} is not allowed: expected a whole number of lines from 1 to ${MAX_CHART_SERIES}`,
    );
  const quantiles = q.quantiles ?? d.quantiles;
  for (const x of quantiles)
    if (typeof x !== 'number' || !(x >= 0 && x <= 1))
      throw new ConfigurationError(
        `input 'queries' is invalid: at /${index}/quantiles the value ${String(x)} is not allowed: expected quantiles between 0 and 1, e.g. [0.5, 0.95, 0.99]`,
      );
  if (new Set(quantiles).size !== quantiles.length)
    throw new ConfigurationError(
      `input 'queries' is invalid: at /${index}/quantiles [${quantiles.join(', ')}] names a quantile twice: expected each quantile once`,
    );
  return {
    maxSeries,
    select: q.select ?? d.select,
    scale: q.scale ?? d.scale,
    asRate: q['as-rate'] ?? d.asRate,
    quantiles: [...quantiles].sort((a, b) => a - b),
  };
}

function planFollowUp(inputs: Inputs, env: NodeJS.ProcessEnv, branch: string | undefined): FollowUpPlan {
  if (!inputs.token)
    throw new InputError(
      'token',
      '',
      "follow-up-issues needs a token that may write issues (default: the job's token, with `permissions: issues: write`)",
    );
  for (const r of inputs.incidentRunbooks) {
    const url = /^https?:\/\//.test(r);
    if (!url && (isAbsolute(r) || r.split(/[\\/]/).includes('..') || /^[a-z][a-z0-9+.-]*:/i.test(r)))
      throw new InputError(
        'incident-runbooks',
        r,
        'expected an http(s) URL or a path in the repository (relative, without ..)',
      );
  }
  const assignees = Object.fromEntries(
    Object.entries(inputs.assignees ?? {}).map(([owner, users]) => [
      owner,
      (Array.isArray(users) ? users : [users]).map((u) => u.replace(/^@/, '')),
    ]),
  );
  return {
    assignees,
    ...(inputs.traceUrl ? { traceUrl: inputs.traceUrl } : {}),
    incidentRunbooks: inputs.incidentRunbooks,
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    ...(branch ? { branch } : {}),
  };
}

/**
 * A results glob, split into the root it may read from and the pattern under it. Only the workspace
 * and $RUNNER_TEMP can be read: anything else (`../`, /etc) is refused before a file is written.
 */
export function resultSource(
  pattern: string,
  workspace: string,
  runnerTemp: string,
  input = 'results',
): ResultSource {
  const expanded = pattern.replaceAll('{runner-temp}', runnerTemp).replaceAll('{workspace}', workspace);
  const { base, glob } = splitGlob(expanded);
  const absBase = isAbsolute(base) ? base : resolve(workspace, base || '.');
  if (!glob.split('/').includes('..')) {
    for (const [root, rootDir] of [
      ['workspace', workspace],
      ['runner-temp', runnerTemp],
    ] as const) {
      let inside: string;
      try {
        inside = resolveInside(rootDir, absBase, 'results');
      } catch {
        continue; // not under this root; try the next
      }
      const rel = relative(resolve(rootDir), inside).split(sep).join('/');
      return { pattern, root, rootDir: resolve(rootDir), glob: rel ? `${rel}/${glob}` : glob, base: rel };
    }
  }
  throw new InputError(
    input,
    pattern,
    `every glob must stay inside the workspace (${workspace}) or $RUNNER_TEMP (${runnerTemp}); '..' and other folders are refused`,
  );
}

/** `a/b/*.json` → base `a/b`, glob `*.json`; the base is the longest prefix without glob characters. */
export function splitGlob(pattern: string): { base: string; glob: string } {
  const parts = pattern.split('/');
  const i = parts.findIndex((p) => /[*?[\]{}!()]/.test(p));
  if (i === -1)
    return {
      base: parts.slice(0, -1).join('/') || (pattern.startsWith('/') ? '/' : ''),
      glob: parts[parts.length - 1]!,
    };
  return {
    base: parts.slice(0, i).join('/') || (pattern.startsWith('/') ? '/' : ''),
    glob: parts.slice(i).join('/'),
  };
}

function unique(input: string, names: string[]): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n))
      throw new InputError(
        input,
        n,
        'expected every name to be unique (names become file names in the evidence folder)',
      );
    seen.add(n);
  }
}
