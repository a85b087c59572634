import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseConnectionString } from 'pg-connection-string';
import { ConfigurationError, InputError } from '../../lib/errors.js';
import { dateInZone } from '../../lib/dates.js';
import { parseDurationMs } from '../../lib/duration.js';
import { statusCommitPlan } from '../../lib/git/branch.js';
import { parseHeader } from '../../lib/inputs/common.js';
import type { InputValues } from '../../lib/inputs/spec.js';
import type { KafkaConnection } from '../../lib/kafka/connection.js';
import type { HttpSource } from '../../lib/net/get-json.js';
import { ownedPath } from '../../lib/owned-paths.js';
import type { PostgresTarget } from '../../lib/postgres/probe.js';
import type { FailOn } from './model.js';
import type { metadata } from './metadata.js';

export type Inputs = InputValues<typeof metadata.inputs>;

/** Who answers for a dependency whose entry names no owner: the team that runs the platform. */
export const DEFAULT_OWNER = 'platform team';

/** The kill-switch and disaster-recovery runbooks of each dependency, in this repository. */
export function defaultRunbooks(kind: 'kafka' | 'redis' | 'postgres'): string[] {
  return [`docs/runbooks/kill-switch.md#${kind}`, `docs/runbooks/disaster-recovery.md#${kind}`];
}

interface Ownership {
  owner: string;
  runbooks: string[];
  required: boolean;
}

export interface KafkaPlan extends Ownership {
  connection: KafkaConnection;
  expectedBrokers?: number;
  maxMetadataRttMs: number;
}

export interface RedisPlan extends Ownership {
  name: string;
  host: string;
  port: number;
  username?: string;
  password?: string;
  tls?: { ca?: string[] };
  role?: 'primary' | 'replica';
  minReplicas?: number;
  maxLatencyMs: number;
  maxReplicaLagMs: number;
  warnRatio: number;
  failRatio: number;
  maxEvictedKeys: number;
}

export interface PostgresPlan extends Ownership {
  name: string;
  target: Omit<PostgresTarget, 'connectTimeoutMs'>;
  role?: 'primary' | 'standby';
  minStandbys?: number;
  maxLatencyMs: number;
  maxReplayLagMs: number;
  maxReplayLagBytes: number;
  warnRatio: number;
  failRatio: number;
  maxTransactionAgeMs: number;
  failTransactionAgeMs: number;
}

export interface AlertsPlan {
  source: 'alertmanager' | 'prometheus';
  http: HttpSource;
  ownerLabel: string;
  traceUrl?: string;
  horizonMs: number;
  criticalSeverities: string[];
  required: boolean;
}

export interface PulsePlan {
  kafka?: KafkaPlan;
  redis: RedisPlan[];
  postgres: PostgresPlan[];
  alerts?: AlertsPlan;
  /** Scrape targets that are down, from Prometheus. */
  targets?: { http: HttpSource; ownerLabel: string };
  timeoutMs: number;
  checkTimeoutMs: number;
  failOn: FailOn;
  date: string;
  timeZone: string;
  status?: { file: string; fileRel: string };
  commit?: { branch: string; message: string; pushAttempts: number };
  /** Credentials found in the inputs (connection strings and their passwords): masked before anything runs. */
  secrets: string[];
}

const RATIOS = { warn: 0.8, fail: 0.95 };

/**
 * Turns validated inputs into the pulse's plan; every cross-field rule and refusal is here, so bad
 * input fails before a socket is opened. Pure but for reading CA files and the clock.
 */
