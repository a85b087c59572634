import { defineAction } from '../../lib/inputs/metadata.js';
import { boolean, date, integer, lines, string, timezone, yaml } from '../../lib/inputs/spec.js';
import { commitMessageInput, resultPathInput } from '../../lib/inputs/common.js';
import { DURATION_PATTERN } from '../../lib/schemas/patterns.js';
import type { JsonSchema } from '../../lib/schema.js';

export interface MetricQuery {
  name: string;
  query: string;
  range?: string;
  step?: string;
  unit?: string;
  squad?: string;
  panel?: string;
}

export interface DashboardTarget {
  name: string;
  url: string;
  'wait-for'?: string;
  width?: number;
  height?: number;
}

const queriesSchema: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'query'],
    properties: {
      name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
      query: { type: 'string', minLength: 1 },
      range: { type: 'string', pattern: DURATION_PATTERN },
      step: { type: 'string', pattern: DURATION_PATTERN },
      unit: { type: 'string' },
      squad: { type: 'string' },
      panel: { type: 'string' },
    },
  },
};

const dashboardsSchema: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'url'],
    properties: {
      name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
      url: { type: 'string', pattern: '^https?://' },
      'wait-for': { type: 'string' },
      width: { type: 'integer', minimum: 320, maximum: 7680 },
      height: { type: 'integer', minimum: 240, maximum: 4320 },
    },
  },
};

export const metadata = defineAction({
  name: 'evidence-archive',
  title: 'Command Center: evidence-archive',
  description: "Archive the day's evidence (results, metric snapshots, dashboard screenshots) with a hashed manifest, write the status report, commit it back safely and upload it as an artifact.",
  branding: { icon: 'archive', color: 'orange' },
  inputs: {
    date: date({ description: "Integration Day's date, exactly YYYY-MM-DD. Default: today in `timezone`." }),
    timezone: timezone({ default: 'America/Los_Angeles', description: 'Time zone that decides what "today" is.' }),
    results: lines({ description: 'Globs of result files (the other actions\' JSON results and any other files), one per line.' }),
    'prometheus-url': string({ pattern: /^https?:\/\/\S+$/, allowed: 'expected an http(s) URL', description: 'Prometheus base URL for metric snapshots.' }),
    queries: yaml<MetricQuery[]>({ schema: queriesSchema, description: 'PromQL range queries as YAML: name, query, range, step, unit, squad, panel.' }),
    dashboards: yaml<DashboardTarget[]>({ schema: dashboardsSchema, description: 'Dashboards to screenshot as YAML: name, url, wait-for (CSS selector), width, height.' }),
    'dashboard-auth-header': string({ secret: true, description: 'Header sent with dashboard requests, e.g. `Authorization: Bearer ...` (masked).' }),
    'status-file': string({ default: 'docs/sprints/status/{date}.md', description: 'Status report path; {date} is replaced.' }),
    'evidence-dir': string({ default: 'docs/sprints/status/{date}/evidence', description: 'Evidence folder; {date} is replaced.' }),
    commit: boolean({ default: true, description: 'Commit the status report and evidence back to the repository.' }),
    branch: string({ description: 'Branch to commit to (default: the branch of the run; required from a detached HEAD).' }),
    'commit-message': commitMessageInput('Integration Day evidence'),
    'push-attempts': integer({ default: 5, min: 1, max: 20, description: 'Push attempts; a rejected push is fetched, rebased and retried.' }),
    artifact: boolean({ default: true, description: 'Upload the bundle as a workflow artifact.' }),
    'artifact-name': string({ default: 'integration-day-{date}-{run-id}-{run-attempt}', description: 'Artifact name; {date}, {run-id}, {run-attempt} are replaced so re-runs never clash.' }),
    'retention-days': integer({ default: 0, min: 0, max: 400, description: 'Artifact retention in days (0: the repository default).' }),
    'max-file-size': string({ default: '5MiB', pattern: /^\d+(\.\d+)?\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/, allowed: 'expected a size such as 500KiB, 5MiB or 1GB', description: 'Files larger than this go to the artifact only, linked from the index.' }),
    'max-total-size': string({ default: '50MiB', pattern: /^\d+(\.\d+)?\s*(B|KB|KiB|MB|MiB|GB|GiB)?$/, allowed: 'expected a size such as 50MiB or 1GB', description: 'Budget for everything committed; beyond it files go to the artifact only.' }),
    'result-path': resultPathInput,
  },
  outputs: {
    'status-file': 'Path of the status report.',
    'evidence-dir': 'Path of the evidence folder.',
    'manifest-path': 'Path of manifest.json.',
    'commit-sha': 'SHA of the commit pushed (empty when nothing was committed).',
    pushed: 'true when the commit reached the remote.',
    'artifact-id': 'ID of the uploaded artifact.',
    'artifact-url': 'URL of the uploaded artifact.',
    'result-path': 'Path of the JSON result file.',
  },
});
