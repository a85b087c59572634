import { createRequire as __ccCreateRequire } from 'node:module';
import { fileURLToPath as __ccFileURLToPath } from 'node:url';
import { dirname as __ccDirname } from 'node:path';
var require = __ccCreateRequire(import.meta.url);
var __filename = __ccFileURLToPath(import.meta.url);
var __dirname = __ccDirname(__filename);
import {
  WORKLOAD_KINDS,
  belongsTo,
  cleanHelmError,
  decodeRecord,
  formatDuration,
  hookPhase,
  isRenderError,
  madeByInstall,
  recordDriver,
  recordName,
  releaseWorkloads,
  require_dist
} from "./chunk-3Y6HBLEU.js";
import {
  CheckFailedError,
  ConfigurationError,
  __toESM
} from "./chunk-6CCBSM33.js";

// src/lib/helm/release.ts
var PENDING = /* @__PURE__ */ new Set(["pending-install", "pending-upgrade", "pending-rollback"]);
function latest(history) {
  return history.reduce(
    (a, b) => !a || b.revision > a.revision ? b : a,
    void 0
  );
}
function lastDeployed(history, before = Number.POSITIVE_INFINITY) {
  return [...history].sort((a, b) => b.revision - a.revision).find((r) => r.revision < before && (r.status === "deployed" || r.status === "superseded"));
}
function planStuckRecovery(history) {
  const top = latest(history);
  if (!top || !PENDING.has(top.status)) return { kind: "none" };
  const good = lastDeployed(history, top.revision);
  if (good) return { kind: "rollback", to: good.revision, stuck: top };
  return { kind: "uninstall", stuck: top };
}
function rollbackTarget(history) {
  const current = [...history].sort((a, b) => b.revision - a.revision).find((r) => r.status === "deployed");
  if (!current) return void 0;
  return lastDeployed(history, current.revision)?.revision;
}

// src/lib/helm/release-records.ts
var POLL_MS = 250;
var ReleaseRecords = class {
  constructor(kube, helm, release, namespace, driver, log = () => {
  }) {
    this.kube = kube;
    this.helm = helm;
    this.release = release;
    this.namespace = namespace;
    this.driver = driver;
    this.log = log;
    this.viaKube = driver !== void 0;
  }
  kube;
  helm;
  release;
  namespace;
  driver;
  log;
  viaKube;
  /** One revision's record, or undefined when it does not exist (yet). */
  async read(revision) {
    if (this.viaKube) {
      try {
        const obj = await this.kube.find(this.objectPath(recordName(this.release, revision)));
        return obj?.data?.release ? decodeRecord(obj.data.release, this.driver) : void 0;
      } catch (err) {
        this.viaKube = false;
        this.log(
          `helm's records of ${this.release} cannot be read from the cluster (${err.message}): reading them with helm status`
        );
      }
    }
    return this.helm.record(this.release, this.namespace, revision);
  }
  /**
   * Resolves with the first record newer than `after` that Helm writes, or undefined once
   * `stopped()` is true and none appeared. Start it before helm: the watch begins where a list of the
   * records ends, so no write is missed.
   */
  async next(after, stopped) {
    if (this.viaKube) {
      const found = await this.watchFor(after, stopped).catch((err) => err);
      if (!(found instanceof Error)) return found;
      this.log(
        `helm's records of ${this.release} cannot be watched (${found.message}): asking for revision ${after + 1} every second`
      );
    }
    for (; ; ) {
      const record = await this.read(after + 1).catch(() => void 0);
      if (record || stopped()) return record ?? await this.read(after + 1).catch(() => void 0);
      await new Promise((r) => setTimeout(r, POLL_MS * 4));
    }
  }
  /** Rejects when the records cannot be listed or watched with these credentials. */
  async watchFor(after, stopped) {
    const collection = this.objectPath();
    const labelSelector = `owner=helm,name=${this.release}`;
    const listed = await this.kube.get(collection, { labelSelector });
    const newest = (items) => items.filter((o) => Number(o.metadata?.labels?.version) > after && o.data?.release).sort((a, b) => Number(b.metadata?.labels?.version) - Number(a.metadata?.labels?.version))[0];
    const already = newest(listed.items ?? []);
    if (already) return decodeRecord(already.data.release, this.driver);
    let resourceVersion = listed.metadata?.resourceVersion;
    while (!stopped()) {
      let found;
      const query = { labelSelector, resourceVersion, timeoutSeconds: 10, allowWatchBookmarks: "true" };
      const watch = await this.kube.watch(collection, query, (e) => {
        if (e.type === "ERROR") resourceVersion = void 0;
        else if (e.object?.metadata?.resourceVersion) resourceVersion = e.object.metadata.resourceVersion;
        if ((e.type === "ADDED" || e.type === "MODIFIED") && !found) {
          found = newest([e.object]);
          if (found) watch.stop();
        }
      });
      if (found) watch.stop();
      const ticker = setInterval(() => stopped() && watch.stop(), POLL_MS);
      const error = await watch.done;
      clearInterval(ticker);
      if (found) return decodeRecord(found.data.release, this.driver);
      if (error && !stopped()) throw error;
    }
    return void 0;
  }
  objectPath(name2) {
    const plural = this.driver === "configmap" ? "configmaps" : "secrets";
    const ns = encodeURIComponent(this.namespace);
    return `/api/v1/namespaces/${ns}/${plural}${name2 ? `/${encodeURIComponent(name2)}` : ""}`;
  }
};

