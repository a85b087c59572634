import { existsSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigurationError, InputError } from '../../lib/errors.js';
import { formatDuration } from '../../lib/duration.js';
import { shownChart } from '../../lib/helm/chart-shown.js';
import { escapeSetValue, type UpgradeOptions } from '../../lib/helm/flags.js';
import type { InputValues } from '../../lib/inputs/spec.js';
import type { metadata } from './metadata.js';

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
