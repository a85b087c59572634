import { formatDuration } from '../../lib/duration.js';
import { CheckFailedError, ConfigurationError } from '../../lib/errors.js';
import { cleanHelmError, isRenderError, type HelmClient, type HelmRun } from '../../lib/helm/client.js';
import {
  lastDeployed,
  latest,
  planStuckRecovery,
  rollbackTarget,
  type ReleaseRevision,
} from '../../lib/helm/release.js';
import {
  belongsTo,
  hookPhase,
  madeByInstall,
  recordDriver,
  releaseWorkloads,
  type ReleaseRecord,
} from '../../lib/helm/release-record.js';
import { ReleaseRecords } from '../../lib/helm/release-records.js';
import type { KubeClient } from '../../lib/kube/client.js';
import { diagnose, type WorkloadDiagnosis } from '../../lib/kube/diagnostics.js';
import type { WorkloadRef } from '../../lib/kube/manifest.js';
import { diffRelease, type ObjectChange } from '../../lib/kube/manifest-diff.js';
import {
  baselineOf,
  snapshotNamespace,
  verifyRollout,
  workloadKey,
  type Before,
  type WorkloadResult,
} from '../../lib/kube/verify.js';
import type { DeployPlan } from './inputs.js';
import type { DeployResult } from './model.js';
import { decideOutcome } from './outcome.js';

export interface Deps {
  helm: HelmClient;
  kube: KubeClient;
  log: (line: string) => void;
  /** HELM_DRIVER as helm sees it: where helm keeps the release's records. */
  helmDriver?: string;
  /** The release's history, when it was asked for already (it does not depend on helm's major). */
  history?: Promise<ReleaseRevision[]>;
}

/** Diagnostics must be read before helm's own rollback replaces the failing pods. */
export function diagnosticsMargin(timeoutMs: number): number {
  return Math.min(15_000, Math.max(2_000, Math.round(timeoutMs * 0.1)));
}

/**
 * Deploys and verifies what Helm actually deployed. Helm records the new revision (its manifest and
 * hooks, exactly as rendered for that revision against the cluster) before it applies anything; the
 * workloads to verify are read from that record as soon as it is written, so verification starts
 * while helm is still applying.
 */
