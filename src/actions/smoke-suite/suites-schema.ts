import type { JsonSchema } from '../../lib/schema.js';
import { DURATION_PATTERN } from '../../lib/schemas/patterns.js';

/** One suite as written in the `suites` input. */
export interface SuiteConfig {
  name: string;
  squad?: string;
  owner?: string;
  runbook?: string;
  run: string;
  shell?: boolean;
  'working-directory'?: string;
  junit: string | string[];
  timeout?: string;
  env?: Record<string, string | number | boolean>;
  required?: boolean;
  retries?: number;
  'allow-all-skipped'?: boolean;
  alone?: boolean;
}

export const suitesSchema: JsonSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 100,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'run', 'junit'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]*$' },
      squad: { type: 'string', minLength: 1 },
      owner: { type: 'string', minLength: 1 },
      runbook: { type: 'string', minLength: 1 },
      run: { type: 'string', minLength: 1 },
      shell: { type: 'boolean' },
      'working-directory': { type: 'string', minLength: 1 },
      junit: {
        anyOf: [
          { type: 'string', minLength: 1 },
          { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        ],
      },
      timeout: { type: 'string', pattern: DURATION_PATTERN },
      env: {
        type: 'object',
        propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
        additionalProperties: { type: ['string', 'number', 'boolean'] },
      },
      required: { type: 'boolean' },
      retries: { type: 'integer', minimum: 0, maximum: 5 },
      'allow-all-skipped': { type: 'boolean' },
      alone: { type: 'boolean' },
    },
  },
};
