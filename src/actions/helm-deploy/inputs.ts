import { existsSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigurationError, InputError, quote } from '../../lib/errors.js';
import { formatDuration, parseDurationMs } from '../../lib/duration.js';
import { shownChart } from '../../lib/helm/chart-shown.js';
import { escapeSetValue, type UpgradeOptions } from '../../lib/helm/flags.js';
import type { InputValues } from '../../lib/inputs/spec.js';
import type { metadata } from './metadata.js';
import { rollbackTargets, type ReleaseEntry, type RollbackTarget } from './release-set.js';

export type Inputs = InputValues<typeof metadata.inputs>;

export type KubeconfigSource = { kind: 'content'; content: string } | { kind: 'path'; path: string };

export interface DeployPlan {
  mode: 'deploy' | 'rollback';
  release: string;
  namespace: string;
  upgrade: UpgradeOptions;
  /** The chart as results and reports name it (see shownChart); `upgrade.chart` is what helm is given. */
  chartShown: string;
  kubeconfig: KubeconfigSource;
  context?: string;
  helm: string;
  diff: boolean;
  recoverStuck: boolean;
  revision?: number;
  /** Set when `timeout` (plus a rollback) would not fit in the step's own limit. */
  budgetWarning?: string;
}

/** Cross-field rules and file checks, before anything touches the cluster. */
export function planDeploy(
  inputs: Inputs,
  workspace: string,
  env: NodeJS.ProcessEnv = process.env,
): DeployPlan {
  const inWorkspace = (p: string) => (isAbsolute(p) ? p : resolve(workspace, p));
  if (!inputs.release)
    throw new InputError(
      'release',
      '',
      'a Helm release name is required unless `releases` lists a release set',
    );
  if (inputs.mode === 'deploy' && !inputs.chart)
    throw new InputError(
      'chart',
      '',
      'a chart is required for mode: deploy (a path, repo/chart with repository, a repository URL or oci://...)',
    );

  let chart = inputs.chart ?? '';
  let localChart: string | undefined;
  if (chart && !chart.startsWith('oci://') && !/^https?:\/\//.test(chart) && !inputs.repository) {
    const local = inWorkspace(chart);
    const looksLocal = chart.startsWith('.') || chart.startsWith('/') || existsSync(local);
    if (looksLocal) {
      if (!existsSync(local))
        throw new InputError('chart', chart, `no such chart directory or archive (resolved to ${local})`);
      if (statSync(local).isDirectory() && !existsSync(join(local, 'Chart.yaml')))
        throw new InputError('chart', chart, `the directory has no Chart.yaml (resolved to ${local})`);
      localChart = local;
      chart = local;
    }
  }
  const chartShown = showChart(inputs.chart ?? '', localChart, workspace, env);

  const valuesFiles = inputs.values.map((v) => {
    const p = inWorkspace(v);
    if (!existsSync(p)) throw new InputError('values', v, `no such values file (resolved to ${p})`);
    return p;
  });
  const keyValue = (input: string, lines: string[]) =>
    lines.map((l) => {
      if (!/^[^=]+=/.test(l)) throw new InputError(input, l, 'expected key=value, one per line');
      return l;
    });
  const setFile = keyValue('set-file', inputs.setFile).map((l) => {
    const eq = l.indexOf('=');
    const p = inWorkspace(l.slice(eq + 1));
    if (!existsSync(p)) throw new InputError('set-file', l, `no such file (resolved to ${p})`);
    return `${l.slice(0, eq)}=${p}`;
  });

  const plan: DeployPlan = {
    mode: inputs.mode,
    release: inputs.release,
    namespace: inputs.namespace,
    chartShown,
    upgrade: {
      release: inputs.release,
      chart,
      namespace: inputs.namespace,
      createNamespace: inputs.createNamespace,
      ...(inputs.repository ? { repository: inputs.repository } : {}),
      ...(inputs.version ? { version: inputs.version } : {}),
      valuesFiles,
      set: keyValue('set', inputs.set).map(escapeSetValue),
      setString: keyValue('set-string', inputs.setString).map(escapeSetValue),
      setFile,
      timeoutMs: inputs.timeout,
      wait: inputs.wait,
      atomic: inputs.atomic,
      historyMax: inputs.historyMax,
    },
    kubeconfig: kubeconfigSource(inputs.kubeconfig, workspace, env),
    ...(inputs.context ? { context: inputs.context } : {}),
    helm: inputs.helm,
    diff: inputs.diff,
    recoverStuck: inputs.recoverStuck,
    ...(inputs.revision !== undefined ? { revision: inputs.revision } : {}),
  };
  const warning = budgetWarning(inputs.timeout, inputs.atomic, inputs.stepTimeout);
  if (warning) plan.budgetWarning = warning;
  return plan;
}