export function planPulse(
  inputs: Inputs,
  workspace: string,
  env: NodeJS.ProcessEnv,
  now: Date = new Date(),
): PulsePlan {
  const secrets: string[] = [];
  const kafka = inputs.kafka ? planKafka(inputs, workspace) : undefined;
  const redis = (inputs.redis ?? []).map((e, i) => planRedis(e, i, inputs.redisPassword, workspace));
  unique(
    'redis',
    redis.map((r) => r.name),
  );
  const postgres = (inputs.postgres ?? []).map((e, i) =>
    planPostgres(e, i, inputs.postgresPassword, workspace, secrets),
  );
  unique(
    'postgres',
    postgres.map((p) => p.name),
  );

  const header = (input: string, raw: string | undefined) => (raw ? parseHeader(input, raw) : undefined);
  const amHeader = header('alertmanager-auth-header', inputs.alertmanagerAuthHeader);
  const promHeader = header('prometheus-auth-header', inputs.prometheusAuthHeader);
  const prometheus: HttpSource | undefined = inputs.prometheusUrl
    ? { url: inputs.prometheusUrl, ...(promHeader ? { header: promHeader } : {}) }
    : undefined;
  const alertmanager: HttpSource | undefined = inputs.alertmanagerUrl
    ? { url: inputs.alertmanagerUrl, ...(amHeader ? { header: amHeader } : {}) }
    : undefined;
  if (amHeader && !alertmanager)
    throw new InputError(
      'alertmanager-auth-header',
      '***',
      "it is only sent to 'alertmanager-url', which is empty",
    );
  if (promHeader && !prometheus)
    throw new InputError(
      'prometheus-auth-header',
      '***',
      "it is only sent to 'prometheus-url', which is empty",
    );
  const alertSource = alertmanager ?? prometheus;
  const alerts: AlertsPlan | undefined = alertSource
    ? {
        source: alertmanager ? 'alertmanager' : 'prometheus',
        http: alertSource,
        ownerLabel: inputs.ownerLabel,
        ...(inputs.traceUrl ? { traceUrl: inputs.traceUrl } : {}),
        horizonMs: inputs.maintenanceHorizon,
        criticalSeverities: inputs.criticalSeverities.length ? inputs.criticalSeverities : ['critical'],
        required: inputs.alertsRequired,
      }
    : undefined;

  if (!kafka && redis.length === 0 && postgres.length === 0 && !alerts)
    throw new ConfigurationError(
      "nothing to check: give at least one of the inputs 'kafka', 'redis', 'postgres', 'alertmanager-url' or 'prometheus-url'",
    );
  if (inputs.checkTimeout > inputs.timeout)
    throw new ConfigurationError(
      `input 'check-timeout' (${inputs.checkTimeout}ms) must not be longer than input 'timeout' (${inputs.timeout}ms), the deadline of the whole pulse`,
    );

  const date = inputs.date ?? dateInZone(now, inputs.timezone);
  let status: PulsePlan['status'];
  if (inputs.statusFile) {
    if (!inputs.statusFile.includes('{date}'))
      throw new InputError(
        'status-file',
        inputs.statusFile,
        'expected a path containing {date} (one status file per day), e.g. docs/sprints/status/{date}.md',
      );
    const { abs, rel } = ownedPath(workspace, inputs.statusFile, date, 'status-file');
    if (!rel.endsWith('.md'))
      throw new InputError('status-file', inputs.statusFile, 'expected a Markdown file path ending in .md');
    status = { file: abs, fileRel: rel };
  }
  let commit: PulsePlan['commit'];
  if (inputs.commit) {
    if (!status)
      throw new InputError(
        'commit',
        'true',
        "there is nothing to commit without 'status-file': name the day's status file",
      );
    commit = statusCommitPlan(inputs, date, env);
  }

  return {
    ...(kafka ? { kafka } : {}),
    redis,
    postgres,
    ...(alerts ? { alerts } : {}),
    ...(prometheus ? { targets: { http: prometheus, ownerLabel: inputs.ownerLabel } } : {}),
    timeoutMs: inputs.timeout,
    checkTimeoutMs: inputs.checkTimeout,
    failOn: inputs.failOn,
    date,
    timeZone: inputs.timezone,
    ...(status ? { status } : {}),
    ...(commit ? { commit } : {}),
    secrets,
  };
}

function planKafka(inputs: Inputs, workspace: string): KafkaPlan {
  const k = inputs.kafka!;
  const connection: KafkaConnection = {
    brokers: k.brokers.split(/[\s,]+/).filter(Boolean),
    clientId: 'command-center-infra-pulse',
    connectionTimeoutMs: Math.min(5_000, inputs.checkTimeout),
    requestTimeoutMs: inputs.checkTimeout,
  };
  const mechanism = k['sasl-mechanism'] ?? 'none';
  if (mechanism !== 'none') {
    if (!k.username)
      throw new InputError(
        'kafka',
        '(username)',
        `kafka.username is required when kafka.sasl-mechanism is ${mechanism}`,
      );
    if (!inputs.kafkaPassword)
      throw new ConfigurationError(
        `input 'kafka-password' is empty: a password is required when kafka.sasl-mechanism is ${mechanism}`,
      );
    connection.sasl = { mechanism, username: k.username, password: inputs.kafkaPassword };
  } else if (inputs.kafkaPassword) {
    throw new InputError(
      'kafka-password',
      '***',
      'it is only used with a kafka.sasl-mechanism; set one or leave the password out',
    );
  }
  if (k.ssl)
    connection.ssl = k['ssl-ca'] ? { ca: [readCa('kafka', 'ssl-ca', k['ssl-ca'], workspace)] } : true;
  else if (k['ssl-ca'])
    throw new InputError(
      'kafka',
      '(ssl-ca)',
      'kafka.ssl-ca is only used with kafka.ssl: true; set it or remove ssl-ca',
    );
  return {
    connection,
    ...(k['expected-brokers'] !== undefined ? { expectedBrokers: k['expected-brokers'] } : {}),
    maxMetadataRttMs: ms(k['max-metadata-rtt'], 500),
    owner: k.owner ?? DEFAULT_OWNER,
    runbooks: k.runbook ? [k.runbook] : defaultRunbooks('kafka'),
    required: k.required ?? true,
  };
}

