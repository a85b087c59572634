import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ensureBuilt } from '../support/build.js';
import {
  INFRA,
  POSTGRES_ROLES,
  REDIS_USERS,
  postgresPassword,
  redisPassword,
  withComponentDown,
} from '../support/infra.js';
import { KafkaFixture } from '../support/kafka.js';
import { ROOT, STATE_DIR } from '../support/paths.js';
import { runAction, type ActionRun } from '../support/run-action.js';
import { SCRATCH_KAFKA, STACK, needsServers } from '../support/servers.js';
import type { CheckResult, PulseReport } from '../../src/actions/infra-pulse/model.js';

needsServers('kafka', 'redis', 'redis-replica', 'postgres', 'postgres-standby', 'alertmanager', 'prometheus');

beforeAll(() => ensureBuilt(), 300_000);

const hostPort = (h: { host: string; port: number }) => `${h.host}:${h.port}`;

/**
 * The stack's dependencies as the pulse's inputs, read by the monitoring user and role. Latency
 * thresholds are wide: these tests are about what the pulse concludes, and the shared machine's load
 * is no finding (speed is measured in bench/infra-pulse.bench.mjs).
 */
function stackInputs(): Record<string, string> {
  const { redis, postgres } = INFRA;
  return {
    kafka: `brokers: ${STACK.kafka}\nexpected-brokers: 1\nmax-metadata-rtt: 5s\nowner: Runtime & Training`,
    redis: [
      `- name: primary\n  address: ${hostPort(redis.primary)}\n  role: primary\n  username: ${REDIS_USERS.monitor}\n  min-replicas: 1\n  max-latency: 5s\n  owner: Runtime & Training`,
      `- name: replica\n  address: ${hostPort(redis.replica)}\n  role: replica\n  username: ${REDIS_USERS.monitor}\n  max-latency: 5s\n  owner: Runtime & Training`,
    ].join('\n'),
    'redis-password': redisPassword(REDIS_USERS.monitor),
    postgres: [
      `- name: primary\n  address: ${hostPort(postgres.primary)}\n  database: ${postgres.database}\n  user: ${POSTGRES_ROLES.monitor}\n  role: primary\n  min-standbys: 1\n  max-latency: 5s\n  owner: Governance Core`,
      `- name: standby\n  address: ${hostPort(postgres.standby)}\n  database: ${postgres.database}\n  user: ${POSTGRES_ROLES.monitor}\n  role: standby\n  max-latency: 5s\n  owner: Governance Core`,
    ].join('\n'),
    'postgres-password': postgresPassword(POSTGRES_ROLES.monitor),
    'alertmanager-url': INFRA.alertmanager.url,
    'prometheus-url': INFRA.prometheus.url,
    timeout: '30s',
    'check-timeout': '10s',
  };
}