export async function deploy(plan: DeployPlan, deps: Deps): Promise<DeployResult> {
  const started = Date.now();
  const { helm, kube, log } = deps;
  const result: DeployResult = {
    mode: 'deploy',
    release: plan.release,
    namespace: plan.namespace,
    chart: plan.chartShown,
    helmVersion: helm.version,
    status: 'failed',
    rolledBack: false,
    durationMs: 0,
  };
  if (plan.budgetWarning) result.budgetWarning = plan.budgetWarning;
  const records = new ReleaseRecords(
    kube,
    helm,
    plan.release,
    plan.namespace,
    recordDriver(deps.helmDriver),
    log,
  );

  // What the namespace's workloads were before the deploy, read while helm reports the history.
  let snapshot = snapshotNamespace(kube, plan.namespace);
  let history = await (deps.history ?? helm.history(plan.release, plan.namespace));
  const recovery = planStuckRecovery(history);
  if (recovery.kind !== 'none') {
    const stuck = recovery.stuck;
    const what = `release ${plan.release} is stuck in ${stuck.status} (revision ${stuck.revision}, last updated ${stuck.updated}): a previous helm run died mid-operation`;
    if (!plan.recoverStuck) {
      const fix =
        recovery.kind === 'rollback'
          ? `helm rollback ${plan.release} ${recovery.to} -n ${plan.namespace}`
          : `helm uninstall ${plan.release} -n ${plan.namespace}`;
      throw new ConfigurationError(
        `${what}. Set recover-stuck: true to recover automatically, or run \`${fix}\`.`,
      );
    }
    log(
      `${what}; recovering by ${recovery.kind === 'rollback' ? `rolling back to revision ${recovery.to}` : 'uninstalling the unfinished first install'}`,
    );
    const run =
      recovery.kind === 'rollback'
        ? await helm.rollback(plan.release, recovery.to, plan.namespace, plan.upgrade.timeoutMs, true)
        : await helm.uninstall(plan.release, plan.namespace, plan.upgrade.timeoutMs, true);
    if (run.exitCode !== 0)
      throw new CheckFailedError(`could not recover ${what}: ${cleanHelmError(run.stderr)}`);
    result.recovered = {
      from: stuck.status,
      revision: stuck.revision,
      action: recovery.kind,
      ...(recovery.kind === 'rollback' ? { to: recovery.to } : {}),
    };
    history = await helm.history(plan.release, plan.namespace);
    snapshot = snapshotNamespace(kube, plan.namespace);
  }
  const previous = lastDeployed(history);
  if (previous) result.previousRevision = previous.revision;
  const known = latest(history)?.revision ?? 0;

  if (plan.diff) {
    result.diff = await previewDiff(plan, helm, records, previous?.revision);
    log(
      `diff: ${result.diff.length} object(s) change (${result.diff.map((c) => `${c.change} ${c.from ? `${c.from} → ` : ''}${c.object}`).join(', ') || 'none'})`,
    );
  }
  const seen = await snapshot;

  let helmDone = false;
  const helmFailed = new AbortController();
  const verifyDeadline = Date.now() + plan.upgrade.timeoutMs - diagnosticsMargin(plan.upgrade.timeoutMs);
  // Watching for helm's record starts before helm does, so its first write is not missed.
  const recording = records.next(known, () => helmDone);
  log(
    `helm ${helm.version}: upgrading ${plan.release} in ${plan.namespace} (timeout ${formatDuration(plan.upgrade.timeoutMs)})`,
  );
  const helmRun: Promise<HelmRun> = helm.upgrade(plan.upgrade, 30_000).then((r) => {
    helmDone = true;
    if (r.exitCode !== 0) helmFailed.abort();
    kube.close(); // wake the watchers: unchanged workloads count as current once helm has applied
    return r;
  });

  let record = await recording;
  if (!record && plan.upgrade.wait) {
    // Not seen while helm ran (a watch refused, an unexpected revision number): the revision helm
    // printed, read now; everything is applied, so verification is a check of the end state.
    const done = await helmRun;
    const printed = done.exitCode === 0 ? revisionIn(done.stdout) : undefined;
    if (printed !== undefined) record = await records.read(printed).catch(() => undefined);
    if (printed !== undefined && !record) {
      result.unverified = `helm's record of revision ${printed} could not be read, so only helm's own wait checked the rollout`;
      log(result.unverified);
    }
  }
  const install = record ? madeByInstall(record, previous === undefined) : previous === undefined;
  const workloads = record ? releaseWorkloads(record, install, plan.namespace) : [];
  if (record)
    log(
      `helm recorded revision ${record.version} (${install ? 'install' : 'upgrade'}): ${workloads.length} workload(s) to verify${workloads.length ? `: ${workloads.map(describe).join(', ')}` : ''}`,
    );
  let results: WorkloadResult[] = [];
  // A workload that fails is diagnosed at once: helm sees the same failure and may delete a failed
  // hook or roll back right after.
  const diagnosing = new Map<WorkloadResult['ref'], Promise<WorkloadDiagnosis[]>>();
  let baseline = new Map<string, Before>();
  // A hook's earlier run (there before the deploy) is not what failed now.
  const target = (r: WorkloadResult) => ({
    ...r,
    ...(r.ref.hook ? { earlierUid: baseline.get(workloadKey(r.ref))?.uid } : {}),
  });
  const diagnoseNow = (r: WorkloadResult) => {
    log(`failed: ${describe(r.ref)}: ${r.message}; collecting diagnostics`);
    diagnosing.set(r.ref, diagnose(kube, [target(r)]));
  };
  const verifyStarted = Date.now();
  if (plan.upgrade.wait && workloads.length) {
    baseline = await baselineOf(kube, workloads, { namespace: plan.namespace, seen });
    const onReady = (r: WorkloadResult) =>
      log(`ready: ${describe(r.ref)} after ${formatDuration(r.durationMs ?? 0)}`);
    results = await verifyRollout({
      client: kube,
      workloads,
      deadlineAt: verifyDeadline,
      baseline,
      applied: () => helmDone,
      signal: helmFailed.signal,
      onReady,
      onFailed: diagnoseNow,
    });
  }
  const verifyEnded = Date.now();

  // The rest as soon as verification gives up, while helm may still be waiting to roll back.
  const failing = results.filter(needsDiagnosis);
  const late = failing.filter((r) => !diagnosing.has(r.ref));
  if (late.length)
    log(
      `not ready: ${late.map((r) => `${describe(r.ref)} (${r.state}: ${r.message})`).join('; ')}; collecting diagnostics`,
    );
  if (failing.length)
    result.diagnostics = (
      await Promise.all([...diagnosing.values(), diagnose(kube, late.map(target))])
    ).flat();
  const run = await helmRun;
  const printed = run.exitCode === 0 ? revisionIn(run.stdout) : undefined;
  const made = printed ?? record?.version;
  if (run.exitCode !== 0 && made === undefined && isRenderError(run.stderr)) {
    throw new ConfigurationError(`the chart did not render: ${cleanHelmError(run.stderr)}`);
  }

  // Helm's record of the revision it made settles what watching could not: hooks that ran and were
  // deleted between two reads, and whether a workload not found is part of the revision at all.
  const unsettled = results.some((r) => r.state !== 'ready');
  const final = unsettled && made !== undefined ? await records.read(made).catch(() => undefined) : undefined;
  if (final) {
    results = results.map((r) =>
      r.ref.hook && (r.state === 'progressing' || r.state === 'not-run') ? settleHook(r, final) : r,
    );
    const diagnosed = (r: WorkloadResult) =>
      result.diagnostics?.some((d) => d.kind === r.ref.kind && d.name === r.ref.name);
    const failedHooks = results.filter((r) => r.ref.hook && r.state === 'failed' && !diagnosed(r));
    if (failedHooks.length)
      result.diagnostics = [
        ...(result.diagnostics ?? []),
        ...(await diagnose(kube, failedHooks.map(target))),
      ];
  }
  if (results.length) result.verification = summarize(results, verifyEnded - verifyStarted);

  const historyAfter = run.exitCode !== 0 ? await helm.history(plan.release, plan.namespace) : undefined;
  const outcome = decideOutcome({
    helm: { exitCode: run.exitCode, killed: run.killed, message: cleanHelmError(run.stderr) },
    atomic: plan.upgrade.atomic,
    ...(result.previousRevision !== undefined ? { previousRevision: result.previousRevision } : {}),
    ...(made !== undefined ? { revision: made } : {}),
    workloads: results.map((r) => ({
      ref: r.ref,
      state: r.state,
      inRevision: final ? belongsTo(final, r.ref, plan.namespace) && ranIfHook(final, r.ref) : true,
    })),
    ...(historyAfter ? { historyAfter } : {}),
  });
  result.status = outcome.status;
  result.rolledBack = outcome.rolledBack;
  if (outcome.failure) result.failure = outcome.failure;
  if (outcome.bug) result.bug = outcome.bug;
  if (run.exitCode !== 0 || outcome.failure) result.helmMessage = cleanHelmError(run.stderr);
  result.revision = outcome.status === 'deployed' ? made : (latest(historyAfter ?? [])?.revision ?? made);
  if (outcome.undo) {
    // Helm was satisfied but the verification was not: undo it ourselves.
    result.status = await undoDeploy(plan, deps, 'to' in outcome.undo ? outcome.undo.to : undefined);
    result.rolledBack = true;
    result.revision = latest(await helm.history(plan.release, plan.namespace))?.revision;
  }
  result.durationMs = Date.now() - started;
  return result;
}

