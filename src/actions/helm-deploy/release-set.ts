import { ConfigurationError } from '../../lib/errors.js';
import { yaml, type InputSpec } from '../../lib/inputs/spec.js';
import type { JsonSchema } from '../../lib/schema.js';
import { DURATION_PATTERN } from '../../lib/schemas/patterns.js';
import { needsProblems } from './waves.js';

/**
 * One release of a release set, as the `releases` input writes it. Keys are the single-release
 * inputs of the same name; what an entry leaves out comes from the step's inputs (namespace,
 * create-namespace, timeout, atomic, wait) or is empty (values, set, ...).
 */
export interface ReleaseEntry {
  name: string;
  chart: string;
  repository?: string;
  version?: string;
  namespace?: string;
  'create-namespace'?: boolean;
  values?: string[];
  set?: string[];
  'set-string'?: string[];
  'set-file'?: string[];
  needs?: string[];
  atomic?: boolean;
  wait?: boolean;
  timeout?: string;
}

const RELEASE_NAME = '^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$';
const NAMESPACE = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
const stringList = { type: 'array', items: { type: 'string', minLength: 1 } };

export const releasesSchema: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'chart'],
    properties: {
      name: { type: 'string', pattern: RELEASE_NAME },
      chart: { type: 'string', minLength: 1 },
      repository: { type: 'string', minLength: 1 },
      version: { type: 'string', minLength: 1 },
      namespace: { type: 'string', pattern: NAMESPACE },
      'create-namespace': { type: 'boolean' },
      values: stringList,
      set: stringList,
      'set-string': stringList,
      'set-file': stringList,
      needs: { type: 'array', items: { type: 'string', pattern: RELEASE_NAME } },
      atomic: { type: 'boolean' },
      wait: { type: 'boolean' },
      timeout: { type: 'string', pattern: DURATION_PATTERN },
    },
  },
};

const base = yaml<ReleaseEntry[]>({
  schema: releasesSchema,
  description: '',
});

/**
 * The `releases` input: the schema's checks, then the set's own (duplicate names, unknown needs,
 * cycles), so the action and `config check` refuse the same sets with the same words.
 */
export function releasesInput(description: string): InputSpec<ReleaseEntry[] | undefined> {
  return {
    ...base,
    description,
    parse(input, raw, ctx) {
      const entries = base.parse(input, raw, ctx) ?? [];
      const problems = needsProblems(entries.map((e) => ({ name: e.name, needs: e.needs ?? [] })));
      if (problems.length)
        throw new ConfigurationError(
          `input '${input}' is invalid: ${problems.join('; ')}. Each release needs a unique name; 'needs' lists names of other releases of the set, without cycles.`,
        );
      return entries;
    },
  };
}
