import { defineAction } from '../../lib/inputs/metadata.js';
import { boolean, date, duration, lines, oneOf, string, timezone, yaml } from '../../lib/inputs/spec.js';
import { statusCommitInputs, resultPathInput } from '../../lib/inputs/common.js';
import { DURATION_PATTERN } from '../../lib/schemas/patterns.js';
import type { JsonSchema } from '../../lib/schema.js';

export interface KafkaSection {
  brokers: string;
  'expected-brokers'?: number;
  'max-metadata-rtt'?: string;
  'sasl-mechanism'?: 'none' | 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username?: string;
  ssl?: boolean;
  'ssl-ca'?: string;
  owner?: string;
  runbook?: string;
  required?: boolean;
}

interface Common {
  name: string;
  address?: string;
  owner?: string;
  runbook?: string;
  required?: boolean;
  'max-latency'?: string;
  'warn-ratio'?: number;
  'fail-ratio'?: number;
  'tls-ca'?: string;
}

export interface RedisEntry extends Common {
  address: string;
  role?: 'primary' | 'replica';
  username?: string;
  tls?: boolean;
  'min-replicas'?: number;
  'max-replica-lag'?: string;
  'max-evicted-keys'?: number;
}

export interface PostgresEntry extends Common {
  url?: string;
  database?: string;
  user?: string;
  role?: 'primary' | 'standby';
  tls?: 'disable' | 'require' | 'verify-full';
  'min-standbys'?: number;
  'max-replay-lag'?: string;
  'max-replay-lag-bytes'?: number;
  'max-transaction-age'?: string;
  'fail-transaction-age'?: string;
}

const ADDRESS = '^[^\\s,:/]+:\\d{1,5}$';
const NAME = '^[A-Za-z0-9._-]+$';
const ratio = { type: 'number', exclusiveMinimum: 0, maximum: 1 };
const common = {
  name: { type: 'string', minLength: 1, maxLength: 64, pattern: NAME },
  owner: { type: 'string', minLength: 1 },
  runbook: { type: 'string', minLength: 1 },
  required: { type: 'boolean' },
  'max-latency': { type: 'string', pattern: DURATION_PATTERN },
  'warn-ratio': ratio,
  'fail-ratio': ratio,
  'tls-ca': { type: 'string', minLength: 1 },
};

const kafkaSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['brokers'],
  properties: {
    brokers: { type: 'string', pattern: '^\\s*[^\\s,:]+:\\d{1,5}(\\s*[,\\s]\\s*[^\\s,:]+:\\d{1,5})*\\s*$' },
    'expected-brokers': { type: 'integer', minimum: 1 },
    'max-metadata-rtt': { type: 'string', pattern: DURATION_PATTERN },
    'sasl-mechanism': { type: 'string', enum: ['none', 'plain', 'scram-sha-256', 'scram-sha-512'] },
    username: { type: 'string', minLength: 1 },
    ssl: { type: 'boolean' },
    'ssl-ca': { type: 'string', minLength: 1 },
    owner: common.owner,
    runbook: common.runbook,
    required: common.required,
  },
};

const redisSchema: JsonSchema = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'address'],
    properties: {
      ...common,
      address: { type: 'string', pattern: ADDRESS },
      role: { type: 'string', enum: ['primary', 'replica'] },
      username: { type: 'string', minLength: 1 },
      tls: { type: 'boolean' },
      'min-replicas': { type: 'integer', minimum: 0 },
      'max-replica-lag': { type: 'string', pattern: DURATION_PATTERN },
      'max-evicted-keys': { type: 'integer', minimum: 0 },
    },
  },
};