function describe(ref: WorkloadRef): string {
  return `${ref.kind}/${ref.name}${ref.hook ? ` (${ref.hook.events.join(',')} hook)` : ''}`;
}

/** Hooks helm had not run, and workloads it skipped because it failed first, have nothing to diagnose. */
function needsDiagnosis(r: WorkloadResult): boolean {
  return r.state === 'failed' || r.state === 'timeout' || r.state === 'missing';
}

/** A hook not seen to finish, settled by what Helm recorded of its last run. */
function settleHook(r: WorkloadResult, record: ReleaseRecord): WorkloadResult {
  const phase = hookPhase(record, r.ref);
  const by = `per helm's record of revision ${record.version}`;
  switch (phase) {
    case 'Succeeded':
      return {
        ...r,
        state: 'ready',
        message: `succeeded ${by} (helm deleted the Job before it was seen finished)`,
      };
    case 'Failed':
      return { ...r, state: 'failed', message: `failed ${by}` };
    case 'Running':
      return { ...r, state: 'timeout', message: `still running when helm ended, ${by}` };
    default:
      return { ...r, state: 'not-run', message: `helm did not run it (${by})` };
  }
}

/** A hook belongs to what helm deployed only if helm ran it in this operation. */
function ranIfHook(record: ReleaseRecord, ref: WorkloadRef): boolean {
  return !ref.hook || hookPhase(record, ref) !== undefined;
}

