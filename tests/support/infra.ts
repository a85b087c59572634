import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, STATE_DIR } from './paths.js';
import { STACK } from './servers.js';
import { stackPassword } from '../../scripts/lib/stack-secrets.js';

// The stack's Redis, PostgreSQL and Alertmanager (stack/redis, stack/postgres, stack/alertmanager):
// where they listen, who may log in, where each password is, and switches that stop and start one
// of them for a failure test. Passwords are made once by `stack.sh up` into 0600 files of the state
// folder; they are read here, never printed (keep them out of test names and assertion messages).

const HOST = '127.0.0.1';
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** Redis ACL users. The `default` user is off: every connection names a user. */
export const REDIS_USERS = {
  /** The staging stand-in's user (session state): every key, every command but @admin and @dangerous. */
  app: 'cc-app',
  /** Read-only monitoring (what a health check needs): PING, INFO, ROLE, CONFIG GET, CLIENT LIST, ... */
  monitor: 'cc-monitor',
  /** The replica's `masteruser`: PSYNC, REPLCONF, PING only. */
  replication: 'cc-replication',
} as const;
export type RedisUser = (typeof REDIS_USERS)[keyof typeof REDIS_USERS];

/** PostgreSQL roles, all password-authenticated (scram-sha-256) over TCP. */
export const POSTGRES_ROLES = {
  /** Owns the `staging` database; the policy engine writes its decision audit with it. */
  app: 'cc_app',
  /** Member of pg_monitor: sees pg_stat_replication, pg_stat_activity and the WAL positions in full. */
  monitor: 'cc_monitor',
  /** The standby's replication role (REPLICATION, no database access). */
  replication: 'cc_replication',
} as const;
export type PostgresRole = (typeof POSTGRES_ROLES)[keyof typeof POSTGRES_ROLES];

export interface HostPort {
  host: string;
  port: number;
}

export const INFRA = {
  redis: {
    /** Primary: RDB + AOF persistence, maxmemory set. */
    primary: { host: HOST, port: port('REDIS_PORT', 16379) } as HostPort,
    /** `replicaof` the primary, authenticated as cc-replication; read-only. */
    replica: { host: HOST, port: port('REDIS_REPLICA_PORT', 16380) } as HostPort,
    /** The primary again, over TLS (server certificate for 127.0.0.1 and localhost, signed by caPath). */
    tls: { host: HOST, port: port('REDIS_TLS_PORT', 16381) } as HostPort,
    caPath: join(STATE_DIR, 'redis/tls/ca.pem'),
    users: REDIS_USERS,
    passwordDir: join(STATE_DIR, 'redis/passwords'),
  },
  postgres: {
    /** PostgreSQL 15 cluster made with initdb. TLS offered on the same port (ssl = on). */
    primary: { host: HOST, port: port('PG_PORT', 15432) } as HostPort,
    /** Streaming standby made with pg_basebackup -R, hot_standby on, through the slot below. */
    standby: { host: HOST, port: port('PG_STANDBY_PORT', 15433) } as HostPort,
    database: 'staging',
    /** The standby's physical replication slot on the primary. */
    slot: 'cc_standby',
    /** The standby's application_name, as pg_stat_replication shows it on the primary. */
    standbyName: 'cc_standby',
    caPath: join(STATE_DIR, 'postgres/tls/ca.pem'),
    roles: POSTGRES_ROLES,
    passwordDir: join(STATE_DIR, 'postgres/passwords'),
  },
  alertmanager: { url: STACK.alertmanager },
  prometheus: { url: STACK.prometheus },
} as const;

/**
 * The alert rules the stack loads into Prometheus (stack/prometheus/rules/staging.yml). Each alert
 * carries a `squad` label; the ones about a request carry a `trace_id` annotation.
 */
