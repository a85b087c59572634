import { defineAction } from '../../lib/inputs/metadata.js';
import { boolean, integer, string, yaml } from '../../lib/inputs/spec.js';
import { resultPathInput } from '../../lib/inputs/common.js';
import { suitesSchema, type SuiteConfig } from './suites-schema.js';

export const metadata = defineAction({
  name: 'smoke-suite',
  title: 'Command Center: smoke-suite',
  description: "Run the squads' smoke suites in parallel with timeouts and retries, parse their JUnit reports with a streaming engine, and report failures on the right file and line.",
  branding: { icon: 'check-circle', color: 'green' },
  inputs: {
    suites: yaml<SuiteConfig[]>({ required: true, schema: suitesSchema, description: 'The suites as a YAML list (inline or a file path): name, squad, run, working-directory, junit, timeout, env, required, retries, shell.' }),
    concurrency: integer({ default: 2, min: 1, max: 64, description: 'How many suites run at once.' }),
    'fail-fast': boolean({ default: false, description: 'Stop starting suites after a required suite fails (running ones finish).' }),
    'max-annotations': integer({ default: 10, min: 0, max: 50, description: 'Failure annotations to emit (GitHub shows 10 per type per step).' }),
    'report-dir': string({ default: 'smoke-reports', description: 'Folder (in the workspace) for suite logs and the combined report.' }),
    'result-path': resultPathInput,
  },
  outputs: {
    passed: 'Test cases that passed.',
    failed: 'Test cases that failed.',
    errored: 'Test cases that errored.',
    skipped: 'Test cases that were skipped.',
    flaky: 'Test cases that failed and then passed on retry.',
    'failed-suites': 'JSON list of the names of failed suites.',
    'result-path': 'Path of the JSON result file.',
  },
});
