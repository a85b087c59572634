import { chmodSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { defaultResultPath, emitAnnotations, group, log, readInputs, runInfo, setOutputs, workspace, writeResultFile, writeSummary } from '../../lib/action/index.js';
import { CheckFailedError } from '../../lib/errors.js';
import { writeJsonFile } from '../../lib/files.js';
import { HelmClient } from '../../lib/helm/client.js';
import { planDeploy, type DeployPlan } from './inputs.js';
import { metadata } from './metadata.js';
import type { DeployResult } from './model.js';
import { buildAnnotations, renderSummary } from './render.js';

export async function main(): Promise<void> {
  const startedAt = new Date();
  const inputs = readInputs(metadata.inputs);
  const plan = planDeploy(inputs, workspace());
  const tempDir = join(process.env.RUNNER_TEMP || '/tmp', 'command-center');
  const kubeconfigPath = await materializeKubeconfig(plan, tempDir);
  try {
    const helm = new HelmClient({ binary: plan.helm, kubeconfigPath, ...(plan.context ? { kubeContext: plan.context } : {}), onLine: (l) => log.info(`  helm| ${l}`) });
    // helm starts first; the Kubernetes client and the deploy code load while it reports its
    // version (loading blocks this thread), and only once the inputs are valid, so a bad input
    // fails without paying for them. The catches only keep an early failure from going unhandled.
    const detecting = helm.detectVersion();
    detecting.catch(() => undefined);
    const modules = Promise.all([import('../../lib/kube/client.js'), import('./deploy.js')]);
    modules.catch(() => undefined);
    const { version, major } = await group('Preflight', async () => {
      const v = await detecting;
      log.info(`helm ${v.version} (Helm ${v.major} flags)`);
      return v;
    });
    const [{ KubeClient }, { deploy, rollback }] = await modules;
    const kube = new KubeClient({ kubeconfigPath, ...(plan.context ? { context: plan.context } : {}), requestTimeoutMs: 20_000 });
    try {
      await kube.get('/version').catch((err: Error) => {
        throw new CheckFailedError(`the Kubernetes API at ${kube.server} does not answer: ${err.message}`);
      });
      const deps = { helm, kube, log: (l: string) => log.info(l), ...(process.env.HELM_DRIVER ? { helmDriver: process.env.HELM_DRIVER } : {}) };
      const result = await group(plan.mode === 'deploy' ? `Deploying ${plan.release} with helm ${version}` : `Rolling back ${plan.release}`, () => (plan.mode === 'deploy' ? deploy(plan, deps) : rollback(plan, deps)));
      await report(result, startedAt, inputs.resultPath, major);
    } finally {
      kube.close();
    }
  } finally {
    if (kubeconfigPath !== (plan.kubeconfig.kind === 'path' ? plan.kubeconfig.path : '')) rmSync(kubeconfigPath, { force: true });
  }
}

async function report(result: DeployResult, startedAt: Date, resultPathInput: string | undefined, _major: number): Promise<void> {
  const resultPath = resultPathInput ?? defaultResultPath('helm-deploy');
  let diagnosticsPath: string | undefined;
  if (result.diagnostics?.length) {
    diagnosticsPath = join(resultPath, '..', `helm-deploy-diagnostics-${result.release}.json`);
    await writeJsonFile(diagnosticsPath, { release: result.release, namespace: result.namespace, revision: result.revision, failure: result.failure, workloads: result.diagnostics });
  }
  const ok = (result.status === 'deployed' && !result.bug) || (result.mode === 'rollback' && result.rolledBack);
  await writeResultFile(resultPath, { action: 'helm-deploy', schemaVersion: 1, status: ok ? 'success' : 'failure', startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), run: runInfo(), result });
  setOutputs({
    status: result.status,
    revision: result.revision,
    'previous-revision': result.previousRevision,
    'rolled-back': result.rolledBack,
    'diagnostics-path': diagnosticsPath,
    duration: Math.round(result.durationMs / 1000),
    'result-path': resultPath,
  });
  await writeSummary(renderSummary(result, { result: resultPath, ...(diagnosticsPath ? { diagnostics: diagnosticsPath } : {}) }), resultPath);
  emitAnnotations(buildAnnotations(result));
  // A bug of the action's own is not a failed check: it is reported as a bug, with its details.
  if (result.bug && result.status === 'deployed') throw new Error(`${result.failure ?? result.bug}`);
  if (!ok) throw new CheckFailedError(`${result.failure ?? `release ${result.release} is ${result.status}`}${result.rolledBack ? `; ${result.status === 'uninstalled' ? 'the failed install was removed' : `rolled back, revision ${result.revision} is deployed`}` : ''}`);
}

/** Kubeconfig content goes to a private temp file outside the workspace, removed when the step ends. */
async function materializeKubeconfig(plan: DeployPlan, tempDir: string): Promise<string> {
  if (plan.kubeconfig.kind === 'path') return plan.kubeconfig.path;
  const path = join(tempDir, `kubeconfig-${randomUUID()}`);
  // Written as-is (not redacted): it is the credential itself, readable only by this user.
  await mkdir(tempDir, { recursive: true });
  await writeFile(path, plan.kubeconfig.content, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}
