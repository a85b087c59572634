import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createClient } from 'redis';
import {
  INFRA,
  POSTGRES_ROLES,
  REDIS_USERS,
  postgresClientConfig,
  redisClientOptions,
  redisPassword,
} from '../support/infra.js';
import { ROOT, STATE_DIR } from '../support/paths.js';
import { needsServers } from '../support/servers.js';

needsServers('redis', 'redis-replica', 'postgres', 'postgres-standby', 'alertmanager');

// The stack's stores as the stack scripts leave them: replication linked, users limited to what they
// are for, passwords only in 0600 files, TLS that verifies, and an `up` that keeps what runs.

function stack(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('bash', [join(ROOT, 'stack/stack.sh'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, STACK_STATE: STATE_DIR },
    timeout: 120_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

async function waitUntilNoFault(): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (existsSync(join(STATE_DIR, 'fault.lock'))) {
    if (Date.now() > deadline) throw new Error(`${join(STATE_DIR, 'fault.lock')} held for 5 minutes`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

describe('stack components: Redis, PostgreSQL, Alertmanager', () => {
  it('status shows the replica linked and the standby streaming', () => {
    const r = stack('status', 'redis', 'redis-replica', 'postgres', 'postgres-standby', 'alertmanager');
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/^redis: running .*role=master/m);
    expect(r.out).toMatch(/^redis-replica: running .*role=slave\s+master_link_status:up/m);
    expect(r.out).toMatch(/^postgres-standby: running .*replication=streaming/m);
    expect(r.out).toMatch(/^alertmanager: running {2}url=http:\/\/127\.0\.0\.1:\d+/m);
  });

  it('up keeps running servers (same processes, nothing restarted)', async () => {
    const pids = () =>
      [
        'redis/primary.pid',
        'redis/replica.pid',
        'postgres/primary.pid',
        'postgres/standby.pid',
        'alertmanager/pid',
      ].map((f) => readFileSync(join(STATE_DIR, f), 'utf8').trim());
    // A failure test holding the stack's fault lock has a server stopped on purpose: `up` would start it.
    await waitUntilNoFault();
    const before = pids();
    const r = stack('up', 'redis', 'redis-replica', 'postgres', 'postgres-standby', 'alertmanager');
    expect(r.status, r.out).toBe(0);
    expect(r.out.match(/already running/g)).toHaveLength(5);
    expect(pids()).toEqual(before);
  }, 360_000);

  it('every password is in a file only its owner can read', () => {
    const files = [
      ...Object.values(REDIS_USERS).map((u) => join(INFRA.redis.passwordDir, u)),
      ...Object.values(POSTGRES_ROLES).map((r) => join(INFRA.postgres.passwordDir, r)),
    ];
    for (const f of files) {
      expect(statSync(f).mode & 0o777, f).toBe(0o600);
      expect(readFileSync(f, 'utf8').trim()).toMatch(/^[0-9a-f]{48}$/);
    }
  });

  it('Redis: no anonymous access, each user limited to its job, the replica read-only', async () => {
    const anonymous = createClient({ socket: { ...INFRA.redis.primary, reconnectStrategy: false } });
    anonymous.on('error', () => undefined);
    try {
      // The default user is off: even the connection's handshake is refused without a user.
      await expect(anonymous.connect()).rejects.toThrow(/NOAUTH/);
    } finally {
      if (anonymous.isOpen) anonymous.destroy();
    }
    const app = createClient(redisClientOptions());
    const monitor = createClient(redisClientOptions('primary', REDIS_USERS.monitor));
    const replica = createClient(redisClientOptions('replica'));
    await Promise.all([app.connect(), monitor.connect(), replica.connect()]);
    try {
      await expect(app.flushAll()).rejects.toThrow(/NOPERM/);
      await expect(app.configSet('maxmemory', '1gb')).rejects.toThrow(/NOPERM/);
      await expect(monitor.set('stack-test', '1')).rejects.toThrow(/NOPERM/);
      expect(await monitor.ping()).toBe('PONG');
      await expect(replica.set('stack-test', '1')).rejects.toThrow(/READONLY/);
    } finally {
      for (const c of [app, monitor, replica]) c.destroy();
    }
  });

  it('Redis over TLS: the certificate verifies against the stack CA for 127.0.0.1', async () => {
    const tls = createClient({
      socket: {
        host: INFRA.redis.tls.host,
        port: INFRA.redis.tls.port,
        tls: true,
        ca: readFileSync(INFRA.redis.caPath),
        servername: '127.0.0.1',
      },
      username: REDIS_USERS.app,
      password: redisPassword(),
    });
    await tls.connect();
    try {
      expect(await tls.ping()).toBe('PONG');
    } finally {
      tls.destroy();
    }
  });

  it('PostgreSQL: a wrong password is refused; TLS verifies; the replication slot is in use', async () => {
    const wrong = new pg.Client({ ...postgresClientConfig(), password: 'not-the-password' });
    await expect(wrong.connect()).rejects.toThrow(/password authentication failed/);
    const monitor = new pg.Client({
      ...postgresClientConfig('primary', POSTGRES_ROLES.monitor),
      ssl: { ca: readFileSync(INFRA.postgres.caPath, 'utf8'), servername: 'localhost' },
    });
    await monitor.connect();
    try {
      const ssl = await monitor.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      expect(ssl.rows).toEqual([{ ssl: true }]);
      const slot = await monitor.query('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [
        INFRA.postgres.slot,
      ]);
      expect(slot.rows).toEqual([{ active: true }]);
    } finally {
      await monitor.end();
    }
  });

  it('Alertmanager answers its API without cluster gossip', async () => {
    const res = await fetch(`${INFRA.alertmanager.url}/api/v2/status`);
    expect(res.status).toBe(200);
    const status = (await res.json()) as { cluster: { status: string } };
    expect(status.cluster.status).toBe('disabled');
  });
});
