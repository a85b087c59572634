import { createRequire as __ccCreateRequire } from 'node:module';
import { fileURLToPath as __ccFileURLToPath } from 'node:url';
import { dirname as __ccDirname } from 'node:path';
var require = __ccCreateRequire(import.meta.url);
var __filename = __ccFileURLToPath(import.meta.url);
var __dirname = __ccDirname(__filename);
import {
  ConfigurationError,
  DEFAULT_CHART_OPTIONS,
  DEFAULT_QUERIES,
  HANDOFF_RECORD,
  InputError,
  MAX_POINTS,
  artifactName,
  boolean,
  branchFromEnv,
  branchInput,
  checkOwnedOutputs,
  date,
  dateInZone,
  duration,
  evidencePaths,
  expectedStep,
  forgeOfRun,
  integer,
  lines,
  log,
  maskSecret,
  oneOf,
  panelLimits,
  parseDurationMs,
  planCommit,
  readInputs,
  resolveInside,
  runAction,
  sizeInput,
  stepFor,
  string,
  timezone,
  workspace,
  yaml
} from "./chunks/chunk-SCFJNMBF.js";
import "./chunks/chunk-GQVE4RJQ.js";

// src/actions/evidence-archive/inputs.ts
import { tmpdir } from "node:os";
import { isAbsolute as isAbsolute2, relative, resolve as resolve2, sep } from "node:path";

// src/lib/inputs/common.ts
import { isAbsolute, resolve } from "node:path";
function resolveResultPath(raw, workspace2) {
  const path = isAbsolute(raw) ? resolve(raw) : resolve(workspace2, raw);
  if (path.split(/[\\/]/).includes(".git")) {
    throw new InputError("result-path", raw, "expected a file path outside any .git folder");
  }
  if (raw.endsWith("/") || raw.endsWith("\\"))
    throw new InputError("result-path", raw, "expected a file path, not a folder");
  return path;
}
var resultPathInput = {
  ...string({
    description: "Where to write the JSON result file: a path relative to the workspace, or absolute (default: a file under $RUNNER_TEMP/command-center/). Its path is the `result-path` output."
  }),
  parse: (_input, raw, ctx) => resolveResultPath(raw, ctx.workspace)
};
var commitMessageInput = (what) => string({
  description: `Commit message for the ${what} commit-back. {date} is replaced by the day's date.`,
  default: `chore: ${what} for {date} [skip ci]`
});
var forgeTokenInput = (needs) => string({
  secret: true,
  default: "${{ github.token }}",
  description: `Token for the forge's API (GitHub, GitHub Enterprise Server, Gitea or Forgejo), masked. Default: the job's token; it needs ${needs}.`
});
var apiUrlInput = string({
  pattern: /^https?:\/\/\S+$/,
  allowed: "expected the http(s) URL of the REST API root, e.g. https://ghe.example/api/v3 or https://gitea.example/api/v1",
  description: "The forge's REST API root. Default: the runner's `GITHUB_API_URL` (set by GitHub, GitHub Enterprise Server, Gitea and Forgejo runners)."
});
var commitModeInput = oneOf(["push", "pull-request"], {
  default: "push",
  description: "`push`: commit straight onto `branch` (never forced). `pull-request`: commit onto the step's own branch `command-center/<kind>-<date>` (replaced on each run for that date, with a lease) and open or update a pull request into `branch`, for branches that refuse direct pushes. Needs `token` with `contents: write` and `pull-requests: write`; the default commit message then leaves out `[skip ci]`, so the pull request's required checks run."
});
var autoMergeInput = boolean({
  default: false,
  description: "With `commit-mode: pull-request`, try to merge the pull request at once. A merge the forge refuses (required checks pending, protection rules) leaves it open with a warning; the step does not fail for it."
});
function parseHeader(input, raw) {
  const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s*(.+)$/s.exec(raw.trim());
  if (!m)
    throw new InputError(
      input,
      "***",
      "expected one header written as `Name: value`, e.g. `Authorization: Bearer <token>`"
    );
  return { name: m[1], value: m[2].trim() };
}

// src/lib/schemas/patterns.ts
var DURATION_PATTERN = "^(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+$";
var SIZE_PATTERN = "^\\d+(?:\\.\\d+)?\\s*(?:B|KB|KiB|MB|MiB|GB|GiB)?$";

