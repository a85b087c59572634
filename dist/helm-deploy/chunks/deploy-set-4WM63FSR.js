import { createRequire as __ccCreateRequire } from 'node:module';
import { fileURLToPath as __ccFileURLToPath } from 'node:url';
import { dirname as __ccDirname } from 'node:path';
var require = __ccCreateRequire(import.meta.url);
var __filename = __ccFileURLToPath(import.meta.url);
var __dirname = __ccDirname(__filename);
import {
  runByNeeds
} from "./chunk-2BIVV27V.js";
import {
  deploy,
  rollback
} from "./chunk-R5N2KOYR.js";
import {
  formatDuration
} from "./chunk-3Y6HBLEU.js";
import {
  CheckFailedError,
  ConfigurationError
} from "./chunk-6CCBSM33.js";

// src/actions/helm-deploy/deploy-set.ts
async function deploySet(set, deps) {
  const started = Date.now();
  const byName = new Map(set.releases.map((r) => [r.plan.release, r]));
  const results = /* @__PURE__ */ new Map();
  const unchanged = /* @__PURE__ */ new Map();
  const undoing = set.mode === "rollback";
  const scheduled = await runByNeeds(
    undoing ? reversed(set) : set.releases.map((r) => ({ name: r.plan.release, needs: r.needs })),
    set.maxParallel,
    async (name) => {
      const { plan, needs, rollback: target } = byName.get(name);
      const log = (line) => deps.log(`[${name}] ${line}`);
      if (target && !target.undo) {
        unchanged.set(name, target.why);
        log(`left as it is: ${target.why}`);
        return true;
      }
      const helm = deps.helm.withOutput((line) => deps.log(`  helm[${name}]| ${line}`));
      const kube = deps.kubeFor();
      const t0 = Date.now();
      log(
        undoing ? `rolling back${target?.undo && target.to !== void 0 ? ` to revision ${target.to}` : ""}` : `starting${needs.length ? ` (its needs are deployed: ${needs.join(", ")})` : ""}: ${plan.chartShown} into ${plan.namespace}`
      );
      try {
        const releaseDeps = {
          helm,
          kube,
          log,
          ...deps.helmDriver ? { helmDriver: deps.helmDriver } : {}
        };
        const r = undoing ? await rollback(plan, releaseDeps) : await deploy(plan, releaseDeps);
        results.set(name, r);
        log(
          `${r.status}${r.revision !== void 0 ? ` at revision ${r.revision}` : ""} after ${formatDuration(r.durationMs)}${r.failure ? `: ${r.failure}` : ""}`
        );
        return (undoing ? r.rolledBack : r.status === "deployed") && !r.bug;
      } catch (err) {
        const expected = err instanceof ConfigurationError || err instanceof CheckFailedError;
        const message = err.message;
        results.set(name, {
          mode: set.mode,
          release: name,
          namespace: plan.namespace,
          chart: plan.chartShown,
          helmVersion: helm.version,
          status: "failed",
          rolledBack: false,
          durationMs: Date.now() - t0,
          failure: message,
          ...expected ? {} : { bug: `${err.name}: ${message}` }
        });
        log(`failed: ${message}`);
        return false;
      } finally {
        kube.close();
      }
    }
  );
  return assemble(set, scheduled, results, deps.helm.version, Date.now() - started, unchanged);
}
function reversed(set) {
  return set.releases.map((r) => ({
    name: r.plan.release,
    needs: set.releases.filter((o) => o.needs.includes(r.plan.release)).map((o) => o.plan.release)
  }));
}
function assemble(set, scheduled, results, helmVersion, durationMs, unchanged = /* @__PURE__ */ new Map()) {
  const undoing = set.mode === "rollback";
  const releases = scheduled.map((s) => {
    const { plan, needs } = set.releases.find((r2) => r2.plan.release === s.name);
    const place = {
      needs,
      wave: s.wave,
      ...s.startedAt !== void 0 ? { startedAt: s.startedAt } : {},
      ...s.endedAt !== void 0 ? { endedAt: s.endedAt } : {}
    };
    const r = results.get(s.name);
    if (s.status !== "skipped" && r) return { ...r, ...place };
    const untouched = {
      mode: set.mode,
      release: s.name,
      namespace: plan.namespace,
      chart: plan.chartShown,
      helmVersion,
      rolledBack: false,
      durationMs: 0,
      ...place
    };
    const why = unchanged.get(s.name);
    if (s.status !== "skipped" && why !== void 0)
      return { ...untouched, status: "unchanged", detail: why };
    return {
      ...untouched,
      status: "skipped",
      blockedBy: s.blockedBy ?? [],
      failure: undoing ? `skipped: ${(s.blockedBy ?? []).join(", ")}, which need it, did not roll back` : `skipped: it needs ${(s.blockedBy ?? []).join(", ")}, which did not deploy`
    };
  });
  const waves = [...new Set(releases.map((r) => r.wave))].sort((a, b) => a - b).map((wave) => ({ wave, releases: releases.filter((r) => r.wave === wave).map((r) => r.release) }));
  const fine = (r) => !r.bug && (undoing ? r.rolledBack || r.status === "unchanged" : r.status === "deployed");
  const bad = releases.filter((r) => !fine(r));
  const namespaces = [...new Set(releases.map((r) => r.namespace))];
  const out = {
    mode: set.mode,
    status: bad.length ? "failed" : "deployed",
    rolledBack: releases.some((r) => r.rolledBack),
    helmVersion,
    ...namespaces.length === 1 ? { namespace: namespaces[0] } : {},
    maxParallel: set.maxParallel,
    durationMs,
    ...set.budgetWarning ? { budgetWarning: set.budgetWarning } : {},
    waves,
    releases
  };
  if (bad.length)
    out.failure = `${bad.length} of ${releases.length} release(s) did not ${undoing ? "roll back" : "deploy"}: ${bad.map(
      (r) => r.status === "skipped" ? `${r.release} skipped (${undoing ? "what needs it" : "needs"} ${r.blockedBy?.join(", ")} failed)` : `${r.release} ${r.status}${r.failure ? ` (${r.failure})` : ""}`
    ).join("; ")}`;
  return out;
}
export {
  assemble,
  deploySet
};
