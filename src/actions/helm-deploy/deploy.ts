import { formatDuration } from '../../lib/duration.js';
import { CheckFailedError, ConfigurationError } from '../../lib/errors.js';
import { cleanHelmError, type HelmClient, type HelmRun } from '../../lib/helm/client.js';
import { lastDeployed, latest, planStuckRecovery, rollbackTarget } from '../../lib/helm/release.js';
import type { KubeClient } from '../../lib/kube/client.js';
import { diagnose } from '../../lib/kube/diagnostics.js';
import { parseManifest, workloadsOf } from '../../lib/kube/manifest.js';
import { diffManifests } from '../../lib/kube/manifest-diff.js';
import { snapshotGenerations, verifyRollout, type WorkloadResult } from '../../lib/kube/verify.js';
import type { DeployPlan } from './inputs.js';
import type { DeployResult } from './model.js';

export interface Deps {
  helm: HelmClient;
  kube: KubeClient;
  log: (line: string) => void;
}

/** Diagnostics must be read before helm's own rollback replaces the failing pods. */
export function diagnosticsMargin(timeoutMs: number): number {
  return Math.min(15_000, Math.max(2_000, Math.round(timeoutMs * 0.1)));
}

export async function deploy(plan: DeployPlan, deps: Deps): Promise<DeployResult> {
  const started = Date.now();
  const { helm, kube, log } = deps;
  const result: DeployResult = { mode: 'deploy', release: plan.release, namespace: plan.namespace, chart: plan.upgrade.chart, helmVersion: helm.version, status: 'failed', rolledBack: false, durationMs: 0 };
  if (plan.budgetWarning) result.budgetWarning = plan.budgetWarning;

  // Rendering the chart does not depend on the release's state: both helm calls run at once.
  const rendering = helm.template(plan.upgrade);
  rendering.catch(() => undefined); // awaited below; a render error must not surface before a history error
  let history = await helm.history(plan.release, plan.namespace);
  const recovery = planStuckRecovery(history);
  if (recovery.kind !== 'none') {
    const stuck = recovery.stuck;
    const what = `release ${plan.release} is stuck in ${stuck.status} (revision ${stuck.revision}, last updated ${stuck.updated}): a previous helm run died mid-operation`;
    if (!plan.recoverStuck) {
      const fix = recovery.kind === 'rollback' ? `helm rollback ${plan.release} ${recovery.to} -n ${plan.namespace}` : `helm uninstall ${plan.release} -n ${plan.namespace}`;
      throw new ConfigurationError(`${what}. Set recover-stuck: true to recover automatically, or run \`${fix}\`.`);
    }
    log(`${what}; recovering by ${recovery.kind === 'rollback' ? `rolling back to revision ${recovery.to}` : 'uninstalling the unfinished first install'}`);
    const run = recovery.kind === 'rollback'
      ? await helm.rollback(plan.release, recovery.to, plan.namespace, plan.upgrade.timeoutMs, true)
      : await helm.uninstall(plan.release, plan.namespace, plan.upgrade.timeoutMs, true);
    if (run.exitCode !== 0) throw new CheckFailedError(`could not recover ${what}: ${cleanHelmError(run.stderr)}`);
    result.recovered = { from: stuck.status, revision: stuck.revision, action: recovery.kind, ...(recovery.kind === 'rollback' ? { to: recovery.to } : {}) };
    history = await helm.history(plan.release, plan.namespace);
  }
  const previous = lastDeployed(history);
  if (previous) result.previousRevision = previous.revision;

  const manifest = await rendering;
  const workloads = workloadsOf(parseManifest(manifest, plan.namespace));
  if (plan.diff) {
    const deployed = previous ? (await helm.getManifest(plan.release, plan.namespace)) ?? '' : '';
    result.diff = diffManifests(deployed, manifest, plan.namespace);
    log(`diff: ${result.diff.length} object(s) change (${result.diff.map((c) => `${c.change} ${c.object}`).join(', ') || 'none'})`);
  }

  const baseline = await snapshotGenerations(kube, workloads);
  let helmDone = false;
  const verifyDeadline = Date.now() + plan.upgrade.timeoutMs - diagnosticsMargin(plan.upgrade.timeoutMs);
  const verifyStarted = Date.now();
  const verification = plan.upgrade.wait && workloads.length
    ? verifyRollout({ client: kube, workloads, deadlineAt: verifyDeadline, baseline, applied: () => helmDone, onReady: (r) => log(`ready: ${r.ref.kind}/${r.ref.name} after ${formatDuration(r.durationMs ?? 0)}`) })
    : Promise.resolve([] as WorkloadResult[]);
  log(`helm ${helm.version}: upgrading ${plan.release} in ${plan.namespace} (${workloads.length} workload(s) to verify, timeout ${formatDuration(plan.upgrade.timeoutMs)})`);
  const helmRun: Promise<HelmRun> = helm.upgrade(plan.upgrade, 30_000).then((r) => {
    helmDone = true;
    kube.close(); // wake the watchers: unchanged workloads count as current once helm has applied
    return r;
  });

  // Read diagnostics as soon as verification gives up, while helm may still be waiting to roll back.
  const results = await verification;
  const notReady = results.filter((r) => r.state !== 'ready');
  if (notReady.length) {
    log(`not ready: ${notReady.map((r) => `${r.ref.kind}/${r.ref.name} (${r.state}: ${r.message})`).join('; ')}; collecting diagnostics`);
    result.diagnostics = await diagnose(kube, notReady.map((r) => r.ref));
  }
  const run = await helmRun;
  if (results.length) {
    const durations = results.map((r) => r.durationMs ?? Date.now() - verifyStarted);
    const slowest = results.reduce((a, b) => ((a.durationMs ?? Infinity) >= (b.durationMs ?? Infinity) ? a : b));
    result.verification = {
      wallMs: Math.max(...durations),
      sumMs: durations.reduce((a, b) => a + b, 0),
      slowest: `${slowest.ref.kind}/${slowest.ref.name}`,
      workloads: results.map((r) => ({ kind: r.ref.kind, name: r.ref.name, namespace: r.ref.namespace, state: r.state, message: r.message, ...(r.durationMs !== undefined ? { durationMs: r.durationMs } : {}), ...(r.readyAt !== undefined ? { readyAt: r.readyAt } : {}) })),
    };
  }

  // On success helm prints the new revision; only the failure paths need the history again.
  const printed = run.exitCode === 0 && notReady.length === 0 ? revisionIn(run.stdout) : undefined;
  if (printed !== undefined) {
    result.revision = printed;
  } else {
    history = await helm.history(plan.release, plan.namespace);
    const top = latest(history);
    if (top) result.revision = top.revision;
  }
  if (run.exitCode === 0 && notReady.length === 0) {
    result.status = 'deployed';
  } else {
    result.failure = run.exitCode !== 0
      ? `helm upgrade failed${run.killed ? ' (killed at its deadline)' : ''}: ${cleanHelmError(run.stderr) || `exit ${run.exitCode}`}`
      : `helm reported success but ${notReady.length} workload(s) did not roll out: ${notReady.map((r) => `${r.ref.kind}/${r.ref.name}`).join(', ')}`;
    result.helmMessage = cleanHelmError(run.stderr);
    if (plan.upgrade.atomic && run.exitCode === 0) {
      // Helm was satisfied but our verification was not: undo it ourselves.
      result.status = await undoDeploy(plan, deps, result.previousRevision);
      result.rolledBack = true;
      history = await helm.history(plan.release, plan.namespace);
      result.revision = latest(history)?.revision;
    } else if (plan.upgrade.atomic) {
      // Helm's own atomic rollback ran: back to the previous revision, or the failed first install is gone.
      if (result.previousRevision !== undefined && wasRolledBack(history)) {
        result.status = 'rolled-back';
        result.rolledBack = true;
      } else if (result.previousRevision === undefined && history.length === 0) {
        result.status = 'uninstalled';
        result.rolledBack = true;
      }
    }
  }
  result.durationMs = Date.now() - started;
  return result;
}

