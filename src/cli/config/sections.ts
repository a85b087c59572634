import { stringify } from 'yaml';
import type { InputSpec } from '../../lib/inputs/spec.js';
import type { ActionMetadata } from '../../lib/inputs/metadata.js';

/**
 * What the configuration file may set for each action, and what the workflows set themselves.
 *
 * A section of the file is an action's inputs, written as YAML values instead of strings. Inputs the
 * workflow decides (which mode a job runs in, where results go, whether to commit) and secrets
 * (which belong in the repository's secrets, never in a committed file) are refused with a message
 * that says where they come from instead.
 */
export const WORKFLOW_OWNED: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'helm-deploy': {
    mode: 'the workflow runs `deploy` in the deploy job and `rollback` in the rollback job',
    revision: "the rollback job returns to the deploy job's `previous-revision`",
    revisions: "the rollback job returns a release set to the deploy job's `releases` output",
    'step-timeout': "the workflow passes its own step's timeout-minutes",
    'result-path': 'the workflow collects results from the default place',
  },
  'smoke-suite': {
    shard: "with `shards`, each job of the smoke matrix runs its share of the configuration's plan",
    'result-path': 'the workflow collects results from the default place',
  },
  'kafka-topic-check': {
    cluster: 'with `clusters`, each job of the Kafka matrix checks the cluster it is named for',
    'result-path': 'the workflow collects results from the default place',
  },
  'evidence-archive': {
    date: "the day's date comes from the `date` input of the run (default: today in `timezone`)",
    timezone: 'set `timezone` at the top of the file',
    results: "the workflow hands every job's results to the evidence job",
    'step-results':
      "the workflow collects every job's results into the results folder, with the job each came from",
    'expected-steps':
      "the workflow passes each job's result, so a step that failed before writing its result is still reported",
    commit: 'the Integration Day always commits its evidence back',
    'result-path': 'the workflow collects results from the default place',
  },
  'contract-record': {
    date: 'the recording date comes from the `date` input of the run (default: today in `timezone`)',
    timezone: 'set `timezone` at the top of the file',
    commit: 'the recording workflow always commits the recording back',
    'result-path': 'the workflow collects results from the default place',
  },
  'design-drift': {
    mode: 'design-drift.yml runs `check`; its companion design-drift-report.yml runs `report`',
    handoff: "the companion workflow downloads the check run's result and passes it",
    'head-sha': "the companion workflow passes the check run's head commit",
    'details-url': 'the companion workflow links the check run',
    'api-url': "the runner's GITHUB_API_URL, or the workflow's input",
    timezone: 'set `timezone` at the top of the file',
    'base-ref': "the pull request's base branch is compared automatically",
    'result-path': 'the workflow collects results from the default place',
  },
  escalate: {
    repository: "the workflow escalates the blockers of the run's own repository",
    'result-path': 'the workflow collects results from the default place',
  },
  'daily-wrap': {
    date: "the day's date comes from the `date` input of the run (default: today in `timezone`)",
    timezone: 'set `timezone` at the top of the file',
    commit: 'the wrap workflow always commits its section back',
    'status-file': "daily-wrap.yml writes the day's status file of evidence-archive's `status-file` pattern",
    ref: 'the wrap reads the history of the branch it runs on (the default branch when scheduled)',
    'result-path': 'the workflow collects results from the default place',
  },
  'backlog-grid': {
    repository: "the workflow builds the grid from the run's own repository",
    timezone: 'set `timezone` at the top of the file',
    commit: 'the backlog workflow always commits the grid back',
    branch: 'the grid is committed to the branch the workflow runs on',
    'result-path': 'the workflow collects results from the default place',
  },
  'infra-pulse': {
    date: "the day's date comes from the `date` input of the run (default: today in `timezone`)",
    timezone: 'set `timezone` at the top of the file',
    commit: 'the pulse workflow commits its section of the status file back',
    branch: 'the status file is committed to the branch the workflow runs on',
    'result-path': 'the workflow collects results from the default place',
  },
};

/** Inputs given as a mapping `{key: value}` become `key=value` lines (Helm's --set family). */
const KEY_VALUE_LINES = new Set(['set', 'set-string', 'set-file']);

export function isKeyValueLines(input: string): boolean {
  return KEY_VALUE_LINES.has(input);
}

export function ownedReason(action: string, input: string, spec: InputSpec<unknown>): string | undefined {
  if (spec.secret)
    return 'it is a secret: store it in the repository or environment secrets and the workflow passes it';
  return WORKFLOW_OWNED[action]?.[input];
}

/** The inputs a configuration section may set, in the action's order. */
export function configurableInputs(m: ActionMetadata): string[] {
  return Object.entries(m.inputs)
    .filter(([name, spec]) => ownedReason(m.name, name, spec) === undefined)
    .map(([name]) => name);
}

/**
 * Turns one YAML value of a section into the string the runner would hand the action. Structured
 * values of YAML inputs are written back as YAML; lists of `lines` inputs become one item per line.
 * Returns undefined for a value whose shape the input cannot take (the schema reports it).
 */
export function toInputString(input: string, spec: InputSpec<unknown>, value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  switch (spec.kind) {
    case 'yaml':
      return typeof value === 'string' ? value : stringify(value, { lineWidth: 0 }).trimEnd();
    case 'lines':
      if (Array.isArray(value)) return value.every(isScalar) ? value.map(String).join('\n') : undefined;
      if (isKeyValueLines(input) && isPlainObject(value)) {
        return Object.entries(value).every(([, v]) => isScalar(v))
          ? Object.entries(value)
              .map(([k, v]) => `${k}=${String(v)}`)
              .join('\n')
          : undefined;
      }
      return isScalar(value) ? String(value) : undefined;
    default:
      return isScalar(value) ? String(value) : undefined;
  }
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
