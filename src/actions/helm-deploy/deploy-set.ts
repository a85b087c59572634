import { CheckFailedError, ConfigurationError } from '../../lib/errors.js';
import { formatDuration } from '../../lib/duration.js';
import type { HelmClient } from '../../lib/helm/client.js';
import type { KubeClient } from '../../lib/kube/client.js';
import { deploy, rollback } from './deploy.js';
import type { ReleaseSetPlan } from './inputs.js';
import type { DeployResult, ReleaseSetResult, SetReleaseResult } from './model.js';
import { runByNeeds, type Scheduled } from './waves.js';

export interface SetDeps {
  helm: HelmClient;
  /**
   * A Kubernetes client of its own for each release: a deploy ends its client's watches when its helm
   * has applied, which must not end the watches of a release deploying beside it.
   */
  kubeFor: () => KubeClient;
  log: (line: string) => void;
  helmDriver?: string;
}

/**
 * Deploys a release set: each release exactly as a single release is deployed (verified, diagnosed,
 * rolled back by its own `atomic`), started as soon as the releases it needs are deployed, at most
 * `maxParallel` at a time. A release that fails leaves its dependents untouched ("skipped"); releases
 * that do not depend on it go on. Nothing this step did not change is rolled back.
 *
 * With `mode: rollback` it undoes a deploy of the set instead: the needs turned around (a release is
 * rolled back once every release that needs it is), each release to its target, and a release the
 * deploy did not change left `unchanged`.
 */
export async function deploySet(set: ReleaseSetPlan, deps: SetDeps): Promise<ReleaseSetResult> {
  const started = Date.now();
  const byName = new Map(set.releases.map((r) => [r.plan.release, r]));
  const results = new Map<string, DeployResult>();
  const unchanged = new Map<string, string>();
  const undoing = set.mode === 'rollback';
  const scheduled = await runByNeeds(
    undoing ? reversed(set) : set.releases.map((r) => ({ name: r.plan.release, needs: r.needs })),
    set.maxParallel,
    async (name) => {
      const { plan, needs, rollback: target } = byName.get(name)!;
      const log = (line: string) => deps.log(`[${name}] ${line}`);
      if (target && !target.undo) {
        unchanged.set(name, target.why);
        log(`left as it is: ${target.why}`);
        return true;
      }
      const helm = deps.helm.withOutput((line) => deps.log(`  helm[${name}]| ${line}`));
      const kube = deps.kubeFor();
      const t0 = Date.now();
      log(
        undoing
          ? `rolling back${target?.undo && target.to !== undefined ? ` to revision ${target.to}` : ''}`
          : `starting${needs.length ? ` (its needs are deployed: ${needs.join(', ')})` : ''}: ${plan.chartShown} into ${plan.namespace}`,
      );
      try {
        const releaseDeps = {
          helm,
          kube,
          log,
          ...(deps.helmDriver ? { helmDriver: deps.helmDriver } : {}),
        };
        const r = undoing ? await rollback(plan, releaseDeps) : await deploy(plan, releaseDeps);
        results.set(name, r);
        log(
          `${r.status}${r.revision !== undefined ? ` at revision ${r.revision}` : ''} after ${formatDuration(r.durationMs)}${r.failure ? `: ${r.failure}` : ''}`,
        );
        return (undoing ? r.rolledBack : r.status === 'deployed') && !r.bug;
      } catch (err) {
        // What stops one release (a chart that does not render, a stuck release, a failed undo) is
        // that release's failure; the set goes on with what does not depend on it.
        const expected = err instanceof ConfigurationError || err instanceof CheckFailedError;
        const message = (err as Error).message;
        results.set(name, {
          mode: set.mode,
          release: name,
          namespace: plan.namespace,
          chart: plan.chartShown,
          helmVersion: helm.version,
          status: 'failed',
          rolledBack: false,
          durationMs: Date.now() - t0,
          failure: message,
          ...(expected ? {} : { bug: `${(err as Error).name}: ${message}` }),
        });
        log(`failed: ${message}`);
        return false;
      } finally {
        kube.close();
      }
    },
  );
  return assemble(set, scheduled, results, deps.helm.version, Date.now() - started, unchanged);
}

/** The set's needs turned around: a release is rolled back once every release that needs it is. */
function reversed(set: ReleaseSetPlan): { name: string; needs: string[] }[] {
  return set.releases.map((r) => ({
    name: r.plan.release,
    needs: set.releases.filter((o) => o.needs.includes(r.plan.release)).map((o) => o.plan.release),
  }));
}

/** The set's result from the scheduler's verdicts and each release's own result: plain data. */
export function assemble(
  set: ReleaseSetPlan,
  scheduled: Scheduled[],
  results: ReadonlyMap<string, DeployResult>,
  helmVersion: string,
  durationMs: number,
  unchanged: ReadonlyMap<string, string> = new Map(),
): ReleaseSetResult {
  const undoing = set.mode === 'rollback';
  const releases: SetReleaseResult[] = scheduled.map((s) => {
    const { plan, needs } = set.releases.find((r) => r.plan.release === s.name)!;
    const place = {
      needs,
      wave: s.wave,
      ...(s.startedAt !== undefined ? { startedAt: s.startedAt } : {}),
      ...(s.endedAt !== undefined ? { endedAt: s.endedAt } : {}),
    };
    const r = results.get(s.name);
    if (s.status !== 'skipped' && r) return { ...r, ...place };
    const untouched = {
      mode: set.mode,
      release: s.name,
      namespace: plan.namespace,
      chart: plan.chartShown,
      helmVersion,
      rolledBack: false,
      durationMs: 0,
      ...place,
    };
    const why = unchanged.get(s.name);
    if (s.status !== 'skipped' && why !== undefined)
      return { ...untouched, status: 'unchanged', detail: why };
    return {
      ...untouched,
      status: 'skipped',
      blockedBy: s.blockedBy ?? [],
      failure: undoing
        ? `skipped: ${(s.blockedBy ?? []).join(', ')}, which need it, did not roll back`
        : `skipped: it needs ${(s.blockedBy ?? []).join(', ')}, which did not deploy`,
    };
  });
  const waves = [...new Set(releases.map((r) => r.wave))]
    .sort((a, b) => a - b)
    .map((wave) => ({ wave, releases: releases.filter((r) => r.wave === wave).map((r) => r.release) }));
  const fine = (r: SetReleaseResult) =>
    !r.bug && (undoing ? r.rolledBack || r.status === 'unchanged' : r.status === 'deployed');
  const bad = releases.filter((r) => !fine(r));
  const namespaces = [...new Set(releases.map((r) => r.namespace))];
  const out: ReleaseSetResult = {
    mode: set.mode,
    status: bad.length ? 'failed' : 'deployed',
    rolledBack: releases.some((r) => r.rolledBack),
    helmVersion,
    ...(namespaces.length === 1 ? { namespace: namespaces[0]! } : {}),
    maxParallel: set.maxParallel,
    durationMs,
    ...(set.budgetWarning ? { budgetWarning: set.budgetWarning } : {}),
    waves,
    releases,
  };
  if (bad.length)
    out.failure = `${bad.length} of ${releases.length} release(s) did not ${undoing ? 'roll back' : 'deploy'}: ${bad
      .map((r) =>
        r.status === 'skipped'
          ? `${r.release} skipped (${undoing ? 'what needs it' : 'needs'} ${r.blockedBy?.join(', ')} failed)`
          : `${r.release} ${r.status}${r.failure ? ` (${r.failure})` : ''}`,
      )
      .join('; ')}`;
  return out;
}
