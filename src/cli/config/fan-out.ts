/**
 * Keys a section holds for the workflow rather than for its action: how the section's job fans out
 * over a job matrix. They sit beside the action's inputs (the smoke suites' sharding belongs with
 * the suites) but never reach the action; the `config` action turns them into the job's matrix.
 */
import { ConfigurationError, quote } from '../../lib/errors.js';
import {
  duration,
  integer,
  parseInputs,
  string,
  type InputSchema,
  type InputValues,
} from '../../lib/inputs/spec.js';
import { MAX_SHARDS } from '../../actions/smoke-suite/shards.js';
import { CLUSTER_NAME } from '../../actions/kafka-topic-check/metadata.js';
import { isPlainObject, toInputString } from './sections.js';
import type { ConfigProblem } from './load.js';
import type { JsonSchema } from '../../lib/schema.js';

export const SMOKE_FAN_OUT = {
  shards: string({
    default: '1',
    pattern: /^(auto|[1-9]\d*)$/,
    allowed: '`auto` or a number of shards from 1',
    description:
      'Run the smoke job as a matrix of this many shards (runners), each with its share of the suites planned from their measured durations; `auto`: the fewest shards whose plan fits `shard-target`. 1: one runner.',
  }),
  'shard-target': duration({
    default: '10m',
    min: 1,
    description: 'With `shards: auto`, the wall time one shard should not exceed.',
  }),
  'max-shards': integer({
    default: 16,
    min: 1,
    max: MAX_SHARDS,
    description: 'With `shards: auto`, the most shards to plan.',
  }),
  'max-parallel': integer({
    min: 1,
    max: MAX_SHARDS,
    description: "How many shards run at once (the matrix's max-parallel). Default: all of them.",
  }),
} satisfies InputSchema;

const FOR_THE_WORKFLOW = 'For the workflow (its job matrix), not an input of the action.';

/**
 * The keys' JSON Schema: a count may be written as a number or `auto`. Without `nested` (the
 * loader's first pass) only the keys are known: readFanOut says what is wrong with a value, once.
 */
export function fanOutSchema(
  section: string,
  nested: boolean,
  inputs: Record<string, JsonSchema> = {},
): Record<string, JsonSchema> {
  if (section === 'kafka-topic-check') return { clusters: clustersSchema(nested, inputs) };
  if (section !== 'smoke-suite') return {};
  const d = (k: keyof typeof SMOKE_FAN_OUT) => SMOKE_FAN_OUT[k].description;
  if (!nested)
    return Object.fromEntries(
      Object.keys(SMOKE_FAN_OUT).map((k) => [k, { description: d(k as keyof typeof SMOKE_FAN_OUT) }]),
    );
  return {
    shards: {
      description: d('shards'),
      $comment: FOR_THE_WORKFLOW,
      default: 1,
      anyOf: [
        { type: 'integer', minimum: 1, maximum: MAX_SHARDS },
        { type: 'string', pattern: '^(auto|[1-9][0-9]*)$' },
      ],
    },
    'shard-target': {
      description: d('shard-target'),
      $comment: FOR_THE_WORKFLOW,
      type: 'string',
      default: '10m',
      examples: ['5m', '10m', '1h'],
    },
    'max-shards': {
      description: d('max-shards'),
      $comment: FOR_THE_WORKFLOW,
      type: 'integer',
      minimum: 1,
      maximum: MAX_SHARDS,
      default: 16,
    },
    'max-parallel': {
      description: d('max-parallel'),
      $comment: FOR_THE_WORKFLOW,
      type: 'integer',
      minimum: 1,
      maximum: MAX_SHARDS,
    },
  };
}

export interface SmokeFanOut {
  shards: 'auto' | number;
  targetMs: number;
  maxShards: number;
  maxParallel?: number;
}

/** One Kafka cluster of the day: its name and the kafka-topic-check inputs its job gets. */
export interface KafkaCluster {
  name: string;
  inputs: Record<string, string>;
}

export interface FanOut {
  'smoke-suite'?: SmokeFanOut;
  /** Set when the section lists `clusters`: one check job per cluster. */
  'kafka-topic-check'?: { clusters: KafkaCluster[] };
}

/**
 * The fan-out of each section that has keys for it, or the problems, each at its key. `data` is
 * the whole file; sections the schema already refused are not read again.
 */