// src/lib/kube/rollout.ts
function rolloutStatus(kind, obj) {
  const gen = obj.metadata?.generation ?? 0;
  const st = obj.status ?? {};
  if (kind !== "Job" && (st.observedGeneration ?? 0) < gen)
    return progressing("waiting for the controller to observe the new spec");
  switch (kind) {
    case "Deployment": {
      const stalled = st.conditions?.find(
        (c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded"
      );
      if (stalled)
        return { state: "failed", message: `progress deadline exceeded: ${stalled.message ?? ""}`.trim() };
      const want = obj.spec?.replicas ?? 1;
      const updated = st.updatedReplicas ?? 0;
      if (updated < want) return progressing(`${updated} of ${want} replicas updated`);
      if ((st.replicas ?? 0) > updated)
        return progressing(`${(st.replicas ?? 0) - updated} old replica(s) pending termination`);
      if ((st.availableReplicas ?? 0) < updated)
        return progressing(`${st.availableReplicas ?? 0} of ${updated} updated replicas available`);
      return { state: "ready", message: `${want} replica(s) available` };
    }
    case "StatefulSet": {
      const want = obj.spec?.replicas ?? 1;
      if ((st.readyReplicas ?? 0) < want)
        return progressing(`${st.readyReplicas ?? 0} of ${want} pods ready`);
      if (obj.spec?.updateStrategy?.type === "OnDelete")
        return {
          state: "ready",
          message: `${want} pod(s) ready (OnDelete strategy: pods update when deleted)`
        };
      const partition = obj.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
      if (partition > 0) {
        const target = want - partition;
        if ((st.updatedReplicas ?? 0) < target)
          return progressing(`${st.updatedReplicas ?? 0} of ${target} pods updated (partition ${partition})`);
        return { state: "ready", message: `${target} pod(s) updated above partition ${partition}` };
      }
      if (st.updateRevision && st.currentRevision !== st.updateRevision)
        return progressing(
          `rolling update to ${st.updateRevision}: ${st.updatedReplicas ?? 0} of ${want} pods updated`
        );
      return { state: "ready", message: `${want} pod(s) ready` };
    }
    case "DaemonSet": {
      const desired = st.desiredNumberScheduled ?? 0;
      if ((st.updatedNumberScheduled ?? 0) < desired)
        return progressing(`${st.updatedNumberScheduled ?? 0} of ${desired} pods updated`);
      if ((st.numberAvailable ?? 0) < desired)
        return progressing(`${st.numberAvailable ?? 0} of ${desired} updated pods available`);
      return { state: "ready", message: `${desired} pod(s) available` };
    }
    case "Job": {
      const failed = st.conditions?.find((c) => c.type === "Failed" && c.status === "True");
      if (failed)
        return {
          state: "failed",
          message: `job failed: ${failed.reason ?? ""} ${failed.message ?? ""}`.trim()
        };
      const want = obj.spec?.completions ?? 1;
      if ((st.succeeded ?? 0) >= want)
        return { state: "ready", message: `${st.succeeded} of ${want} completions succeeded` };
      return progressing(
        `${st.succeeded ?? 0} of ${want} completions succeeded${st.failed ? `, ${st.failed} failed attempt(s)` : ""}`
      );
    }
  }
}
function progressing(message) {
  return { state: "progressing", message };
}
function workloadPath(kind, namespace, name2) {
  const plural = {
    Deployment: "deployments",
    StatefulSet: "statefulsets",
    DaemonSet: "daemonsets",
    Job: "jobs"
  }[kind];
  const group = kind === "Job" ? "/apis/batch/v1" : "/apis/apps/v1";
  return `${group}/namespaces/${encodeURIComponent(namespace)}/${plural}${name2 ? `/${encodeURIComponent(name2)}` : ""}`;
}

// src/lib/kube/diagnostics.ts
var LOG_TAIL_LINES = 40;
var MAX_EVENTS = 20;
async function diagnose(client, targets) {
  return Promise.all(targets.map((t) => diagnoseOne(client, t)));
}
async function diagnoseOne(client, target) {
  const { ref, evidence } = target;
  const ns = encodeURIComponent(ref.namespace);
  const found = await client.find(workloadPath(ref.kind, ref.namespace, ref.name)).catch(() => void 0);
  const earlier = target.earlierUid !== void 0 && found?.metadata?.uid === target.earlierUid ? found : void 0;
  const live = earlier ? void 0 : found;
  const seen = evidence?.object;
  const obj = seen ?? live;
  const uid = obj?.metadata?.uid;
  const gone = seen !== void 0 && live?.metadata?.uid !== seen.metadata?.uid;
  const out = {
    kind: ref.kind,
    name: ref.name,
    namespace: ref.namespace,
    ...ref.hook ? { hook: ref.hook.events } : {},
    status: "",
    pods: [],
    events: [],
    logs: []
  };
  const selector = obj?.spec?.selector?.matchLabels;
  let pods = [];
  if (selector && Object.keys(selector).length) {
    const labelSelector = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(",");
    pods = (await client.get(`/api/v1/namespaces/${ns}/pods`, { labelSelector }).catch(() => ({ items: [] }))).items;
  }
  for (const p of evidence?.pods ?? [])
    if (!pods.some((q) => q.metadata.name === p.metadata.name)) pods.push(p);
  out.pods = pods.map(diagnosePod).sort((a, b) => Number(a.ready) - Number(b.ready) || a.name.localeCompare(b.name));
  const events = (await client.get(`/api/v1/namespaces/${ns}/events`, { limit: 1e3 }).catch(() => ({ items: [] }))).items;
  const chosen = selectEvents(events, ref, obj ? { uid, pods } : void 0);
  out.events = chosen.events;
  if (earlier && !obj) {
    out.status = `not created by this deploy: an earlier run of the hook is still there (${rolloutStatus(ref.kind, earlier).message})`;
  } else if (!obj) {
    out.status = chosen.earlier ? `not found; an earlier ${ref.kind} with this name existed (its last event: ${chosen.earlier})` : "not found";
  } else {
    const state = rolloutStatus(ref.kind, obj).message;
    out.status = gone ? `${state} (as seen when it failed; helm has deleted it since)` : state;
  }
  for (const pod of pods.filter((p) => !isReady(p)).slice(0, 3)) {
    for (const cs of pod.status?.containerStatuses ?? []) {
      if (cs.ready) continue;
      const previous = cs.restartCount > 0 && !cs.state?.terminated;
      try {
        const text = await client.text(
          `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(pod.metadata.name)}/log`,
          { container: cs.name, tailLines: LOG_TAIL_LINES, previous: previous ? "true" : void 0 }
        );
        out.logs.push({ pod: pod.metadata.name, container: cs.name, previous, text });
      } catch (err) {
        out.logs.push({
          pod: pod.metadata.name,
          container: cs.name,
          previous,
          unavailable: err.message
        });
      }
    }
  }
  return out;
}
function selectEvents(events, ref, found) {
  if (!found) {
    const earlier = events.filter((e) => e.involvedObject?.name === ref.name).map(toEvent).sort(newestFirst)[0];
    return { events: [], ...earlier ? { earlier: `${earlier.reason}: ${earlier.message}` } : {} };
  }
  const { uid, pods } = found;
  const uids = new Set(
    [
      uid,
      ...pods.map((p) => p.metadata.uid),
      ...pods.flatMap((p) => p.metadata.ownerReferences?.map((o) => o.uid) ?? [])
    ].filter((u) => !!u)
  );
  const names = /* @__PURE__ */ new Set([
    ref.name,
    ...pods.map((p) => p.metadata.name),
    ...pods.flatMap((p) => p.metadata.ownerReferences?.map((o) => o.name) ?? [])
  ]);
  return {
    events: events.filter((e) => e.involvedObject?.name && names.has(e.involvedObject.name)).filter((e) => !uid || !e.involvedObject?.uid || uids.has(e.involvedObject.uid)).map(toEvent).sort(newestFirst).slice(0, MAX_EVENTS)
  };
}
function toEvent(e) {
  return {
    type: e.type ?? "",
    reason: e.reason ?? "",
    object: `${e.involvedObject?.kind ?? ""}/${e.involvedObject?.name ?? ""}`,
    message: e.message ?? "",
    count: e.count ?? 1,
    lastSeen: e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? ""
  };
}
function newestFirst(a, b) {
  return b.lastSeen.localeCompare(a.lastSeen) || Number(b.type === "Warning") - Number(a.type === "Warning");
}
function isReady(p) {
  return p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}
function diagnosePod(p) {
  const reasons = [];
  const statuses = [...p.status?.initContainerStatuses ?? [], ...p.status?.containerStatuses ?? []];
  for (const cs of statuses) {
    const w = cs.state?.waiting;
    const t = cs.state?.terminated;
    if (w?.reason) reasons.push(`${cs.name}: ${w.reason}${w.message ? `: ${w.message}` : ""}`);
    else if (t?.reason && t.reason !== "Completed")
      reasons.push(
        `${cs.name}: terminated ${t.reason} (exit ${t.exitCode ?? "?"})${t.message ? `: ${t.message}` : ""}`
      );
    const last = cs.lastState?.terminated;
    if (cs.restartCount > 0 && last)
      reasons.push(
        `${cs.name}: restarted ${cs.restartCount}\xD7, last exit ${last.reason ?? ""} (code ${last.exitCode ?? "?"})`
      );
  }
  for (const c of p.status?.conditions ?? []) {
    if (c.status !== "True" && (c.reason || c.message) && (c.type === "PodScheduled" || c.type === "Ready" || c.type === "ContainersReady")) {
      reasons.push(`${c.type}=False${c.reason ? ` (${c.reason})` : ""}${c.message ? `: ${c.message}` : ""}`);
    }
  }
  return {
    name: p.metadata.name,
    phase: p.status?.phase ?? "Unknown",
    ready: isReady(p),
    ...p.spec?.nodeName ? { node: p.spec.nodeName } : {},
    restarts: statuses.reduce((n, cs) => n + cs.restartCount, 0),
    reasons: [...new Set(reasons)]
  };
}

// node_modules/diff/libesm/diff/base.js
var Diff = class {
  diff(oldStr, newStr, options = {}) {
    let callback;
    if (typeof options === "function") {
      callback = options;
      options = {};
    } else if ("callback" in options) {
      callback = options.callback;
    }
    const oldString = this.castInput(oldStr, options);
    const newString = this.castInput(newStr, options);
    const oldTokens = this.removeEmpty(this.tokenize(oldString, options));
    const newTokens = this.removeEmpty(this.tokenize(newString, options));
    return this.diffWithOptionsObj(oldTokens, newTokens, options, callback);
  }
  diffWithOptionsObj(oldTokens, newTokens, options, callback) {
    var _a;
    const done = (value) => {
      value = this.postProcess(value, options);
      if (callback) {
        setTimeout(function() {
          callback(value);
        }, 0);
        return void 0;
      } else {
        return value;
      }
    };
    const newLen = newTokens.length, oldLen = oldTokens.length;
    let editLength = 1;
    let maxEditLength = newLen + oldLen;
    if (options.maxEditLength != null) {
      maxEditLength = Math.min(maxEditLength, options.maxEditLength);
    }
    const maxExecutionTime = (_a = options.timeout) !== null && _a !== void 0 ? _a : Infinity;
    const abortAfterTimestamp = Date.now() + maxExecutionTime;
    const bestPath = [{ oldPos: -1, lastComponent: void 0 }];
    let newPos = this.extractCommon(bestPath[0], newTokens, oldTokens, 0, options);
    if (bestPath[0].oldPos + 1 >= oldLen && newPos + 1 >= newLen) {
      return done(this.buildValues(bestPath[0].lastComponent, newTokens, oldTokens));
    }
    let minDiagonalToConsider = -Infinity, maxDiagonalToConsider = Infinity;
    const execEditLength = () => {
      for (let diagonalPath = Math.max(minDiagonalToConsider, -editLength); diagonalPath <= Math.min(maxDiagonalToConsider, editLength); diagonalPath += 2) {
        let basePath;
        const removePath = bestPath[diagonalPath - 1], addPath = bestPath[diagonalPath + 1];
        if (removePath) {
          bestPath[diagonalPath - 1] = void 0;
        }
        let canAdd = false;
        if (addPath) {
          const addPathNewPos = addPath.oldPos - diagonalPath;
          canAdd = addPath && 0 <= addPathNewPos && addPathNewPos < newLen;
        }
        const canRemove = removePath && removePath.oldPos + 1 < oldLen;
        if (!canAdd && !canRemove) {
          bestPath[diagonalPath] = void 0;
          continue;
        }
        if (!canRemove || canAdd && removePath.oldPos < addPath.oldPos) {
          basePath = this.addToPath(addPath, true, false, 0, options);
        } else {
          basePath = this.addToPath(removePath, false, true, 1, options);
        }
        newPos = this.extractCommon(basePath, newTokens, oldTokens, diagonalPath, options);
        if (basePath.oldPos + 1 >= oldLen && newPos + 1 >= newLen) {
          return done(this.buildValues(basePath.lastComponent, newTokens, oldTokens)) || true;
        } else {
          bestPath[diagonalPath] = basePath;
          if (basePath.oldPos + 1 >= oldLen) {
            maxDiagonalToConsider = Math.min(maxDiagonalToConsider, diagonalPath - 1);
          }
          if (newPos + 1 >= newLen) {
            minDiagonalToConsider = Math.max(minDiagonalToConsider, diagonalPath + 1);
          }
        }
      }
      editLength++;
    };
    if (callback) {
      (function exec() {
        setTimeout(function() {
          if (editLength > maxEditLength || Date.now() > abortAfterTimestamp) {
            return callback(void 0);
          }
          if (!execEditLength()) {
            exec();
          }
        }, 0);
      })();
    } else {
      while (editLength <= maxEditLength && Date.now() <= abortAfterTimestamp) {
        const ret = execEditLength();
        if (ret) {
          return ret;
        }
      }
    }
  }
  addToPath(path, added, removed, oldPosInc, options) {
    const last = path.lastComponent;
    if (last && !options.oneChangePerToken && last.added === added && last.removed === removed) {
      return {
        oldPos: path.oldPos + oldPosInc,
        lastComponent: { count: last.count + 1, added, removed, previousComponent: last.previousComponent }
      };
    } else {
      return {
        oldPos: path.oldPos + oldPosInc,
        lastComponent: { count: 1, added, removed, previousComponent: last }
      };
    }
  }
  extractCommon(basePath, newTokens, oldTokens, diagonalPath, options) {
    const newLen = newTokens.length, oldLen = oldTokens.length;
    let oldPos = basePath.oldPos, newPos = oldPos - diagonalPath, commonCount = 0;
    while (newPos + 1 < newLen && oldPos + 1 < oldLen && this.equals(oldTokens[oldPos + 1], newTokens[newPos + 1], options)) {
      newPos++;
      oldPos++;
      commonCount++;
      if (options.oneChangePerToken) {
        basePath.lastComponent = { count: 1, previousComponent: basePath.lastComponent, added: false, removed: false };
      }
    }
    if (commonCount && !options.oneChangePerToken) {
      basePath.lastComponent = { count: commonCount, previousComponent: basePath.lastComponent, added: false, removed: false };
    }
    basePath.oldPos = oldPos;
    return newPos;
  }
  equals(left, right, options) {
    if (options.comparator) {
      return options.comparator(left, right);
    } else {
      return left === right || !!options.ignoreCase && left.toLowerCase() === right.toLowerCase();
    }
  }
  removeEmpty(array) {
    const ret = [];
    for (let i = 0; i < array.length; i++) {
      if (array[i]) {
        ret.push(array[i]);
      }
    }
    return ret;
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  castInput(value, options) {
    return value;
  }
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  tokenize(value, options) {
    return Array.from(value);
  }
  join(chars) {
    return chars.join("");
  }
  postProcess(changeObjects, options) {
    return changeObjects;
  }
  get useLongestToken() {
    return false;
  }
  buildValues(lastComponent, newTokens, oldTokens) {
    const components = [];
    let nextComponent;
    while (lastComponent) {
      components.push(lastComponent);
      nextComponent = lastComponent.previousComponent;
      delete lastComponent.previousComponent;
      lastComponent = nextComponent;
    }
    components.reverse();
    const componentLen = components.length;
    let componentPos = 0, newPos = 0, oldPos = 0;
    for (; componentPos < componentLen; componentPos++) {
      const component = components[componentPos];
      if (!component.removed) {
        if (!component.added && this.useLongestToken) {
          let value = newTokens.slice(newPos, newPos + component.count);
          value = value.map(function(value2, i) {
            const oldValue = oldTokens[oldPos + i];
            return oldValue.length > value2.length ? oldValue : value2;
          });
          component.value = this.join(value);
        } else {
          component.value = this.join(newTokens.slice(newPos, newPos + component.count));
        }
        newPos += component.count;
        if (!component.added) {
          oldPos += component.count;
        }
      } else {
        component.value = this.join(oldTokens.slice(oldPos, oldPos + component.count));
        oldPos += component.count;
      }
    }
    return components;
  }
};

// node_modules/diff/libesm/diff/line.js
var LineDiff = class extends Diff {
  constructor() {
    super(...arguments);
    this.tokenize = tokenize;
  }
  equals(left, right, options) {
    if (options.ignoreWhitespace) {
      if (!options.newlineIsToken || !left.includes("\n")) {
        left = left.trim();
      }
      if (!options.newlineIsToken || !right.includes("\n")) {
        right = right.trim();
      }
    } else if (options.ignoreNewlineAtEof && !options.newlineIsToken) {
      if (left.endsWith("\n")) {
        left = left.slice(0, -1);
      }
      if (right.endsWith("\n")) {
        right = right.slice(0, -1);
      }
    }
    return super.equals(left, right, options);
  }
};
var lineDiff = new LineDiff();
function diffLines(oldStr, newStr, options) {
  return lineDiff.diff(oldStr, newStr, options);
}
function tokenize(value, options) {
  if (options.stripTrailingCr) {
    value = value.replace(/\r\n/g, "\n");
  }
  const retLines = [], linesAndNewlines = value.split(/(\n|\r\n)/);
  if (!linesAndNewlines[linesAndNewlines.length - 1]) {
    linesAndNewlines.pop();
  }
  for (let i = 0; i < linesAndNewlines.length; i++) {
    const line = linesAndNewlines[i];
    if (i % 2 && !options.newlineIsToken) {
      retLines[retLines.length - 1] += line;
    } else {
      retLines.push(line);
    }
  }
  return retLines;
}

// node_modules/diff/libesm/patch/create.js
function needsQuoting(s) {
  for (let i = 0; i < s.length; i++) {
    if (s[i] < " " || s[i] > "~" || s[i] === '"' || s[i] === "\\") {
      return true;
    }
  }
  return false;
}
function quoteFileNameIfNeeded(s) {
  if (!needsQuoting(s)) {
    return s;
  }
  let result = '"';
  const bytes = new TextEncoder().encode(s);
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === 7) {
      result += "\\a";
    } else if (b === 8) {
      result += "\\b";
    } else if (b === 9) {
      result += "\\t";
    } else if (b === 10) {
      result += "\\n";
    } else if (b === 11) {
      result += "\\v";
    } else if (b === 12) {
      result += "\\f";
    } else if (b === 13) {
      result += "\\r";
    } else if (b === 34) {
      result += '\\"';
    } else if (b === 92) {
      result += "\\\\";
    } else if (b >= 32 && b <= 126) {
      result += String.fromCharCode(b);
    } else {
      result += "\\" + b.toString(8).padStart(3, "0");
    }
    i++;
  }
  result += '"';
  return result;
}
var INCLUDE_HEADERS = {
  includeIndex: true,
  includeUnderline: true,
  includeFileHeaders: true
};
function structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options) {
  let optionsObj;
  if (!options) {
    optionsObj = {};
  } else if (typeof options === "function") {
    optionsObj = { callback: options };
  } else {
    optionsObj = options;
  }
  if (typeof optionsObj.context === "undefined") {
    optionsObj.context = 4;
  }
  const context = optionsObj.context;
  if (optionsObj.newlineIsToken) {
    throw new Error("newlineIsToken may not be used with patch-generation functions, only with diffing functions");
  }
  if (!optionsObj.callback) {
    return diffLinesResultToPatch(diffLines(oldStr, newStr, optionsObj));
  } else {
    const { callback } = optionsObj;
    diffLines(oldStr, newStr, Object.assign(Object.assign({}, optionsObj), { callback: (diff) => {
      const patch = diffLinesResultToPatch(diff);
      callback(patch);
    } }));
  }
  function diffLinesResultToPatch(diff) {
    if (!diff) {
      return;
    }
    diff.push({ value: "", lines: [] });
    function contextLines(lines) {
      return lines.map(function(entry) {
        return " " + entry;
      });
    }
    const hunks = [];
    let oldRangeStart = 0, newRangeStart = 0, curRange = [], oldLine = 1, newLine = 1;
    for (let i = 0; i < diff.length; i++) {
      const current = diff[i], lines = current.lines || splitLines(current.value);
      current.lines = lines;
      if (current.added || current.removed) {
        if (!oldRangeStart) {
          const prev = diff[i - 1];
          oldRangeStart = oldLine;
          newRangeStart = newLine;
          if (prev) {
            curRange = context > 0 ? contextLines(prev.lines.slice(-context)) : [];
            oldRangeStart -= curRange.length;
            newRangeStart -= curRange.length;
          }
        }
        for (const line of lines) {
          curRange.push((current.added ? "+" : "-") + line);
        }
        if (current.added) {
          newLine += lines.length;
        } else {
          oldLine += lines.length;
        }
      } else {
        if (oldRangeStart) {
          if (lines.length <= context * 2 && i < diff.length - 2) {
            for (const line of contextLines(lines)) {
              curRange.push(line);
            }
          } else {
            const contextSize = Math.min(lines.length, context);
            for (const line of contextLines(lines.slice(0, contextSize))) {
              curRange.push(line);
            }
            const hunk = {
              oldStart: oldRangeStart,
              oldLines: oldLine - oldRangeStart + contextSize,
              newStart: newRangeStart,
              newLines: newLine - newRangeStart + contextSize,
              lines: curRange
            };
            hunks.push(hunk);
            oldRangeStart = 0;
            newRangeStart = 0;
            curRange = [];
          }
        }
        oldLine += lines.length;
        newLine += lines.length;
      }
    }
    for (const hunk of hunks) {
      for (let i = 0; i < hunk.lines.length; i++) {
        if (hunk.lines[i].endsWith("\n")) {
          hunk.lines[i] = hunk.lines[i].slice(0, -1);
        } else {
          hunk.lines.splice(i + 1, 0, "\\ No newline at end of file");
          i++;
        }
      }
    }
    return {
      oldFileName,
      newFileName,
      oldHeader,
      newHeader,
      hunks
    };
  }
}
function formatPatch(patch, headerOptions) {
  var _a, _b, _c, _d, _e, _f;
  if (!headerOptions) {
    headerOptions = INCLUDE_HEADERS;
  }
  if (Array.isArray(patch)) {
    if (patch.length > 1 && !headerOptions.includeFileHeaders && !patch.every((p) => p.isGit)) {
      throw new Error("Cannot omit file headers on a multi-file patch. (The result would be unparseable; how would a tool trying to apply the patch know which changes are to which file?)");
    }
    return patch.map((p) => formatPatch(p, headerOptions)).join("\n");
  }
  const ret = [];
  if (patch.isGit) {
    headerOptions = INCLUDE_HEADERS;
    if (!patch.oldFileName) {
      throw new Error("oldFileName must be specified for Git patches");
    }
    if (!patch.newFileName) {
      throw new Error("newFileName must be specified for Git patches");
    }
    let gitOldName = patch.oldFileName;
    let gitNewName = patch.newFileName;
    if (patch.isCreate && gitOldName === "/dev/null") {
      gitOldName = gitNewName.replace(/^b\//, "a/");
    } else if (patch.isDelete && gitNewName === "/dev/null") {
      gitNewName = gitOldName.replace(/^a\//, "b/");
    }
    ret.push("diff --git " + quoteFileNameIfNeeded(gitOldName) + " " + quoteFileNameIfNeeded(gitNewName));
    if (patch.isDelete) {
      ret.push("deleted file mode " + ((_a = patch.oldMode) !== null && _a !== void 0 ? _a : "100644"));
    }
    if (patch.isCreate) {
      ret.push("new file mode " + ((_b = patch.newMode) !== null && _b !== void 0 ? _b : "100644"));
    }
    if (patch.oldMode && patch.newMode && !patch.isDelete && !patch.isCreate) {
      ret.push("old mode " + patch.oldMode);
      ret.push("new mode " + patch.newMode);
    }
    if (patch.isRename) {
      ret.push("rename from " + quoteFileNameIfNeeded(((_c = patch.oldFileName) !== null && _c !== void 0 ? _c : "").replace(/^a\//, "")));
      ret.push("rename to " + quoteFileNameIfNeeded(((_d = patch.newFileName) !== null && _d !== void 0 ? _d : "").replace(/^b\//, "")));
    }
    if (patch.isCopy) {
      ret.push("copy from " + quoteFileNameIfNeeded(((_e = patch.oldFileName) !== null && _e !== void 0 ? _e : "").replace(/^a\//, "")));
      ret.push("copy to " + quoteFileNameIfNeeded(((_f = patch.newFileName) !== null && _f !== void 0 ? _f : "").replace(/^b\//, "")));
    }
  } else {
    if (headerOptions.includeIndex && patch.oldFileName == patch.newFileName && patch.oldFileName !== void 0) {
      ret.push("Index: " + patch.oldFileName);
    }
    if (headerOptions.includeUnderline) {
      ret.push("===================================================================");
    }
  }
  const hasHunks = patch.hunks.length > 0;
  if (headerOptions.includeFileHeaders && patch.oldFileName !== void 0 && patch.newFileName !== void 0 && (!patch.isGit || hasHunks)) {
    ret.push("--- " + quoteFileNameIfNeeded(patch.oldFileName) + (patch.oldHeader ? "	" + patch.oldHeader : ""));
    ret.push("+++ " + quoteFileNameIfNeeded(patch.newFileName) + (patch.newHeader ? "	" + patch.newHeader : ""));
  }
  for (let i = 0; i < patch.hunks.length; i++) {
    const hunk = patch.hunks[i];
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
    const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
    ret.push("@@ -" + oldStart + "," + hunk.oldLines + " +" + newStart + "," + hunk.newLines + " @@");
    for (const line of hunk.lines) {
      ret.push(line);
    }
  }
  return ret.join("\n") + "\n";
}
function createTwoFilesPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options) {
  if (typeof options === "function") {
    options = { callback: options };
  }
  if (!(options === null || options === void 0 ? void 0 : options.callback)) {
    const patchObj = structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, options);
    if (!patchObj) {
      return;
    }
    return formatPatch(patchObj, options === null || options === void 0 ? void 0 : options.headerOptions);
  } else {
    const { callback } = options;
    structuredPatch(oldFileName, newFileName, oldStr, newStr, oldHeader, newHeader, Object.assign(Object.assign({}, options), { callback: (patchObj) => {
      if (!patchObj) {
        callback(void 0);
      } else {
        callback(formatPatch(patchObj, options.headerOptions));
      }
    } }));
  }
}
function splitLines(text) {
  const hasTrailingNl = text.endsWith("\n");
  const result = text.split("\n").map((line) => line + "\n");
  if (hasTrailingNl) {
    result.pop();
  } else {
    result.push(result.pop().slice(0, -1));
  }
  return result;
}

// src/lib/kube/manifest-diff.ts
var import_yaml = __toESM(require_dist(), 1);
function diffManifests(deployed, proposed, defaultNamespace) {
  return diffIndexes(
    indexObjects(deployed, defaultNamespace),
    indexObjects(proposed, defaultNamespace, deployed)
  );
}
function diffRelease(deployed, proposed, runHooksOn, defaultNamespace) {
  const objects = pairRenames(
    diffManifests(deployed?.manifest ?? "", proposed.manifest, defaultNamespace),
    deployed?.manifest ?? "",
    proposed.manifest,
    defaultNamespace
  );
  const before = hookIndex(deployed?.hooks ?? [], defaultNamespace);
  const after = hookIndex(proposed.hooks, defaultNamespace);
  const hooks = diffIndexes(
    new Map([...before].map(([k, v]) => [k, v.text])),
    new Map([...after].map(([k, v]) => [k, v.text]))
  ).map((c) => ({ ...c, hook: (after.get(c.object) ?? before.get(c.object)).events }));
  for (const [key, h] of after) {
    if (before.get(key)?.text === h.text && h.events.some((e) => runHooksOn.includes(e))) {
      hooks.push({ object: key, change: "runs", hook: h.events, patch: "" });
    }
  }
  return [...objects, ...hooks.sort((a, b) => a.object.localeCompare(b.object))];
}
function diffIndexes(before, after) {
  const keys = [.../* @__PURE__ */ new Set([...before.keys(), ...after.keys()])].sort();
  const out = [];
  for (const key of keys) {
    const a = before.get(key);
    const b = after.get(key);
    if (a === b) continue;
    const change = a === void 0 ? "added" : b === void 0 ? "removed" : "changed";
    out.push({ object: key, change, patch: patchOf(key, key, a ?? "", b ?? "") });
  }
  return out;
}
function patchOf(fromKey, toKey, a, b) {
  const patch = createTwoFilesPatch(`deployed/${fromKey}`, `proposed/${toKey}`, a, b, void 0, void 0, {
    context: 3
  });
  return patch.split("\n").slice(2).join("\n");
}
function pairRenames(changes, deployed, proposed, defaultNamespace) {
  const shape = (key) => key.replace(/\d+/g, "#");
  const removed = changes.filter((c) => c.change === "removed");
  const added = changes.filter((c) => c.change === "added");
  const pairs = /* @__PURE__ */ new Map();
  for (const a of added) {
    const candidates = removed.filter((r) => shape(r.object) === shape(a.object));
    const rivals = added.filter((x) => shape(x.object) === shape(a.object));
    if (candidates.length === 1 && rivals.length === 1) pairs.set(a, candidates[0]);
  }
  if (!pairs.size) return changes;
  const before = indexObjects(deployed, defaultNamespace);
  const after = indexObjects(proposed, defaultNamespace, deployed);
  const paired = new Set(pairs.values());
  return changes.filter((c) => !paired.has(c)).map((c) => {
    const old = pairs.get(c);
    if (!old) return c;
    return {
      object: c.object,
      change: "renamed",
      from: old.object,
      patch: patchOf(old.object, c.object, before.get(old.object) ?? "", after.get(c.object) ?? "")
    };
  });
}
function hookIndex(hooks, defaultNamespace) {
  const out = /* @__PURE__ */ new Map();
  for (const h of hooks)
    for (const [key, text] of indexObjects(h.manifest, defaultNamespace))
      out.set(key, { text, events: h.events });
  return out;
}
function indexObjects(manifest, defaultNamespace, other) {
  const others = other === void 0 ? void 0 : parsedObjects(other, defaultNamespace);
  const out = /* @__PURE__ */ new Map();
  for (const [key, obj] of parsedObjects(manifest, defaultNamespace)) {
    if (obj.kind === "Secret") redactSecret(obj, others?.get(key));
    out.set(key, (0, import_yaml.stringify)(obj, { sortMapEntries: true, lineWidth: 0 }));
  }
  return out;
}
function parsedObjects(manifest, defaultNamespace) {
  const out = /* @__PURE__ */ new Map();
  for (const doc of (0, import_yaml.parseAllDocuments)(manifest)) {
    const obj = doc.toJS();
    if (!obj || typeof obj !== "object") continue;
    const meta = obj.metadata ?? {};
    if (!obj.kind || !meta.name) continue;
    out.set(`${String(obj.kind)}/${meta.namespace ?? defaultNamespace}/${meta.name}`, obj);
  }
  return out;
}
function redactSecret(obj, other) {
  for (const field of ["data", "stringData"]) {
    const values = obj[field];
    const theirs = other?.[field];
    if (!values || typeof values !== "object") continue;
    for (const k of Object.keys(values)) {
      const differs = theirs !== void 0 && theirs[k] !== void 0 && theirs[k] !== values[k];
      values[k] = differs ? "*** (secret value not shown; changed)" : "*** (secret value not shown)";
    }
  }
}

// src/lib/kube/pod-rollout.ts
import { isDeepStrictEqual } from "node:util";
var HASH_LABEL = "pod-template-hash";
function deploymentStatusFromPods(deploy2, index) {
  const uid = deploy2.metadata?.uid;
  const spec = deploy2.spec;
  if (!uid || !spec?.template) return void 0;
  if ((spec.minReadySeconds ?? 0) > 0 || spec.paused) return void 0;
  const owned = [...index.replicaSets()].filter((rs) => controlledBy(rs.metadata?.ownerReferences, uid));
  const current = owned.find((rs) => sameTemplate(rs.spec?.template, spec.template));
  const currentUid = current?.metadata?.uid;
  if (!current || !currentUid) return void 0;
  const want = spec.replicas ?? 1;
  let ready = 0;
  for (const pod of index.podsOwnedBy(currentUid)) {
    if (pod.metadata?.deletionTimestamp === void 0 && controlledBy(pod.metadata?.ownerReferences, currentUid) && isReady2(pod))
      ready++;
  }
  if (ready < want) return void 0;
  for (const rs of owned) {
    const rsUid = rs.metadata?.uid;
    if (!rsUid || rsUid === currentUid) continue;
    for (const pod of index.podsOwnedBy(rsUid)) {
      if (pod.metadata?.deletionTimestamp === void 0) return void 0;
    }
  }
  return {
    state: "ready",
    message: `${want} replica(s) ready (read from the pods; the Deployment status follows)`
  };
}
function controlledBy(refs, uid) {
  return refs?.some((r) => r.uid === uid && r.controller === true) ?? false;
}
function isReady2(pod) {
  return pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}
function sameTemplate(a, b) {
  if (!a || !b) return false;
  return isDeepStrictEqual(withoutHash(a), withoutHash(b));
}
function withoutHash(t) {
  const labels = t.metadata?.labels;
  if (!labels || !(HASH_LABEL in labels)) return t;
  const { [HASH_LABEL]: _hash, ...rest } = labels;
  return { ...t, metadata: { ...t.metadata, labels: rest } };
}

// src/lib/kube/pod-view.ts
var PodView = class {
  constructor(client, namespace) {
    this.client = client;
    this.namespace = namespace;
  }
  client;
  namespace;
  sets = /* @__PURE__ */ new Map();
  pods = /* @__PURE__ */ new Map();
  /** Pod names by the uid of their controller. */
  byOwner = /* @__PURE__ */ new Map();
  listeners = /* @__PURE__ */ new Set();
  stopped = false;
  stops = /* @__PURE__ */ new Set();
  sleepers = /* @__PURE__ */ new Set();
  loops = [];
  start() {
    const ns = encodeURIComponent(this.namespace);
    this.loops = [
      this.follow(`/apis/apps/v1/namespaces/${ns}/replicasets`, this.sets, void 0),
      this.follow(`/api/v1/namespaces/${ns}/pods`, this.pods, this.byOwner)
    ];
  }
  async stop() {
    this.stopped = true;
    for (const stop of this.stops) stop();
    for (const wake of this.sleepers) wake();
    await Promise.all(this.loops);
  }
  /** A pause that stop() cuts short, so stopping never waits for it. */
  pause(ms) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
  onChange(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  replicaSets() {
    return this.sets.values();
  }
  *podsOwnedBy(uid) {
    for (const name2 of this.byOwner.get(uid) ?? []) {
      const pod = this.pods.get(name2);
      if (pod) yield pod;
    }
  }
  /** List, then watch from the list's version; on any end of the watch, list again. */
  async follow(path, into, byOwner) {
    while (!this.stopped) {
      let listed;
      try {
        listed = await this.client.get(path);
      } catch {
        return;
      }
      if (this.stopped) return;
      into.clear();
      byOwner?.clear();
      for (const item of listed.items ?? []) this.put(into, byOwner, item);
      this.changed();
      const watch = await this.client.watch(
        path,
        {
          resourceVersion: listed.metadata?.resourceVersion,
          timeoutSeconds: 60,
          allowWatchBookmarks: "true"
        },
        (e) => {
          if (e.type === "ADDED" || e.type === "MODIFIED") this.put(into, byOwner, e.object);
          else if (e.type === "DELETED") this.remove(into, byOwner, e.object);
          else return;
          this.changed();
        }
      ).catch(() => void 0);
      if (!watch) return;
      const since = Date.now();
      this.stops.add(watch.stop);
      if (this.stopped) watch.stop();
      await watch.done;
      this.stops.delete(watch.stop);
      if (!this.stopped && Date.now() - since < 1e3) await this.pause(1e3);
    }
  }
  put(into, byOwner, item) {
    const name2 = item.metadata?.name;
    if (!name2) return;
    if (byOwner) this.unindex(byOwner, into.get(name2), name2);
    into.set(name2, item);
    const owner = item.metadata?.ownerReferences?.find((r) => r.controller)?.uid;
    if (byOwner && owner) {
      let names = byOwner.get(owner);
      if (!names) byOwner.set(owner, names = /* @__PURE__ */ new Set());
      names.add(name2);
    }
  }
  remove(into, byOwner, item) {
    const name2 = item.metadata?.name;
    if (!name2) return;
    if (byOwner) this.unindex(byOwner, into.get(name2), name2);
    into.delete(name2);
  }
  unindex(byOwner, old, name2) {
    const owner = old?.metadata?.ownerReferences?.find((r) => r.controller)?.uid;
    if (owner) byOwner.get(owner)?.delete(name2);
  }
  changed() {
    for (const listener of this.listeners) listener();
  }
};

// src/lib/kube/verify.ts
var workloadKey = (w) => `${w.kind}/${w.namespace}/${w.name}`;
async function snapshotNamespace(client, namespace) {
  try {
    const out = /* @__PURE__ */ new Map();
    await Promise.all(
      WORKLOAD_KINDS.map(async (kind) => {
        const listed = await client.get(workloadPath(kind, namespace));
        for (const o of listed.items ?? []) {
          if (o.metadata?.name)
            out.set(workloadKey({ kind, namespace, name: o.metadata.name }), {
              generation: o.metadata.generation,
              uid: o.metadata.uid
            });
        }
      })
    );
    return out;
  } catch {
    return void 0;
  }
}
async function baselineOf(client, workloads, snapshot) {
  const out = /* @__PURE__ */ new Map();
  await Promise.all(
    workloads.map(async (w) => {
      const key = workloadKey(w);
      if (snapshot.seen && w.namespace === snapshot.namespace) {
        const seen = snapshot.seen.get(key);
        if (seen) out.set(key, seen);
        return;
      }
      const obj = await client.find(workloadPath(w.kind, w.namespace, w.name)).catch(() => void 0);
      if (obj) out.set(key, { generation: obj.metadata?.generation, uid: obj.metadata?.uid });
    })
  );
  return out;
}
async function verifyRollout(opts) {
  const started = Date.now();
  const views = /* @__PURE__ */ new Map();
  for (const w of opts.workloads) {
    if ((w.kind === "Deployment" || w.kind === "Job") && !views.has(w.namespace))
      views.set(w.namespace, new PodView(opts.client, w.namespace));
  }
  for (const view of views.values()) view.start();
  try {
    return await Promise.all(opts.workloads.map((w) => verifyOne(w, opts, started, views.get(w.namespace))));
  } finally {
    await Promise.all([...views.values()].map((v) => v.stop()));
  }
}
async function verifyOne(ref, opts, started, view) {
  const collection = workloadPath(ref.kind, ref.namespace);
  const before = opts.baseline.get(workloadKey(ref));
  const hookName = ref.hook ? `${ref.hook.events.join(",")} hook` : "";
  let last = {
    ref,
    state: "progressing",
    message: ref.hook ? `waiting for helm to run the ${hookName}` : "waiting for the workload to appear"
  };
  let latest2;
  let settled;
  let hookSeen = false;
  let interrupt = () => {
  };
  const judge = (obj) => {
    latest2 = obj;
    if (!obj) {
      last = ref.hook ? {
        ref,
        state: "progressing",
        message: hookSeen ? `deleted before it finished (${hookName})` : `waiting for helm to run the ${hookName}`
      } : { ref, state: "progressing", message: "not created yet" };
      return void 0;
    }
    let current;
    if (ref.hook) {
      if (before?.uid !== void 0 && obj.metadata?.uid === before.uid) {
        last = {
          ref,
          state: "progressing",
          message: `an earlier run of the ${hookName} is still there; waiting for helm to run it again`
        };
        return void 0;
      }
      hookSeen = true;
      current = true;
    } else {
      const gen = obj.metadata?.generation ?? 0;
      current = before === void 0 || before.uid !== void 0 && obj.metadata?.uid !== before.uid || gen > (before.generation ?? 0) || opts.applied();
    }
    let status = rolloutStatus(ref.kind, obj);
    if (status.state === "progressing" && ref.kind === "Deployment" && view)
      status = deploymentStatusFromPods(obj, view) ?? status;
    last = {
      ref,
      state: status.state === "ready" && !current ? "progressing" : status.state,
      message: current ? status.message : "waiting for the new spec to be applied"
    };
    if (last.state === "ready") {
      const now = Date.now();
      last = { ...last, readyAt: now, durationMs: now - started };
      opts.onReady?.(last);
    }
    if (last.state === "failed" && ref.kind === "Job") {
      const uid = obj.metadata?.uid;
      last = {
        ...last,
        evidence: { object: obj, pods: uid && view ? [...view.podsOwnedBy(uid)] : [] }
      };
    }
    if (last.state === "failed") opts.onFailed?.(last);
    return last.state === "ready" || last.state === "failed" ? last : void 0;
  };
  const unlisten = ref.kind === "Deployment" ? view?.onChange(() => {
    if (settled || !latest2) return;
    settled = judge(latest2);
    if (settled) interrupt();
  }) : void 0;
  try {
    return await follow();
  } finally {
    unlisten?.();
  }
  function ended() {
    if (ref.hook && !hookSeen)
      return {
        ref,
        state: "not-run",
        message: `helm had not run the ${hookName} (${opts.signal?.aborted ? "helm ended first" : "by the deadline"})`
      };
    if (opts.signal?.aborted)
      return {
        ref,
        state: "stopped",
        message: `verification stopped when helm failed; last seen: ${last.message}`
      };
    return {
      ref,
      state: last.state === "progressing" && last.message === "not created yet" ? "missing" : "timeout",
      message: last.message
    };
  }
  async function follow() {
    while (Date.now() < opts.deadlineAt && !opts.signal?.aborted) {
      const listed = await opts.client.get(collection, {
        fieldSelector: `metadata.name=${ref.name}`
      });
      if (settled) return settled;
      const verdict = judge(listed.items?.[0]);
      if (verdict) return verdict;
      if (ref.hook && opts.applied())
        return hookSeen ? { ref, state: "progressing", message: last.message } : { ref, state: "not-run", message: `not seen while helm ran (${hookName})` };
      const remaining = opts.deadlineAt - Date.now();
      if (remaining <= 0) break;
      const sliceSeconds = Math.max(1, Math.min(5, Math.floor(remaining / 1e3)));
      const watch = await opts.client.watch(
        collection,
        {
          fieldSelector: `metadata.name=${ref.name}`,
          resourceVersion: listed.metadata?.resourceVersion,
          timeoutSeconds: sliceSeconds,
          allowWatchBookmarks: "true"
        },
        (e) => {
          if (settled) return;
          if (e.type === "ADDED" || e.type === "MODIFIED") settled = judge(e.object);
          else if (e.type === "DELETED") settled = judge(void 0);
          if (settled) watch.stop();
        }
      );
      const abort = () => watch.stop();
      interrupt = abort;
      if (settled) watch.stop();
      opts.signal?.addEventListener("abort", abort, { once: true });
      const timer = setTimeout(() => watch.stop(), Math.min(remaining, sliceSeconds * 1e3 + 1e3));
      await watch.done;
      clearTimeout(timer);
      interrupt = () => {
      };
      opts.signal?.removeEventListener("abort", abort);
      if (settled) return settled;
    }
    return ended();
  }
}

// src/actions/helm-deploy/outcome.ts
var name = (r) => `${r.kind}/${r.name}`;
function decideOutcome(f) {
  if (f.helm.exitCode !== 0) return helmFailed(f);
  const notReady = f.workloads.filter((w) => w.state !== "ready");
  if (!notReady.length) return { status: "deployed", rolledBack: false };
  const absent = (w) => w.state === "missing" || w.state === "not-run";
  const mistaken = notReady.filter((w) => absent(w) && !w.inRevision);
  const real = notReady.filter((w) => !mistaken.includes(w));
  const bug = mistaken.length ? mistakeOf(
    mistaken.map((w) => w.ref),
    f.revision
  ) : void 0;
  if (!real.length) {
    return {
      status: "deployed",
      rolledBack: false,
      failure: `${bug}; the release is left as helm deployed it`,
      bug
    };
  }
  const failure = `helm reported success but ${real.length} workload(s) did not roll out: ${real.map((w) => name(w.ref)).join(", ")}${bug ? ` (also: ${bug})` : ""}`;
  const withBug = bug ? { bug } : {};
  if (!f.atomic) return { status: "failed", rolledBack: false, failure, ...withBug };
  const undo = f.previousRevision !== void 0 ? { to: f.previousRevision } : { uninstall: true };
  return { status: "failed", rolledBack: false, failure, undo, ...withBug };
}
function helmFailed(f) {
  const how = f.helm.killed ? " (killed at its deadline)" : "";
  const failure = `helm upgrade failed${how}: ${f.helm.message || `exit ${f.helm.exitCode}`}`;
  if (f.atomic && f.revision !== void 0) {
    const after = f.historyAfter ?? [];
    const top = latest(after);
    const rolledBack = top?.status === "deployed" && /rollback/i.test(top.description);
    if (f.previousRevision !== void 0 && rolledBack)
      return { status: "rolled-back", rolledBack: true, failure };
    if (f.previousRevision === void 0 && after.length === 0)
      return { status: "uninstalled", rolledBack: true, failure };
  }
  return { status: "failed", rolledBack: false, failure };
}
function mistakeOf(refs, revision) {
  const which = `${refs.map(name).join(", ")}, which ${refs.length > 1 ? "are" : "is"}`;
  return `helm-deploy waited for ${which} not part of revision ${revision ?? "?"} as helm deployed it: a bug in helm-deploy, not in the release`;
}

// src/actions/helm-deploy/deploy.ts
function diagnosticsMargin(timeoutMs) {
  return Math.min(15e3, Math.max(2e3, Math.round(timeoutMs * 0.1)));
}
async function deploy(plan, deps) {
  const started = Date.now();
  const { helm, kube, log } = deps;
  const result = {
    mode: "deploy",
    release: plan.release,
    namespace: plan.namespace,
    chart: plan.chartShown,
    helmVersion: helm.version,
    status: "failed",
    rolledBack: false,
    durationMs: 0
  };
  if (plan.budgetWarning) result.budgetWarning = plan.budgetWarning;
  const records = new ReleaseRecords(
    kube,
    helm,
    plan.release,
    plan.namespace,
    recordDriver(deps.helmDriver),
    log
  );
  let snapshot = snapshotNamespace(kube, plan.namespace);
  let history = await (deps.history ?? helm.history(plan.release, plan.namespace));
  const recovery = planStuckRecovery(history);
  if (recovery.kind !== "none") {
    const stuck = recovery.stuck;
    const what = `release ${plan.release} is stuck in ${stuck.status} (revision ${stuck.revision}, last updated ${stuck.updated}): a previous helm run died mid-operation`;
    if (!plan.recoverStuck) {
      const fix = recovery.kind === "rollback" ? `helm rollback ${plan.release} ${recovery.to} -n ${plan.namespace}` : `helm uninstall ${plan.release} -n ${plan.namespace}`;
      throw new ConfigurationError(
        `${what}. Set recover-stuck: true to recover automatically, or run \`${fix}\`.`
      );
    }
    log(
      `${what}; recovering by ${recovery.kind === "rollback" ? `rolling back to revision ${recovery.to}` : "uninstalling the unfinished first install"}`
    );
    const run2 = recovery.kind === "rollback" ? await helm.rollback(plan.release, recovery.to, plan.namespace, plan.upgrade.timeoutMs, true) : await helm.uninstall(plan.release, plan.namespace, plan.upgrade.timeoutMs, true);
    if (run2.exitCode !== 0)
      throw new CheckFailedError(`could not recover ${what}: ${cleanHelmError(run2.stderr)}`);
    result.recovered = {
      from: stuck.status,
      revision: stuck.revision,
      action: recovery.kind,
      ...recovery.kind === "rollback" ? { to: recovery.to } : {}
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
      `diff: ${result.diff.length} object(s) change (${result.diff.map((c) => `${c.change} ${c.from ? `${c.from} \u2192 ` : ""}${c.object}`).join(", ") || "none"})`
    );
  }
  const seen = await snapshot;
  let helmDone = false;
  const helmFailed2 = new AbortController();
  const verifyDeadline = Date.now() + plan.upgrade.timeoutMs - diagnosticsMargin(plan.upgrade.timeoutMs);
  const recording = records.next(known, () => helmDone);
  log(
    `helm ${helm.version}: upgrading ${plan.release} in ${plan.namespace} (timeout ${formatDuration(plan.upgrade.timeoutMs)})`
  );
  const helmRun = helm.upgrade(plan.upgrade, 3e4).then((r) => {
    helmDone = true;
    if (r.exitCode !== 0) helmFailed2.abort();
    kube.close();
    return r;
  });
  let record = await recording;
  if (!record && plan.upgrade.wait) {
    const done = await helmRun;
    const printed2 = done.exitCode === 0 ? revisionIn(done.stdout) : void 0;
    if (printed2 !== void 0) record = await records.read(printed2).catch(() => void 0);
    if (printed2 !== void 0 && !record) {
      result.unverified = `helm's record of revision ${printed2} could not be read, so only helm's own wait checked the rollout`;
      log(result.unverified);
    }
  }
  const install = record ? madeByInstall(record, previous === void 0) : previous === void 0;
  const workloads = record ? releaseWorkloads(record, install, plan.namespace) : [];
  if (record)
    log(
      `helm recorded revision ${record.version} (${install ? "install" : "upgrade"}): ${workloads.length} workload(s) to verify${workloads.length ? `: ${workloads.map(describe).join(", ")}` : ""}`
    );
  let results = [];
  const diagnosing = /* @__PURE__ */ new Map();
  let baseline = /* @__PURE__ */ new Map();
  const target = (r) => ({
    ...r,
    ...r.ref.hook ? { earlierUid: baseline.get(workloadKey(r.ref))?.uid } : {}
  });
  const diagnoseNow = (r) => {
    log(`failed: ${describe(r.ref)}: ${r.message}; collecting diagnostics`);
    diagnosing.set(r.ref, diagnose(kube, [target(r)]));
  };
  const verifyStarted = Date.now();
  if (plan.upgrade.wait && workloads.length) {
    baseline = await baselineOf(kube, workloads, { namespace: plan.namespace, seen });
    const onReady = (r) => log(`ready: ${describe(r.ref)} after ${formatDuration(r.durationMs ?? 0)}`);
    results = await verifyRollout({
      client: kube,
      workloads,
      deadlineAt: verifyDeadline,
      baseline,
      applied: () => helmDone,
      signal: helmFailed2.signal,
      onReady,
      onFailed: diagnoseNow
    });
  }
  const verifyEnded = Date.now();
  const failing = results.filter(needsDiagnosis);
  const late = failing.filter((r) => !diagnosing.has(r.ref));
  if (late.length)
    log(
      `not ready: ${late.map((r) => `${describe(r.ref)} (${r.state}: ${r.message})`).join("; ")}; collecting diagnostics`
    );
  if (failing.length)
    result.diagnostics = (await Promise.all([...diagnosing.values(), diagnose(kube, late.map(target))])).flat();
  const run = await helmRun;
  const printed = run.exitCode === 0 ? revisionIn(run.stdout) : void 0;
  const made = printed ?? record?.version;
  if (run.exitCode !== 0 && made === void 0 && isRenderError(run.stderr)) {
    throw new ConfigurationError(`the chart did not render: ${cleanHelmError(run.stderr)}`);
  }
  const unsettled = results.some((r) => r.state !== "ready");
  const final = unsettled && made !== void 0 ? await records.read(made).catch(() => void 0) : void 0;
  if (final) {
    results = results.map(
      (r) => r.ref.hook && (r.state === "progressing" || r.state === "not-run") ? settleHook(r, final) : r
    );
    const diagnosed = (r) => result.diagnostics?.some((d) => d.kind === r.ref.kind && d.name === r.ref.name);
    const failedHooks = results.filter((r) => r.ref.hook && r.state === "failed" && !diagnosed(r));
    if (failedHooks.length)
      result.diagnostics = [
        ...result.diagnostics ?? [],
        ...await diagnose(kube, failedHooks.map(target))
      ];
  }
  if (results.length) result.verification = summarize(results, verifyEnded - verifyStarted);
  const historyAfter = run.exitCode !== 0 ? await helm.history(plan.release, plan.namespace) : void 0;
  const outcome = decideOutcome({
    helm: { exitCode: run.exitCode, killed: run.killed, message: cleanHelmError(run.stderr) },
    atomic: plan.upgrade.atomic,
    ...result.previousRevision !== void 0 ? { previousRevision: result.previousRevision } : {},
    ...made !== void 0 ? { revision: made } : {},
    workloads: results.map((r) => ({
      ref: r.ref,
      state: r.state,
      inRevision: final ? belongsTo(final, r.ref, plan.namespace) && ranIfHook(final, r.ref) : true
    })),
    ...historyAfter ? { historyAfter } : {}
  });
  result.status = outcome.status;
  result.rolledBack = outcome.rolledBack;
  if (outcome.failure) result.failure = outcome.failure;
  if (outcome.bug) result.bug = outcome.bug;
  if (run.exitCode !== 0 || outcome.failure) result.helmMessage = cleanHelmError(run.stderr);
  result.revision = outcome.status === "deployed" ? made : latest(historyAfter ?? [])?.revision ?? made;
  if (outcome.undo) {
    result.status = await undoDeploy(plan, deps, "to" in outcome.undo ? outcome.undo.to : void 0);
    result.rolledBack = true;
    result.revision = latest(await helm.history(plan.release, plan.namespace))?.revision;
  }
  result.durationMs = Date.now() - started;
  return result;
}
function describe(ref) {
  return `${ref.kind}/${ref.name}${ref.hook ? ` (${ref.hook.events.join(",")} hook)` : ""}`;
}
function needsDiagnosis(r) {
  return r.state === "failed" || r.state === "timeout" || r.state === "missing";
}
function settleHook(r, record) {
  const phase = hookPhase(record, r.ref);
  const by = `per helm's record of revision ${record.version}`;
  switch (phase) {
    case "Succeeded":
      return {
        ...r,
        state: "ready",
        message: `succeeded ${by} (helm deleted the Job before it was seen finished)`
      };
    case "Failed":
      return { ...r, state: "failed", message: `failed ${by}` };
    case "Running":
      return { ...r, state: "timeout", message: `still running when helm ended, ${by}` };
    default:
      return { ...r, state: "not-run", message: `helm did not run it (${by})` };
  }
}
function ranIfHook(record, ref) {
  return !ref.hook || hookPhase(record, ref) !== void 0;
}
function summarize(results, waitedMs) {
  const timed = results.filter((r) => r.state !== "not-run" && r.state !== "stopped");
  const durations = timed.map((r) => r.durationMs ?? waitedMs);
  const slowest = timed.reduce(
    (a, b) => !a || (a.durationMs ?? Infinity) < (b.durationMs ?? Infinity) ? b : a,
    void 0
  );
  return {
    wallMs: durations.length ? Math.max(...durations) : 0,
    sumMs: durations.reduce((a, b) => a + b, 0),
    ...slowest ? { slowest: `${slowest.ref.kind}/${slowest.ref.name}` } : {},
    workloads: results.map((r) => ({
      kind: r.ref.kind,
      name: r.ref.name,
      namespace: r.ref.namespace,
      ...r.ref.hook ? { hook: r.ref.hook.events } : {},
      state: r.state,
      message: r.message,
      ...r.durationMs !== void 0 ? { durationMs: r.durationMs } : {},
      ...r.readyAt !== void 0 ? { readyAt: r.readyAt } : {}
    }))
  };
}
async function previewDiff(plan, helm, records, deployedRevision) {
  const [proposed, deployed] = await Promise.all([
    helm.dryRun(plan.upgrade),
    deployedRevision !== void 0 ? records.read(deployedRevision) : Promise.resolve(void 0)
  ]);
  const events = madeByInstall(proposed, deployedRevision === void 0) ? ["pre-install", "post-install"] : ["pre-upgrade", "post-upgrade"];
  return diffRelease(deployed, proposed, events, plan.namespace);
}
function revisionIn(stdout) {
  const m = /^REVISION: (\d+)\s*$/m.exec(stdout);
  return m ? Number(m[1]) : void 0;
}
async function undoDeploy(plan, deps, previous) {
  if (previous !== void 0) {
    deps.log(`rolling back ${plan.release} to revision ${previous}`);
    const run2 = await deps.helm.rollback(
      plan.release,
      previous,
      plan.namespace,
      plan.upgrade.timeoutMs,
      true
    );
    if (run2.exitCode !== 0)
      throw new CheckFailedError(`rollback to revision ${previous} failed: ${cleanHelmError(run2.stderr)}`);
    return "rolled-back";
  }
  deps.log(`uninstalling ${plan.release} (its first install failed)`);
  const run = await deps.helm.uninstall(plan.release, plan.namespace, plan.upgrade.timeoutMs, true);
  if (run.exitCode !== 0)
    throw new CheckFailedError(`uninstalling the failed first install failed: ${cleanHelmError(run.stderr)}`);
  return "uninstalled";
}
async function rollback(plan, deps) {
  const started = Date.now();
  const { helm } = deps;
  const history = await helm.history(plan.release, plan.namespace);
  const result = {
    mode: "rollback",
    release: plan.release,
    namespace: plan.namespace,
    chart: plan.chartShown,
    helmVersion: helm.version,
    status: "failed",
    rolledBack: false,
    durationMs: 0
  };
  if (history.length === 0)
    throw new ConfigurationError(
      `release ${plan.release} does not exist in namespace ${plan.namespace}: nothing to roll back`
    );
  const current = latest(history);
  result.previousRevision = current.revision;
  const target = plan.revision ?? rollbackTarget(history);
  if (plan.revision !== void 0 && !history.some((h) => h.revision === plan.revision)) {
    throw new ConfigurationError(
      `input 'revision' has value "${plan.revision}": release ${plan.release} has revisions ${history.map((h) => h.revision).join(", ")}`
    );
  }
  if (target !== void 0) {
    result.status = await undoDeploy(plan, deps, target);
    result.rolledBackTo = target;
  } else if (history.length === 1 || !history.some((h) => h.status === "superseded")) {
    result.status = await undoDeploy(plan, deps, void 0);
  } else {
    throw new ConfigurationError(
      `release ${plan.release} has no earlier deployed revision to return to; give 'revision'`
    );
  }
  result.rolledBack = true;
  const after = await helm.history(plan.release, plan.namespace);
  result.revision = latest(after)?.revision;
  result.durationMs = Date.now() - started;
  return result;
}

export {
  diagnosticsMargin,
  deploy,
  revisionIn,
  rollback
};
