import { defineAction } from '../../lib/inputs/metadata.js';
import { boolean, duration, integer, string, yaml } from '../../lib/inputs/spec.js';
import { resultPathInput } from '../../lib/inputs/common.js';
import { suitesSchema, type SuiteConfig } from './suites-schema.js';

export const metadata = defineAction({
  name: 'smoke-suite',
  title: 'Command Center: smoke-suite',
  description:
    "Run the squads' smoke suites in parallel with timeouts and retries, parse their JUnit reports with a streaming engine, and report failures on the right file and line.",
  branding: { icon: 'check-circle', color: 'green' },
  inputs: {
    suites: yaml<SuiteConfig[]>({
      required: true,
      schema: suitesSchema,
      description:
        'The suites as a YAML list (inline or a path to a .yml/.json file). Each has `name`, `run` (a command line, run without a shell unless `shell: true`) and `junit` (glob(s) of the JUnit files it writes, relative to its working directory); optional: `squad`, `owner`, `runbook`, `working-directory`, `timeout` (default 15m), `env`, `required` (default true), `retries` (0-5), `allow-all-skipped` (default false: a run in which every test was skipped is a warning), `alone` (default false: with `shard`, the suite gets a shard of its own).',
    }),
    concurrency: integer({ default: 2, min: 1, max: 64, description: 'How many suites run at once.' }),
    'fail-fast': boolean({
      default: false,
      description: 'Stop starting suites once a required suite has failed (running ones finish).',
    }),
    'max-annotations': integer({
      default: 10,
      min: 0,
      max: 50,
      description:
        'Annotations to emit per level (error, warning, notice), most useful first: required suites, then suite order. GitHub shows 10 per level per step.',
    }),
    'kill-grace': duration({
      default: '10s',
      min: 0,
      max: 600_000,
      description:
        'How long processes get between SIGTERM and SIGKILL when a suite times out, and when a finished suite left processes running (its process group, and every process carrying its marker).',
    }),
    'report-dir': string({
      default: 'smoke-reports',
      description: "Folder (in the workspace) for each suite's attempt logs and the full Markdown report.",
    }),
    shard: string({
      description:
        "Run only this shard's share of the suites, as `k/n` (in a job matrix: the entry's `shard`). Every shard plans the same split from the same suites and `timings`: longest suite first onto the least-loaded shard, using each suite's measured duration (the median for a suite with no history); suites with `alone: true` get a shard of their own. `command-center config shards` prints the matrix. A shard's annotations go into its result instead of onto the step: evidence-archive merges every shard's result into one (each suite counted once) and shows their annotations once each, ranked, within `max-annotations`. Empty: run every suite.",
    }),
    timings: string({
      default: 'docs/sprints/status',
      description:
        'Where the shard plan reads durations: a folder of status days (the newest `<date>/evidence/results/smoke-suite*.json`, so the plan learns from the last day) or a JSON file `{"<suite>": <ms> | "<duration>"}`. Missing: no history (every suite weighs the same).',
    }),
    'result-path': resultPathInput,
  },
  outputs: {
    tests: 'Test cases run (final attempt of each suite).',
    passed: 'Test cases that passed.',
    failed: 'Test cases that failed.',
    errored: 'Test cases that errored.',
    skipped: 'Test cases that were skipped.',
    flaky:
      'Tests that failed and then passed, on a rerun by the test runner or a retry of the suite (each counted once).',
    'failed-suites': 'JSON list of the names of failed suites (required and optional).',
    'report-path':
      'Path of the full Markdown report (the step summary may be shortened to fit its size limit).',
    'result-path': 'Path of the JSON result file.',
  },
});
