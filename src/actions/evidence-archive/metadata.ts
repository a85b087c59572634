import { defineAction } from '../../lib/inputs/metadata.js';
import { boolean, date, duration, integer, lines, string, timezone, yaml } from '../../lib/inputs/spec.js';
import {
  apiUrlInput,
  autoMergeInput,
  commitMessageInput,
  commitModeInput,
  forgeTokenInput,
  resultPathInput,
} from '../../lib/inputs/common.js';
import { DURATION_PATTERN, SIZE_PATTERN } from '../../lib/schemas/patterns.js';
import type { JsonSchema } from '../../lib/schema.js';
import { NAME, queriesSchema, type MetricQuery } from '../../lib/evidence/queries.js';

export type { MetricQuery } from '../../lib/evidence/queries.js';

export interface DashboardTarget {
  name: string;
  url: string;
  'wait-for'?: string;
  width?: number;
  height?: number;
  'full-page'?: boolean;
  timeout?: string;
  /** Send `dashboard-auth-header` to this dashboard (default true when the header is set). */
  auth?: boolean;
}

const dashboardsSchema: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'url'],
    properties: {
      name: NAME,
      url: { type: 'string', pattern: '^https?://' },
      'wait-for': { type: 'string', minLength: 1 },
      width: { type: 'integer', minimum: 320, maximum: 7680 },
      height: { type: 'integer', minimum: 240, maximum: 4320 },
      'full-page': { type: 'boolean' },
      timeout: { type: 'string', pattern: DURATION_PATTERN },
      auth: { type: 'boolean' },
    },
  },
};

const SIZE_RE = new RegExp(SIZE_PATTERN, 'i');

/** A forge username (GitHub, Gitea, Forgejo), optionally written with its `@`. */
const USERNAME = { type: 'string', pattern: '^@?[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38})$' };

/** `assignees`: an owner or squad, as the suites, topics and groups name it → forge usernames. */
const assigneesSchema: JsonSchema = {
  type: 'object',
  propertyNames: { minLength: 1, maxLength: 100 },
  additionalProperties: {
    oneOf: [USERNAME, { type: 'array', items: USERNAME, minItems: 1, maxItems: 10, uniqueItems: true }],
  },
};

const SHARD_COUNT = { type: 'integer', minimum: 1, maximum: 256 };
const JOB_RESULT = { type: 'string', enum: ['success', 'failure', 'cancelled', 'skipped'] };

/** `expected-steps`: step (action) name → the result of the job that ran it, or the job and its result. */
const expectedStepsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: {
    oneOf: [
      JOB_RESULT,
      {
        type: 'object',
        additionalProperties: false,
        required: ['result'],
        properties: {
          job: { type: 'string', pattern: '^[A-Za-z0-9_.-]+$' },
          result: JOB_RESULT,
          // A matrix job's shard count (its plan); as a string too, the way an expression writes it.
          shards: { oneOf: [SHARD_COUNT, { type: 'string', pattern: '^([1-9][0-9]{0,2})?$' }] },
          // A matrix job's Kafka clusters, as a list or comma-separated (the way an expression writes it).
          clusters: {
            oneOf: [
              { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' } },
              { type: 'string', pattern: '^([A-Za-z0-9][A-Za-z0-9._-]*(,[A-Za-z0-9][A-Za-z0-9._-]*)*)?$' },
            ],
          },
        },
      },
    ],
  },
};