export function readFanOut(
  data: Record<string, unknown>,
  workspace: string,
  at: (pointer: string[], message: string) => ConfigProblem,
): { fanOut: FanOut; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const section = data['smoke-suite'];
  if (!isPlainObject(section)) return { fanOut: {}, problems };
  const parsed: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(SMOKE_FAN_OUT)) {
    const raw = key in section ? toInputString(key, spec, section[key]) : '';
    if (raw === undefined) {
      problems.push(
        at(
          ['smoke-suite', key],
          `${quote(JSON.stringify(section[key]))} is not allowed: expected one value, not a list or mapping`,
        ),
      );
      continue;
    }
    try {
      Object.assign(
        parsed,
        parseInputs({ [key]: spec }, () => raw, { workspace }),
      );
    } catch (err) {
      if (!(err instanceof ConfigurationError)) throw err;
      problems.push(at(['smoke-suite', key], err.message));
    }
  }
  if (problems.length) return { fanOut: {}, problems };
  const v = parsed as InputValues<typeof SMOKE_FAN_OUT>;
  if (v.shards !== 'auto' && Number(v.shards) > MAX_SHARDS)
    return {
      fanOut: {},
      problems: [
        at(
          ['smoke-suite', 'shards'],
          `${v.shards} is more than ${MAX_SHARDS}, the most jobs one matrix makes`,
        ),
      ],
    };
  return {
    fanOut: {
      'smoke-suite': {
        shards: v.shards === 'auto' ? 'auto' : Number(v.shards),
        targetMs: v.shardTarget,
        maxShards: v.maxShards,
        ...(v.maxParallel !== undefined ? { maxParallel: v.maxParallel } : {}),
      },
    },
    problems,
  };
}

/**
 * The clusters of the kafka-topic-check section: each is the section with its own keys on top,
 * checked as the action will check it (`parse`), a problem placed at the cluster's own key when it
 * set it and named with the cluster.
 */
export function readClusters(
  section: Record<string, unknown>,
  at: (pointer: string[], message: string) => ConfigProblem,
  parse: (
    merged: Record<string, unknown>,
    where: (pointer: string[], message: string) => ConfigProblem,
  ) => { strings?: Record<string, string>; problems: ConfigProblem[] },
): { clusters: KafkaCluster[]; problems: ConfigProblem[] } {
  const KAFKA = 'kafka-topic-check';
  const list = section.clusters;
  if (!Array.isArray(list) || list.length === 0)
    return {
      clusters: [],
      problems: [
        at(
          [KAFKA, 'clusters'],
          'expected a list of at least one cluster (name, brokers, ...); leave it out for one cluster',
        ),
      ],
    };
  const clusters: KafkaCluster[] = [];
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const [i, c] of list.entries()) {
    const name = isPlainObject(c) ? c.name : undefined;
    const bad =
      typeof name !== 'string' || !CLUSTER_NAME.test(name)
        ? `${quote(JSON.stringify(name ?? null))} is not allowed: each cluster needs a name of letters, digits, dots, dashes and underscores (e.g. main, eu-west)`
        : seen.has(name)
          ? `${quote(name)} names two clusters: each name must be unique (it names the cluster's job and result)`
          : undefined;
    if (bad || !isPlainObject(c) || typeof name !== 'string') {
      problems.push(at([KAFKA, 'clusters', String(i), 'name'], bad ?? 'expected a mapping'));
      continue;
    }
    seen.add(name);
    const { name: _name, ...own } = c;
    const where = (pointer: string[], message: string) =>
      at(
        pointer[1]! in own ? [KAFKA, 'clusters', String(i), ...pointer.slice(1)] : pointer,
        `cluster ${name}: ${message}`,
      );
    const parsed = parse({ ...section, ...own }, where);
    problems.push(...parsed.problems);
    if (parsed.strings) clusters.push({ name, inputs: { ...parsed.strings, cluster: name } });
  }
  return { clusters, problems };
}

const CLUSTERS_HELP =
  "Several Kafka clusters, one check job each (a matrix): each entry has a `name` (it names the job, its result and its part of the report) and any of this section's inputs, which override the section's for that cluster (e.g. its own `brokers` and `topics`). Empty: one cluster, the section's.";

/** `clusters`: a list of the section's inputs with a name; the loader checks each entry itself. */
function clustersSchema(nested: boolean, inputs: Record<string, JsonSchema>): JsonSchema {
  if (!nested) return { description: CLUSTERS_HELP };
  return {
    description: CLUSTERS_HELP,
    $comment: FOR_THE_WORKFLOW,
    type: 'array',
    minItems: 1,
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: CLUSTER_NAME.source, description: 'The name of the cluster.' },
        ...inputs,
      },
    },
  };
}
