import { isIP } from 'node:net';
import pg from 'pg';
import { bestRoundTrip } from '../round-trip.js';

/** How to reach one PostgreSQL server. Never printed whole: the password stays out of every message. */
export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  /** `require`: encrypted, certificate not checked; `verify-full`: checked against `ca` (or the system's). */
  tls?: { mode: 'require' | 'verify-full'; ca?: string[] };
  connectTimeoutMs: number;
}

/** A standby as the primary sees it (pg_stat_replication). Null where the role may not see it. */
export interface StandbyLink {
  pid: number;
  applicationName: string | null;
  clientAddr: string | null;
  state: string | null;
  syncState: string | null;
  replayLagBytes: number | null;
  replayLagSeconds: number | null;
}

/** What a standby says about itself. */
export interface StandbyState {
  receiveLsn: string | null;
  replayLsn: string | null;
  /** WAL received but not yet replayed. */
  replayLagBytes: number | null;
  /** Seconds since the last replayed transaction, 0 when everything received is replayed. */
  replayLagSeconds: number | null;
  /** pg_stat_wal_receiver: absent when no WAL receiver runs; status null when the role may not see it. */
  receiver: { status: string | null; senderHost: string | null } | undefined;
}

export interface PostgresProbe {
  connectMs: number;
  /** The fastest of a few `SELECT 1` round trips on the open connection (see bestRoundTrip). */
  selectMs: number;
  serverVersion: string;
  inRecovery: boolean;
  maxConnections: number;
  reservedConnections: number;
  /** Client backends, every user's. */
  connections: number;
  /** The oldest open transaction of another session (null when none, or none visible to the role). */
  oldestTransaction: {
    seconds: number;
    state: string | null;
    application: string | null;
    pid: number;
  } | null;
  /** Sessions whose transaction start the role may not see (other users' without pg_read_all_stats). */
  hiddenSessions: number;
  standbys?: StandbyLink[];
  standby?: StandbyState;
}

export class PostgresProbeError extends Error {
  override readonly name = 'PostgresProbeError';
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'auth' | 'timeout' | 'refused' | 'query',
  ) {
    super(message);
  }
}

const SELECTS = 5;
const GAP_MS = 20;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Connects, times `SELECT 1`, and reads the role, connections, the oldest transaction and the
 * replication state (pg_stat_replication on a primary, the WAL receiver and replay position on a
 * standby), then closes the connection whatever happened. `signal` ends everything in flight.
 */