export interface ReleaseSetPlan {
  /** A rollback undoes a deploy of the set: each release's target says what it does. */
  mode: 'deploy' | 'rollback';
  /** One plan per release, in the order given, each with the names of the releases it needs. */
  releases: { plan: DeployPlan; needs: string[]; rollback?: RollbackTarget }[];
  maxParallel: number;
  /** Set when the longest chain of needs (each timeout, plus a rollback) would not fit in the step's limit. */
  budgetWarning?: string;
}

/**
 * What one step does: a single release (the `release` input and its settings), or a release set (the
 * `releases` input, each entry planned exactly as a single release with its own settings over the step's).
 */
export function planStep(
  inputs: Inputs,
  workspace: string,
  env: NodeJS.ProcessEnv = process.env,
): { kind: 'single'; plan: DeployPlan } | { kind: 'set'; set: ReleaseSetPlan } {
  const entries = inputs.releases ?? [];
  if (!entries.length) return { kind: 'single', plan: planDeploy(inputs, workspace, env) };
  if (inputs.revision !== undefined)
    throw new InputError(
      'revision',
      String(inputs.revision),
      "must be empty when `releases` is given: a release set's rollback takes the deploy step's `releases` output as 'revisions'",
    );
  if (inputs.revisions && inputs.mode !== 'rollback')
    throw new InputError('revisions', inputs.revisions, 'is only used with mode: rollback');
  for (const single of ['release', 'chart'] as const)
    if (inputs[single])
      throw new InputError(
        single,
        inputs[single]!,
        "must be empty when `releases` is given (each release of the set names its own chart); give either 'releases' or 'release' and 'chart'",
      );
  const targets =
    inputs.mode === 'rollback'
      ? rollbackTargets(
          inputs.revisions,
          entries.map((e) => e.name),
        )
      : undefined;
  const releases = entries.map((e) => {
    const rollback = targets?.get(e.name);
    return {
      plan: planEntry(inputs, e, workspace, env, rollback),
      needs: e.needs ?? [],
      ...(rollback ? { rollback } : {}),
    };
  });
  const set: ReleaseSetPlan = { mode: inputs.mode, releases, maxParallel: inputs.maxParallel };
  const warning = setBudgetWarning(releases, inputs.stepTimeout);
  if (warning) set.budgetWarning = warning;
  return { kind: 'set', set };
}

/** A release of the set planned as a single release: the entry's settings over the step's own. */
function planEntry(
  inputs: Inputs,
  e: ReleaseEntry,
  workspace: string,
  env: NodeJS.ProcessEnv,
  rollback?: RollbackTarget,
): DeployPlan {
  const timeout = e.timeout !== undefined ? parseDurationMs(e.timeout) : inputs.timeout;
  if (timeout === undefined || timeout < 1_000)
    throw new ConfigurationError(
      `input 'releases': release ${quote(e.name)} has timeout ${quote(e.timeout ?? '')}: expected a duration of at least 1s such as 90s or 5m`,
    );
  const entryInputs: Inputs = {
    ...inputs,
    mode: rollback ? 'rollback' : 'deploy',
    revision: rollback?.undo ? rollback.to : undefined,
    release: e.name,
    chart: e.chart,
    repository: e.repository,
    version: e.version,
    namespace: e.namespace ?? inputs.namespace,
    createNamespace: e['create-namespace'] ?? inputs.createNamespace,
    values: e.values ?? [],
    set: e.set ?? [],
    setString: e['set-string'] ?? [],
    setFile: e['set-file'] ?? [],
    atomic: e.atomic ?? inputs.atomic,
    wait: e.wait ?? inputs.wait,
    timeout,
    // The set's budget is judged as a whole (setBudgetWarning).
    stepTimeout: undefined,
    releases: undefined,
  };
  try {
    return planDeploy(entryInputs, workspace, env);
  } catch (err) {
    if (err instanceof InputError)
      throw new ConfigurationError(
        `input 'releases': release ${quote(e.name)} has ${err.input} ${quote(err.value)}: ${err.allowed}`,
      );
    throw err;
  }
}

