import { defineAction } from '../../lib/inputs/metadata.js';
import { date, duration, lines, oneOf, string } from '../../lib/inputs/spec.js';
import { gitRefInput } from '../../lib/inputs/common.js';
import { CLUSTER_NAME } from '../../actions/kafka-topic-check/metadata.js';

/**
 * The small action the Integration Day workflows use between the six: it loads and checks the
 * configuration file and hands it to each job (`load`), and carries the actions' JSON results from
 * the jobs that make them to the evidence job (`hand-off`, `collect`) through the run's artifacts.
 * config/action.yml is kept equal to this by a test.
 */
export const workflowActionMetadata = defineAction({
  name: 'config',
  title: 'Command Center: Integration Day configuration',
  description:
    "Load and check the Integration Day configuration file and hand each job its inputs; carry the actions' results from job to job.",
  branding: { icon: 'settings', color: 'gray-dark' },
  inputs: {
    command: oneOf(['load', 'hand-off', 'collect', 'record-rollback'] as const, {
      default: 'load',
      description:
        "`load` checks the configuration file and outputs each action's inputs; `hand-off` uploads this job's results for the evidence job; `collect` downloads every job's results into `$RUNNER_TEMP/command-center/` and its other files into `$RUNNER_TEMP/command-center-files/<job>/`, with a record of which job handed over each file (and its path in that job's workspace, which names it in the evidence folder); `record-rollback` adds the rollback's outcome (from which revision to which, and why) to the day's status file as its own section and commits it back.",
    }),
    file: string({
      default: 'integration-day.config.yml',
      description: 'For `load`: the configuration file, relative to the repository root.',
    }),
    ref: gitRefInput(
      "For `load`: read the file as committed on this git ref (`git show <ref>:<file>`) instead of the checkout, e.g. a pull request's base branch (`origin/main`), so that a pull request cannot change the configuration that checks it. The checkout must contain the ref (`fetch-depth: 0`).",
    ),
    sections: lines({
      description: 'For `load`: sections that must be present, one per line (e.g. `smoke-suite`).',
    }),
    date: date({
      description:
        "For `load`: the day's date, exactly YYYY-MM-DD (default: today in the configuration's `timezone`). For `record-rollback`: the date the day is filed under.",
    }),
    'deploy-step-timeout': duration({
      description:
        "For `load`: the deploy step's timeout; Helm's `timeout` (doubled when it may roll back) plus a minute must fit in it.",
    }),
    files: lines({
      description:
        'For `hand-off`: more files to hand over besides the results (globs relative to the workspace), e.g. `smoke-reports/**`.',
    }),
    shard: string({
      description:
        "For `hand-off` in a job matrix: this job's share, `k/n` (the matrix entry's `shard`), so every shard hands over its own results. Empty: the job is not sharded.",
    }),
    cluster: string({
      pattern: CLUSTER_NAME,
      allowed: 'expected a name of letters, digits, dots, dashes and underscores',
      description:
        "For `hand-off` in a job matrix over Kafka clusters: this job's cluster (the matrix entry's `cluster`), so every cluster hands over its own result. Empty: one cluster.",
    }),
    'status-file': string({
      description:
        "For `record-rollback`: the day's status file, relative to the repository root (the evidence job's `status-file` output).",
    }),
    'rollback-result': string({
      description:
        "For `record-rollback`: helm-deploy's result file of the rollback (its `result-path` output); empty when the rollback step wrote none.",
    }),
    'failed-suites': string({
      description:
        "For `record-rollback`: why the release was rolled back, as smoke-suite's `failed-suites` output (a JSON list of suite names).",
    }),
    branch: string({
      description:
        "For `record-rollback`: the branch the day's report was committed to (default: the branch the workflow runs on).",
    }),
    'commit-mode': oneOf(['push', 'pull-request'] as const, {
      default: 'push',
      description:
        "For `record-rollback`: how the day's report was committed; with `pull-request` the rollback is added to the evidence pull request's branch.",
    }),
  },
  outputs: {
    date: "For `load`: the day's date (YYYY-MM-DD).",
    timezone: 'For `load`: the time zone of the configuration.',
    setup: "For `load`: the smoke job's `setup` commands as one bash script (empty when there are none).",
    'setup-jobs':
      "For `load`: every job's `setup` commands as a JSON object of bash scripts by job id (deploy, smoke, kafka, evidence, rollback, record, drift; empty string when a job has none).",
    'smoke-matrix':
      "For `load`: the smoke job's `strategy.matrix` as JSON (`fromJSON`): one entry per shard with its `shard` (`k/n`), `suites` and `planned-ms`, planned from the suites' measured durations; a single entry with an empty `shard` when the configuration does not shard (`smoke-suite.shards`).",
    'smoke-shards':
      "For `load`: how many shards the smoke plan has (empty when not sharded); evidence-archive's `expected-steps` takes it, so a shard that never reports is missing, not passed.",
    'smoke-max-parallel': 'For `load`: how many shards of the smoke matrix run at once.',
    'kafka-matrix':
      "For `load`: the Kafka job's `strategy.matrix` as JSON: one entry per cluster of `kafka-topic-check.clusters`, each with its `cluster` name and the `inputs` its check gets; one entry with an empty `cluster` and the section's inputs when there is one cluster.",
    'kafka-clusters':
      "For `load`: the clusters' names, comma-separated (empty for one cluster); evidence-archive's `expected-steps` takes them, so a cluster whose job never reports is missing.",
    'helm-deploy': 'For `load`: the inputs of helm-deploy as a JSON object of strings.',
    'smoke-suite': 'For `load`: the inputs of smoke-suite as a JSON object of strings.',
    'kafka-topic-check': 'For `load`: the inputs of kafka-topic-check as a JSON object of strings.',
    'evidence-archive': 'For `load`: the inputs of evidence-archive as a JSON object of strings.',
    'contract-record': 'For `load`: the inputs of contract-record as a JSON object of strings.',
    'design-drift': 'For `load`: the inputs of design-drift as a JSON object of strings.',
    escalate: 'For `load`: the inputs of escalate as a JSON object of strings.',
    'backlog-grid': 'For `load`: the inputs of backlog-grid as a JSON object of strings.',
    'infra-pulse': 'For `load`: the inputs of infra-pulse as a JSON object of strings.',
    'daily-wrap': 'For `load`: the inputs of daily-wrap as a JSON object of strings.',
    files: 'For `hand-off` and `collect`: the number of files handed over or collected.',
    'commit-sha': 'For `record-rollback`: the commit that added the rollback to the status file.',
  },
});