export const ALERT_RULES = {
  redisDown: 'RedisDown',
  postgresDown: 'PostgresDown',
  policyDecisionLatency: 'PolicyDecisionLatencyHigh',
  constitutionSyncStale: 'ConstitutionSyncStale',
  kafkaConsumerLag: 'KafkaConsumerLagHigh',
} as const;

/** The stack components a failure test may stop and start again. */
export type InfraComponent = 'redis' | 'redis-replica' | 'postgres' | 'postgres-standby' | 'alertmanager';

/** The password of a Redis ACL user (the same on primary and replica). */
export function redisPassword(user: RedisUser = REDIS_USERS.app): string {
  return stackPassword(STATE_DIR, 'redis', user);
}

/** The password of a PostgreSQL role (the same on primary and standby). */
export function postgresPassword(role: PostgresRole = POSTGRES_ROLES.app): string {
  return stackPassword(STATE_DIR, 'postgres', role);
}

/** Options for node-redis' `createClient(...)`: one instance, as one user. */
export function redisClientOptions(
  which: 'primary' | 'replica' = 'primary',
  user: RedisUser = REDIS_USERS.app,
): { socket: { host: string; port: number; connectTimeout: number }; username: string; password: string } {
  const { host, port } = INFRA.redis[which];
  return { socket: { host, port, connectTimeout: 5000 }, username: user, password: redisPassword(user) };
}

/** A `pg` ClientConfig for one instance, as one role, on the `staging` database. */
export function postgresClientConfig(
  which: 'primary' | 'standby' = 'primary',
  role: PostgresRole = POSTGRES_ROLES.app,
): {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  connectionTimeoutMillis: number;
} {
  const { host, port } = INFRA.postgres[which];
  return {
    host,
    port,
    user: role,
    password: postgresPassword(role),
    database: INFRA.postgres.database,
    connectionTimeoutMillis: 5000,
  };
}

/**
 * `bash stack/stack.sh up|down <component>` on this stack (same STACK_STATE). `up` returns once the
 * server answers again; `down` once it has stopped.
 */
export function stackSwitch(action: 'up' | 'down', component: InfraComponent): void {
  const r = spawnSync('bash', [join(ROOT, 'stack/stack.sh'), action, component], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, STACK_STATE: STATE_DIR },
    timeout: 180_000,
  });
  if (r.status !== 0)
    throw new Error(
      `bash stack/stack.sh ${action} ${component} failed (exit ${r.status ?? r.signal}): ${`${r.stdout}${r.stderr}`.trim().slice(-2000)}`,
    );
}

const FAULT_LOCK = join(STATE_DIR, 'fault.lock');

function lockOwnerAlive(): boolean {
  try {
    const pid = Number(readFileSync(join(FAULT_LOCK, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return true;
  } catch {
    // No pid yet (just made) counts as alive for a few seconds; a dead owner's lock is stale.
    try {
      return Date.now() - statSync(FAULT_LOCK).mtimeMs < 5000;
    } catch {
      return false;
    }
  }
}

async function takeFaultLock(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(FAULT_LOCK);
      writeFileSync(join(FAULT_LOCK, 'pid'), String(process.pid));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (!lockOwnerAlive()) {
        rmSync(FAULT_LOCK, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline)
        throw new Error(
          `another test has held ${FAULT_LOCK} (a server stopped on purpose) for ${timeoutMs} ms`,
        );
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * Stops one component, runs `fn`, and starts it again whatever happens (the other tests of the
 * shared stack need it). Failure tests take turns through a lock in the state folder, so two of them
 * never stop servers at the same time.
 */
export async function withComponentDown<T>(
  component: InfraComponent,
  fn: () => Promise<T>,
  lockTimeoutMs = 300_000,
): Promise<T> {
  await takeFaultLock(lockTimeoutMs);
  try {
    stackSwitch('down', component);
    try {
      return await fn();
    } finally {
      stackSwitch('up', component);
    }
  } finally {
    rmSync(FAULT_LOCK, { recursive: true, force: true });
  }
}