export async function probePostgres(target: PostgresTarget, signal: AbortSignal): Promise<PostgresProbe> {
  const where = describeTarget(target);
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    ...(target.password !== undefined ? { password: target.password } : {}),
    connectionTimeoutMillis: target.connectTimeoutMs,
    application_name: 'command-center-infra-pulse',
    ssl: target.tls
      ? {
          rejectUnauthorized: target.tls.mode === 'verify-full',
          ...(target.tls.ca ? { ca: target.tls.ca } : {}),
          ...(isIP(target.host) ? {} : { servername: target.host }),
        }
      : false,
  });
  // An error after connect (the server goes away) is emitted; the awaited query reports it.
  client.on('error', () => {});
  const kill = () => {
    const stream = (client as unknown as { connection?: { stream?: { destroy(err?: Error): void } } })
      .connection?.stream;
    stream?.destroy(new Error('the deadline passed'));
  };
  if (signal.aborted)
    throw new PostgresProbeError(`PostgreSQL ${where}: not started, the deadline had passed`, 'timeout');
  signal.addEventListener('abort', kill, { once: true });
  try {
    const started = performance.now();
    try {
      await client.connect();
    } catch (err) {
      throw describe(err, where, target, signal);
    }
    const connectMs = performance.now() - started;
    try {
      const selectMs = await bestRoundTrip(SELECTS, GAP_MS, () => client.query('SELECT 1'));
      const state = (
        await client.query(`
          SELECT pg_is_in_recovery() AS in_recovery,
                 current_setting('server_version') AS server_version,
                 current_setting('max_connections')::int AS max_connections,
                 current_setting('superuser_reserved_connections')::int AS reserved,
                 (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS connections,
                 (SELECT count(*) FROM pg_stat_activity
                   WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND state IS NULL) AS hidden`)
      ).rows[0] as Record<string, unknown>;
      const oldest = (
        await client.query(`
          SELECT pid, state, application_name,
                 extract(epoch FROM now() - xact_start)::float8 AS seconds
            FROM pg_stat_activity
           WHERE xact_start IS NOT NULL AND pid <> pg_backend_pid() AND backend_type = 'client backend'
           ORDER BY xact_start
           LIMIT 1`)
      ).rows[0] as Record<string, unknown> | undefined;
      const inRecovery = state.in_recovery === true;
      const probe: PostgresProbe = {
        connectMs,
        selectMs,
        serverVersion: String(state.server_version),
        inRecovery,
        maxConnections: Number(state.max_connections),
        reservedConnections: Number(state.reserved),
        connections: Number(state.connections),
        oldestTransaction: oldest
          ? {
              seconds: Number(oldest.seconds),
              state: (oldest.state as string | null) ?? null,
              application: (oldest.application_name as string | null) || null,
              pid: Number(oldest.pid),
            }
          : null,
        hiddenSessions: Number(state.hidden),
      };
      if (!inRecovery) {
        const rows = (
          await client.query(`
            SELECT pid, application_name, client_addr::text AS client_addr, state, sync_state,
                   pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float8 AS replay_lag_bytes,
                   extract(epoch FROM replay_lag)::float8 AS replay_lag_seconds
              FROM pg_stat_replication
             ORDER BY application_name, pid`)
        ).rows as Record<string, unknown>[];
        probe.standbys = rows.map((r) => ({
          pid: Number(r.pid),
          applicationName: (r.application_name as string | null) ?? null,
          clientAddr: (r.client_addr as string | null) ?? null,
          state: (r.state as string | null) ?? null,
          syncState: (r.sync_state as string | null) ?? null,
          replayLagBytes: num(r.replay_lag_bytes),
          replayLagSeconds: num(r.replay_lag_seconds),
        }));
      } else {
        const s = (
          await client.query(`
            SELECT pg_last_wal_receive_lsn()::text AS receive_lsn,
                   pg_last_wal_replay_lsn()::text AS replay_lsn,
                   pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::float8 AS lag_bytes,
                   CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                        ELSE extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 END AS lag_seconds`)
        ).rows[0] as Record<string, unknown>;
        const receiver = (await client.query('SELECT status, sender_host FROM pg_stat_wal_receiver'))
          .rows[0] as Record<string, unknown> | undefined;
        probe.standby = {
          receiveLsn: (s.receive_lsn as string | null) ?? null,
          replayLsn: (s.replay_lsn as string | null) ?? null,
          replayLagBytes: num(s.lag_bytes),
          replayLagSeconds: num(s.lag_seconds),
          receiver: receiver
            ? {
                status: (receiver.status as string | null) ?? null,
                senderHost: (receiver.sender_host as string | null) ?? null,
              }
            : undefined,
        };
      }
      return probe;
    } catch (err) {
      throw describe(err, where, target, signal);
    }
  } finally {
    signal.removeEventListener('abort', kill);
    // end() says goodbye politely; a server that stopped answering must not hold the close.
    const ended = client.end().catch(() => {});
    const timer = new Promise<void>((resolve) => setTimeout(resolve, 500).unref());
    await Promise.race([ended, timer]);
    kill();
  }
}

/** `user@host:port/database`: what a person needs to find the server, and nothing secret. */
export function describeTarget(t: Pick<PostgresTarget, 'host' | 'port' | 'database' | 'user'>): string {
  return `${t.user}@${t.host}:${t.port}/${t.database}`;
}

function describe(
  err: unknown,
  where: string,
  target: PostgresTarget,
  signal: AbortSignal,
): PostgresProbeError {
  const raw = err instanceof Error ? err.message : String(err);
  const message = target.password ? raw.split(target.password).join('***') : raw;
  const code = (err as { code?: string })?.code;
  if (signal.aborted) return new PostgresProbeError(`PostgreSQL ${where} did not answer in time`, 'timeout');
  if (code === '28P01' || code === '28000')
    return new PostgresProbeError(
      `PostgreSQL ${where} refused the login (${message}): check the user and password`,
      'auth',
    );
  // node-postgres says this when the server asks for a password and none was given.
  if (/client password must be a string/i.test(message))
    return new PostgresProbeError(
      `PostgreSQL ${where} asks for a password and none was given: set postgres-password (or put it in the url)`,
      'auth',
    );
  if (code === 'ECONNREFUSED')
    return new PostgresProbeError(
      `PostgreSQL ${where} refused the connection: nothing is listening there`,
      'unreachable',
    );
  if (/timeout/i.test(message))
    return new PostgresProbeError(
      `PostgreSQL ${where} did not accept a connection in time (${message})`,
      'timeout',
    );
  if (/does not support SSL|certificate|self[- ]signed|SSL|TLS/i.test(message))
    return new PostgresProbeError(
      `PostgreSQL ${where}: TLS failed (${message}); check tls and tls-ca`,
      'refused',
    );
  if (code === '57P03')
    return new PostgresProbeError(
      `PostgreSQL ${where} is not accepting connections yet (${message})`,
      'refused',
    );
  if (code && /^[0-9A-Z]{5}$/.test(code))
    return new PostgresProbeError(`PostgreSQL ${where}: ${message} (SQLSTATE ${code})`, 'query');
  return new PostgresProbeError(`PostgreSQL ${where}: ${message}`, 'unreachable');
}
