import { defineAction } from '../../lib/inputs/metadata.js';
import { boolean, duration, integer, lines, oneOf, string } from '../../lib/inputs/spec.js';
import { resultPathInput } from '../../lib/inputs/common.js';
import { releasesInput } from './release-set.js';

export const metadata = defineAction({
  name: 'helm-deploy',
  title: 'Command Center: helm-deploy',
  description:
    'Deploy a Helm release or a set of releases with dependencies (Helm 3 or 4), verify every workload rolls out in parallel, diagnose failures, roll back, and recover stuck releases.',
  branding: { icon: 'anchor', color: 'blue' },
  inputs: {
    mode: oneOf(['deploy', 'rollback'] as const, {
      default: 'deploy',
      description:
        '`deploy` installs or upgrades the release; `rollback` undoes an earlier deploy (to `revision`, or uninstalls after a first install).',
    }),
    release: string({
      pattern: /^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/,
      allowed: 'expected a Helm release name: lowercase letters, digits and dashes, at most 53 characters',
      description: 'Helm release name. Required unless `releases` is given.',
    }),
    chart: string({
      description:
        'Chart: a path in the workspace, `repo/chart` with `repository`, a repository URL, or an `oci://` reference. Required for `mode: deploy`.',
    }),
    repository: string({ description: 'Chart repository URL, when `chart` is a chart name.' }),
    version: string({ description: 'Chart version constraint (semver); empty means the latest.' }),
    namespace: string({
      default: 'default',
      pattern: /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
      allowed: 'expected a Kubernetes namespace name (RFC 1123 label)',
      description: 'Kubernetes namespace of the release.',
    }),
    'create-namespace': boolean({
      default: false,
      description: 'Create the namespace if it does not exist.',
    }),
    values: lines({ description: 'Values files, one path per line.' }),
    set: lines({ description: 'Values as `key=value`, one per line (never split on commas).' }),
    'set-string': lines({ description: 'String values as `key=value`, one per line.' }),
    'set-file': lines({ description: 'Values read from files as `key=path`, one per line.' }),
    kubeconfig: string({
      secret: true,
      description:
        'Kubeconfig content or path to a kubeconfig file. Masked in logs and never written to the workspace. Default: $KUBECONFIG or ~/.kube/config.',
    }),
    context: string({ description: 'Kubeconfig context to use.' }),
    timeout: duration({
      default: '5m',
      min: 1_000,
      description: 'Helm timeout and the rollout deadline shared by all workloads.',
    }),
    'step-timeout': duration({
      description:
        "The step's `timeout-minutes` as a duration (e.g. `10m`); warns when `timeout` plus rollback would not fit inside it.",
    }),
    atomic: boolean({
      default: true,
      description:
        'Roll back automatically when the deploy fails (Helm 3 `--atomic`, Helm 4 `--rollback-on-failure`).',
    }),
    wait: boolean({
      default: true,
      description: 'Wait for and verify the rollout of every workload in the release.',
    }),
    diff: boolean({
      default: false,
      description:
        'Render what the deploy changes into the summary before deploying: Helm renders the next revision against the cluster (a server-side dry run) and it is compared object by object, hooks included, with the deployed revision.',
    }),
    helm: string({
      default: 'helm',
      description: 'Helm binary to run (name on PATH or a path). Helm 3 and 4 are both supported.',
    }),
    'history-max': integer({
      default: 10,
      min: 0,
      max: 1000,
      description: 'Revisions to keep in the release history (0 keeps all).',
    }),
    'recover-stuck': boolean({
      default: true,
      description: 'Recover a release stuck in pending-install/upgrade/rollback before deploying.',
    }),
    revision: integer({
      min: 1,
      description:
        'For `mode: rollback`: the revision to return to (usually the `previous-revision` output of the deploy step).',
    }),
    releases: releasesInput(
      'A release set as YAML (inline or a file path): a list of releases deployed in one step, each `name`, `chart` and optionally `repository`, `version`, `namespace`, `create-namespace`, `values`, `set`, `set-string`, `set-file` (lists), `atomic`, `wait`, `timeout`, and `needs` (names of releases of the set it waits for). Releases that do not need each other deploy and verify in parallel; a failed release skips its dependents. Omitted settings come from the inputs of the same name. When given, `release` and `chart` must be empty.',
    ),
    revisions: string({
      description:
        'For `mode: rollback` with `releases`: the `releases` output of the deploy step, so each release returns to the revision it had before that step, and a release that step did not change (skipped, failed and undone, or not listed) is left alone. Empty: each release returns to its previous revision.',
    }),
    'max-parallel': integer({
      default: 4,
      min: 1,
      max: 32,
      description: 'With `releases`: how many releases deploy (or roll back) at the same time.',
    }),
    'result-path': resultPathInput,
  },
  outputs: {
    status:
      'Final release status: deployed, failed, rolled-back, uninstalled. For a release set: deployed when every release was, else failed.',
    revision: 'Release revision after the step (empty for a release set: see `releases`).',
    'previous-revision':
      'Revision that was deployed before this step (empty for a first install, and for a release set).',
    'rolled-back': 'true when the step rolled the release (for a set: any release) back.',
    'diagnostics-path':
      'Path of the diagnostics JSON (workload status, pod reasons, events, logs) when something failed.',
    duration: 'Seconds the step took.',
    'result-path': 'Path of the JSON result file.',
    releases:
      'JSON list of the releases the step handled (one for a single release): name, namespace, status, revision, previous-revision, rolled-back, wave.',
  },
});
