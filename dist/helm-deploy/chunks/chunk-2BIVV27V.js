import { createRequire as __ccCreateRequire } from 'node:module';
import { fileURLToPath as __ccFileURLToPath } from 'node:url';
import { dirname as __ccDirname } from 'node:path';
var require = __ccCreateRequire(import.meta.url);
var __filename = __ccFileURLToPath(import.meta.url);
var __dirname = __ccDirname(__filename);

// src/actions/helm-deploy/waves.ts
function needsProblems(items) {
  const problems = [];
  const names = /* @__PURE__ */ new Set();
  for (const i of items) {
    if (names.has(i.name)) problems.push(`release name ${JSON.stringify(i.name)} is used more than once`);
    names.add(i.name);
  }
  for (const i of items)
    for (const n of i.needs) {
      if (n === i.name) problems.push(`release ${JSON.stringify(i.name)} needs itself`);
      else if (!names.has(n))
        problems.push(
          `release ${JSON.stringify(i.name)} needs ${JSON.stringify(n)}, which is not a release of the set (the set has: ${[...names].join(", ")})`
        );
    }
  if (problems.length) return problems;
  const cycle = findCycle(items);
  if (cycle) problems.push(`the needs form a cycle: ${cycle.join(" \u2192 ")}`);
  return problems;
}
function findCycle(items) {
  const byName = new Map(items.map((i) => [i.name, i]));
  const state = /* @__PURE__ */ new Map();
  const path = [];
  const visit = (name) => {
    if (state.get(name) === "done") return void 0;
    if (state.get(name) === "open") return [...path.slice(path.indexOf(name)), name];
    state.set(name, "open");
    path.push(name);
    for (const n of byName.get(name)?.needs ?? []) {
      const found = byName.has(n) ? visit(n) : void 0;
      if (found) return found;
    }
    path.pop();
    state.set(name, "done");
    return void 0;
  };
  for (const i of items) {
    const found = visit(i.name);
    if (found) return found;
  }
  return void 0;
}
function wavesOf(items) {
  const byName = new Map(items.map((i) => [i.name, i]));
  const waves = /* @__PURE__ */ new Map();
  const level = (name) => {
    const known = waves.get(name);
    if (known !== void 0) return known;
    const needs = byName.get(name)?.needs ?? [];
    const w = 1 + Math.max(0, ...needs.map(level));
    waves.set(name, w);
    return w;
  };
  for (const i of items) level(i.name);
  return waves;
}
async function runByNeeds(items, maxParallel, run, now = Date.now) {
  if (maxParallel < 1) throw new Error(`maxParallel must be at least 1, got ${maxParallel}`);
  const problems = needsProblems(items);
  if (problems.length) throw new Error(problems.join("; "));
  const waves = wavesOf(items);
  const out = /* @__PURE__ */ new Map();
  const running = /* @__PURE__ */ new Map();
  const pending = [...items];
  const settleSkips = () => {
    for (let changed = true; changed; ) {
      changed = false;
      for (const i of [...pending]) {
        const blockedBy = i.needs.filter((n) => {
          const s = out.get(n)?.status;
          return s === "failed" || s === "skipped";
        });
        if (!blockedBy.length) continue;
        pending.splice(pending.indexOf(i), 1);
        out.set(i.name, { name: i.name, status: "skipped", wave: waves.get(i.name), blockedBy });
        changed = true;
      }
    }
  };
  const startReady = () => {
    for (const i of [...pending]) {
      if (running.size >= maxParallel) return;
      if (!i.needs.every((n) => out.get(n)?.status === "succeeded")) continue;
      pending.splice(pending.indexOf(i), 1);
      const startedAt = now();
      const done = Promise.resolve().then(() => run(i.name)).then(
        (ok) => ok,
        () => false
      ).then((ok) => {
        out.set(i.name, {
          name: i.name,
          status: ok ? "succeeded" : "failed",
          wave: waves.get(i.name),
          startedAt,
          endedAt: now()
        });
        running.delete(i.name);
      });
      running.set(i.name, done);
    }
  };
  startReady();
  while (running.size) {
    await Promise.race(running.values());
    settleSkips();
    startReady();
  }
  settleSkips();
  return items.map((i) => out.get(i.name));
}

export {
  needsProblems,
  runByNeeds
};
