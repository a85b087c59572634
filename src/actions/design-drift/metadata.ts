import { defineAction } from '../../lib/inputs/metadata.js';
import { boolean, lines, oneOf, string } from '../../lib/inputs/spec.js';
import { resultPathInput } from '../../lib/inputs/common.js';

export const metadata = defineAction({
  name: 'design-drift',
  title: 'Command Center: design-drift',
  description: 'Compare the contracts a pull request declares with the last recorded ones and fail on breaking drift; every change classified by rule id, waivers with expiry.',
  branding: { icon: 'git-pull-request', color: 'red' },
  inputs: {
    declared: lines({ required: true, description: 'Globs of the declared contracts (OpenAPI 3.0/3.1, AsyncAPI 2/3, JSON Schema), one per line.' }),
    recorded: string({ description: 'Recorded contracts folder (default: the newest docs/design/contracts/<date>/).' }),
    'contracts-root': string({ default: 'docs/design/contracts', description: 'Where dated recordings live.' }),
    'base-ref': string({ description: 'Also compare with the declared contracts on this git ref (e.g. the base branch).' }),
    'fail-on': oneOf(['breaking', 'any-drift', 'none'] as const, { default: 'breaking', description: 'What fails the check.' }),
    waivers: string({ description: 'Waivers file (YAML: rule, path, reason, owner, expires). An expired waiver fails the check.' }),
    'bypass-label': string({ description: 'A pull-request label that turns failures into warnings; its use is recorded in the summary.' }),
    'allow-external-refs': boolean({ default: false, description: 'Allow fetching external `$ref`s over HTTP (off: nothing leaves the machine).' }),
    'result-path': resultPathInput,
  },
  outputs: {
    breaking: 'Number of breaking changes (after waivers).',
    'non-breaking': 'Number of non-breaking changes.',
    changes: 'Total number of changes found.',
    'result-path': 'Path of the JSON result file.',
  },
});
