import type { InputSpec } from '../../lib/inputs/spec.js';
import type { ActionMetadata } from '../../lib/inputs/metadata.js';
import type { JsonSchema } from '../../lib/schema.js';
import { DURATION_HELP } from '../../lib/duration.js';
import { configurableInputs, isKeyValueLines } from './sections.js';
import { SETUP_SCHEMA } from './setup.js';
import { fanOutSchema } from './fan-out.js';

export const CONFIG_SCHEMA_ID = 'https://command-center.dev/schemas/integration-day.config.schema.json';
export const DEFAULT_TIMEZONE = 'America/Los_Angeles';

/**
 * The JSON Schema of the Integration Day configuration file, generated from the actions' own input
 * metadata: one section per action whose keys are that action's inputs. Editors use it for
 * completion; the loader uses it for the first round of checks (each input's own parser does the rest).
 */
export function configSchema(
  actions: readonly ActionMetadata[],
  opts: { nested?: boolean } = {},
): JsonSchema {
  const nested = opts.nested ?? true;
  const properties: Record<string, JsonSchema> = {
    $schema: { type: 'string', description: 'This schema, for editors.' },
    timezone: {
      type: 'string',
      default: DEFAULT_TIMEZONE,
      description:
        'IANA time zone that decides the date of the day (and of recordings and waiver expiry). Every action that takes a time zone gets this one.',
    },
    // The loader checks `setup` in the shape it is written (list or mapping) for precise messages.
    setup: nested ? SETUP_SCHEMA : { description: SETUP_SCHEMA.description },
  };
  for (const m of actions) {
    const inputs: Record<string, JsonSchema> = {};
    for (const name of configurableInputs(m)) inputs[name] = inputSchema(name, m.inputs[name]!, nested);
    Object.assign(inputs, fanOutSchema(m.name, nested, { ...inputs }));
    properties[m.name] = {
      type: 'object',
      additionalProperties: false,
      description: `Inputs of the ${m.name} action (${m.description}) — see actions/${m.name}/README.md.`,
      properties: inputs,
    };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: CONFIG_SCHEMA_ID,
    title: 'Command Center: Integration Day configuration',
    description:
      'One file in the calling repository: the chart and values to deploy, the smoke suites, the Kafka topics and their expectations, the metrics and dashboards to archive, the contract endpoints to record, and the contracts the drift gate compares. Each section holds the inputs of one action.',
    type: 'object',
    additionalProperties: false,
    properties,
  };
}

function inputSchema(name: string, spec: InputSpec<unknown>, nested: boolean): JsonSchema {
  const base: JsonSchema = { description: spec.description };
  const withDefault = (s: JsonSchema, parse: (d: string) => unknown = (d) => d): JsonSchema =>
    spec.default !== undefined && spec.default !== '' ? { ...s, default: parse(spec.default) } : s;
  switch (spec.kind) {
    case 'boolean':
      return withDefault({ ...base, type: 'boolean' }, (d) => d === 'true');
    case 'integer':
      return withDefault({ ...base, type: 'integer' }, Number);
    case 'enum':
      return withDefault({ ...base, enum: [...(spec.values ?? [])] });
    case 'duration':
      // No pattern here: the input's own parser says what a duration looks like.
      return withDefault({
        ...base,
        type: 'string',
        examples: ['90s', '5m', '1h30m'],
        $comment: DURATION_HELP,
      });
    case 'date':
      return { ...base, type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
    case 'lines': {
      const list: JsonSchema = { type: 'array', items: { type: ['string', 'number', 'boolean'] } };
      const options: JsonSchema[] = [list, { type: 'string' }];
      if (isKeyValueLines(name))
        options.unshift({ type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } });
      return withDefault({ ...base, anyOf: options });
    }
    case 'yaml':
      // Inline YAML as a string, or a path to a .yml/.json file, is accepted as the action accepts it.
      // Without `nested`, the document itself is left to a second pass that reports exact locations.
      if (!nested) return base;
      return {
        ...base,
        anyOf: [
          spec.schema ?? {},
          {
            type: 'string',
            description: 'Inline YAML, or a path to a .yml/.yaml/.json file in the repository.',
          },
        ],
      };
    default:
      return withDefault({ ...base, type: 'string' });
  }
}