/** The step's limit against the slowest chain of needs: each release's timeout, doubled by a rollback. */
function setBudgetWarning(
  releases: ReleaseSetPlan['releases'],
  stepTimeoutMs: number | undefined,
): string | undefined {
  if (stepTimeoutMs === undefined) return undefined;
  const byName = new Map(releases.map((r) => [r.plan.release, r]));
  const cost = new Map<string, number>();
  const chain = (name: string): number => {
    const known = cost.get(name);
    if (known !== undefined) return known;
    const r = byName.get(name)!;
    const own = r.plan.upgrade.timeoutMs * (r.plan.upgrade.atomic ? 2 : 1);
    const total = own + Math.max(0, ...r.needs.map(chain));
    cost.set(name, total);
    return total;
  };
  const needed = Math.max(...releases.map((r) => chain(r.plan.release))) + 60_000;
  if (needed <= stepTimeoutMs) return undefined;
  return `the longest chain of needs in the release set (each release's timeout, doubled for an automatic rollback where atomic, plus a minute of margin: ${formatDuration(needed)}) does not fit in the step's ${formatDuration(stepTimeoutMs)}: if the runner kills helm mid-upgrade a release is left pending. Lower the timeouts or raise the step's timeout-minutes.`;
}

/**
 * A runner that kills helm at the step's timeout leaves the release stuck in pending-upgrade,
 * so helm's own deadline (and the rollback after it) must end well inside the step's.
 */
export function budgetWarning(
  timeoutMs: number,
  atomic: boolean,
  stepTimeoutMs: number | undefined,
): string | undefined {
  if (stepTimeoutMs === undefined) return undefined;
  const needed = timeoutMs * (atomic ? 2 : 1) + 60_000;
  if (needed <= stepTimeoutMs) return undefined;
  return `timeout ${formatDuration(timeoutMs)}${atomic ? ' plus an automatic rollback of up to the same' : ''} plus a minute of margin (${formatDuration(needed)}) does not fit in the step's ${formatDuration(stepTimeoutMs)}: if the runner kills helm mid-upgrade the release is left pending. Lower 'timeout' or raise the step's timeout-minutes.`;
}

/** The chart as the result names it: never the runner's absolute path of the checkout. */
function showChart(
  given: string,
  local: string | undefined,
  workspace: string,
  env: NodeJS.ProcessEnv,
): string {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  };
  const folders = [
    ['{runner-temp}', env.RUNNER_TEMP],
    ['{tool-cache}', env.RUNNER_TOOL_CACHE],
  ] as const;
  return shownChart({
    given,
    ...(local ? { local: { path: local, realPath: real(local) } } : {}),
    workspace: { path: resolve(workspace), realPath: real(workspace) },
    runnerFolders: folders.flatMap(([placeholder, path]) =>
      path ? [{ placeholder, path: resolve(path), realPath: real(path) }] : [],
    ),
  });
}

function kubeconfigSource(
  value: string | undefined,
  workspace: string,
  env: NodeJS.ProcessEnv,
): KubeconfigSource {
  if (value && (value.includes('\n') || /^\s*apiVersion\s*:/.test(value) || value.trim().startsWith('{')))
    return { kind: 'content', content: value };
  const path = value
    ? isAbsolute(value)
      ? value
      : resolve(workspace, value)
    : env.KUBECONFIG?.split(':')[0] || join(homedir(), '.kube', 'config');
  if (!existsSync(path)) {
    if (value)
      throw new ConfigurationError(
        `input 'kubeconfig' names a file that does not exist (resolved to ${path}); give the kubeconfig content or an existing path`,
      );
    throw new ConfigurationError(
      `no kubeconfig: input 'kubeconfig' is empty and ${env.KUBECONFIG ? `KUBECONFIG (${path})` : `${path}`} does not exist`,
    );
  }
  return { kind: 'path', path };
}