/** Per workload: the time to ready, or the whole wait for one that never got there. */
function summarize(results: WorkloadResult[], waitedMs: number): NonNullable<DeployResult['verification']> {
  // What helm did not run, or stopped before it was judged, did not cost a wait of its own.
  const timed = results.filter((r) => r.state !== 'not-run' && r.state !== 'stopped');
  const durations = timed.map((r) => r.durationMs ?? waitedMs);
  const slowest = timed.reduce<WorkloadResult | undefined>(
    (a, b) => (!a || (a.durationMs ?? Infinity) < (b.durationMs ?? Infinity) ? b : a),
    undefined,
  );
  return {
    wallMs: durations.length ? Math.max(...durations) : 0,
    sumMs: durations.reduce((a, b) => a + b, 0),
    ...(slowest ? { slowest: `${slowest.ref.kind}/${slowest.ref.name}` } : {}),
    workloads: results.map((r) => ({
      kind: r.ref.kind,
      name: r.ref.name,
      namespace: r.ref.namespace,
      ...(r.ref.hook ? { hook: r.ref.hook.events } : {}),
      state: r.state,
      message: r.message,
      ...(r.durationMs !== undefined ? { durationMs: r.durationMs } : {}),
      ...(r.readyAt !== undefined ? { readyAt: r.readyAt } : {}),
    })),
  };
}

/**
 * The diff before the deploy, from Helm's own rendering of the next revision against the cluster
 * (a server-side dry run) and Helm's record of the deployed one: the objects and hooks that really change.
 */
async function previewDiff(
  plan: DeployPlan,
  helm: HelmClient,
  records: ReleaseRecords,
  deployedRevision: number | undefined,
): Promise<ObjectChange[]> {
  const [proposed, deployed] = await Promise.all([
    helm.dryRun(plan.upgrade),
    deployedRevision !== undefined ? records.read(deployedRevision) : Promise.resolve(undefined),
  ]);
  const events = madeByInstall(proposed, deployedRevision === undefined)
    ? ['pre-install', 'post-install']
    : ['pre-upgrade', 'post-upgrade'];
  return diffRelease(deployed, proposed, events, plan.namespace);
}

/** The `REVISION: N` line Helm 3 and 4 print after a successful install or upgrade. */
export function revisionIn(stdout: string): number | undefined {
  const m = /^REVISION: (\d+)\s*$/m.exec(stdout);
  return m ? Number(m[1]) : undefined;
}

async function undoDeploy(
  plan: DeployPlan,
  deps: Deps,
  previous: number | undefined,
): Promise<'rolled-back' | 'uninstalled'> {
  if (previous !== undefined) {
    deps.log(`rolling back ${plan.release} to revision ${previous}`);
    const run = await deps.helm.rollback(
      plan.release,
      previous,
      plan.namespace,
      plan.upgrade.timeoutMs,
      true,
    );
    if (run.exitCode !== 0)
      throw new CheckFailedError(`rollback to revision ${previous} failed: ${cleanHelmError(run.stderr)}`);
    return 'rolled-back';
  }
  deps.log(`uninstalling ${plan.release} (its first install failed)`);
  const run = await deps.helm.uninstall(plan.release, plan.namespace, plan.upgrade.timeoutMs, true);
  if (run.exitCode !== 0)
    throw new CheckFailedError(`uninstalling the failed first install failed: ${cleanHelmError(run.stderr)}`);
  return 'uninstalled';
}

/** mode: rollback — undo an earlier deploy after a later step failed. */
export async function rollback(plan: DeployPlan, deps: Deps): Promise<DeployResult> {
  const started = Date.now();
  const { helm } = deps;
  const history = await helm.history(plan.release, plan.namespace);
  const result: DeployResult = {
    mode: 'rollback',
    release: plan.release,
    namespace: plan.namespace,
    chart: plan.chartShown,
    helmVersion: helm.version,
    status: 'failed',
    rolledBack: false,
    durationMs: 0,
  };
  if (history.length === 0)
    throw new ConfigurationError(
      `release ${plan.release} does not exist in namespace ${plan.namespace}: nothing to roll back`,
    );
  const current = latest(history)!;
  result.previousRevision = current.revision;
  const target = plan.revision ?? rollbackTarget(history);
  if (plan.revision !== undefined && !history.some((h) => h.revision === plan.revision)) {
    throw new ConfigurationError(
      `input 'revision' has value "${plan.revision}": release ${plan.release} has revisions ${history.map((h) => h.revision).join(', ')}`,
    );
  }
  if (target !== undefined) {
    result.status = await undoDeploy(plan, deps, target);
    result.rolledBackTo = target;
  } else if (history.length === 1 || !history.some((h) => h.status === 'superseded')) {
    // A first install has nothing to return to: undoing it means removing it.
    result.status = await undoDeploy(plan, deps, undefined);
  } else {
    throw new ConfigurationError(
      `release ${plan.release} has no earlier deployed revision to return to; give 'revision'`,
    );
  }
  result.rolledBack = true;
  const after = await helm.history(plan.release, plan.namespace);
  result.revision = latest(after)?.revision;
  result.durationMs = Date.now() - started;
  return result;
}
