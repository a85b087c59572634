// infra-pulse's pure parts: the plan from the inputs, each dependency's evaluation from what its
// server answered (as plain data in the servers' own formats), the report and its renderings, and the
// deadline. The real servers, and the faults, are in tests/e2e/infra-pulse.test.ts.
import { describe, expect, it } from 'vitest';
import { evaluateAlerts } from '../../src/actions/infra-pulse/evaluate-alerts.js';
import { evaluateKafka, type KafkaObservation } from '../../src/actions/infra-pulse/evaluate-kafka.js';
import { evaluatePostgres } from '../../src/actions/infra-pulse/evaluate-postgres.js';
import { evaluateRedis } from '../../src/actions/infra-pulse/evaluate-redis.js';
import { planPulse, type Inputs } from '../../src/actions/infra-pulse/inputs.js';
import { metadata } from '../../src/actions/infra-pulse/metadata.js';
import type { Outcome } from '../../src/actions/infra-pulse/model.js';
import { buildReport } from '../../src/actions/infra-pulse/report.js';
import {
  buildAnnotations,
  renderStatusSection,
  renderSummary,
} from '../../src/actions/infra-pulse/render.js';
import type { AmAlert, AmSilence } from '../../src/lib/alertmanager/client.js';
import { DeadlineError, withDeadline } from '../../src/lib/deadline.js';
import { readPulseMarker, renderPulseReportSection } from '../../src/lib/evidence/pulse.js';
import { failuresOf, glance } from '../../src/lib/evidence/results.js';
import { parseInputs } from '../../src/lib/inputs/spec.js';
import type { PostgresProbe } from '../../src/lib/postgres/probe.js';
import { parseInfo } from '../../src/lib/redis/info.js';

const NOW = new Date('2026-12-03T16:30:00Z');
const parse = (raw: Record<string, string>): Inputs =>
  parseInputs(metadata.inputs, (k) => raw[k], { workspace: '/ws' });
const plan = (raw: Record<string, string>) => planPulse(parse(raw), '/ws', {}, NOW);
const ok = <T>(value: T): Outcome<T> => ({ ok: true, value, durationMs: 12 });

const REDIS = '- name: sessions\n  address: 127.0.0.1:16379\n  role: primary\n  min-replicas: 1';
const REDIS_REPLICA = '- name: sessions-replica\n  address: 127.0.0.1:16380\n  role: replica';
const PG =
  '- name: audit\n  address: 127.0.0.1:15432\n  user: cc_monitor\n  role: primary\n  min-standbys: 1';