function report(run: ActionRun): PulseReport {
  return (JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8')) as { result: PulseReport }).result;
}
function check(r: PulseReport, id: string): CheckResult {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${r.checks.map((x) => x.id).join(', ')}`);
  return c;
}
/** What the step printed, but for the `::add-mask::` commands that hand the runner its secrets. */
const printed = (run: ActionRun) =>
  run.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
const problems = (c: CheckResult) => c.findings.filter((f) => f.status !== 'OK');

describe('infra-pulse against the stack', () => {
  it('a healthy stack: every dependency OK, each with its thresholds, owner and a table in the summary', async () => {
    const run = await runAction('infra-pulse', { inputs: stackInputs() });
    expect(run.stderr).toBe('');
    const r = report(run);
    for (const id of ['kafka', 'redis:primary', 'redis:replica', 'postgres:primary', 'postgres:standby'])
      expect({ id, status: check(r, id).status, problems: problems(check(r, id)) }).toEqual({
        id,
        status: 'OK',
        problems: [],
      });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.ready).toBe('true');
    expect(run.outputs.blocking).toBe('[]');
    const kafka = check(r, 'kafka');
    expect(kafka.metrics.brokersAnswering).toBe(1);
    expect(kafka.metrics.controllerId).toBe(1);
    expect(kafka.owner).toBe('Runtime & Training');
    expect(kafka.thresholds.brokers).toBe('FAIL < 1 answering');
    const primary = check(r, 'redis:primary');
    expect(primary.metrics.role).toBe('primary');
    expect(primary.metrics.connectedReplicas).toBe(1);
    expect(primary.metrics.rdbLastBgsaveStatus).toBe('ok');
    expect(primary.metrics.maxMemory).toBeGreaterThan(0);
    expect(check(r, 'redis:replica').metrics.masterLinkStatus).toBe('up');
    const pg = check(r, 'postgres:primary');
    expect(pg.metrics.role).toBe('primary');
    expect(pg.metrics.streamingStandbys).toBe(1);
    expect(pg.metrics.maxConnections).toBeGreaterThan(0);
    expect(check(r, 'postgres:standby').metrics.walReceiver).toBe('streaming');
    expect(check(r, 'alerts').metrics.reachable).toBe(true);
    expect(check(r, 'targets').metrics.reachable).toBe(true);
    // Parallel, inside the overall deadline: the wall time is that of the slowest check, not the sum.
    expect(r.wallMs).toBeLessThan(r.checks.reduce((s, c) => s + c.durationMs, 0));
    expect(run.summary).toContain('### Redis `primary` — ✅ OK');
    expect(run.summary).toContain('### PostgreSQL `standby` — ✅ OK');
    expect(run.summary).toMatch(/\| aspect \| status \| finding \| threshold \|/);
    // The passwords are masked, never printed.
    expect(run.masks).toEqual(
      expect.arrayContaining([redisPassword(REDIS_USERS.monitor), postgresPassword(POSTGRES_ROLES.monitor)]),
    );
    expect(printed(run)).not.toContain(redisPassword(REDIS_USERS.monitor));
    expect(printed(run)).not.toContain(postgresPassword(POSTGRES_ROLES.monitor));
  }, 120_000);

  it('the Redis primary stopped: a FAIL inside the deadline, with the runbook links, and the replica loses its link', async () => {
    const run = await withComponentDown('redis', () => runAction('infra-pulse', { inputs: stackInputs() }));
    const r = report(run);
    const primary = check(r, 'redis:primary');
    expect(primary.status).toBe('FAIL');
    expect(primary.findings[0]!.message).toMatch(
      /^Redis at 127\.0\.0\.1:\d+ refused the connection: nothing is listening there$/,
    );
    expect(primary.durationMs).toBeLessThanOrEqual(r.checkTimeoutMs);
    expect(primary.runbooks).toEqual([
      'docs/runbooks/kill-switch.md#redis',
      'docs/runbooks/disaster-recovery.md#redis',
    ]);
    const replica = check(r, 'redis:replica');
    expect(replica.status).toBe('FAIL');
    expect(problems(replica).map((f) => f.aspect)).toContain('replication');
    expect(run.exitCode).toBe(1);
    expect(run.outputs.verdict).toBe('FAIL');
    expect(run.outputs.ready).toBe('false');
    expect(JSON.parse(run.outputs.blocking!)).toEqual(
      expect.arrayContaining(['redis:primary', 'redis:replica']),
    );
    const annotation = run.annotations.find((a) => a.properties.title === 'infra-pulse: redis:primary FAIL');
    expect(annotation?.level).toBe('error');
    expect(annotation?.message).toContain('docs/runbooks/kill-switch.md#redis');
    expect(annotation?.message).toContain('owner Runtime & Training');
    expect(run.summary).toContain('`docs/runbooks/disaster-recovery.md#redis`');
    // Inside the deadline: the run ended, it did not wait for the server.
    expect(r.wallMs).toBeLessThanOrEqual(r.timeoutMs);
  }, 300_000);

  it('the Redis replica stopped: the primary WARNs on replication, the replica FAILs', async () => {
    const run = await withComponentDown('redis-replica', () =>
      runAction('infra-pulse', { inputs: stackInputs() }),
    );
    const r = report(run);
    const primary = check(r, 'redis:primary');
    expect(primary.status).toBe('WARN');
    expect(problems(primary)).toEqual([
      expect.objectContaining({
        status: 'WARN',
        aspect: 'replication',
        message: '0 of 1 expected replica(s) connected: a replica is down or cannot reach this primary',
      }),
    ]);
    expect(check(r, 'redis:replica').status).toBe('FAIL');
    expect(run.exitCode).toBe(1);
  }, 300_000);

  it('the PostgreSQL standby stopped: the primary reports the missing standby on replication', async () => {
    const run = await withComponentDown('postgres-standby', () =>
      runAction('infra-pulse', { inputs: stackInputs() }),
    );
    const r = report(run);
    const primary = check(r, 'postgres:primary');
    expect(primary.status).toBe('WARN');
    expect(problems(primary)).toEqual([expect.objectContaining({ status: 'WARN', aspect: 'replication' })]);
    expect(problems(primary)[0]!.message).toMatch(/^0 of 1 expected standby\(s\) streaming/);
    expect(primary.metrics.streamingStandbys).toBe(0);
    const standby = check(r, 'postgres:standby');
    expect(standby.status).toBe('FAIL');
    expect(standby.runbooks).toEqual([
      'docs/runbooks/kill-switch.md#postgres',
      'docs/runbooks/disaster-recovery.md#postgres',
    ]);
  }, 300_000);

  it('a wrong PostgreSQL password: a clear login error that never shows the password', async () => {
    const wrong = `wrong-${randomBytes(9).toString('hex')}`;
    const inUrl = `url-${randomBytes(9).toString('hex')}`;
    const { postgres } = INFRA;
    const run = await runAction('infra-pulse', {
      inputs: {
        postgres: [
          `- name: by-address\n  address: ${hostPort(postgres.primary)}\n  database: ${postgres.database}\n  user: ${POSTGRES_ROLES.monitor}`,
          `- name: by-url\n  url: postgres://${POSTGRES_ROLES.monitor}:${inUrl}@${hostPort(postgres.primary)}/${postgres.database}`,
        ].join('\n'),
        'postgres-password': wrong,
      },
    });
    const r = report(run);
    for (const id of ['postgres:by-address', 'postgres:by-url']) {
      const c = check(r, id);
      expect(c.status).toBe('FAIL');
      expect(c.findings[0]!.aspect).toBe('login');
      expect(c.findings[0]!.message).toMatch(
        /^PostgreSQL cc_monitor@127\.0\.0\.1:\d+\/staging refused the login \(password authentication failed for user "cc_monitor"\): check the user and password$/,
      );
      expect(c.target).toBe(`cc_monitor@${hostPort(postgres.primary)}/staging`);
    }
    expect(run.exitCode).toBe(1);
    const written = [
      printed(run),
      run.stderr,
      run.summary,
      readFileSync(run.outputs['result-path']!, 'utf8'),
    ].join('\n');
    for (const secret of [wrong, inUrl]) {
      expect(written).not.toContain(secret);
      expect(run.masks).toContain(secret);
    }
  }, 60_000);

  it('a server that accepts connections and never answers: each check FAILs at its own timeout, the run never hangs', async () => {
    // A real listening socket that says nothing: what a hung server or a stuck proxy looks like.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const run = await runAction('infra-pulse', {
        inputs: {
          kafka: `brokers: ${address}`,
          redis: `- name: hung\n  address: ${address}`,
          postgres: `- name: hung\n  address: ${address}\n  user: cc_monitor`,
          'alertmanager-url': `http://${address}`,
          timeout: '6s',
          'check-timeout': '2s',
        },
        timeoutMs: 60_000,
      });
      const r = report(run);
      expect(r.checks.map((c) => [c.id, c.status])).toEqual([
        ['kafka', 'FAIL'],
        ['redis:hung', 'FAIL'],
        ['postgres:hung', 'FAIL'],
        ['alerts', 'UNKNOWN'],
      ]);
      for (const id of ['redis:hung', 'postgres:hung'])
        expect(check(r, id).findings[0]!.message).toMatch(
          /no answer within 2\.0s|did not (answer|accept a connection) in time/,
        );
      expect(run.exitCode).toBe(1);
      expect(r.wallMs).toBeLessThanOrEqual(r.timeoutMs);
    } finally {
      silent.close();
    }
  }, 120_000);

  it('Alertmanager down: the alerts check is UNKNOWN, never OK', async () => {
    const run = await withComponentDown('alertmanager', () =>
      runAction('infra-pulse', {
        inputs: { 'alertmanager-url': INFRA.alertmanager.url, timeout: '20s', 'check-timeout': '5s' },
      }),
    );
    const r = report(run);
    const alerts = check(r, 'alerts');
    expect(alerts.status).toBe('UNKNOWN');
    expect(alerts.findings[0]!.message).toMatch(
      /^Alertmanager at http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED\): firing alerts and planned maintenance are unknown$/,
    );
    expect(r.verdict).toBe('UNKNOWN');
    expect(run.outputs['checks-unknown']).toBe('1');
    expect(run.summary).toContain('firing alerts and planned maintenance are unknown');
    // Not required by default: an UNKNOWN reported, the step passes; `fail-on: unknown` with
    // `alerts-required` would fail it.
    expect(run.exitCode).toBe(0);
  }, 300_000);
});