const postgresSchema: JsonSchema = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      ...common,
      // Deliberately no pattern: a connection string may hold a password, and a schema error quotes the value.
      url: { type: 'string', minLength: 1 },
      address: { type: 'string', pattern: ADDRESS },
      database: { type: 'string', minLength: 1 },
      user: { type: 'string', minLength: 1 },
      role: { type: 'string', enum: ['primary', 'standby'] },
      tls: { type: 'string', enum: ['disable', 'require', 'verify-full'] },
      'min-standbys': { type: 'integer', minimum: 0 },
      'max-replay-lag': { type: 'string', pattern: DURATION_PATTERN },
      'max-replay-lag-bytes': { type: 'integer', minimum: 0 },
      'max-transaction-age': { type: 'string', pattern: DURATION_PATTERN },
      'fail-transaction-age': { type: 'string', pattern: DURATION_PATTERN },
    },
  },
};

const URL_PATTERN = /^https?:\/\/\S+$/;

export const metadata = defineAction({
  name: 'infra-pulse',
  title: 'Command Center: infra-pulse',
  description:
    "The morning's infrastructure pulse: Kafka, Redis and PostgreSQL (reachability, latency, replication, capacity), the alerts firing in Alertmanager grouped by squad with their trace links, scrape targets that are down, and planned maintenance (silences). Every check runs in parallel inside one deadline and ends OK, WARN, FAIL or UNKNOWN with its thresholds, owner and runbooks.",
  branding: { icon: 'heart', color: 'red' },
  inputs: {
    kafka: yaml<KafkaSection>({
      schema: kafkaSchema,
      description:
        'The Kafka cluster as YAML: `brokers` (host:port list), `expected-brokers`, `max-metadata-rtt` (WARN above, default 500ms), `sasl-mechanism`, `username`, `ssl`, `ssl-ca`, `owner`, `runbook`, `required` (default true). Empty: Kafka is not checked.',
    }),
    'kafka-password': string({
      secret: true,
      description: 'SASL password for Kafka (masked; never written).',
    }),
    redis: yaml<RedisEntry[]>({
      schema: redisSchema,
      description:
        'Redis servers as YAML, one entry each: `name`, `address` (host:port), `role` (primary or replica, as expected), `username` (ACL user), `tls`, `tls-ca`, `min-replicas` (a primary with fewer connected replicas WARNs), `max-latency` (PING, WARN above, default 100ms), `max-replica-lag` (WARN above, default 10s), `warn-ratio` / `fail-ratio` (memory against maxmemory and clients against maxclients, default 0.8 / 0.95), `max-evicted-keys` (WARN above, default 0), `owner`, `runbook`, `required` (default true).',
    }),
    'redis-password': string({
      secret: true,
      description:
        'Password of the Redis ACL user (or requirepass) for every Redis entry (masked; never written).',
    }),
    postgres: yaml<PostgresEntry[]>({
      schema: postgresSchema,
      description:
        'PostgreSQL servers as YAML, one entry each: `name`, `address` (host:port) with `database` (default postgres) and `user`, or `url` (a postgres:// connection string; a password in it is masked); `role` (primary or standby, as expected), `tls` (disable, require, verify-full), `tls-ca`, `min-standbys` (a primary with fewer streaming standbys WARNs), `max-latency` (SELECT 1, WARN above, default 250ms), `max-replay-lag` (WARN above, default 30s), `max-replay-lag-bytes` (WARN above, default 16 MiB), `warn-ratio` / `fail-ratio` (connections against max_connections, default 0.8 / 0.95), `max-transaction-age` (WARN above, default 5m), `fail-transaction-age` (FAIL above, default 1h), `owner`, `runbook`, `required` (default true). The role needs pg_monitor to see other sessions and replication.',
    }),
    'postgres-password': string({
      secret: true,
      description: 'Password for every PostgreSQL entry whose `url` has none (masked; never written).',
    }),
    'alertmanager-url': string({
      pattern: URL_PATTERN,
      allowed: 'expected an http(s) URL such as http://alertmanager:9093',
      description:
        'Alertmanager base URL: firing alerts (`/api/v2/alerts`) and planned maintenance (silences). Unreachable: the alerts check is UNKNOWN, never OK.',
    }),
    'alertmanager-auth-header': string({
      secret: true,
      description: 'Header sent to Alertmanager, e.g. `Authorization: Bearer ...` (masked, never written).',
    }),
    'prometheus-url': string({
      pattern: URL_PATTERN,
      allowed: 'expected an http(s) URL such as http://prometheus:9090',
      description:
        'Prometheus base URL: scrape targets that are down, and the alerts of its rules when no `alertmanager-url` is given (no silences then).',
    }),
    'prometheus-auth-header': string({
      secret: true,
      description: 'Header sent to Prometheus, e.g. `Authorization: Bearer ...` (masked, never written).',
    }),
    'owner-label': string({
      default: 'squad',
      pattern: /^[A-Za-z_][A-Za-z0-9_]*$/,
      allowed: 'expected a Prometheus label name such as squad or team',
      description: 'The alert and target label that names the owner; alerts are grouped by it.',
    }),
    'trace-url': string({
      pattern: /^https?:\/\/\S*\{trace_id\}\S*$/,
      allowed: 'expected an http(s) URL containing {trace_id}, e.g. https://tempo.example/trace/{trace_id}',
      description:
        "Link template for an alert's `trace_id` label or annotation; `{trace_id}` is replaced. Empty: trace ids are shown without links.",
    }),
    'maintenance-horizon': duration({
      default: '24h',
      min: 0,
      max: 31 * 86_400_000,
      description:
        'Silences starting within this time are listed as planned maintenance, with the active ones.',
    }),
    'critical-severities': lines({
      default: 'critical',
      description:
        'Values of the `severity` label that make a firing alert FAIL; any other firing alert WARNs. A silenced alert is "in maintenance", never a failure.',
    }),
    'alerts-required': boolean({
      default: false,
      description:
        'Firing critical alerts (and an unreachable Alertmanager, with fail-on: unknown) fail the step.',
    }),
    timeout: duration({
      default: '30s',
      min: 1_000,
      max: 600_000,
      description: 'Deadline for the whole pulse: every check runs in parallel inside it.',
    }),
    'check-timeout': duration({
      default: '10s',
      min: 100,
      max: 600_000,
      description:
        'Deadline of each check; a server that has not answered by then is a FAIL (UNKNOWN for Alertmanager and Prometheus).',
    }),
    'fail-on': oneOf(['fail', 'unknown', 'warn'] as const, {
      default: 'fail',
      description:
        'Which status of a required check fails the step: FAIL only, FAIL or UNKNOWN, or anything but OK.',
    }),
    date: date({
      description: "The day's date for the status file, exactly YYYY-MM-DD. Default: today in `timezone`.",
    }),
    timezone: timezone({
      default: 'America/Los_Angeles',
      description: 'Time zone that decides what "today" is and how times are shown.',
    }),
    'status-file': string({
      description:
        "The day's status file to write the `infra-pulse` section into, e.g. `docs/sprints/status/{date}.md` ({date} is replaced). The other sections and a person's notes are kept. Empty: no status file.",
    }),
    commit: boolean({
      default: false,
      description:
        'Commit the status file back to `branch` (only its `infra-pulse` section changes; rendered again from the branch at each push attempt, so concurrent writers all land).',
    }),
    ...statusCommitInputs('infra pulse'),
    'result-path': resultPathInput,
  },
  outputs: {
    verdict: 'OK, WARN, FAIL or UNKNOWN: the worst status of all checks.',
    ready:
      'true when no required check fails (per `fail-on`): what Integration Day waits for before it deploys.',
    blocking: 'JSON list of the required checks that fail (e.g. `["redis:sessions-primary"]`).',
    'checks-failed': 'Number of checks that ended FAIL.',
    'checks-unknown': 'Number of checks that ended UNKNOWN.',
    'firing-alerts': 'Firing alerts that no silence covers.',
    'in-maintenance': 'Firing alerts a silence covers.',
    'planned-maintenance': 'Active silences and those starting within the horizon.',
    'status-file': 'Repository path of the status file written (empty when none).',
    'commit-sha': 'SHA of the commit pushed (empty when nothing was committed).',
    'result-path': 'Path of the JSON result file.',
  },
});
