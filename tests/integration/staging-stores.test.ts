import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'redis';
import { SessionStore, type Redis } from '../../examples/staging/services/orchestrator/conversation.js';
import {
  AUDIT_TABLE,
  DecisionAudit,
  auditPool,
} from '../../examples/staging/services/policy-engine/audit.js';
import { INFRA, POSTGRES_ROLES, postgresClientConfig, redisClientOptions } from '../support/infra.js';
import { needsServers } from '../support/servers.js';

needsServers('redis', 'postgres', 'postgres-standby');

// The stand-in's state in the stack's stores: orchestrator sessions in Redis, the policy engine's
// decision audit in PostgreSQL (read back from the streaming standby, so replication is exercised).

const waitFor = async <T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

describe('orchestrator sessions in Redis', () => {
  let redis: Redis;
  const prefix = `test-${randomUUID().slice(0, 8)}:`;

  beforeAll(async () => {
    redis = createClient(redisClientOptions()) as Redis;
    await redis.connect();
  });
  afterAll(async () => {
    if (!redis) return;
    // KEYS is @dangerous, which the app user may not run: SCAN is what it has.
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 }))
      if (keys.length) await redis.del(keys);
    redis.destroy();
  });

  it('a session is stored, counts its steps atomically and is counted as active', async () => {
    const store = new SessionStore(redis, 3600, prefix);
    const s = await store.start('acme', 'ada', 'operator', Date.now());
    expect(await store.get(s.session_id)).toEqual({ ...s, steps: 0 });
    const steps = await Promise.all([1, 2, 3].map(() => store.nextStep(s.session_id)));
    expect(steps.sort()).toEqual([1, 2, 3]);
    expect((await store.get(s.session_id))?.steps).toBe(3);
    expect(await store.activeCount()).toBe(1);
    expect(await redis.ttl(`${prefix}session:${s.session_id}`)).toBeGreaterThan(3500);
    expect(await store.get('sess-unknown')).toBeUndefined();
  });

  it('a second store (another orchestrator instance) sees the same session', async () => {
    const a = new SessionStore(redis, 3600, prefix);
    const other = createClient(redisClientOptions()) as Redis;
    await other.connect();
    try {
      const s = await a.start('globex', 'bob', 'user');
      const b = new SessionStore(other, 3600, prefix);
      expect((await b.get(s.session_id))?.user).toBe('bob');
    } finally {
      other.destroy();
    }
  });

  it('an unused session expires with its Redis key', async () => {
    const store = new SessionStore(redis, 1, prefix);
    const s = await store.start('acme', 'eve', 'guest');
    await waitFor(
      async () => ((await redis.exists(`${prefix}session:${s.session_id}`)) === 0 ? true : undefined),
      10_000,
      'the session key did not expire',
    );
    expect(await store.get(s.session_id)).toBeUndefined();
  });

  it('the replica holds the sessions too', async () => {
    const store = new SessionStore(redis, 3600, prefix);
    const s = await store.start('initech', 'kim', 'admin');
    const replica = createClient(redisClientOptions('replica')) as Redis;
    await replica.connect();
    try {
      const user = await waitFor(
        async () => (await replica.hGet(`${prefix}session:${s.session_id}`, 'user')) ?? undefined,
        10_000,
        'the session did not reach the replica',
      );
      expect(user).toBe('kim');
    } finally {
      replica.destroy();
    }
  });
});

describe('policy decision audit in PostgreSQL', () => {
  let pool: pg.Pool;
  let standby: pg.Client;
  const trace = randomUUID().replace(/-/g, '');

  beforeAll(async () => {
    pool = auditPool(postgresClientConfig());
    standby = new pg.Client(postgresClientConfig('standby'));
    await standby.connect();
  });
  afterAll(async () => {
    await pool?.query(`DELETE FROM ${AUDIT_TABLE} WHERE trace_id = $1`, [trace]).catch(() => undefined);
    await pool?.end();
    await standby?.end();
  });

  it('a decision is written on the primary and streamed to the standby', async () => {
    const audit = new DecisionAudit(pool);
    await audit.record({
      trace_id: trace,
      session_id: 'sess-test',
      tenant: 'acme',
      user: 'ada',
      role: 'user',
      allowed: false,
      score: 0.7,
      severity: 'high',
      policy: 'no-credentials',
      constitution_hash: 'a'.repeat(64),
      constitution_version: 7,
      latency_ms: 1.25,
    });
    const row = await waitFor(
      async () =>
        (
          await standby.query(
            `SELECT tenant, "user", allowed, score::text AS score, policy, constitution_version FROM ${AUDIT_TABLE} WHERE trace_id = $1`,
            [trace],
          )
        ).rows[0] as Record<string, unknown> | undefined,
      10_000,
      'the audit row did not reach the standby',
    );
    expect(row).toEqual({
      tenant: 'acme',
      user: 'ada',
      allowed: false,
      score: '0.700',
      policy: 'no-credentials',
      constitution_version: 7,
    });
  });

  it('the standby is read-only and reports itself streaming from the primary', async () => {
    await expect(standby.query(`DELETE FROM ${AUDIT_TABLE} WHERE trace_id = $1`, [trace])).rejects.toThrow(
      /read-only transaction/,
    );
    // The WAL receiver's state is for pg_monitor members, the monitoring role.
    const monitor = new pg.Client(postgresClientConfig('standby', POSTGRES_ROLES.monitor));
    await monitor.connect();
    try {
      const r = await monitor.query('SELECT status, sender_port FROM pg_stat_wal_receiver');
      expect(r.rows).toEqual([{ status: 'streaming', sender_port: INFRA.postgres.primary.port }]);
    } finally {
      await monitor.end();
    }
  });
});