/** Alertmanager's own API: what Prometheus does to send an alert, and what amtool does to silence. */
async function am<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${INFRA.alertmanager.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`Alertmanager ${method} ${path}: HTTP ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

describe('infra-pulse: planned maintenance from Alertmanager silences', () => {
  const tag = randomBytes(4).toString('hex');
  const silenced = `PulseMaintenanceTest_${tag}`;
  const loud = `PulseFiringTest_${tag}`;
  const silenceIds: string[] = [];
  const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

  const traceId = `4bf92f3577b34da6a3ce929d0e0e${tag}`;
  // Alertmanager knows an alert by its whole label set: the resolution below must repeat it exactly.
  const labels = {
    silenced: { alertname: silenced, squad: 'Runtime & Training', severity: 'critical' },
    loud: { alertname: loud, squad: 'Governance Core', severity: 'warning', trace_id: traceId },
  };

  afterAll(async () => {
    for (const id of silenceIds) await am('DELETE', `/api/v2/silence/${id}`).catch(() => {});
    // Resolve the test's alerts at once, so that a pulse run after this file sees none of them.
    const now = new Date().toISOString();
    await am('POST', '/api/v2/alerts', [
      { labels: labels.silenced, endsAt: now },
      { labels: labels.loud, endsAt: now },
    ]);
    const left = await am<{ labels: Record<string, string> }[]>('GET', '/api/v2/alerts?active=true');
    expect(left.filter((a) => a.labels.alertname === silenced || a.labels.alertname === loud)).toEqual([]);
  });

  it('an active silence is planned maintenance and its alert is "in maintenance"; a pending one within the horizon is listed, one beyond it is not', async () => {
    await am('POST', '/api/v2/alerts', [
      {
        labels: labels.silenced,
        annotations: { summary: 'sessions store under maintenance', trace_id: traceId },
        startsAt: new Date().toISOString(),
        endsAt: inMinutes(10),
      },
      {
        labels: labels.loud,
        annotations: { summary: 'policy decisions are slow' },
        startsAt: new Date().toISOString(),
        endsAt: inMinutes(10),
      },
    ]);
    const silence = (startsAt: string, endsAt: string, comment: string) =>
      am<{ silenceID: string }>('POST', '/api/v2/silences', {
        matchers: [{ name: 'alertname', value: silenced, isRegex: false, isEqual: true }],
        startsAt,
        endsAt,
        createdBy: 'ada',
        comment,
      }).then((s) => (silenceIds.push(s.silenceID), s.silenceID));
    const active = await silence(new Date().toISOString(), inMinutes(60), `redis upgrade ${tag}`);
    const soon = await silence(inMinutes(120), inMinutes(180), `postgres minor upgrade ${tag}`);
    await silence(inMinutes(48 * 60), inMinutes(49 * 60), `next week ${tag}`);

    const run = await runAction('infra-pulse', {
      inputs: {
        'alertmanager-url': INFRA.alertmanager.url,
        'trace-url': 'https://traces.example/trace/{trace_id}',
        'maintenance-horizon': '24h',
      },
    });
    expect(run.stderr).toBe('');
    const r = report(run);
    const alerts = r.alerts.groups.flatMap((g) => g.alerts);
    const quiet = alerts.find((a) => a.name === silenced);
    expect(quiet).toMatchObject({
      state: 'in-maintenance',
      status: 'OK',
      owner: 'Runtime & Training',
      traceId,
      traceUrl: `https://traces.example/trace/${traceId}`,
      silencedBy: [{ id: active, createdBy: 'ada', comment: `redis upgrade ${tag}` }],
    });
    const firing = alerts.find((a) => a.name === loud);
    expect(firing).toMatchObject({ state: 'firing', status: 'WARN', owner: 'Governance Core', traceId });
    const mine = r.maintenance.filter((m) => m.comment.endsWith(tag));
    expect(mine.map((m) => [m.id, m.state, m.createdBy, m.comment, m.covers])).toEqual([
      [active, 'active', 'ada', `redis upgrade ${tag}`, 1],
      [soon, 'pending', 'ada', `postgres minor upgrade ${tag}`, 0],
    ]);
    expect(mine[0]!.matchers).toBe(`alertname="${silenced}"`);
    expect(Date.parse(mine[1]!.endsAt)).toBeGreaterThan(Date.parse(mine[1]!.startsAt));
    // The silenced critical alert fails nothing; the firing warning is a WARN of the alerts check.
    const check = r.checks.find((c) => c.id === 'alerts')!;
    expect(check.findings.some((f) => f.status === 'FAIL' && f.message.startsWith(silenced))).toBe(false);
    expect(check.findings).toContainEqual(
      expect.objectContaining({
        status: 'OK',
        aspect: 'maintenance',
        message: expect.stringMatching(new RegExp(`^${silenced} is in maintenance: silenced by ada until `)),
      }),
    );
    expect(run.summary).toContain('### Planned maintenance');
    expect(run.summary).toContain(`redis upgrade ${tag}`);
    expect(run.summary).toContain(`[${traceId}](https://traces.example/trace/${traceId})`);
    expect(run.summary).toMatch(
      new RegExp(`\\| Runtime & Training \\| \`${silenced}\` \\| critical \\| 🛠️ in maintenance \\|`),
    );
    expect(Number(run.outputs['in-maintenance'])).toBeGreaterThanOrEqual(1);
    expect(run.outputs['planned-maintenance']).toBe(String(r.maintenance.length));
  }, 60_000);
});

