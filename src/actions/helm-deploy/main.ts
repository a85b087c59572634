import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultResultPath,
  finishStep,
  group,
  log,
  maskSecret,
  readInputs,
  workspace,
} from '../../lib/action/index.js';
import { CheckFailedError } from '../../lib/errors.js';
import { writeJsonFile } from '../../lib/files.js';
import { HelmClient } from '../../lib/helm/client.js';
import { kubeconfigCredentials } from '../../lib/kube/kubeconfig-secrets.js';
import { planStep, type DeployPlan } from './inputs.js';
import { metadata } from './metadata.js';
import type { DeployResult, ReleaseSetResult, SetReleaseResult } from './model.js';
import { buildAnnotations, buildSetAnnotations, renderSetSummary, renderSummary } from './render.js';

const SIGNAL_GRACE_MS = 5_000;

export async function main(): Promise<void> {
  const startedAt = new Date();
  const inputs = readInputs(metadata.inputs);
  const step = planStep(inputs, workspace());
  // What every release of a set shares with a single release: the kubeconfig, context, helm binary.
  const plan = step.kind === 'single' ? step.plan : step.set.releases[0]!.plan;
  // Each credential on its own, before anything could print one (readInputs masked the whole text).
  for (const credential of kubeconfigCredentials(kubeconfigText(plan))) maskSecret(credential);
  const kubeconfig = materializeKubeconfig(plan);
  let helm: HelmClient | undefined;
  // A cancelled or timed-out step gets SIGINT, then SIGTERM (the runner waits 7.5 s between them):
  // the kubeconfig goes at once; helm is told to stop, and given a few seconds to mark the release
  // failed rather than leave it pending (it dies on its next write once this process is gone); then
  // the step ends by the signal, as it would have. A second signal ends it at once.
  let stopping = false;
  const onSignal = (sig: NodeJS.Signals) => {
    kubeconfig.remove();
    const end = () => {
      unlisten();
      process.kill(process.pid, sig);
    };
    if (stopping || !helm) return end();
    stopping = true;
    helm.signal(sig);
    void helm.idle(SIGNAL_GRACE_MS).then(end);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handlers = signals.map((sig) => [sig, () => onSignal(sig)] as const);
  const unlisten = () => {
    for (const [sig, handler] of handlers) process.off(sig, handler);
    process.off('exit', kubeconfig.remove);
  };
  for (const [sig, handler] of handlers) process.on(sig, handler);
  process.on('exit', kubeconfig.remove);
  try {
    helm = new HelmClient({
      binary: plan.helm,
      kubeconfigPath: kubeconfig.path,
      ...(plan.context ? { kubeContext: plan.context } : {}),
      onLine: (l) => log.info(`  helm| ${l}`),
    });
    // helm starts first; the Kubernetes client and the deploy code load while it reports its
    // version (loading blocks this thread), and only once the inputs are valid, so a bad input
    // fails without paying for them. The catches only keep an early failure from going unhandled.
    const detecting = helm.detectVersion();
    detecting.catch(() => undefined);
    // The history does not depend on the major: asked for at the same time.
    const history =
      step.kind === 'single' && plan.mode === 'deploy'
        ? helm.history(plan.release, plan.namespace)
        : undefined;
    history?.catch(() => undefined);
    const modules = Promise.all([
      import('../../lib/kube/client.js'),
      import('./deploy.js'),
      step.kind === 'set' ? import('./deploy-set.js') : undefined,
    ]);
    modules.catch(() => undefined);
    const { version } = await group('Preflight', async () => {
      const v = await detecting;
      log.info(`helm ${v.version} (Helm ${v.major} flags)`);
      return v;
    });
    const [{ KubeClient }, { deploy, rollback }, setModule] = await modules;
    const kubeFor = () =>
      new KubeClient({
        kubeconfigPath: kubeconfig.path,
        ...(plan.context ? { context: plan.context } : {}),
        requestTimeoutMs: 20_000,
      });
    const kube = kubeFor();
    try {
      await kube.get('/version').catch((err: Error) => {
        throw new CheckFailedError(`the Kubernetes API at ${kube.server} does not answer: ${err.message}`);
      });
      const helmDriver = process.env.HELM_DRIVER;
      if (step.kind === 'set') {
        const { set } = step;
        const result = await group(
          `${set.mode === 'rollback' ? 'Rolling back' : 'Deploying'} a release set of ${set.releases.length} with helm ${version} (at most ${set.maxParallel} at a time)`,
          () =>
            setModule!.deploySet(set, {
              helm: helm!,
              kubeFor,
              log: (l: string) => log.info(l),
              ...(helmDriver ? { helmDriver } : {}),
            }),
        );
        await reportSet(result, startedAt, inputs.resultPath);
        return;
      }
      const deps = {
        helm,
        kube,
        log: (l: string) => log.info(l),
        ...(helmDriver ? { helmDriver } : {}),
        ...(history ? { history } : {}),
      };
      const result = await group(
        plan.mode === 'deploy'
          ? `Deploying ${plan.release} with helm ${version}`
          : `Rolling back ${plan.release}`,
        () => (plan.mode === 'deploy' ? deploy(plan, deps) : rollback(plan, deps)),
      );
      await report(result, startedAt, inputs.resultPath);
    } finally {
      kube.close();
    }
  } finally {
    kubeconfig.remove();
    unlisten();
  }
}

/** What a single release's end of step and a release set's differ in; the rest is endStep's. */
interface Ending {
  ok: boolean;
  /** Written beside the result when a workload was diagnosed. */
  diagnostics?: { file: string; content: unknown };
  revision?: number | undefined;
  previousRevision?: number | undefined;
  releases: ReturnType<typeof releaseLine>[];
  summary: (paths: { result: string; diagnostics?: string }) => string;
  annotations: ReturnType<typeof buildAnnotations>;
  fail?: Error | undefined;
}

/** The one end of step of a deploy, a rollback and a release set: result, outputs, summary. */
async function endStep(
  result: DeployResult | ReleaseSetResult,
  e: Ending,
  startedAt: Date,
  resultPathInput: string | undefined,
): Promise<void> {
  const resultPath = resultPathInput ?? defaultResultPath('helm-deploy');
  const diagnosticsPath = e.diagnostics ? join(resultPath, '..', e.diagnostics.file) : undefined;
  if (e.diagnostics && diagnosticsPath) await writeJsonFile(diagnosticsPath, e.diagnostics.content);
  await finishStep({
    action: 'helm-deploy',
    startedAt,
    resultPath,
    status: e.ok ? 'success' : 'failure',
    result,
    outputs: {
      status: result.status,
      revision: e.revision,
      'previous-revision': e.previousRevision,
      'rolled-back': result.rolledBack,
      'diagnostics-path': diagnosticsPath,
      duration: Math.round(result.durationMs / 1000),
      releases: JSON.stringify(e.releases),
    },
    summary: e.summary({ result: resultPath, ...(diagnosticsPath ? { diagnostics: diagnosticsPath } : {}) }),
    annotations: e.annotations,
    ...(e.fail ? { fail: e.fail } : {}),
  });
}

function report(result: DeployResult, startedAt: Date, resultPath: string | undefined): Promise<void> {
  const ok =
    (result.status === 'deployed' && !result.bug) || (result.mode === 'rollback' && result.rolledBack);
  return endStep(
    result,
    {
      ok,
      ...(result.diagnostics?.length
        ? {
            diagnostics: {
              file: `helm-deploy-diagnostics-${result.release}.json`,
              content: {
                release: result.release,
                namespace: result.namespace,
                revision: result.revision,
                failure: result.failure,
                workloads: result.diagnostics,
              },
            },
          }
        : {}),
      revision: result.revision,
      previousRevision: result.previousRevision,
      releases: [releaseLine(result)],
      summary: (paths) => renderSummary(result, paths),
      annotations: buildAnnotations(result),
      fail: failureOf(result, ok).fail,
    },
    startedAt,
    resultPath,
  );
}

/** A release as the `releases` output lists it. */
function releaseLine(r: DeployResult | SetReleaseResult) {
  return {
    name: r.release,
    namespace: r.namespace,
    status: r.status,
    revision: r.revision ?? null,
    'previous-revision': r.previousRevision ?? null,
    'rolled-back': r.rolledBack,
    ...('wave' in r ? { wave: r.wave } : {}),
  };
}

function reportSet(result: ReleaseSetResult, startedAt: Date, resultPath: string | undefined): Promise<void> {
  const diagnosed = result.releases.filter((r) => r.diagnostics?.length);
  const ok = result.status === 'deployed';
  const bug = result.releases.find((r) => r.bug);
  return endStep(
    result,
    {
      ok,
      ...(diagnosed.length
        ? {
            diagnostics: {
              file: 'helm-deploy-diagnostics-release-set.json',
              content: {
                releases: diagnosed.map((r) => ({
                  release: r.release,
                  namespace: r.namespace,
                  revision: r.revision,
                  failure: r.failure,
                  workloads: r.diagnostics,
                })),
              },
            },
          }
        : {}),
      releases: result.releases.map(releaseLine),
      summary: (paths) => renderSetSummary(result, paths),
      annotations: buildSetAnnotations(result),
      fail: ok
        ? undefined
        : bug
          ? new Error(`${result.failure}; a bug in helm-deploy: ${bug.bug}`)
          : new CheckFailedError(result.failure ?? 'the release set did not deploy'),
    },
    startedAt,
    resultPath,
  );
}

/** A bug of the action's own is not a failed check: it is reported as a bug, with its details. */
function failureOf(result: DeployResult, ok: boolean): { fail?: Error } {
  if (result.bug && result.status === 'deployed')
    return { fail: new Error(`${result.failure ?? result.bug}`) };
  if (ok) return {};
  const undone = !result.rolledBack
    ? ''
    : result.status === 'uninstalled'
      ? '; the failed install was removed'
      : `; rolled back, revision ${result.revision} is deployed`;
  return {
    fail: new CheckFailedError(
      `${result.failure ?? `release ${result.release} is ${result.status}`}${undone}`,
    ),
  };
}

/** The kubeconfig's text: the content given, or the file named (unreadable: nothing to mask from it). */
function kubeconfigText(plan: DeployPlan): string {
  if (plan.kubeconfig.kind === 'content') return plan.kubeconfig.content;
  try {
    return readFileSync(plan.kubeconfig.path, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Kubeconfig content goes to a file of its own (0600) in a private folder (0700) outside the
 * workspace and outside the results folder that evidence-archive collects. `remove` is synchronous
 * so it also runs from a signal handler and at exit; it is a no-op for a kubeconfig given by path.
 */
function materializeKubeconfig(plan: DeployPlan): { path: string; remove: () => void } {
  if (plan.kubeconfig.kind === 'path') return { path: plan.kubeconfig.path, remove: () => {} };
  const dir = mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'helm-deploy-'));
  chmodSync(dir, 0o700);
  const path = join(dir, 'kubeconfig');
  // Written as-is (not redacted): it is the credential itself, readable only by this user.
  writeFileSync(path, plan.kubeconfig.content, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
