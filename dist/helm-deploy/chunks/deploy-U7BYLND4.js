import { createRequire as __ccCreateRequire } from 'node:module';
import { fileURLToPath as __ccFileURLToPath } from 'node:url';
import { dirname as __ccDirname } from 'node:path';
var require = __ccCreateRequire(import.meta.url);
var __filename = __ccFileURLToPath(import.meta.url);
var __dirname = __ccDirname(__filename);
import {
  cleanHelmError,
  formatDuration,
  require_dist
} from "./chunk-WKVI4GGQ.js";
import {
  CheckFailedError,
  ConfigurationError,
  __toESM
} from "./chunk-ZGN5AOSV.js";

// src/lib/helm/release.ts
var PENDING = /* @__PURE__ */ new Set(["pending-install", "pending-upgrade", "pending-rollback"]);
function latest(history) {
  return history.reduce((a, b) => !a || b.revision > a.revision ? b : a, void 0);
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

// src/lib/kube/rollout.ts
function rolloutStatus(kind, obj) {
  const gen = obj.metadata?.generation ?? 0;
  const st = obj.status ?? {};
  if (kind !== "Job" && (st.observedGeneration ?? 0) < gen) return progressing("waiting for the controller to observe the new spec");
  switch (kind) {
    case "Deployment": {
      const stalled = st.conditions?.find((c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded");
      if (stalled) return { state: "failed", message: `progress deadline exceeded: ${stalled.message ?? ""}`.trim() };
      const want = obj.spec?.replicas ?? 1;
      const updated = st.updatedReplicas ?? 0;
      if (updated < want) return progressing(`${updated} of ${want} replicas updated`);
      if ((st.replicas ?? 0) > updated) return progressing(`${(st.replicas ?? 0) - updated} old replica(s) pending termination`);
      if ((st.availableReplicas ?? 0) < updated) return progressing(`${st.availableReplicas ?? 0} of ${updated} updated replicas available`);
      return { state: "ready", message: `${want} replica(s) available` };
    }
    case "StatefulSet": {
      const want = obj.spec?.replicas ?? 1;
      if ((st.readyReplicas ?? 0) < want) return progressing(`${st.readyReplicas ?? 0} of ${want} pods ready`);
      if (obj.spec?.updateStrategy?.type === "OnDelete") return { state: "ready", message: `${want} pod(s) ready (OnDelete strategy: pods update when deleted)` };
      const partition = obj.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
      if (partition > 0) {
        const target = want - partition;
        if ((st.updatedReplicas ?? 0) < target) return progressing(`${st.updatedReplicas ?? 0} of ${target} pods updated (partition ${partition})`);
        return { state: "ready", message: `${target} pod(s) updated above partition ${partition}` };
      }
      if (st.updateRevision && st.currentRevision !== st.updateRevision) return progressing(`rolling update to ${st.updateRevision}: ${st.updatedReplicas ?? 0} of ${want} pods updated`);
      return { state: "ready", message: `${want} pod(s) ready` };
    }
    case "DaemonSet": {
      const desired = st.desiredNumberScheduled ?? 0;
      if ((st.updatedNumberScheduled ?? 0) < desired) return progressing(`${st.updatedNumberScheduled ?? 0} of ${desired} pods updated`);
      if ((st.numberAvailable ?? 0) < desired) return progressing(`${st.numberAvailable ?? 0} of ${desired} updated pods available`);
      return { state: "ready", message: `${desired} pod(s) available` };
    }
    case "Job": {
      const failed = st.conditions?.find((c) => c.type === "Failed" && c.status === "True");
      if (failed) return { state: "failed", message: `job failed: ${failed.reason ?? ""} ${failed.message ?? ""}`.trim() };
      const want = obj.spec?.completions ?? 1;
      if ((st.succeeded ?? 0) >= want) return { state: "ready", message: `${st.succeeded} of ${want} completions succeeded` };
      return progressing(`${st.succeeded ?? 0} of ${want} completions succeeded${st.failed ? `, ${st.failed} failed attempt(s)` : ""}`);
    }
  }
}
function progressing(message) {
  return { state: "progressing", message };
}
function workloadPath(kind, namespace, name) {
  const plural = { Deployment: "deployments", StatefulSet: "statefulsets", DaemonSet: "daemonsets", Job: "jobs" }[kind];
  const group = kind === "Job" ? "/apis/batch/v1" : "/apis/apps/v1";
  return `${group}/namespaces/${encodeURIComponent(namespace)}/${plural}${name ? `/${encodeURIComponent(name)}` : ""}`;
}

// src/lib/kube/diagnostics.ts
var LOG_TAIL_LINES = 40;
var MAX_EVENTS = 20;
async function diagnose(client, refs) {
  return Promise.all(refs.map((ref) => diagnoseOne(client, ref)));
}
async function diagnoseOne(client, ref) {
  const obj = await client.find(workloadPath(ref.kind, ref.namespace, ref.name)).catch(() => void 0);
  const out = { kind: ref.kind, name: ref.name, namespace: ref.namespace, status: obj ? rolloutStatus(ref.kind, obj).message : "not found", pods: [], events: [], logs: [] };
  const selector = obj?.spec?.selector?.matchLabels;
  let pods = [];
  if (selector && Object.keys(selector).length) {
    const labelSelector = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(",");
    pods = (await client.get(`/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/pods`, { labelSelector }).catch(() => ({ items: [] }))).items;
  }
  out.pods = pods.map(diagnosePod).sort((a, b) => Number(a.ready) - Number(b.ready) || a.name.localeCompare(b.name));
  const names = /* @__PURE__ */ new Set([ref.name, ...pods.map((p) => p.metadata.name), ...pods.flatMap((p) => p.metadata.ownerReferences?.map((o) => o.name) ?? [])]);
  const events = (await client.get(`/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/events`, { limit: 1e3 }).catch(() => ({ items: [] }))).items;
  out.events = events.filter((e) => e.involvedObject?.name && names.has(e.involvedObject.name)).map((e) => ({ type: e.type ?? "", reason: e.reason ?? "", object: `${e.involvedObject?.kind ?? ""}/${e.involvedObject?.name ?? ""}`, message: e.message ?? "", count: e.count ?? 1, lastSeen: e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? "" })).sort((a, b) => b.lastSeen.localeCompare(a.lastSeen) || Number(b.type === "Warning") - Number(a.type === "Warning")).slice(0, MAX_EVENTS);
  for (const pod of pods.filter((p) => !isReady(p)).slice(0, 3)) {
    for (const cs of pod.status?.containerStatuses ?? []) {
      if (cs.ready) continue;
      const previous = cs.restartCount > 0;
      try {
        const text = await client.text(`/api/v1/namespaces/${encodeURIComponent(ref.namespace)}/pods/${encodeURIComponent(pod.metadata.name)}/log`, { container: cs.name, tailLines: LOG_TAIL_LINES, previous: previous ? "true" : void 0 });
        out.logs.push({ pod: pod.metadata.name, container: cs.name, previous, text });
      } catch (err) {
        out.logs.push({ pod: pod.metadata.name, container: cs.name, previous, unavailable: err.message });
      }
    }
  }
  return out;
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
    else if (t?.reason && t.reason !== "Completed") reasons.push(`${cs.name}: terminated ${t.reason} (exit ${t.exitCode ?? "?"})${t.message ? `: ${t.message}` : ""}`);
    const last = cs.lastState?.terminated;
    if (cs.restartCount > 0 && last) reasons.push(`${cs.name}: restarted ${cs.restartCount}\xD7, last exit ${last.reason ?? ""} (code ${last.exitCode ?? "?"})`);
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

// src/lib/kube/manifest.ts
var import_yaml = __toESM(require_dist(), 1);
var WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job"];
function parseManifest(manifest, defaultNamespace) {
  const out = [];
  for (const doc of (0, import_yaml.parseAllDocuments)(manifest)) {
    const obj = doc.toJS();
    if (!obj || typeof obj !== "object" || !obj.kind || !obj.metadata?.name) continue;
    if (obj.kind === "List") continue;
    out.push({ apiVersion: obj.apiVersion ?? "", kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace ?? defaultNamespace });
  }
  return out;
}
function workloadsOf(objects) {
  return objects.filter((o) => WORKLOAD_KINDS.includes(o.kind)).map((o) => ({ kind: o.kind, name: o.name, namespace: o.namespace }));
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
var import_yaml2 = __toESM(require_dist(), 1);
function diffManifests(deployed, proposed, defaultNamespace) {
  const before = indexObjects(deployed, defaultNamespace);
  const after = indexObjects(proposed, defaultNamespace);
  const keys = [.../* @__PURE__ */ new Set([...before.keys(), ...after.keys()])].sort();
  const out = [];
  for (const key of keys) {
    const a = before.get(key);
    const b = after.get(key);
    if (a === b) continue;
    const change = a === void 0 ? "added" : b === void 0 ? "removed" : "changed";
    const patch = createTwoFilesPatch(`deployed/${key}`, `proposed/${key}`, a ?? "", b ?? "", void 0, void 0, { context: 3 });
    out.push({ object: key, change, patch: patch.split("\n").slice(2).join("\n") });
  }
  return out;
}
function indexObjects(manifest, defaultNamespace) {
  const out = /* @__PURE__ */ new Map();
  for (const doc of (0, import_yaml2.parseAllDocuments)(manifest)) {
    const obj = doc.toJS();
    if (!obj || typeof obj !== "object") continue;
    const meta = obj.metadata ?? {};
    if (!obj.kind || !meta.name) continue;
    if (obj.kind === "Secret") redactSecret(obj);
    out.set(`${String(obj.kind)}/${meta.namespace ?? defaultNamespace}/${meta.name}`, (0, import_yaml2.stringify)(obj, { sortMapEntries: true, lineWidth: 0 }));
  }
  return out;
}
function redactSecret(obj) {
  for (const field of ["data", "stringData"]) {
    const values = obj[field];
    if (values && typeof values === "object") for (const k of Object.keys(values)) values[k] = "*** (secret value not shown)";
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
    if (pod.metadata?.deletionTimestamp === void 0 && controlledBy(pod.metadata?.ownerReferences, currentUid) && isReady2(pod)) ready++;
  }
  if (ready < want) return void 0;
  for (const rs of owned) {
    const rsUid = rs.metadata?.uid;
    if (!rsUid || rsUid === currentUid) continue;
    for (const pod of index.podsOwnedBy(rsUid)) {
      if (pod.metadata?.deletionTimestamp === void 0) return void 0;
    }
  }
  return { state: "ready", message: `${want} replica(s) ready (read from the pods; the Deployment status follows)` };
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
    for (const name of this.byOwner.get(uid) ?? []) {
      const pod = this.pods.get(name);
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
      const watch = await this.client.watch(path, { resourceVersion: listed.metadata?.resourceVersion, timeoutSeconds: 60, allowWatchBookmarks: "true" }, (e) => {
        if (e.type === "ADDED" || e.type === "MODIFIED") this.put(into, byOwner, e.object);
        else if (e.type === "DELETED") this.remove(into, byOwner, e.object);
        else return;
        this.changed();
      }).catch(() => void 0);
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
    const name = item.metadata?.name;
    if (!name) return;
    if (byOwner) this.unindex(byOwner, into.get(name), name);
    into.set(name, item);
    const owner = item.metadata?.ownerReferences?.find((r) => r.controller)?.uid;
    if (byOwner && owner) {
      let names = byOwner.get(owner);
      if (!names) byOwner.set(owner, names = /* @__PURE__ */ new Set());
      names.add(name);
    }
  }
  remove(into, byOwner, item) {
    const name = item.metadata?.name;
    if (!name) return;
    if (byOwner) this.unindex(byOwner, into.get(name), name);
    into.delete(name);
  }
  unindex(byOwner, old, name) {
    const owner = old?.metadata?.ownerReferences?.find((r) => r.controller)?.uid;
    if (owner) byOwner.get(owner)?.delete(name);
  }
  changed() {
    for (const listener of this.listeners) listener();
  }
};

// src/lib/kube/verify.ts
var workloadKey = (w) => `${w.kind}/${w.namespace}/${w.name}`;
async function snapshotGenerations(client, workloads) {
  const out = /* @__PURE__ */ new Map();
  await Promise.all(workloads.map(async (w) => {
    const obj = await client.find(workloadPath(w.kind, w.namespace, w.name));
    out.set(workloadKey(w), obj?.metadata?.generation);
  }));
  return out;
}
async function verifyRollout(opts) {
  const started = Date.now();
  const views = /* @__PURE__ */ new Map();
  for (const w of opts.workloads) {
    if (w.kind === "Deployment" && !views.has(w.namespace)) views.set(w.namespace, new PodView(opts.client, w.namespace));
  }
  for (const view of views.values()) view.start();
  try {
    return await Promise.all(opts.workloads.map((w) => verifyOne(w, opts, started, w.kind === "Deployment" ? views.get(w.namespace) : void 0)));
  } finally {
    await Promise.all([...views.values()].map((v) => v.stop()));
  }
}
async function verifyOne(ref, opts, started, view) {
  const path = workloadPath(ref.kind, ref.namespace, ref.name);
  const collection = workloadPath(ref.kind, ref.namespace);
  const before = opts.baseline.get(workloadKey(ref));
  let last = { ref, state: "progressing", message: "waiting for the workload to appear" };
  let latest2;
  let settled;
  let interrupt = () => {
  };
  const judge = (obj) => {
    latest2 = obj;
    if (!obj) {
      last = { ref, state: "progressing", message: "not created yet" };
      return void 0;
    }
    const gen = obj.metadata?.generation ?? 0;
    const current = before === void 0 || gen > before || opts.applied();
    let status = rolloutStatus(ref.kind, obj);
    if (status.state === "progressing" && view) status = deploymentStatusFromPods(obj, view) ?? status;
    last = { ref, state: status.state === "ready" && !current ? "progressing" : status.state, message: current ? status.message : "waiting for the new spec to be applied" };
    if (last.state === "ready") {
      const now = Date.now();
      last = { ...last, readyAt: now, durationMs: now - started };
      opts.onReady?.(last);
    }
    return last.state === "ready" || last.state === "failed" ? last : void 0;
  };
  const unlisten = view?.onChange(() => {
    if (settled || !latest2) return;
    settled = judge(latest2);
    if (settled) interrupt();
  });
  try {
    return await follow();
  } finally {
    unlisten?.();
  }
  async function follow() {
    while (Date.now() < opts.deadlineAt && !opts.signal?.aborted) {
      const obj = await opts.client.find(path);
      if (settled) return settled;
      const verdict = judge(obj);
      if (verdict) return verdict;
      const remaining = opts.deadlineAt - Date.now();
      if (remaining <= 0) break;
      const sliceSeconds = Math.max(1, Math.min(5, Math.floor(remaining / 1e3)));
      const watch = await opts.client.watch(collection, { fieldSelector: `metadata.name=${ref.name}`, resourceVersion: obj?.metadata?.resourceVersion, timeoutSeconds: sliceSeconds, allowWatchBookmarks: "true" }, (e) => {
        if (settled || e.type !== "ADDED" && e.type !== "MODIFIED") return;
        settled = judge(e.object);
        if (settled) watch.stop();
      });
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
    return { ref, state: last.state === "progressing" && last.message === "not created yet" ? "missing" : "timeout", message: last.message };
  }
}

// src/actions/helm-deploy/deploy.ts
function diagnosticsMargin(timeoutMs) {
  return Math.min(15e3, Math.max(2e3, Math.round(timeoutMs * 0.1)));
}
async function deploy(plan, deps) {
  const started = Date.now();
  const { helm, kube, log } = deps;
  const result = { mode: "deploy", release: plan.release, namespace: plan.namespace, chart: plan.upgrade.chart, helmVersion: helm.version, status: "failed", rolledBack: false, durationMs: 0 };
  if (plan.budgetWarning) result.budgetWarning = plan.budgetWarning;
  const rendering = helm.template(plan.upgrade);
  rendering.catch(() => void 0);
  let history = await helm.history(plan.release, plan.namespace);
  const recovery = planStuckRecovery(history);
  if (recovery.kind !== "none") {
    const stuck = recovery.stuck;
    const what = `release ${plan.release} is stuck in ${stuck.status} (revision ${stuck.revision}, last updated ${stuck.updated}): a previous helm run died mid-operation`;
    if (!plan.recoverStuck) {
      const fix = recovery.kind === "rollback" ? `helm rollback ${plan.release} ${recovery.to} -n ${plan.namespace}` : `helm uninstall ${plan.release} -n ${plan.namespace}`;
      throw new ConfigurationError(`${what}. Set recover-stuck: true to recover automatically, or run \`${fix}\`.`);
    }
    log(`${what}; recovering by ${recovery.kind === "rollback" ? `rolling back to revision ${recovery.to}` : "uninstalling the unfinished first install"}`);
    const run2 = recovery.kind === "rollback" ? await helm.rollback(plan.release, recovery.to, plan.namespace, plan.upgrade.timeoutMs, true) : await helm.uninstall(plan.release, plan.namespace, plan.upgrade.timeoutMs, true);
    if (run2.exitCode !== 0) throw new CheckFailedError(`could not recover ${what}: ${cleanHelmError(run2.stderr)}`);
    result.recovered = { from: stuck.status, revision: stuck.revision, action: recovery.kind, ...recovery.kind === "rollback" ? { to: recovery.to } : {} };
    history = await helm.history(plan.release, plan.namespace);
  }
  const previous = lastDeployed(history);
  if (previous) result.previousRevision = previous.revision;
  const manifest = await rendering;
  const workloads = workloadsOf(parseManifest(manifest, plan.namespace));
  if (plan.diff) {
    const deployed = previous ? await helm.getManifest(plan.release, plan.namespace) ?? "" : "";
    result.diff = diffManifests(deployed, manifest, plan.namespace);
    log(`diff: ${result.diff.length} object(s) change (${result.diff.map((c) => `${c.change} ${c.object}`).join(", ") || "none"})`);
  }
  const baseline = await snapshotGenerations(kube, workloads);
  let helmDone = false;
  const verifyDeadline = Date.now() + plan.upgrade.timeoutMs - diagnosticsMargin(plan.upgrade.timeoutMs);
  const verifyStarted = Date.now();
  const verification = plan.upgrade.wait && workloads.length ? verifyRollout({ client: kube, workloads, deadlineAt: verifyDeadline, baseline, applied: () => helmDone, onReady: (r) => log(`ready: ${r.ref.kind}/${r.ref.name} after ${formatDuration(r.durationMs ?? 0)}`) }) : Promise.resolve([]);
  log(`helm ${helm.version}: upgrading ${plan.release} in ${plan.namespace} (${workloads.length} workload(s) to verify, timeout ${formatDuration(plan.upgrade.timeoutMs)})`);
  const helmRun = helm.upgrade(plan.upgrade, 3e4).then((r) => {
    helmDone = true;
    kube.close();
    return r;
  });
  const results = await verification;
  const notReady = results.filter((r) => r.state !== "ready");
  if (notReady.length) {
    log(`not ready: ${notReady.map((r) => `${r.ref.kind}/${r.ref.name} (${r.state}: ${r.message})`).join("; ")}; collecting diagnostics`);
    result.diagnostics = await diagnose(kube, notReady.map((r) => r.ref));
  }
  const run = await helmRun;
  if (results.length) {
    const durations = results.map((r) => r.durationMs ?? Date.now() - verifyStarted);
    const slowest = results.reduce((a, b) => (a.durationMs ?? Infinity) >= (b.durationMs ?? Infinity) ? a : b);
    result.verification = {
      wallMs: Math.max(...durations),
      sumMs: durations.reduce((a, b) => a + b, 0),
      slowest: `${slowest.ref.kind}/${slowest.ref.name}`,
      workloads: results.map((r) => ({ kind: r.ref.kind, name: r.ref.name, namespace: r.ref.namespace, state: r.state, message: r.message, ...r.durationMs !== void 0 ? { durationMs: r.durationMs } : {}, ...r.readyAt !== void 0 ? { readyAt: r.readyAt } : {} }))
    };
  }
  const printed = run.exitCode === 0 && notReady.length === 0 ? revisionIn(run.stdout) : void 0;
  if (printed !== void 0) {
    result.revision = printed;
  } else {
    history = await helm.history(plan.release, plan.namespace);
    const top = latest(history);
    if (top) result.revision = top.revision;
  }
  if (run.exitCode === 0 && notReady.length === 0) {
    result.status = "deployed";
  } else {
    result.failure = run.exitCode !== 0 ? `helm upgrade failed${run.killed ? " (killed at its deadline)" : ""}: ${cleanHelmError(run.stderr) || `exit ${run.exitCode}`}` : `helm reported success but ${notReady.length} workload(s) did not roll out: ${notReady.map((r) => `${r.ref.kind}/${r.ref.name}`).join(", ")}`;
    result.helmMessage = cleanHelmError(run.stderr);
    if (plan.upgrade.atomic && run.exitCode === 0) {
      result.status = await undoDeploy(plan, deps, result.previousRevision);
      result.rolledBack = true;
      history = await helm.history(plan.release, plan.namespace);
      result.revision = latest(history)?.revision;
    } else if (plan.upgrade.atomic) {
      if (result.previousRevision !== void 0 && wasRolledBack(history)) {
        result.status = "rolled-back";
        result.rolledBack = true;
      } else if (result.previousRevision === void 0 && history.length === 0) {
        result.status = "uninstalled";
        result.rolledBack = true;
      }
    }
  }
  result.durationMs = Date.now() - started;
  return result;
}
function revisionIn(stdout) {
  const m = /^REVISION: (\d+)\s*$/m.exec(stdout);
  return m ? Number(m[1]) : void 0;
}
function wasRolledBack(history) {
  const top = latest(history);
  return top !== void 0 && top.status === "deployed" && /rollback/i.test(top.description);
}
async function undoDeploy(plan, deps, previous) {
  if (previous !== void 0) {
    deps.log(`rolling back ${plan.release} to revision ${previous}`);
    const run2 = await deps.helm.rollback(plan.release, previous, plan.namespace, plan.upgrade.timeoutMs, true);
    if (run2.exitCode !== 0) throw new CheckFailedError(`rollback to revision ${previous} failed: ${cleanHelmError(run2.stderr)}`);
    return "rolled-back";
  }
  deps.log(`uninstalling ${plan.release} (its first install failed)`);
  const run = await deps.helm.uninstall(plan.release, plan.namespace, plan.upgrade.timeoutMs, true);
  if (run.exitCode !== 0) throw new CheckFailedError(`uninstalling the failed first install failed: ${cleanHelmError(run.stderr)}`);
  return "uninstalled";
}
async function rollback(plan, deps) {
  const started = Date.now();
  const { helm } = deps;
  const history = await helm.history(plan.release, plan.namespace);
  const result = { mode: "rollback", release: plan.release, namespace: plan.namespace, chart: plan.upgrade.chart, helmVersion: helm.version, status: "failed", rolledBack: false, durationMs: 0 };
  if (history.length === 0) throw new ConfigurationError(`release ${plan.release} does not exist in namespace ${plan.namespace}: nothing to roll back`);
  const current = latest(history);
  result.previousRevision = current.revision;
  const target = plan.revision ?? rollbackTarget(history);
  if (plan.revision !== void 0 && !history.some((h) => h.revision === plan.revision)) {
    throw new ConfigurationError(`input 'revision' has value "${plan.revision}": release ${plan.release} has revisions ${history.map((h) => h.revision).join(", ")}`);
  }
  if (target !== void 0) {
    result.status = await undoDeploy(plan, deps, target);
  } else if (history.length === 1 || !history.some((h) => h.status === "superseded")) {
    result.status = await undoDeploy(plan, deps, void 0);
  } else {
    throw new ConfigurationError(`release ${plan.release} has no earlier deployed revision to return to; give 'revision'`);
  }
  result.rolledBack = true;
  const after = await helm.history(plan.release, plan.namespace);
  result.revision = latest(after)?.revision;
  result.durationMs = Date.now() - started;
  return result;
}
export {
  deploy,
  diagnosticsMargin,
  revisionIn,
  rollback
};
