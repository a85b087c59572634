import pg from 'pg';

// The decision audit: every decision the engine hands out is first written to PostgreSQL (the stack's
// primary, as cc_app), so no decision exists without its audit row. The table is made on first use.

export const AUDIT_TABLE = 'policy_decision_audit';

export interface AuditEntry {
  trace_id: string;
  session_id: string;
  tenant: string;
  user: string;
  role: string;
  allowed: boolean;
  score: number;
  severity: string;
  policy: string;
  constitution_hash: string;
  constitution_version: number;
  latency_ms: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${AUDIT_TABLE} (
  id                   bigserial PRIMARY KEY,
  decided_at           timestamptz NOT NULL DEFAULT now(),
  trace_id             text NOT NULL,
  session_id           text NOT NULL,
  tenant               text NOT NULL,
  "user"               text NOT NULL,
  role                 text NOT NULL,
  allowed              boolean NOT NULL,
  score                numeric(4, 3) NOT NULL,
  severity             text NOT NULL,
  policy               text NOT NULL,
  constitution_hash    text NOT NULL,
  constitution_version integer NOT NULL,
  latency_ms           double precision NOT NULL
);
CREATE INDEX IF NOT EXISTS ${AUDIT_TABLE}_session ON ${AUDIT_TABLE} (session_id);
CREATE INDEX IF NOT EXISTS ${AUDIT_TABLE}_trace ON ${AUDIT_TABLE} (trace_id);
`;

const COLUMNS = [
  'trace_id',
  'session_id',
  'tenant',
  'user',
  'role',
  'allowed',
  'score',
  'severity',
  'policy',
  'constitution_hash',
  'constitution_version',
  'latency_ms',
] as const;

const INSERT = `INSERT INTO ${AUDIT_TABLE} (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`;

export class DecisionAudit {
  private schema: Promise<unknown> | undefined;

  constructor(private readonly pool: pg.Pool) {}

  private ensureSchema(): Promise<unknown> {
    this.schema ??= this.pool.query(SCHEMA).catch((err: unknown) => {
      this.schema = undefined;
      throw err;
    });
    return this.schema;
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.ensureSchema();
    await this.pool.query(
      INSERT,
      COLUMNS.map((c) => entry[c]),
    );
  }
}

/** A small pool that gives up quickly: a request waits at most a few seconds for PostgreSQL. */
export function auditPool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool({
    ...config,
    max: 5,
    connectionTimeoutMillis: 2000,
    query_timeout: 3000,
    idleTimeoutMillis: 30_000,
    application_name: 'policy-engine',
  });
  let last = '';
  // Idle connections ended by the server (a restart) arrive here; the pool replaces them on next use.
  pool.on('error', (err) => {
    if (err.message !== last) process.stderr.write(`[policy-engine] postgres: ${err.message}\n`);
    last = err.message;
  });
  return pool;
}
