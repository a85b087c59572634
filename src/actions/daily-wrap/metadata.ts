import { defineAction } from '../../lib/inputs/metadata.js';
import { boolean, date, duration, integer, lines, string, timezone, yaml } from '../../lib/inputs/spec.js';
import { queriesSchema, type MetricQuery } from '../../lib/evidence/queries.js';
import { statusCommitInputs, gitRefInput, resultPathInput } from '../../lib/inputs/common.js';

export const metadata = defineAction({
  name: 'daily-wrap',
  title: 'Command Center: daily-wrap',
  description:
    "The day's wrap in its section of the day's status file: the morning's Infra Pulse verdict, the team's metric snapshots from Prometheus, the contract updates since the previous wrap (new recordings and changed declared contracts, read from git history), and a note when the previous wrap is too old for the twice-a-week minimum.",
  branding: { icon: 'sunset', color: 'orange' },
  inputs: {
    date: date({ description: "The day's date, exactly YYYY-MM-DD. Default: today in `timezone`." }),
    timezone: timezone({
      default: 'America/Los_Angeles',
      description: 'Time zone that decides what "today" is and how times are shown.',
    }),
    'status-file': string({
      default: 'docs/sprints/status/{date}.md',
      description:
        "The day's status file ({date} is replaced). The wrap writes its `daily-wrap` section and reads the `infra-pulse` one; the other sections and a person's notes are kept. Earlier wraps are found in the history of the files of this pattern.",
    }),
    ref: gitRefInput(
      "The history to read contract changes and earlier wraps from (a branch, e.g. `origin/main`, or a commit). Default: the checkout's HEAD, which a scheduled run has on the default branch. The checkout needs the history (`fetch-depth: 0`).",
    ),
    'contracts-dir': string({
      default: 'docs/design/contracts',
      description:
        'Folder of the contract recordings (one folder per recording); recordings added since the previous wrap are listed.',
    }),
    declared: lines({
      default: 'docs/design/declared',
      description:
        'Paths (or git pathspecs) of the declared contracts, one per line; commits that changed them since the previous wrap are listed.',
    }),
    'max-gap-days': integer({
      default: 4,
      min: 1,
      max: 31,
      description:
        'The twice-a-week minimum: a previous wrap more than this many days before today gets a note that the minimum was missed.',
    }),
    'first-window': duration({
      default: '7d',
      min: 86_400_000,
      max: 366 * 86_400_000,
      description:
        'Without any earlier wrap in the history, contract changes of this long before today are listed.',
    }),
    'prometheus-url': string({
      pattern: /^https?:\/\/\S+$/,
      allowed: 'expected an http(s) URL such as http://prometheus:9090',
      description:
        "Prometheus base URL for the metric snapshots (the team's dashboard panels). Empty: the wrap has no metric snapshots.",
    }),
    'prometheus-auth-header': string({
      secret: true,
      description: 'Header sent to Prometheus, e.g. `Authorization: Bearer ...` (masked, never written).',
    }),
    'metrics-range': duration({
      default: '8h',
      min: 60_000,
      max: 7 * 86_400_000,
      description: 'The window of the metric snapshots, ending now (default: a working day).',
    }),
    queries: yaml<MetricQuery[]>({
      schema: queriesSchema,
      description:
        "The panels to snapshot, as evidence-archive's `queries` take them (`name`, `query`, `unit`, `squad`, `panel`; a default panel's name may leave out `query`; chart, range and limit keys are accepted and not used here). Empty: the team's dashboard panels.",
    }),
    commit: boolean({
      default: false,
      description:
        'Commit the status file back to `branch` (only its `daily-wrap` section changes; rendered again from the branch at each push attempt, so concurrent writers all land).',
    }),
    ...statusCommitInputs('daily wrap'),
    'result-path': resultPathInput,
  },
  outputs: {
    'pulse-verdict':
      "The morning pulse's verdict read from the status file (OK, WARN, FAIL, UNKNOWN), or `none`.",
    'new-recordings': 'JSON list of the contract recording folders added since the previous wrap.',
    'declared-changes': 'Number of commits that changed declared contracts since the previous wrap.',
    'previous-wrap': 'Date of the previous wrap (empty when there is none).',
    'missed-minimum': 'true when the previous wrap is older than `max-gap-days`.',
    'status-file': 'Repository path of the status file written.',
    'commit-sha': 'SHA of the commit pushed (empty when nothing was committed).',
    'result-path': 'Path of the JSON result file.',
  },
});