function planRedis(
  e: NonNullable<Inputs['redis']>[number],
  i: number,
  password: string | undefined,
  workspace: string,
): RedisPlan {
  const where = `entry ${i} (${e.name})`;
  const { host, port } = hostPort('redis', where, e.address);
  const ratios = ratiosOf('redis', where, e);
  if (e['tls-ca'] && !e.tls)
    throw new InputError(
      'redis',
      `${where} tls-ca`,
      'tls-ca is only used with tls: true; set it or remove tls-ca',
    );
  if (e['min-replicas'] !== undefined && e.role === 'replica')
    throw new InputError(
      'redis',
      `${where} min-replicas`,
      'min-replicas applies to a primary; remove it or set role: primary',
    );
  return {
    name: e.name,
    host,
    port,
    ...(e.username ? { username: e.username } : {}),
    ...(password ? { password } : {}),
    ...(e.tls
      ? { tls: e['tls-ca'] ? { ca: [readCa('redis', `${where} tls-ca`, e['tls-ca'], workspace)] } : {} }
      : {}),
    ...(e.role ? { role: e.role } : {}),
    ...(e['min-replicas'] !== undefined ? { minReplicas: e['min-replicas'] } : {}),
    maxLatencyMs: ms(e['max-latency'], 100),
    maxReplicaLagMs: ms(e['max-replica-lag'], 10_000),
    ...ratios,
    maxEvictedKeys: e['max-evicted-keys'] ?? 0,
    owner: e.owner ?? DEFAULT_OWNER,
    runbooks: e.runbook ? [e.runbook] : defaultRunbooks('redis'),
    required: e.required ?? true,
  };
}

// A connection string may carry these, and node-postgres would read the files they name: refused,
// so that which files are read stays in the inputs a reviewer sees (tls-ca).
const FILE_PARAMS = ['sslrootcert', 'sslcert', 'sslkey', 'sslcrl', 'passfile', 'service'];