describe('the plan', () => {
  it('gives every dependency its defaults: thresholds, the platform team as owner, the kill-switch and disaster-recovery runbooks', () => {
    const p = plan({
      kafka: 'brokers: a:9092, b:9092',
      redis: REDIS,
      postgres: PG,
      'alertmanager-url': 'http://am:9093',
    });
    expect(p.kafka).toMatchObject({
      connection: { brokers: ['a:9092', 'b:9092'] },
      maxMetadataRttMs: 500,
      owner: 'platform team',
      runbooks: ['docs/runbooks/kill-switch.md#kafka', 'docs/runbooks/disaster-recovery.md#kafka'],
      required: true,
    });
    expect(p.redis[0]).toMatchObject({
      name: 'sessions',
      host: '127.0.0.1',
      port: 16379,
      maxLatencyMs: 100,
      maxReplicaLagMs: 10_000,
      warnRatio: 0.8,
      failRatio: 0.95,
      minReplicas: 1,
      runbooks: ['docs/runbooks/kill-switch.md#redis', 'docs/runbooks/disaster-recovery.md#redis'],
    });
    expect(p.postgres[0]).toMatchObject({
      target: { host: '127.0.0.1', port: 15432, database: 'postgres', user: 'cc_monitor' },
      maxTransactionAgeMs: 300_000,
      failTransactionAgeMs: 3_600_000,
      runbooks: ['docs/runbooks/kill-switch.md#postgres', 'docs/runbooks/disaster-recovery.md#postgres'],
    });
    expect(p.alerts).toMatchObject({ source: 'alertmanager', ownerLabel: 'squad', horizonMs: 86_400_000 });
    expect(p.targets).toBeUndefined();
    expect([p.timeoutMs, p.checkTimeoutMs, p.date]).toEqual([30_000, 10_000, '2026-12-03']);
  });

  it('takes the password from a connection string, masks the string and the password, and never quotes them in an error', () => {
    const p = plan({
      postgres: '- name: a\n  url: postgres://cc_app:s3cr3t-pw@db.internal:6432/staging?sslmode=require',
    });
    expect(p.postgres[0]!.target).toEqual({
      host: 'db.internal',
      port: 6432,
      database: 'staging',
      user: 'cc_app',
      password: 's3cr3t-pw',
      tls: { mode: 'require' },
    });
    expect(p.secrets).toEqual([
      'postgres://cc_app:s3cr3t-pw@db.internal:6432/staging?sslmode=require',
      's3cr3t-pw',
    ]);
    const bad = () =>
      plan({ postgres: '- name: a\n  url: postgres://cc_app:s3cr3t-pw@db:5432/x?sslmode=sometimes' });
    expect(bad).toThrow(
      'input \'postgres\' has value "entry 0 (a) url sslmode=sometimes": expected sslmode disable, allow, prefer, require, verify-ca or verify-full',
    );
    const notUrl = () => plan({ postgres: '- name: a\n  url: "mysql://root:hunter2@db/x"' });
    expect(notUrl).toThrow(/expected a postgres:\/\/ or postgresql:\/\/ connection string/);
    try {
      notUrl();
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
  });

  it('refuses bad input with the input, the value and what is allowed', () => {
    expect(() => plan({})).toThrow(
      "nothing to check: give at least one of the inputs 'kafka', 'redis', 'postgres', 'alertmanager-url' or 'prometheus-url'",
    );
    expect(() => plan({ redis: REDIS, timeout: '5s', 'check-timeout': '10s' })).toThrow(
      "input 'check-timeout' (10000ms) must not be longer than input 'timeout' (5000ms), the deadline of the whole pulse",
    );
    expect(() => plan({ redis: `${REDIS}\n${REDIS.replace('16379', '16390')}` })).toThrow(
      `input 'redis' has value "sessions": expected every entry to have its own name`,
    );
    expect(() => plan({ redis: `${REDIS_REPLICA}\n  min-replicas: 1` })).toThrow(
      /min-replicas applies to a primary; remove it or set role: primary/,
    );
    expect(() => plan({ redis: '- name: x\n  address: 127.0.0.1:99999' })).toThrow(
      `input 'redis' has value "entry 0 (x) address 127.0.0.1:99999": expected host:port with a port from 1 to 65535`,
    );
    expect(() => plan({ postgres: `${PG}\n  max-transaction-age: 2h` })).toThrow(
      /fail-transaction-age.*expected a longer age than max-transaction-age \(2h\)/,
    );
    expect(() => plan({ postgres: '- name: a\n  url: postgres://u@h/db?sslrootcert=/etc/passwd' })).toThrow(
      'connection-string parameters that name files are refused; give the CA as tls-ca',
    );
    expect(() => plan({ kafka: 'brokers: a:9092\nsasl-mechanism: scram-sha-512\nusername: u' })).toThrow(
      "input 'kafka-password' is empty: a password is required when kafka.sasl-mechanism is scram-sha-512",
    );
    expect(() => plan({ 'alertmanager-url': 'am:9093' })).toThrow(
      /alertmanager-url.*expected an http\(s\) URL/,
    );
    expect(() => plan({ redis: REDIS, 'status-file': 'docs/status.md' })).toThrow(
      /status-file.*expected a path containing \{date\}/,
    );
  });

  it('reads alerts from Prometheus when there is no Alertmanager, and its targets whenever it is given', () => {
    const p = plan({ 'prometheus-url': 'http://prom:9090', 'trace-url': 'https://t.example/{trace_id}' });
    expect(p.alerts).toMatchObject({
      source: 'prometheus',
      http: { url: 'http://prom:9090' },
      traceUrl: 'https://t.example/{trace_id}',
    });
    expect(p.targets).toEqual({ http: { url: 'http://prom:9090' }, ownerLabel: 'squad' });
  });
});

const PRIMARY_INFO = `# Server\r
redis_version:7.0.15\r
# Clients\r
connected_clients:12\r
maxclients:1000\r
# Memory\r
used_memory:104857600\r
maxmemory:134217728\r
maxmemory_policy:volatile-lru\r
# Persistence\r
loading:0\r
rdb_last_bgsave_status:ok\r
aof_enabled:1\r
aof_last_write_status:ok\r
# Stats\r
evicted_keys:0\r
rejected_connections:0\r
# Replication\r
role:master\r
connected_slaves:1\r
slave0:ip=127.0.0.1,port=16380,state=online,offset=5000,lag=0\r
master_repl_offset:5000\r
`;

describe('Redis', () => {
  const [primary] = plan({ redis: REDIS }).redis;
  const [replica] = plan({ redis: REDIS_REPLICA }).redis;

  it('a healthy primary is OK, and its metrics say what was seen', () => {
    const c = evaluateRedis(primary!, ok({ connectMs: 3, pingMs: 0.4, info: parseInfo(PRIMARY_INFO) }));
    expect(c.status).toBe('OK');
    expect(c.summary).toBe(
      'primary (1 replica(s), lag ≤ 0s), PING 0ms, memory 100 MiB of 128 MiB, clients 12/1000, RDB ok, AOF ok',
    );
    expect(c.metrics).toMatchObject({
      role: 'primary',
      connectedReplicas: 1,
      usedMemory: 104_857_600,
      maxMemory: 134_217_728,
    });
  });

  it('memory over the fail ratio FAILs, evicted keys and a missing replica WARN, a failed save FAILs', () => {
    const info = PRIMARY_INFO.replace('used_memory:104857600', 'used_memory:130000000')
      .replace('evicted_keys:0', 'evicted_keys:42')
      .replace('connected_slaves:1', 'connected_slaves:0')
      .replace(/slave0:.*\r\n/, '')
      .replace('rdb_last_bgsave_status:ok', 'rdb_last_bgsave_status:err');
    const c = evaluateRedis(primary!, ok({ connectMs: 3, pingMs: 0.4, info: parseInfo(info) }));
    expect(c.status).toBe('FAIL');
    expect(c.findings.map((f) => [f.status, f.aspect])).toEqual([
      ['WARN', 'replication'],
      ['FAIL', 'persistence'],
      ['FAIL', 'memory'],
      ['WARN', 'evictions'],
    ]);
    expect(c.findings[2]!.message).toBe('124 MiB used of 128 MiB maxmemory (96.9%, policy volatile-lru)');
  });

  it('a replica whose link is down FAILs on replication; a primary where a replica is expected FAILs on role', () => {
    const down = parseInfo(
      '# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:16379\r\nmaster_link_status:down\r\nmaster_link_down_since_seconds:7\r\n',
    );
    const c = evaluateRedis(replica!, ok({ connectMs: 1, pingMs: 1, info: down }));
    expect(c.status).toBe('FAIL');
    expect(c.findings).toEqual([
      expect.objectContaining({
        aspect: 'replication',
        message: 'the link to its primary 127.0.0.1:16379 is down (for 7.0s): reads here are stale',
      }),
    ]);
    const promoted = evaluateRedis(replica!, ok({ connectMs: 1, pingMs: 1, info: parseInfo(PRIMARY_INFO) }));
    expect(promoted.findings[0]).toMatchObject({
      status: 'FAIL',
      aspect: 'role',
      message: 'expected a replica, but it is a primary',
    });
  });

  it('a server that does not answer is a FAIL naming where, with the runbooks', () => {
    const c = evaluateRedis(primary!, {
      ok: false,
      kind: 'unreachable',
      error: 'Redis at 127.0.0.1:16379 refused the connection: nothing is listening there',
      durationMs: 3,
    });
    expect(c).toMatchObject({
      status: 'FAIL',
      summary: 'not reachable: Redis at 127.0.0.1:16379 refused the connection: nothing is listening there',
      runbooks: ['docs/runbooks/kill-switch.md#redis', 'docs/runbooks/disaster-recovery.md#redis'],
    });
  });
});

const pgProbe = (over: Partial<PostgresProbe>): PostgresProbe => ({
  connectMs: 5,
  selectMs: 0.5,
  serverVersion: '15.14',
  inRecovery: false,
  maxConnections: 50,
  reservedConnections: 3,
  connections: 4,
  oldestTransaction: null,
  hiddenSessions: 0,
  standbys: [],
  ...over,
});

describe('PostgreSQL', () => {
  const [primary] = plan({ postgres: PG }).postgres;
  const [standby] = plan({ postgres: '- name: s\n  address: h:1\n  user: u\n  role: standby' }).postgres;

  it('a primary without its standby WARNs on replication; a lagging standby WARNs with bytes and seconds', () => {
    const c = evaluatePostgres(primary!, ok(pgProbe({})));
    expect(c.status).toBe('WARN');
    expect(c.findings[0]!.message).toBe(
      '0 of 1 expected standby(s) streaming: a standby is down or cannot reach this primary',
    );
    const lagging = evaluatePostgres(
      primary!,
      ok(
        pgProbe({
          standbys: [
            {
              pid: 9,
              applicationName: 'cc_standby',
              clientAddr: '127.0.0.1',
              state: 'streaming',
              syncState: 'async',
              replayLagBytes: 64 * 1_048_576,
              replayLagSeconds: 45,
            },
          ],
        }),
      ),
    );
    expect(lagging.findings).toEqual([
      expect.objectContaining({
        status: 'WARN',
        aspect: 'replication',
        message: 'standby cc_standby replays 64.0 MiB / 45.0s behind',
      }),
    ]);
    expect(lagging.metrics).toMatchObject({
      replayLagBytes: 64 * 1_048_576,
      replayLagSeconds: 45,
      streamingStandbys: 1,
    });
  });

  it('a standby without a WAL receiver FAILs; an hour-old transaction FAILs; what the role cannot see is UNKNOWN', () => {
    const c = evaluatePostgres(
      standby!,
      ok(
        pgProbe({
          inRecovery: true,
          standbys: undefined,
          standby: {
            receiveLsn: '0/3000000',
            replayLsn: '0/3000000',
            replayLagBytes: 0,
            replayLagSeconds: 0,
            receiver: undefined,
          },
          oldestTransaction: { seconds: 3_700, state: 'idle in transaction', application: 'psql', pid: 4242 },
          hiddenSessions: 2,
        }),
      ),
    );
    expect(c.status).toBe('FAIL');
    expect(c.findings.map((f) => [f.status, f.aspect])).toEqual([
      ['FAIL', 'replication'],
      ['FAIL', 'transactions'],
      ['UNKNOWN', 'transactions'],
    ]);
    expect(c.findings[1]!.message).toBe(
      'a transaction has been open for 1h01m (pid 4242, psql, idle in transaction): it holds back vacuum and may hold locks',
    );
  });

  it('connections near max_connections (less the reserved ones) WARN, then FAIL', () => {
    expect(
      evaluatePostgres(standby!, ok(pgProbe({ inRecovery: true, standbys: undefined, connections: 38 })))
        .findings,
    ).toContainEqual(
      expect.objectContaining({
        status: 'WARN',
        aspect: 'connections',
        message: '38 client connections of 47 available (max_connections 50 less 3 reserved, 80.9%)',
      }),
    );
    expect(
      evaluatePostgres(standby!, ok(pgProbe({ inRecovery: true, standbys: undefined, connections: 46 })))
        .status,
    ).toBe('FAIL');
  });

  it('a refused login is a FAIL on login with the runbooks', () => {
    const c = evaluatePostgres(primary!, {
      ok: false,
      kind: 'auth',
      error:
        'PostgreSQL cc_monitor@127.0.0.1:15432/postgres refused the login (password authentication failed for user "cc_monitor"): check the user and password',
      durationMs: 8,
    });
    expect(c.findings).toEqual([expect.objectContaining({ status: 'FAIL', aspect: 'login' })]);
    expect(c.summary).toMatch(/^credentials refused: /);
  });
});

const cluster = (over: Partial<KafkaObservation['cluster']> = {}): KafkaObservation => ({
  cluster: {
    clusterId: 'c1',
    controllerId: 1,
    brokers: [
      { nodeId: 1, host: 'k1', port: 9092 },
      { nodeId: 2, host: 'k2', port: 9092 },
    ],
    topics: [
      {
        name: 'policy.decisions',
        exists: true,
        errorCode: 0,
        internal: false,
        partitions: [
          { partition: 0, errorCode: 0, leader: 1, replicas: [1, 2], isr: [1, 2], offlineReplicas: [] },
          { partition: 1, errorCode: 0, leader: 2, replicas: [2, 1], isr: [2], offlineReplicas: [] },
          { partition: 2, errorCode: 5, leader: -1, replicas: [3], isr: [], offlineReplicas: [3] },
        ],
      },
    ],
    roundTripMs: 4,
    ...over,
  },
  answering: [
    { nodeId: 1, ok: true },
    { nodeId: 2, ok: true },
  ],
});

describe('Kafka', () => {
  const k = plan({ kafka: 'brokers: k1:9092\nexpected-brokers: 3' }).kafka!;

  it('fewer brokers than expected and an offline partition FAIL; an under-replicated one WARNs', () => {
    const c = evaluateKafka(k, ok(cluster()));
    expect(c.status).toBe('FAIL');
    expect(c.findings.map((f) => [f.status, f.aspect, f.message])).toEqual([
      ['FAIL', 'brokers', '2 of 3 expected brokers answer'],
      ['FAIL', 'partitions', '1 partition(s) offline, without a leader: policy.decisions-2'],
      [
        'WARN',
        'partitions',
        '1 partition(s) under-replicated (fewer in-sync replicas than replicas): policy.decisions-1',
      ],
    ]);
    expect(c.metrics).toMatchObject({
      brokersListed: 2,
      brokersAnswering: 2,
      underReplicated: 1,
      offline: 1,
      partitions: 3,
    });
  });

  it('no controller FAILs; a slow metadata round trip WARNs', () => {
    const c = evaluateKafka(
      { ...k, expectedBrokers: 2 },
      ok(cluster({ controllerId: -1, roundTripMs: 900, topics: [] })),
    );
    expect(c.findings.map((f) => [f.status, f.aspect])).toEqual([
      ['FAIL', 'controller'],
      ['WARN', 'metadata'],
    ]);
  });
});

const amAlert = (
  labels: Record<string, string>,
  silencedBy: string[] = [],
  annotations: Record<string, string> = {},
): AmAlert => ({
  fingerprint: labels.alertname!,
  labels,
  annotations,
  startsAt: '2026-12-03T16:00:00Z',
  status: { state: silencedBy.length ? 'suppressed' : 'active', silencedBy, inhibitedBy: [] },
});
const amSilence = (id: string, state: string, startsAt: string, endsAt: string): AmSilence => ({
  id,
  matchers: [{ name: 'alertname', value: 'RedisDown', isRegex: false, isEqual: true }],
  startsAt,
  endsAt,
  createdBy: 'ada',
  comment: `window ${id}`,
  status: { state },
});

describe('alerts and planned maintenance', () => {
  const p = plan({
    'alertmanager-url': 'http://am:9093',
    'trace-url': 'https://t.example/trace/{trace_id}',
  }).alerts!;

  it('groups firing alerts by squad with trace links; a silenced critical alert is in maintenance, not a failure', () => {
    const e = evaluateAlerts(
      p,
      ok({
        alerts: [
          amAlert(
            { alertname: 'RedisDown', severity: 'critical', squad: 'Runtime & Training' },
            ['s-active'],
            { trace_id: 'abc123' },
          ),
          amAlert({
            alertname: 'PolicyDecisionLatencyHigh',
            severity: 'warning',
            squad: 'Governance Core',
            trace_id: 'def456',
          }),
          amAlert({ alertname: 'PostgresDown', severity: 'critical' }),
        ],
        silences: [
          amSilence('s-active', 'active', '2026-12-03T16:00:00Z', '2026-12-03T18:00:00Z'),
          amSilence('s-soon', 'pending', '2026-12-04T08:00:00Z', '2026-12-04T09:00:00Z'),
          amSilence('s-later', 'pending', '2026-12-05T08:00:00Z', '2026-12-05T09:00:00Z'),
          amSilence('s-old', 'expired', '2026-12-01T08:00:00Z', '2026-12-01T09:00:00Z'),
        ],
      }),
      NOW,
    );
    expect(e.view.groups.map((g) => [g.owner, g.alerts.map((a) => [a.name, a.state, a.status])])).toEqual([
      ['Governance Core', [['PolicyDecisionLatencyHigh', 'firing', 'WARN']]],
      ['Runtime & Training', [['RedisDown', 'in-maintenance', 'OK']]],
      ['unowned', [['PostgresDown', 'firing', 'FAIL']]],
    ]);
    expect(e.view.groups[0]!.alerts[0]!.traceUrl).toBe('https://t.example/trace/def456');
    expect(e.view.groups[1]!.alerts[0]!.traceUrl).toBe('https://t.example/trace/abc123');
    expect(e.maintenance.map((m) => [m.id, m.state, m.covers, m.matchers])).toEqual([
      ['s-active', 'active', 1, 'alertname="RedisDown"'],
      ['s-soon', 'pending', 0, 'alertname="RedisDown"'],
    ]);
    expect(e.check.status).toBe('FAIL');
    expect([e.view.firing, e.view.inMaintenance]).toEqual([2, 1]);
  });

  it('an Alertmanager that cannot be read is UNKNOWN, never OK', () => {
    const e = evaluateAlerts(
      p,
      {
        ok: false,
        kind: 'unreachable',
        error: 'Alertmanager at http://am:9093 is unreachable (ECONNREFUSED)',
        durationMs: 2,
      },
      NOW,
    );
    expect(e.check.status).toBe('UNKNOWN');
    expect(e.view.error).toBe('Alertmanager at http://am:9093 is unreachable (ECONNREFUSED)');
    expect(e.maintenance).toEqual([]);
  });
});

describe('the report, its renderings and the status report', () => {
  const p = plan({ redis: REDIS, postgres: PG, 'alertmanager-url': 'http://am:9093' });
  const redisDown = evaluateRedis(p.redis[0]!, {
    ok: false,
    kind: 'unreachable',
    error: 'Redis at 127.0.0.1:16379 refused the connection: nothing is listening there',
    durationMs: 2,
  });
  const pgOk = evaluatePostgres(
    p.postgres[0]!,
    ok(
      pgProbe({
        standbys: [
          {
            pid: 1,
            applicationName: 'sb',
            clientAddr: null,
            state: 'streaming',
            syncState: 'async',
            replayLagBytes: 0,
            replayLagSeconds: 0,
          },
        ],
      }),
    ),
  );
  const alerts = evaluateAlerts(
    p.alerts!,
    {
      ok: false,
      kind: 'unreachable',
      error: 'Alertmanager at http://am:9093 is unreachable (ECONNREFUSED)',
      durationMs: 3,
    },
    NOW,
  );
  const report = buildReport({
    plan: p,
    checks: [pgOk, redisDown, alerts.check],
    alerts,
    targetsDown: [],
    wallMs: 14.4,
    checkedAt: NOW,
  });

  it('the verdict is the worst status; a required FAIL blocks the day, an UNKNOWN alerts check does not', () => {
    expect([report.verdict, report.ready, report.blocking]).toEqual(['FAIL', false, ['redis:sessions']]);
    expect(report.counts).toEqual({ checks: 3, ok: 1, warn: 0, fail: 1, unknown: 1 });
    expect(report.headline).toBe(
      'FAIL: redis:sessions FAIL (Redis at 127.0.0.1:16379 refused the connection: nothing is listening there); alerts UNKNOWN (Alertmanager at http://am:9093 is unreachable (ECONNREFUSED): firing alerts and planned maintenance are unknown)',
    );
  });

  it('annotations rank the required failure first and name the owner and runbooks', () => {
    const a = buildAnnotations(report).sort((x, y) => (x.rank ?? 0) - (y.rank ?? 0));
    expect(a.map((x) => [x.level, x.title])).toEqual([
      ['error', 'infra-pulse: redis:sessions FAIL'],
      ['warning', 'infra-pulse: alerts UNKNOWN'],
    ]);
    expect(a[0]!.message).toBe(
      'Redis at 127.0.0.1:16379 refused the connection: nothing is listening there — owner platform team; runbooks: docs/runbooks/kill-switch.md#redis, docs/runbooks/disaster-recovery.md#redis',
    );
  });

  it('the step summary has a table per dependency; the status-file section links the runbooks from its folder and carries its marker', () => {
    const summary = renderSummary(report, '/tmp/result.json');
    expect(summary).toContain('### Redis `sessions` — ❌ FAIL');
    expect(summary).toContain('### PostgreSQL `audit` — ✅ OK');
    expect(summary).toContain(
      'runbooks: `docs/runbooks/kill-switch.md#redis` · `docs/runbooks/disaster-recovery.md#redis`',
    );
    const section = renderStatusSection(report, 'docs/sprints/status/2026-12-03.md');
    expect(section).toContain('[kill-switch#redis](../../runbooks/kill-switch.md#redis)');
    expect(section).toContain('[disaster-recovery#redis](../../runbooks/disaster-recovery.md#redis)');
    expect(readPulseMarker(section)).toEqual({
      verdict: 'FAIL',
      ready: false,
      checkedAt: '2026-12-03T16:30:00.000Z',
      headline: report.headline,
      blocking: ['redis:sessions'],
    });
  });

  it("evidence-archive reads the JSON result: the day's failures with owner and runbook, and an Infra Pulse section", () => {
    const env = {
      action: 'infra-pulse',
      schemaVersion: 1,
      status: 'failure',
      startedAt: NOW.toISOString(),
      finishedAt: NOW.toISOString(),
      result: JSON.parse(JSON.stringify(report)) as unknown,
    };
    expect(failuresOf(env as never)).toEqual([
      {
        step: 'infra-pulse',
        what: 'redis:sessions (FAIL)',
        detail: 'Redis at 127.0.0.1:16379 refused the connection: nothing is listening there',
        owner: 'platform team',
        runbook: 'docs/runbooks/kill-switch.md#redis',
      },
      {
        step: 'infra-pulse',
        what: 'alerts (UNKNOWN, optional)',
        detail:
          'Alertmanager at http://am:9093 is unreachable (ECONNREFUSED): firing alerts and planned maintenance are unknown',
        owner: 'platform team',
      },
    ]);
    expect(glance(env as never)).toMatch(
      /^FAIL \(a required dependency is down\): FAIL: redis:sessions FAIL/,
    );
    const section = renderPulseReportSection(
      env.result,
      (r, text) => `[${text}](${r})`,
      (t) => t.replace(/\|/g, '\\|'),
    );
    expect(section[0]).toBe('## Infra Pulse');
    expect(section).toContain(
      '| `redis:sessions` | ❌ FAIL | Redis at 127.0.0.1:16379 refused the connection: nothing is listening there | platform team | [kill-switch#redis](docs/runbooks/kill-switch.md#redis) · [disaster-recovery#redis](docs/runbooks/disaster-recovery.md#redis) |',
    );
  });
});

describe('the deadline', () => {
  it('settles when a piece of work ignores its own timeout, and tells its own timeout from the overall deadline', async () => {
    const hang = (signal: AbortSignal) =>
      new Promise<never>(() => {
        signal.addEventListener('abort', () => {});
      });
    const own = await withDeadline(50, new AbortController().signal, hang).catch((e: unknown) => e);
    expect(own).toBeInstanceOf(DeadlineError);
    expect(own).toMatchObject({ which: 'own', message: 'no answer within 50ms' });
    const overall = new AbortController();
    const pending = withDeadline(60_000, overall.signal, hang).catch((e: unknown) => e);
    overall.abort();
    expect(await pending).toMatchObject({ which: 'overall', message: 'the overall deadline passed first' });
    let closed = false;
    await withDeadline(30, new AbortController().signal, (signal) => {
      signal.addEventListener('abort', () => (closed = true));
      return new Promise(() => {});
    }).catch(() => {});
    expect(closed).toBe(true);
  });
});