/** The `REVISION: N` line Helm 3 and 4 print after a successful install or upgrade. */
export function revisionIn(stdout: string): number | undefined {
  const m = /^REVISION: (\d+)\s*$/m.exec(stdout);
  return m ? Number(m[1]) : undefined;
}

/** After a failed atomic upgrade, the newest revision is a deployed rollback. */
function wasRolledBack(history: Parameters<typeof latest>[0]): boolean {
  const top = latest(history);
  return top !== undefined && top.status === 'deployed' && /rollback/i.test(top.description);
}

async function undoDeploy(plan: DeployPlan, deps: Deps, previous: number | undefined): Promise<'rolled-back' | 'uninstalled'> {
  if (previous !== undefined) {
    deps.log(`rolling back ${plan.release} to revision ${previous}`);
    const run = await deps.helm.rollback(plan.release, previous, plan.namespace, plan.upgrade.timeoutMs, true);
    if (run.exitCode !== 0) throw new CheckFailedError(`rollback to revision ${previous} failed: ${cleanHelmError(run.stderr)}`);
    return 'rolled-back';
  }
  deps.log(`uninstalling ${plan.release} (its first install failed)`);
  const run = await deps.helm.uninstall(plan.release, plan.namespace, plan.upgrade.timeoutMs, true);
  if (run.exitCode !== 0) throw new CheckFailedError(`uninstalling the failed first install failed: ${cleanHelmError(run.stderr)}`);
  return 'uninstalled';
}

/** mode: rollback — undo an earlier deploy after a later step failed. */
export async function rollback(plan: DeployPlan, deps: Deps): Promise<DeployResult> {
  const started = Date.now();
  const { helm } = deps;
  const history = await helm.history(plan.release, plan.namespace);
  const result: DeployResult = { mode: 'rollback', release: plan.release, namespace: plan.namespace, chart: plan.upgrade.chart, helmVersion: helm.version, status: 'failed', rolledBack: false, durationMs: 0 };
  if (history.length === 0) throw new ConfigurationError(`release ${plan.release} does not exist in namespace ${plan.namespace}: nothing to roll back`);
  const current = latest(history)!;
  result.previousRevision = current.revision;
  const target = plan.revision ?? rollbackTarget(history);
  if (plan.revision !== undefined && !history.some((h) => h.revision === plan.revision)) {
    throw new ConfigurationError(`input 'revision' has value "${plan.revision}": release ${plan.release} has revisions ${history.map((h) => h.revision).join(', ')}`);
  }
  if (target !== undefined) {
    result.status = await undoDeploy(plan, deps, target);
  } else if (history.length === 1 || !history.some((h) => h.status === 'superseded')) {
    // A first install has nothing to return to: undoing it means removing it.
    result.status = await undoDeploy(plan, deps, undefined);
  } else {
    throw new ConfigurationError(`release ${plan.release} has no earlier deployed revision to return to; give 'revision'`);
  }
  result.rolledBack = true;
  const after = await helm.history(plan.release, plan.namespace);
  result.revision = latest(after)?.revision;
  result.durationMs = Date.now() - started;
  return result;
}