describe('infra-pulse: a Kafka broker killed', () => {
  const stateDir = join(STATE_DIR, 'kafka-scratch');
  afterAll(() => {
    execFileSync('bash', [join(ROOT, 'stack/stack.sh'), 'down', 'kafka-scratch'], { stdio: 'ignore' });
  });

  it('answers OK while the broker lives, and FAILs with a clear message inside the deadline once it is killed', async () => {
    execFileSync('bash', [join(ROOT, 'stack/stack.sh'), 'up', 'kafka-scratch'], {
      stdio: 'ignore',
      timeout: 180_000,
    });
    const scratch = await new KafkaFixture(SCRATCH_KAFKA).connect();
    await scratch.topic('pulse', 2);
    await scratch.close({ keepTopics: true });
    const inputs = {
      kafka: `brokers: ${SCRATCH_KAFKA}\nexpected-brokers: 1`,
      timeout: '20s',
      'check-timeout': '8s',
    };

    const alive = report(await runAction('infra-pulse', { inputs }));
    expect(check(alive, 'kafka').status).toBe('OK');
    expect(check(alive, 'kafka').metrics.brokersAnswering).toBe(1);

    const pid = readFileSync(join(stateDir, 'pid'), 'utf8').trim();
    process.kill(-Number(pid), 'SIGKILL');
    const run = await runAction('infra-pulse', { inputs });
    const r = report(run);
    const kafka = check(r, 'kafka');
    expect(kafka.status).toBe('FAIL');
    expect(kafka.summary).toMatch(/^not reachable: /);
    expect(kafka.findings[0]!.message).toContain(SCRATCH_KAFKA);
    expect(kafka.findings[0]!.message).toMatch(/ECONNREFUSED|Connection error|connect/i);
    expect(kafka.runbooks).toEqual([
      'docs/runbooks/kill-switch.md#kafka',
      'docs/runbooks/disaster-recovery.md#kafka',
    ]);
    expect(run.exitCode).toBe(1);
    expect(r.wallMs).toBeLessThanOrEqual(r.timeoutMs);
  }, 300_000);
});