function planPostgres(
  e: NonNullable<Inputs['postgres']>[number],
  i: number,
  password: string | undefined,
  workspace: string,
  secrets: string[],
): PostgresPlan {
  const where = `entry ${i} (${e.name})`;
  let host: string;
  let port: number;
  let database = e.database;
  let user = e.user;
  let urlPassword: string | undefined;
  let urlTls: PostgresEntryTls | undefined;
  if (e.url !== undefined) {
    secrets.push(e.url);
    if (e.address !== undefined)
      throw new InputError('postgres', `${where} address`, 'give either url or address, not both');
    let parsed: URL;
    try {
      parsed = new URL(e.url);
    } catch {
      throw new InputError(
        'postgres',
        `${where} url ***`,
        'expected a connection string such as postgres://user@host:5432/database',
      );
    }
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
      throw new InputError(
        'postgres',
        `${where} url ***`,
        'expected a postgres:// or postgresql:// connection string',
      );
    const fileParam = FILE_PARAMS.find((p) => parsed.searchParams.has(p));
    if (fileParam)
      throw new InputError(
        'postgres',
        `${where} url ?${fileParam}=…`,
        `connection-string parameters that name files are refused; give the CA as tls-ca`,
      );
    const c = parseConnectionString(e.url);
    if (!c.host || c.host.startsWith('/'))
      throw new InputError(
        'postgres',
        `${where} url ***`,
        'expected a host name or address in the connection string (sockets are not checked)',
      );
    host = c.host;
    port = c.port ? Number(c.port) : 5432;
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      throw new InputError(
        'postgres',
        `${where} url ***`,
        'expected a port from 1 to 65535 in the connection string',
      );
    database = e.database ?? c.database ?? undefined;
    user = e.user ?? c.user;
    if (c.password) {
      urlPassword = c.password;
      secrets.push(c.password);
    }
    const mode = parsed.searchParams.get('sslmode');
    if (mode) urlTls = sslmode(mode, where);
  } else if (e.address !== undefined) {
    ({ host, port } = hostPort('postgres', where, e.address));
  } else {
    throw new InputError('postgres', where, 'expected an address (host:port) or a url');
  }
  if (!user)
    throw new InputError(
      'postgres',
      `${where} user`,
      'expected the user to connect as (user, or in the url)',
    );
  const tlsMode = e.tls ?? urlTls ?? 'disable';
  if (e['tls-ca'] && tlsMode === 'disable')
    throw new InputError(
      'postgres',
      `${where} tls-ca`,
      'tls-ca is only used with tls: require or verify-full',
    );
  const ratios = ratiosOf('postgres', where, e);
  const maxTransactionAgeMs = ms(e['max-transaction-age'], 300_000);
  const failTransactionAgeMs = ms(e['fail-transaction-age'], 3_600_000);
  if (failTransactionAgeMs <= maxTransactionAgeMs)
    throw new InputError(
      'postgres',
      `${where} fail-transaction-age`,
      `expected a longer age than max-transaction-age (${e['max-transaction-age'] ?? '5m'}), where a WARN begins`,
    );
  if (e['min-standbys'] !== undefined && e.role === 'standby')
    throw new InputError(
      'postgres',
      `${where} min-standbys`,
      'min-standbys applies to a primary; remove it or set role: primary',
    );
  const pw = urlPassword ?? password;
  return {
    name: e.name,
    target: {
      host,
      port,
      database: database ?? 'postgres',
      user,
      ...(pw !== undefined && pw !== '' ? { password: pw } : {}),
      ...(tlsMode !== 'disable'
        ? {
            tls: {
              mode: tlsMode,
              ...(e['tls-ca'] ? { ca: [readCa('postgres', `${where} tls-ca`, e['tls-ca'], workspace)] } : {}),
            },
          }
        : {}),
    },
    ...(e.role ? { role: e.role } : {}),
    ...(e['min-standbys'] !== undefined ? { minStandbys: e['min-standbys'] } : {}),
    maxLatencyMs: ms(e['max-latency'], 250),
    maxReplayLagMs: ms(e['max-replay-lag'], 30_000),
    maxReplayLagBytes: e['max-replay-lag-bytes'] ?? 16 * 1_048_576,
    ...ratios,
    maxTransactionAgeMs,
    failTransactionAgeMs,
    owner: e.owner ?? DEFAULT_OWNER,
    runbooks: e.runbook ? [e.runbook] : defaultRunbooks('postgres'),
    required: e.required ?? true,
  };
}

type PostgresEntryTls = 'disable' | 'require' | 'verify-full';

function sslmode(mode: string, where: string): PostgresEntryTls {
  switch (mode) {
    case 'disable':
      return 'disable';
    case 'allow':
    case 'prefer':
    case 'require':
    case 'no-verify':
      return 'require';
    case 'verify-ca':
    case 'verify-full':
      return 'verify-full';
    default:
      throw new InputError(
        'postgres',
        `${where} url sslmode=${mode}`,
        'expected sslmode disable, allow, prefer, require, verify-ca or verify-full',
      );
  }
}

function ratiosOf(
  input: string,
  where: string,
  e: { 'warn-ratio'?: number; 'fail-ratio'?: number },
): { warnRatio: number; failRatio: number } {
  const warnRatio = e['warn-ratio'] ?? RATIOS.warn;
  const failRatio = e['fail-ratio'] ?? Math.max(RATIOS.fail, warnRatio);
  if (failRatio < warnRatio)
    throw new InputError(
      input,
      `${where} fail-ratio ${failRatio}`,
      `expected a fail-ratio of at least warn-ratio (${warnRatio}): a FAIL begins where a WARN already has`,
    );
  return { warnRatio, failRatio };
}

function hostPort(input: string, where: string, address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  const port = Number(address.slice(at + 1));
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new InputError(
      input,
      `${where} address ${address}`,
      'expected host:port with a port from 1 to 65535',
    );
  return { host: address.slice(0, at), port };
}

/** Durations in the YAML are checked by the schema's pattern; this turns them into milliseconds. */
function ms(text: string | undefined, fallback: number): number {
  return text === undefined ? fallback : (parseDurationMs(text) ?? fallback);
}

function unique(input: string, names: string[]): void {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new InputError(input, n, 'expected every entry to have its own name');
    seen.add(n);
  }
}

function readCa(input: string, field: string, value: string, workspace: string): string {
  if (value.includes('-----BEGIN')) return value;
  const path = isAbsolute(value) ? value : resolve(workspace, value);
  if (!existsSync(path))
    throw new InputError(
      input,
      `${field} ${value}`,
      'expected PEM content or the path of an existing PEM file',
    );
  return readFileSync(path, 'utf8');
}