export const metadata = defineAction({
  name: 'evidence-archive',
  title: 'Command Center: evidence-archive',
  description:
    "Archive the day's evidence (step results, metric snapshots, dashboard screenshots) with a SHA-256 manifest, write the day's status report, commit both back (straight to the branch without ever force-pushing, or through a pull request for a protected branch), and upload them as an artifact.",
  branding: { icon: 'archive', color: 'orange' },
  inputs: {
    date: date({ description: "Integration Day's date, exactly YYYY-MM-DD. Default: today in `timezone`." }),
    timezone: timezone({
      default: 'America/Los_Angeles',
      description: 'Time zone that decides what "today" is and how times are shown.',
    }),
    results: lines({
      default: '{runner-temp}/command-center/*.json',
      description:
        "Globs of files to archive, one per line (suite reports, logs, the actions' results). Relative globs are in the workspace; `{runner-temp}` is `$RUNNER_TEMP`, where the other actions write their results by default. Files outside the workspace and `$RUNNER_TEMP` (by their real path, links resolved) and anything in `.git` are refused. Which files count as step results is `step-results`.",
    }),
    'step-results': lines({
      default: '{runner-temp}/command-center/*.json',
      description:
        "Globs of the folder the actions write their JSON results to. Only a result file found here counts as a step's result; one anywhere else (a suite's report folder, the workspace) is archived as a plain file and never changes the day's verdict. Same roots as `results`.",
    }),
    'expected-steps': yaml<
      Record<
        string,
        string | { job: string; result: string; shards?: number | string; clusters?: string | string[] }
      >
    >({
      schema: expectedStepsSchema,
      description:
        'The steps the day ran, as YAML `<action>: <job result>` (success, failure, cancelled, skipped) taken from `needs.<job>.result`, or `<action>: { job: <job id>, result: <job result> }`. With `job`, a result of that action counts only when it was handed over by that job (a result from another job is refused and noted), and a job that did not succeed overrules a result file that says it did. `shards: <n>` says the job ran as a matrix of n smoke-suite shards: their results are merged into one (every suite counted once, as one runner would), and a shard that left no result has its suites reported as not run. `clusters: <a>,<b>` says the job ran once per Kafka cluster (the `cluster` input of kafka-topic-check): the result of each cluster counts by itself, and a cluster that left none is reported missing. A step listed here that left no result file still gets its row in the report and counts in its verdict. Empty: the report shows the result files it found.',
    }),
    'prometheus-url': string({
      pattern: /^https?:\/\/\S+$/,
      allowed: 'expected an http(s) URL such as http://prometheus:9090',
      description: 'Prometheus base URL for metric snapshots. Empty: no metric snapshots.',
    }),
    'prometheus-auth-header': string({
      secret: true,
      description: 'Header sent to Prometheus, e.g. `Authorization: Bearer ...` (masked, never written).',
    }),
    queries: yaml<MetricQuery[]>({
      schema: queriesSchema,
      description:
        "PromQL range queries as YAML (inline or a file): `name`, `query`, `range`, `step`, `unit` (`s` and `bytes` are formatted), `squad`, `panel`, how the chart is drawn: `max-series` (lines drawn, 1-10, default 8; the rest are summarized under the chart), `select` (`peak` or `last`: which value ranks the series, default peak), `scale` (`auto`, `linear` or `log`; auto is log when the values span more than three orders of magnitude), `as-rate` (`auto`, `true` or `false`; auto draws a counter's raw samples, named `_total`/`_count`/`_sum`/`_bucket` or never falling except at resets, as a per-second rate), `quantiles` (drawn for a classic histogram's `_bucket` series, default [0.5, 0.95, 0.99]; `[]` draws the buckets). Each rule applied is stated under the chart and in the report. And a panel's limits: `threshold` (`{max: 200, unit: ms}`, `min`, or both; `unit` defaults to the query's), `regression-limit` (percent worse than the previous Integration Day), `better` (`lower`, the default, or `higher`), `severity` (`warning`, the default, or `failure`: the evidence step fails) and `owner` (default `squad`). A query named like a default panel may leave out `query`: the default's query, panel, squad and unit are used. Empty: the team's dashboard panels (policy decision latency, constitution sync freshness, streaming latency, training mode per tenant, Kafka consumer lag, API latency, streaming throughput, Web Vitals, WebSocket throughput).",
    }),
    'metrics-range': duration({
      default: '1h',
      min: 60_000,
      max: 31 * 86_400_000,
      description: 'Window of the metric snapshots that do not set `range`, ending now.',
    }),
    dashboards: yaml<DashboardTarget[]>({
      schema: dashboardsSchema,
      description:
        'Dashboards to screenshot as YAML: `name`, `url`, `wait-for` (CSS selector that must be visible), `width` (default 1600), `height` (default 1000), `full-page` (default true), `timeout` (default 60s), `auth` (send the auth header, default true).',
    }),
    'dashboard-auth-header': string({
      secret: true,
      description:
        "Header sent to the dashboards' own origin, e.g. `Authorization: Bearer ...` (masked, never written, never sent to other origins).",
    }),
    'browser-path': string({
      description:
        'Chromium or Chrome to use for screenshots. Default: the system one (/usr/bin/chromium, google-chrome, ...); a browser is never downloaded.',
    }),
    'status-file': string({
      default: 'docs/sprints/status/{date}.md',
      description: 'Status report path in the repository; {date} is replaced.',
    }),
    'evidence-dir': string({
      default: 'docs/sprints/status/{date}/evidence',
      description:
        'Evidence folder in the repository; {date} is replaced. It is replaced as a whole on each run for that date.',
    }),
    commit: boolean({
      default: true,
      description: 'Commit the status report and evidence folder (and nothing else) back to `branch`.',
    }),
    branch: string({
      description:
        'Branch the evidence belongs on (with `commit-mode: pull-request`, the base of the pull request). Default: the branch the workflow runs on (push, schedule, workflow_dispatch); required for pull requests and tags.',
    }),
    'commit-message': commitMessageInput('Integration Day evidence'),
    'push-attempts': integer({
      default: 5,
      min: 1,
      max: 20,
      description:
        'Push attempts; a rejected push is fetched, rebased onto the new tip and retried with a jittered backoff. Never forced.',
    }),
    'commit-mode': commitModeInput,
    'auto-merge': autoMergeInput,
    artifact: boolean({
      default: true,
      description: 'Upload the whole bundle (including files too large to commit) as a workflow artifact.',
    }),
    'artifact-name': string({
      default: 'integration-day-{date}-{run-id}-{run-attempt}',
      description:
        'Artifact name; {date}, {run-id}, {run-attempt} and {job} are replaced. A name already used in the run gets a suffix instead of failing.',
    }),
    'retention-days': integer({
      default: 0,
      min: 0,
      max: 400,
      description: 'Artifact retention in days (0: the repository default).',
    }),
    'max-file-size': string({
      default: '5MiB',
      pattern: SIZE_RE,
      allowed: 'expected a size such as 500KiB, 5MiB or 1GB',
      description:
        'Files larger than this are not committed: they go to the artifact only, linked from the index.',
    }),
    'max-total-size': string({
      default: '50MiB',
      pattern: SIZE_RE,
      allowed: 'expected a size such as 50MiB or 1GB',
      description:
        'Budget for everything committed; files beyond it go to the artifact only (results first, then metrics, then screenshots, then other files).',
    }),
    'follow-up-issues': boolean({
      default: false,
      description:
        "Open an issue for each failed item of the day (the deploy, a suite, a topic, a consumer group), found again by a hidden marker in its body: a repeat failure adds one comment with the streak, a pass closes it with a link to that day's report, and the status report links each issue. Kafka being unreachable opens one `incident` issue. Needs `issues: write`; without it, a warning and the day's verdict unchanged.",
    }),
    assignees: yaml<Record<string, string | string[]>>({
      schema: assigneesSchema,
      description:
        'Who is assigned a follow-up issue, as YAML: an owner or squad, exactly as the suites (`squad`, `owner`), topics and consumer groups (`owner`) name it, mapped to a forge username or a list of them, e.g. `Governance Core: [ada, grace]`. A failed deploy is assigned to the owners of every squad of the day. Empty: issues are opened without assignees.',
    }),
    'trace-url': string({
      pattern: /^https?:\/\/\S*\{trace_id\}\S*$/,
      allowed: 'expected an http(s) URL with {trace_id} in it, e.g. https://tempo.example/trace/{trace_id}',
      description:
        'Link of a trace in the follow-up issues, with `{trace_id}` where the id goes (e.g. `https://grafana.example/explore?traceId={trace_id}`). Empty: the trace ids are listed as text.',
    }),
    'incident-runbooks': lines({
      default: 'docs/runbooks/kill-switch.md\ndocs/runbooks/disaster-recovery.md',
      description: 'Runbooks the Kafka-outage incident issue links, one per line: repository paths or URLs.',
    }),
    token: forgeTokenInput(
      '`issues: write` when `follow-up-issues` is true; `contents: write` and `pull-requests: write` with `commit-mode: pull-request`',
    ),
    'api-url': apiUrlInput,
    'result-path': resultPathInput,
  },
  outputs: {
    date: 'The date the evidence is filed under.',
    'status-file': 'Repository path of the status report.',
    'evidence-dir': 'Repository path of the evidence folder.',
    'manifest-path': 'Repository path of manifest.json.',
    files: 'Number of files in the bundle.',
    'commit-sha': 'SHA of the commit pushed (empty when nothing was committed).',
    pushed: 'true when the commit reached the remote.',
    'push-attempts': 'Push attempts it took (0 when nothing was pushed).',
    'pull-request-number':
      'With `commit-mode: pull-request`: the number of the pull request opened or updated (empty when none was needed).',
    'pull-request-url': 'With `commit-mode: pull-request`: the web address of that pull request.',
    'artifact-id': 'ID of the uploaded artifact (empty when not uploaded).',
    'artifact-url': 'URL of the uploaded artifact (empty when not uploaded).',
    'follow-up-issues':
      'JSON list of the follow-up issues the day touched: `item`, `failed`, `number`, `url`, `action` (opened, commented, reopened, closed, unchanged), `streak`.',
    'result-path': 'Path of the JSON result file.',
  },
});
