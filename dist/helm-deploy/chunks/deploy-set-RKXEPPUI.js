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
  deploy
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
  const scheduled = await runByNeeds(
    set.releases.map((r) => ({ name: r.plan.release, needs: r.needs })),
    set.maxParallel,
    async (name) => {
      const { plan, needs } = byName.get(name);
      const log = (line) => deps.log(`[${name}] ${line}`);
      const helm = deps.helm.withOutput((line) => deps.log(`  helm[${name}]| ${line}`));
      const kube = deps.kubeFor();
      const t0 = Date.now();
      log(
        `starting${needs.length ? ` (its needs are deployed: ${needs.join(", ")})` : ""}: ${plan.chartShown} into ${plan.namespace}`
      );
      try {
        const r = await deploy(plan, {
          helm,
          kube,
          log,
          ...deps.helmDriver ? { helmDriver: deps.helmDriver } : {}
        });
        results.set(name, r);
        log(
          `${r.status}${r.revision !== void 0 ? ` at revision ${r.revision}` : ""} after ${formatDuration(r.durationMs)}${r.failure ? `: ${r.failure}` : ""}`
        );
        return r.status === "deployed" && !r.bug;
      } catch (err) {
        const expected = err instanceof ConfigurationError || err instanceof CheckFailedError;
        const message = err.message;
        results.set(name, {
          mode: "deploy",
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
  return assemble(set, scheduled, results, deps.helm.version, Date.now() - started);
}
function assemble(set, scheduled, results, helmVersion, durationMs) {
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
    return {
      mode: "deploy",
      release: s.name,
      namespace: plan.namespace,
      chart: plan.chartShown,
      helmVersion,
      status: "skipped",
      rolledBack: false,
      durationMs: 0,
      ...place,
      blockedBy: s.blockedBy ?? [],
      failure: `skipped: it needs ${(s.blockedBy ?? []).join(", ")}, which did not deploy`
    };
  });
  const waves = [...new Set(releases.map((r) => r.wave))].sort((a, b) => a - b).map((wave) => ({ wave, releases: releases.filter((r) => r.wave === wave).map((r) => r.release) }));
  const bad = releases.filter((r) => r.status !== "deployed" || r.bug);
  const namespaces = [...new Set(releases.map((r) => r.namespace))];
  const out = {
    mode: "deploy",
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
    out.failure = `${bad.length} of ${releases.length} release(s) did not deploy: ${bad.map(
      (r) => r.status === "skipped" ? `${r.release} skipped (needs ${r.blockedBy?.join(", ")} failed)` : `${r.release} ${r.status}${r.failure ? ` (${r.failure})` : ""}`
    ).join("; ")}`;
  return out;
}
export {
  assemble,
  deploySet
};
