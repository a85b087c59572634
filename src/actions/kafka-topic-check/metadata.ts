import { defineAction } from '../../lib/inputs/metadata.js';
import { duration, integer, oneOf, string, yaml } from '../../lib/inputs/spec.js';
import { kafkaSecurityInputs } from '../../lib/inputs/kafka-security.js';
import { resultPathInput } from '../../lib/inputs/common.js';
import { DURATION_PATTERN } from '../../lib/schemas/patterns.js';
import type { JsonSchema } from '../../lib/schema.js';

export interface TopicExpectation {
  name: string;
  'min-messages'?: number;
  'max-age'?: string;
  'min-partitions'?: number;
  'allow-idle'?: boolean;
  schema?: string;
  message?: string;
  owner?: string;
  runbook?: string;
}

export interface GroupExpectation {
  name: string;
  'max-lag'?: number;
  'max-lag-seconds'?: number;
  'commit-interval'?: string;
  topics?: string[];
  owner?: string;
  runbook?: string;
}

const topicsSchema: JsonSchema = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 249, pattern: '^[A-Za-z0-9._-]+$' },
      'min-messages': { type: 'integer', minimum: 0 },
      'max-age': { type: 'string', pattern: DURATION_PATTERN },
      'min-partitions': { type: 'integer', minimum: 1 },
      'allow-idle': { type: 'boolean' },
      schema: { type: 'string', minLength: 1 },
      message: { type: 'string', minLength: 1 },
      owner: { type: 'string' },
      runbook: { type: 'string' },
    },
  },
};

const groupsSchema: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', minLength: 1 },
      'max-lag': { type: 'integer', minimum: 0 },
      'max-lag-seconds': { type: 'number', minimum: 0 },
      'commit-interval': { type: 'string', pattern: DURATION_PATTERN },
      topics: { type: 'array', items: { type: 'string' } },
      owner: { type: 'string' },
      runbook: { type: 'string' },
    },
  },
};

/** A cluster's name: it names its job, its hand-off and its result file. */
export const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export const metadata = defineAction({
  name: 'kafka-topic-check',
  title: 'Command Center: kafka-topic-check',
  description:
    'Prove Kafka topics carry live traffic: metadata, message rates over a window, newest-record age, consumer lag and stalled groups, and schema checks of sampled messages.',
  branding: { icon: 'activity', color: 'purple' },
  inputs: {
    brokers: string({
      required: true,
      pattern: /^\s*[^\s,:]+:\d{1,5}(\s*[,\s]\s*[^\s,:]+:\d{1,5})*\s*$/,
      allowed: 'expected host:port pairs separated by commas or new lines, e.g. kafka-1:9092,kafka-2:9092',
      description: 'Bootstrap brokers, `host:port`, separated by commas or new lines.',
    }),
    topics: yaml<TopicExpectation[]>({
      required: true,
      schema: topicsSchema,
      description:
        'Topics and their expectations as YAML: name, min-messages, max-age, min-partitions, allow-idle, schema (JSON Schema or AsyncAPI file), message (AsyncAPI message name), owner, runbook.',
    }),
    'consumer-groups': yaml<GroupExpectation[]>({
      schema: groupsSchema,
      description:
        'Consumer groups to check as YAML: name, max-lag (committed records), max-lag-seconds, commit-interval (how often the group commits; a frozen offset is STALLED only over a longer window, UNKNOWN otherwise), topics, owner, runbook.',
    }),
    window: duration({
      default: '30s',
      min: 0,
      max: 3_600_000,
      description:
        "How long to observe traffic. End offsets are sampled at its start and end; with consumer groups, committed and end offsets also up to 3 times inside it (at least 1 s apart), to judge which way each group's lag is heading.",
    }),
    lookback: duration({
      default: '1h',
      min: 0,
      max: 7 * 86_400_000,
      description:
        "How far back before the window each partition's own rate is measured (by record time), to judge whether its silence in the window is improbable; 0 turns that judgement off.",
    }),
    'silence-probability': string({
      default: '0.001',
      pattern: /^(0(\.\d+)?|\.\d+|\d+(\.\d+)?e-\d+)$/i,
      allowed: 'expected a probability between 0 and 1, such as 0.001 or 1e-4',
      description:
        'A partition that received nothing in the window is reported when, at its own rate over the lookback, that silence was less likely than this (Poisson: exp(−rate × window)).',
    }),
    sample: integer({
      default: 5,
      min: 0,
      max: 1000,
      description: 'Newest committed messages per partition to read for schema checks and trace ids.',
    }),
    'clock-skew-tolerance': duration({
      default: '1m',
      min: 0,
      max: 86_400_000,
      description:
        'How far in the future a record may be stamped and still date its topic; beyond it, it is reported as clock skew.',
    }),
    ...kafkaSecurityInputs,
    timeout: duration({
      default: '2m',
      min: 1_000,
      description: 'Hard deadline for the whole check, window included.',
    }),
    'fail-on': oneOf(['error', 'warning'] as const, {
      default: 'error',
      description: 'Fail the step on errors only, or on warnings too.',
    }),
    cluster: string({
      pattern: CLUSTER_NAME,
      allowed: 'expected a name of letters, digits, dots, dashes and underscores, e.g. main or eu-west',
      description:
        'A name for the cluster checked, when the day checks several (one job each, in a matrix): it heads the step summary and the status report shows each cluster apart. Empty: the only cluster.',
    }),
    'cluster-credentials': string({
      secret: true,
      description:
        'With `cluster`: the SASL credentials of each cluster, a YAML or JSON mapping of cluster names to `{username, password}` (one secret for a day that checks several clusters). The entry of the named cluster is used instead of `username` and `password`; a cluster it does not list uses those. Every password in it is masked.',
    }),
    'result-path': resultPathInput,
  },
  outputs: {
    healthy: 'true when every expectation held.',
    'topics-checked': 'Number of topics checked.',
    'topics-failed': 'Number of topics that failed an expectation.',
    'groups-failed': 'Number of consumer groups that failed an expectation.',
    'schema-violations': 'Sampled messages that violated their schema.',
    'report-path': 'Path of the JSON report (same file as `result-path`).',
    'result-path': 'Path of the JSON result file.',
  },
});