// src/lib/evidence/queries.ts
var MAX_CHART_SERIES = 10;
var NAME = { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$" };
var queriesSchema = {
  type: "array",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["name"],
    properties: {
      name: NAME,
      query: { type: "string", minLength: 1 },
      range: { type: "string", pattern: DURATION_PATTERN },
      step: { type: "string", pattern: DURATION_PATTERN },
      unit: { type: "string" },
      squad: { type: "string" },
      panel: { type: "string" },
      owner: { type: "string", minLength: 1 },
      threshold: {
        type: "object",
        additionalProperties: false,
        anyOf: [{ required: ["max"] }, { required: ["min"] }],
        properties: {
          max: { type: "number" },
          min: { type: "number" },
          unit: { type: "string", minLength: 1 }
        }
      },
      "regression-limit": { type: "number", exclusiveMinimum: 0 },
      severity: { type: "string", enum: ["warning", "failure"] },
      better: { type: "string", enum: ["lower", "higher"] },
      // The chart rules: each one is stated under the chart it shaped.
      "max-series": { type: "integer", minimum: 1, maximum: MAX_CHART_SERIES },
      select: { enum: ["peak", "last"] },
      scale: { enum: ["auto", "linear", "log"] },
      "as-rate": { enum: ["auto", true, false] },
      quantiles: {
        type: "array",
        items: { type: "number", minimum: 0, maximum: 1 },
        maxItems: 6,
        uniqueItems: true
      }
    }
  }
};
function withDefaultPanel(q, i) {
  if (q.query) return { ...q, query: q.query };
  const d = DEFAULT_QUERIES.find((x) => x.name === q.name);
  if (!d)
    throw new ConfigurationError(
      `input 'queries' is invalid: at /${i} '${q.name}' has no query; only a default panel's name may leave it out (${DEFAULT_QUERIES.map((x) => x.name).join(", ")})`
    );
  return {
    ...q,
    query: d.query,
    ...q.panel === void 0 && d.panel ? { panel: d.panel } : {},
    ...q.squad === void 0 && d.squad ? { squad: d.squad } : {},
    ...q.unit === void 0 && d.unit !== void 0 ? { unit: d.unit } : {},
    ...q.better === void 0 && d.better ? { better: d.better } : {}
  };
}

// src/lib/inputs/metadata.ts
function defineAction(m) {
  return m;
}

