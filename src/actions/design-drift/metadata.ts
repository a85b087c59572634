import { defineAction } from '../../lib/inputs/metadata.js';
import { boolean, integer, lines, oneOf, string, timezone } from '../../lib/inputs/spec.js';
import { apiUrlInput, forgeTokenInput, gitRefInput, resultPathInput } from '../../lib/inputs/common.js';

export const metadata = defineAction({
  name: 'design-drift',
  title: 'Command Center: design-drift',
  description:
    'Compare the contracts a pull request declares with the last recorded ones and fail on breaking drift; every change classified by rule id, waivers with expiry.',
  branding: { icon: 'git-pull-request', color: 'red' },
  inputs: {
    mode: oneOf(['check', 'report'] as const, {
      default: 'check',
      description:
        '`check` compares the contracts (read-only, safe on pull requests from forks); `report` takes the JSON result a `check` run handed over (`handoff`) and posts it on the pull request: a sticky comment with the drift table and the commit status `design-drift` on `head-sha`. `report` runs in a `workflow_run` companion that never checks out the pull request (see the README).',
    }),
    declared: lines({
      description:
        'Required with `mode: check`. Globs of the declared contracts (OpenAPI 3.0/3.1, AsyncAPI 2/3, JSON Schema), one per line, relative to the workspace. The walk never enters a linked folder; a matching link to a file is read by its real path, inside the workspace only.',
    }),
    recorded: string({
      description:
        'Recorded contracts folder (default: the newest `<contracts-root>/<yyyy-mm-dd>/`, by the date in its name). With `base-ref`, read as committed on it.',
    }),
    'contracts-root': string({
      default: 'docs/design/contracts',
      description: 'Where dated recordings live.',
    }),
    'base-ref': gitRefInput(
      "The pull request's base (e.g. `origin/main`): the declared contracts are also compared with themselves there, and the recording and the waivers file are read from there, so a pull request's own recording and waiver changes are shown but take effect only after merge. The checkout must contain it (`fetch-depth: 0`).",
    ),
    'fail-on': oneOf(['breaking', 'any-drift', 'none'] as const, {
      default: 'breaking',
      description:
        'What fails the check: breaking changes, any change at all, or nothing (an expired waiver always fails).',
    }),
    waivers: string({
      description:
        'Waivers file (YAML list of rule, path, reason, owner, expires). A waiver silences matching findings through its expiry date; an expired one fails the check. Read from `base-ref` when it is set.',
    }),
    'max-waiver-days': integer({
      default: 90,
      min: 1,
      max: 3650,
      description:
        'Longest a waiver may run: `expires` at most this many days after today. A longer waiver, one whose `rule` is a bare `*` or whose `path` is `/` is refused: not applied, and listed with the reason.',
    }),
    timezone: timezone({
      default: 'America/Los_Angeles',
      description: 'Time zone that decides what "today" is for waiver expiry.',
    }),
    'bypass-label': string({
      description:
        'A pull-request label that turns a failing check into a warning; its use is recorded in the summary and the JSON result.',
    }),
    'allow-external-refs': boolean({
      default: false,
      description:
        'Fetch `$ref`s to http(s) URLs (off: nothing leaves the machine; local file refs are always resolved). Redirects are not followed, and loopback, private and link-local addresses are refused after DNS resolution.',
    }),
    owner: string({ description: 'Squad that owns the contracts, named in failures.' }),
    runbook: string({ description: 'Runbook link named in failures.' }),
    handoff: string({
      description:
        'For `mode: report`: the JSON result of the `check` run (its `result-path`, handed over as an artifact), relative to the workspace. Treated as untrusted data: it must name the pull request and be of `head-sha`.',
    }),
    'head-sha': string({
      pattern: /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/,
      allowed: 'expected a full commit SHA (40 or 64 lowercase hex digits)',
      description:
        'For `mode: report`: the commit the check ran on, from the trusted event (`github.event.workflow_run.head_sha`). A handed-over result of another commit is refused; the status is set on this commit.',
    }),
    'details-url': string({
      pattern: /^https?:\/\/\S+$/,
      allowed: 'expected an http(s) URL',
      description:
        "For `mode: report`: the link of the commit status and the comment, the check's run (`github.event.workflow_run.html_url`). Default: this run's page.",
    }),
    token: forgeTokenInput(
      '`pull-requests: write` (the comment) and `statuses: write` (the commit status), used by `mode: report` only',
    ),
    'api-url': apiUrlInput,
    'result-path': resultPathInput,
  },
  outputs: {
    breaking: 'Number of breaking changes (after waivers).',
    'non-breaking': 'Number of non-breaking changes (after waivers).',
    changes: 'Total number of changes found (including waived and informational ones).',
    waived: 'Number of changes silenced by a waiver.',
    failed: '`true` when the check fails (before the bypass label); `bypassed` when the label let it pass.',
    status: 'For `mode: report`: the state of the `design-drift` commit status set (`success` or `failure`).',
    comment:
      'For `mode: report`: what happened to the sticky comment: `created`, `updated`, `resolved`, `none` (no drift and no earlier comment) or `skipped` (the pull request moved on to a newer head).',
    'result-path': 'Path of the JSON result file.',
  },
});
