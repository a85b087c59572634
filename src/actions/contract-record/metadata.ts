import { defineAction } from '../../lib/inputs/metadata.js';
import { boolean, date, duration, integer, string, timezone, yaml } from '../../lib/inputs/spec.js';
import {
  apiUrlInput,
  autoMergeInput,
  commitMessageInput,
  commitModeInput,
  forgeTokenInput,
  resultPathInput,
} from '../../lib/inputs/common.js';
import { kafkaSecurityInputs } from '../../lib/inputs/kafka-security.js';
import type { JsonSchema } from '../../lib/schema.js';

export interface EndpointsConfig {
  services: {
    name: string;
    url: string;
    squad?: string;
    runbook?: string;
    documents?: string[];
    requests?: {
      name: string;
      method?: string;
      path: string;
      body?: unknown;
      headers?: Record<string, string>;
      capture?: string[];
    }[];
    bundles?: { name: string; path: string; keys?: string }[];
  }[];
  kafka?: { brokers: string[] | string; topics: string[]; messages?: number };
}

const endpointsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['services'],
  properties: {
    services: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'url'],
        properties: {
          name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
          url: { type: 'string', pattern: '^https?://' },
          squad: { type: 'string' },
          runbook: {
            type: 'string',
            // A URL, or a path in the repository (an #anchor allowed) that stays inside it.
            pattern: '^(https?://\\S+|(?!/)(?!(.*/)?\\.\\.(/|#|$))[^\\s]+)$',
          },
          documents: { type: 'array', items: { type: 'string', pattern: '^/' } },
          requests: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'path'],
              properties: {
                name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
                method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] },
                path: { type: 'string', pattern: '^/' },
                body: {},
                headers: { type: 'object', additionalProperties: { type: 'string' } },
                capture: { type: 'array', items: { type: 'string' } },
              },
            },
          },
          bundles: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'path'],
              properties: {
                name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
                path: { type: 'string', pattern: '^/' },
                keys: { type: 'string', pattern: '^/' },
              },
            },
          },
        },
      },
    },
    kafka: {
      type: 'object',
      additionalProperties: false,
      required: ['brokers', 'topics'],
      properties: {
        brokers: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        topics: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' } },
        messages: { type: 'integer', minimum: 1, maximum: 1000 },
      },
    },
  },
};

export const metadata = defineAction({
  name: 'contract-record',
  title: 'Command Center: contract-record',
  description:
    'Record the API and streaming contracts staging really serves (OpenAPI, AsyncAPI, sampled requests and messages) into a dated folder with a README describing every schema.',
  branding: { icon: 'file-text', color: 'gray-dark' },
  inputs: {
    endpoints: yaml<EndpointsConfig>({
      required: true,
      schema: endpointsSchema,
      description:
        'Services (name, url, squad, runbook (default docs/runbooks/<name>.md when it exists), documents such as /openapi.json, sample requests with headers to capture, signed bundles to verify) and Kafka topics to sample (brokers, topics, messages), as YAML or a .yml/.json file.',
    }),
    date: date({ description: 'Recording date, exactly YYYY-MM-DD. Default: today in `timezone`.' }),
    timezone: timezone({
      default: 'America/Los_Angeles',
      description: 'Time zone that decides what "today" is.',
    }),
    'output-dir': string({
      default: 'docs/design/contracts/{date}',
      description:
        'Folder for the recording, inside the workspace; {date} is replaced. Its previous content is replaced.',
    }),
    'request-timeout': duration({ default: '15s', min: 100, description: 'Timeout for each HTTP request.' }),
    // The same security inputs as kafka-topic-check, for the brokers of `endpoints.kafka`.
    ...kafkaSecurityInputs,
    commit: boolean({ default: false, description: 'Commit the recording back to the repository.' }),
    branch: string({
      description:
        'Branch the recording belongs on (with `commit-mode: pull-request`, the base of the pull request). Default: the branch of the run.',
    }),
    'commit-message': commitMessageInput('contract recording'),
    'push-attempts': integer({
      default: 5,
      min: 1,
      max: 20,
      description: 'Push attempts; a rejected push is fetched, rebased and retried.',
    }),
    'commit-mode': commitModeInput,
    'auto-merge': autoMergeInput,
    token: forgeTokenInput(
      '`contents: write` and `pull-requests: write` with `commit-mode: pull-request` (unused otherwise)',
    ),
    'api-url': apiUrlInput,
    'result-path': resultPathInput,
  },
  outputs: {
    'output-dir': 'Folder the recording was written to.',
    'index-path': 'Path of index.json (hashes of every recorded file).',
    files: 'Number of files recorded.',
    'signatures-verified': '`true` when every signed bundle verified (empty when none was recorded).',
    'commit-sha': 'SHA of the commit pushed (empty when not committed).',
    'pull-request-number':
      'With `commit-mode: pull-request`: the number of the pull request opened or updated (empty when none was needed).',
    'pull-request-url': 'With `commit-mode: pull-request`: the web address of that pull request.',
    'result-path': 'Path of the JSON result file.',
  },
});