// src/actions/evidence-archive/metadata.ts
var dashboardsSchema = {
  type: "array",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["name", "url"],
    properties: {
      name: NAME,
      url: { type: "string", pattern: "^https?://" },
      "wait-for": { type: "string", minLength: 1 },
      width: { type: "integer", minimum: 320, maximum: 7680 },
      height: { type: "integer", minimum: 240, maximum: 4320 },
      "full-page": { type: "boolean" },
      timeout: { type: "string", pattern: DURATION_PATTERN },
      auth: { type: "boolean" }
    }
  }
};
var SIZE_RE = new RegExp(SIZE_PATTERN, "i");
var USERNAME = { type: "string", pattern: "^@?[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38})$" };
var assigneesSchema = {
  type: "object",
  propertyNames: { minLength: 1, maxLength: 100 },
  additionalProperties: {
    oneOf: [USERNAME, { type: "array", items: USERNAME, minItems: 1, maxItems: 10, uniqueItems: true }]
  }
};
var SHARD_COUNT = { type: "integer", minimum: 1, maximum: 256 };
var JOB_RESULT = { type: "string", enum: ["success", "failure", "cancelled", "skipped"] };
var expectedStepsSchema = {
  type: "object",
  additionalProperties: {
    oneOf: [
      JOB_RESULT,
      {
        type: "object",
        additionalProperties: false,
        required: ["result"],
        properties: {
          job: { type: "string", pattern: "^[A-Za-z0-9_.-]+$" },
          result: JOB_RESULT,
          // A matrix job's shard count (its plan); as a string too, the way an expression writes it.
          shards: { oneOf: [SHARD_COUNT, { type: "string", pattern: "^([1-9][0-9]{0,2})?$" }] },
          // A matrix job's Kafka clusters, as a list or comma-separated (the way an expression writes it).
          clusters: {
            oneOf: [
              { type: "array", items: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$" } },
              { type: "string", pattern: "^([A-Za-z0-9][A-Za-z0-9._-]*(,[A-Za-z0-9][A-Za-z0-9._-]*)*)?$" }
            ]
          }
        }
      }
    ]
  }
};
var metadata = defineAction({
  name: "evidence-archive",
  title: "Command Center: evidence-archive",
  description: "Archive the day's evidence (step results, metric snapshots, dashboard screenshots) with a SHA-256 manifest, write the day's status report, commit both back (straight to the branch without ever force-pushing, or through a pull request for a protected branch), and upload them as an artifact.",
  branding: { icon: "archive", color: "orange" },
  inputs: {
    date: date({ description: "Integration Day's date, exactly YYYY-MM-DD. Default: today in `timezone`." }),
    timezone: timezone({
      default: "America/Los_Angeles",
      description: 'Time zone that decides what "today" is and how times are shown.'
    }),
    results: lines({
      default: "{runner-temp}/command-center/*.json",
      description: "Globs of files to archive, one per line (suite reports, logs, the actions' results). Relative globs are in the workspace; `{runner-temp}` is `$RUNNER_TEMP`, where the other actions write their results by default. Files outside the workspace and `$RUNNER_TEMP` (by their real path, links resolved) and anything in `.git` are refused. Which files count as step results is `step-results`."
    }),
    "step-results": lines({
      default: "{runner-temp}/command-center/*.json",
      description: "Globs of the folder the actions write their JSON results to. Only a result file found here counts as a step's result; one anywhere else (a suite's report folder, the workspace) is archived as a plain file and never changes the day's verdict. Same roots as `results`."
    }),
    "expected-steps": yaml({
      schema: expectedStepsSchema,
      description: "The steps the day ran, as YAML `<action>: <job result>` (success, failure, cancelled, skipped) taken from `needs.<job>.result`, or `<action>: { job: <job id>, result: <job result> }`. With `job`, a result of that action counts only when it was handed over by that job (a result from another job is refused and noted), and a job that did not succeed overrules a result file that says it did. `shards: <n>` says the job ran as a matrix of n smoke-suite shards: their results are merged into one (every suite counted once, as one runner would), and a shard that left no result has its suites reported as not run. `clusters: <a>,<b>` says the job ran once per Kafka cluster (the `cluster` input of kafka-topic-check): the result of each cluster counts by itself, and a cluster that left none is reported missing. A step listed here that left no result file still gets its row in the report and counts in its verdict. Empty: the report shows the result files it found."
    }),
    "prometheus-url": string({
      pattern: /^https?:\/\/\S+$/,
      allowed: "expected an http(s) URL such as http://prometheus:9090",
      description: "Prometheus base URL for metric snapshots. Empty: no metric snapshots."
    }),
    "prometheus-auth-header": string({
      secret: true,
      description: "Header sent to Prometheus, e.g. `Authorization: Bearer ...` (masked, never written)."
    }),
    queries: yaml({
      schema: queriesSchema,
      description: "PromQL range queries as YAML (inline or a file): `name`, `query`, `range`, `step`, `unit` (`s` and `bytes` are formatted), `squad`, `panel`, how the chart is drawn: `max-series` (lines drawn, 1-10, default 8; the rest are summarized under the chart), `select` (`peak` or `last`: which value ranks the series, default peak), `scale` (`auto`, `linear` or `log`; auto is log when the values span more than three orders of magnitude), `as-rate` (`auto`, `true` or `false`; auto draws a counter's raw samples, named `_total`/`_count`/`_sum`/`_bucket` or never falling except at resets, as a per-second rate), `quantiles` (drawn for a classic histogram's `_bucket` series, default [0.5, 0.95, 0.99]; `[]` draws the buckets). Each rule applied is stated under the chart and in the report. And a panel's limits: `threshold` (`{max: 200, unit: ms}`, `min`, or both; `unit` defaults to the query's), `regression-limit` (percent worse than the previous Integration Day), `better` (`lower`, the default, or `higher`), `severity` (`warning`, the default, or `failure`: the evidence step fails) and `owner` (default `squad`). A query named like a default panel may leave out `query`: the default's query, panel, squad and unit are used. Empty: the team's dashboard panels (policy decision latency, constitution sync freshness, streaming latency, training mode per tenant, Kafka consumer lag, API latency, streaming throughput, Web Vitals, WebSocket throughput)."
    }),
    "metrics-range": duration({
      default: "1h",
      min: 6e4,
      max: 31 * 864e5,
      description: "Window of the metric snapshots that do not set `range`, ending now."
    }),
    dashboards: yaml({
      schema: dashboardsSchema,
      description: "Dashboards to screenshot as YAML: `name`, `url`, `wait-for` (CSS selector that must be visible), `width` (default 1600), `height` (default 1000), `full-page` (default true), `timeout` (default 60s), `auth` (send the auth header, default true)."
    }),
    "dashboard-auth-header": string({
      secret: true,
      description: "Header sent to the dashboards' own origin, e.g. `Authorization: Bearer ...` (masked, never written, never sent to other origins)."
    }),
    "browser-path": string({
      description: "Chromium or Chrome to use for screenshots. Default: the system one (/usr/bin/chromium, google-chrome, ...); a browser is never downloaded."
    }),
    "status-file": string({
      default: "docs/sprints/status/{date}.md",
      description: "Status report path in the repository; {date} is replaced."
    }),
    "evidence-dir": string({
      default: "docs/sprints/status/{date}/evidence",
      description: "Evidence folder in the repository; {date} is replaced. It is replaced as a whole on each run for that date."
    }),
    commit: boolean({
      default: true,
      description: "Commit the status report and evidence folder (and nothing else) back to `branch`."
    }),
    branch: string({
      description: "Branch the evidence belongs on (with `commit-mode: pull-request`, the base of the pull request). Default: the branch the workflow runs on (push, schedule, workflow_dispatch); required for pull requests and tags."
    }),
    "commit-message": commitMessageInput("Integration Day evidence"),
    "push-attempts": integer({
      default: 5,
      min: 1,
      max: 20,
      description: "Push attempts; a rejected push is fetched, rebased onto the new tip and retried with a jittered backoff. Never forced."
    }),
    "commit-mode": commitModeInput,
    "auto-merge": autoMergeInput,
    artifact: boolean({
      default: true,
      description: "Upload the whole bundle (including files too large to commit) as a workflow artifact."
    }),
    "artifact-name": string({
      default: "integration-day-{date}-{run-id}-{run-attempt}",
      description: "Artifact name; {date}, {run-id}, {run-attempt} and {job} are replaced. A name already used in the run gets a suffix instead of failing."
    }),
    "retention-days": integer({
      default: 0,
      min: 0,
      max: 400,
      description: "Artifact retention in days (0: the repository default)."
    }),
    "max-file-size": string({
      default: "5MiB",
      pattern: SIZE_RE,
      allowed: "expected a size such as 500KiB, 5MiB or 1GB",
      description: "Files larger than this are not committed: they go to the artifact only, linked from the index."
    }),
    "max-total-size": string({
      default: "50MiB",
      pattern: SIZE_RE,
      allowed: "expected a size such as 50MiB or 1GB",
      description: "Budget for everything committed; files beyond it go to the artifact only (results first, then metrics, then screenshots, then other files)."
    }),
    "follow-up-issues": boolean({
      default: false,
      description: "Open an issue for each failed item of the day (the deploy, a suite, a topic, a consumer group), found again by a hidden marker in its body: a repeat failure adds one comment with the streak, a pass closes it with a link to that day's report, and the status report links each issue. Kafka being unreachable opens one `incident` issue. Needs `issues: write`; without it, a warning and the day's verdict unchanged."
    }),
    assignees: yaml({
      schema: assigneesSchema,
      description: "Who is assigned a follow-up issue, as YAML: an owner or squad, exactly as the suites (`squad`, `owner`), topics and consumer groups (`owner`) name it, mapped to a forge username or a list of them, e.g. `Governance Core: [ada, grace]`. A failed deploy is assigned to the owners of every squad of the day. Empty: issues are opened without assignees."
    }),
    "trace-url": string({
      pattern: /^https?:\/\/\S*\{trace_id\}\S*$/,
      allowed: "expected an http(s) URL with {trace_id} in it, e.g. https://tempo.example/trace/{trace_id}",
      description: "Link of a trace in the follow-up issues, with `{trace_id}` where the id goes (e.g. `https://grafana.example/explore?traceId={trace_id}`). Empty: the trace ids are listed as text."
    }),
    "incident-runbooks": lines({
      default: "docs/runbooks/kill-switch.md\ndocs/runbooks/disaster-recovery.md",
      description: "Runbooks the Kafka-outage incident issue links, one per line: repository paths or URLs."
    }),
    token: forgeTokenInput(
      "`issues: write` when `follow-up-issues` is true; `contents: write` and `pull-requests: write` with `commit-mode: pull-request`"
    ),
    "api-url": apiUrlInput,
    "result-path": resultPathInput
  },
  outputs: {
    date: "The date the evidence is filed under.",
    "status-file": "Repository path of the status report.",
    "evidence-dir": "Repository path of the evidence folder.",
    "manifest-path": "Repository path of manifest.json.",
    files: "Number of files in the bundle.",
    "commit-sha": "SHA of the commit pushed (empty when nothing was committed).",
    pushed: "true when the commit reached the remote.",
    "push-attempts": "Push attempts it took (0 when nothing was pushed).",
    "pull-request-number": "With `commit-mode: pull-request`: the number of the pull request opened or updated (empty when none was needed).",
    "pull-request-url": "With `commit-mode: pull-request`: the web address of that pull request.",
    "artifact-id": "ID of the uploaded artifact (empty when not uploaded).",
    "artifact-url": "URL of the uploaded artifact (empty when not uploaded).",
    "follow-up-issues": "JSON list of the follow-up issues the day touched: `item`, `failed`, `number`, `url`, `action` (opened, commented, reopened, closed, unchanged), `streak`.",
    "result-path": "Path of the JSON result file."
  }
});

// src/actions/evidence-archive/inputs.ts
function planArchive(inputs, workspace2, env, now = /* @__PURE__ */ new Date()) {
  const date2 = inputs.date ?? dateInZone(now, inputs.timezone);
  const paths = evidencePaths(workspace2, date2, inputs.statusFile, inputs.evidenceDir);
  const runnerTemp = env.RUNNER_TEMP || tmpdir();
  const results = inputs.results.map((p) => resultSource(p, workspace2, runnerTemp));
  const stepResults = inputs.stepResults.map((p) => resultSource(p, workspace2, runnerTemp, "step-results"));
  const expectedSteps = Object.fromEntries(
    Object.entries(inputs.expectedSteps ?? {}).map(([step, v]) => [step, expectedStep(v)])
  );
  const queries = [];
  if (inputs.prometheusUrl) {
    const given = inputs.queries ?? DEFAULT_QUERIES.map((q) => ({ ...q, range: void 0, step: void 0 }));
    for (const [i, raw] of given.entries()) {
      const q = withDefaultPanel(raw, i);
      const rangeMs = q.range ? parseDurationMs(q.range) : inputs.metricsRange;
      const stepMs = q.step ? parseDurationMs(q.step) : void 0;
      const limits = panelLimits(q, `at /${i} (${q.name})`);
      const spec = {
        name: q.name,
        query: q.query,
        rangeMs,
        ...stepMs !== void 0 ? { stepMs } : {},
        ...q.unit !== void 0 ? { unit: q.unit } : {},
        ...q.squad ? { squad: q.squad } : {},
        ...q.panel ? { panel: q.panel } : {},
        ...limits ? { limits } : {},
        chart: chartOptions(q, i)
      };
      const points = rangeMs / 1e3 / stepFor(spec);
      if (points > MAX_POINTS)
        throw new ConfigurationError(
          `input 'queries' is invalid: at /${i} the range ${q.range ?? `${inputs.metricsRange / 1e3}s`} with step ${q.step ?? "auto"} asks for ${Math.ceil(points)} points per series; Prometheus allows at most ${MAX_POINTS}: use a larger step`
        );
      queries.push(spec);
    }
    unique(
      "queries",
      queries.map((q) => q.name)
    );
  } else if (inputs.queries) {
    throw new ConfigurationError(
      "input 'queries' is set but 'prometheus-url' is empty: give the Prometheus URL the queries run against"
    );
  }
  const dashboardHeader = inputs.dashboardAuthHeader ? parseHeader("dashboard-auth-header", inputs.dashboardAuthHeader) : void 0;
  const dashboards = (inputs.dashboards ?? []).map((d) => ({
    name: d.name,
    url: d.url,
    ...d["wait-for"] ? { waitFor: d["wait-for"] } : {},
    width: d.width ?? 1600,
    height: d.height ?? 1e3,
    fullPage: d["full-page"] ?? true,
    timeoutMs: d.timeout ? parseDurationMs(d.timeout) : 6e4,
    sendAuth: dashboardHeader !== void 0 && d.auth !== false
  }));
  unique(
    "dashboards",
    dashboards.map((d) => d.name)
  );
  let commit;
  if (inputs.commit) {
    const branch = inputs.branch ? branchInput("branch", inputs.branch) : branchFromEnv(env);
    if (!branch) {
      throw new InputError(
        "branch",
        "",
        `this run is not on a branch (GITHUB_REF=${env.GITHUB_REF ?? "unset"}), so name the branch to commit the evidence to, or set commit: false`
      );
    }
    commit = planCommit({
      mode: inputs.commitMode,
      kind: "evidence",
      date: date2,
      target: branch,
      message: inputs.commitMessage,
      defaultMessage: metadata.inputs["commit-message"].default,
      pushAttempts: inputs.pushAttempts,
      autoMerge: inputs.autoMerge,
      token: inputs.token,
      apiUrl: inputs.apiUrl
    });
  }
  const artifact = inputs.artifact ? {
    name: artifactName(inputs.artifactName, {
      date: date2,
      ...env.GITHUB_RUN_ID ? { runId: env.GITHUB_RUN_ID } : {},
      ...env.GITHUB_RUN_ATTEMPT ? { runAttempt: env.GITHUB_RUN_ATTEMPT } : {},
      ...env.GITHUB_JOB ? { job: env.GITHUB_JOB } : {}
    }),
    retentionDays: inputs.retentionDays
  } : void 0;
  const prometheusHeader = inputs.prometheusAuthHeader ? parseHeader("prometheus-auth-header", inputs.prometheusAuthHeader) : void 0;
  const followUp = inputs.followUpIssues ? planFollowUp(inputs, env, commit?.branch ?? branchFromEnv(env)) : void 0;
  return {
    date: date2,
    timeZone: inputs.timezone,
    paths,
    templates: { statusFile: inputs.statusFile, evidenceDir: inputs.evidenceDir },
    results,
    stepResults,
    expectedSteps,
    handoffRecord: HANDOFF_RECORD(runnerTemp),
    ...inputs.prometheusUrl ? {
      prometheus: {
        url: inputs.prometheusUrl,
        ...prometheusHeader ? { header: prometheusHeader } : {}
      }
    } : {},
    queries,
    dashboards,
    ...dashboardHeader ? { dashboardHeader } : {},
    ...inputs.browserPath ? { browserPath: inputs.browserPath } : {},
    ...commit ? { commit } : {},
    ...artifact ? { artifact } : {},
    maxFileSize: sizeInput("max-file-size", inputs.maxFileSize),
    maxTotalSize: sizeInput("max-total-size", inputs.maxTotalSize),
    runnerTemp,
    ...followUp ? { followUp } : {}
  };
}
function chartOptions(q, index) {
  const d = DEFAULT_CHART_OPTIONS;
  const maxSeries = q["max-series"] ?? d.maxSeries;
  if (!Number.isInteger(maxSeries) || maxSeries < 1 || maxSeries > MAX_CHART_SERIES)
    throw new ConfigurationError(
      `input 'queries' is invalid: at /${index}/max-series the value ${String(maxSeries)} is not allowed: expected a whole number of lines from 1 to ${MAX_CHART_SERIES}`
    );
  const quantiles = q.quantiles ?? d.quantiles;
  for (const x of quantiles)
    if (typeof x !== "number" || !(x >= 0 && x <= 1))
      throw new ConfigurationError(
        `input 'queries' is invalid: at /${index}/quantiles the value ${String(x)} is not allowed: expected quantiles between 0 and 1, e.g. [0.5, 0.95, 0.99]`
      );
  if (new Set(quantiles).size !== quantiles.length)
    throw new ConfigurationError(
      `input 'queries' is invalid: at /${index}/quantiles [${quantiles.join(", ")}] names a quantile twice: expected each quantile once`
    );
  return {
    maxSeries,
    select: q.select ?? d.select,
    scale: q.scale ?? d.scale,
    asRate: q["as-rate"] ?? d.asRate,
    quantiles: [...quantiles].sort((a, b) => a - b)
  };
}
function planFollowUp(inputs, env, branch) {
  if (!inputs.token)
    throw new InputError(
      "token",
      "",
      "follow-up-issues needs a token that may write issues (default: the job's token, with `permissions: issues: write`)"
    );
  for (const r of inputs.incidentRunbooks) {
    const url = /^https?:\/\//.test(r);
    if (!url && (isAbsolute2(r) || r.split(/[\\/]/).includes("..") || /^[a-z][a-z0-9+.-]*:/i.test(r)))
      throw new InputError(
        "incident-runbooks",
        r,
        "expected an http(s) URL or a path in the repository (relative, without ..)"
      );
  }
  const assignees = Object.fromEntries(
    Object.entries(inputs.assignees ?? {}).map(([owner, users]) => [
      owner,
      (Array.isArray(users) ? users : [users]).map((u) => u.replace(/^@/, ""))
    ])
  );
  return {
    assignees,
    ...inputs.traceUrl ? { traceUrl: inputs.traceUrl } : {},
    incidentRunbooks: inputs.incidentRunbooks,
    serverUrl: env.GITHUB_SERVER_URL || "https://github.com",
    ...branch ? { branch } : {}
  };
}
function resultSource(pattern, workspace2, runnerTemp, input = "results") {
  const expanded = pattern.replaceAll("{runner-temp}", runnerTemp).replaceAll("{workspace}", workspace2);
  const { base, glob } = splitGlob(expanded);
  const absBase = isAbsolute2(base) ? base : resolve2(workspace2, base || ".");
  if (!glob.split("/").includes("..")) {
    for (const [root, rootDir] of [
      ["workspace", workspace2],
      ["runner-temp", runnerTemp]
    ]) {
      let inside;
      try {
        inside = resolveInside(rootDir, absBase, "results");
      } catch {
        continue;
      }
      const rel = relative(resolve2(rootDir), inside).split(sep).join("/");
      return { pattern, root, rootDir: resolve2(rootDir), glob: rel ? `${rel}/${glob}` : glob, base: rel };
    }
  }
  throw new InputError(
    input,
    pattern,
    `every glob must stay inside the workspace (${workspace2}) or $RUNNER_TEMP (${runnerTemp}); '..' and other folders are refused`
  );
}
function splitGlob(pattern) {
  const parts = pattern.split("/");
  const i = parts.findIndex((p) => /[*?[\]{}!()]/.test(p));
  if (i === -1)
    return {
      base: parts.slice(0, -1).join("/") || (pattern.startsWith("/") ? "/" : ""),
      glob: parts[parts.length - 1]
    };
  return {
    base: parts.slice(0, i).join("/") || (pattern.startsWith("/") ? "/" : ""),
    glob: parts.slice(i).join("/")
  };
}
function unique(input, names) {
  const seen = /* @__PURE__ */ new Set();
  for (const n of names) {
    if (seen.has(n))
      throw new InputError(
        input,
        n,
        "expected every name to be unique (names become file names in the evidence folder)"
      );
    seen.add(n);
  }
}

// src/actions/evidence-archive/main.ts
var ENV_SECRETS = ["GITHUB_TOKEN", "GH_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"];
async function main() {
  const startedAt = /* @__PURE__ */ new Date();
  const inputs = readInputs(metadata.inputs);
  const ws = workspace();
  const plan = planArchive(inputs, ws, process.env, startedAt);
  for (const k of ENV_SECRETS) maskSecret(process.env[k]);
  await checkOwnedOutputs(plan, ws);
  const pr = plan.commit?.pullRequest;
  const forge = plan.followUp || pr ? forgeOfRun({ token: pr?.token ?? inputs.token, apiUrl: pr?.apiUrl ?? inputs.apiUrl, log: log.info }) : void 0;
  const { archive } = await import("./chunks/archive-5EZVQLZP.js");
  await archive({
    plan,
    workspace: ws,
    startedAt,
    ...forge ? { forge } : {},
    ...inputs.resultPath ? { resultPath: inputs.resultPath } : {}
  });
}

// src/actions/evidence-archive/index.ts
void runAction("evidence-archive", main);
