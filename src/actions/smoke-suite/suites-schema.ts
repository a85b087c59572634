import type { JsonSchema } from '../../lib/schema.js';
import { DURATION_PATTERN } from '../../lib/schemas/patterns.js';

export interface SuiteConfig {
  name: string;
  squad?: string;
  run: string;
  shell?: boolean;
  'working-directory'?: string;
  junit?: string | string[];
  timeout?: string;
  env?: Record<string, string | number | boolean>;
  required?: boolean;
  retries?: number;
  owner?: string;
  runbook?: string;
}


export const suitesSchema: JsonSchema = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'run'],
    properties: {
      name: { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]*$' },
      squad: { type: 'string' },
      owner: { type: 'string' },
      runbook: { type: 'string' },
      run: { type: 'string', minLength: 1 },
      shell: { type: 'boolean' },
      'working-directory': { type: 'string' },
      junit: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      timeout: { type: 'string', pattern: DURATION_PATTERN },
      env: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
      required: { type: 'boolean' },
      retries: { type: 'integer', minimum: 0, maximum: 5 },
    },
  },
};
