import { beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { stringify } from 'yaml';
import { ensureBuilt } from '../support/build.js';
import { ALERT_RULES, INFRA, postgresClientConfig, withComponentDown } from '../support/infra.js';
import { NODE24, ROOT } from '../support/paths.js';
import { runAction, type ActionRun } from '../support/run-action.js';
import { needsServers } from '../support/servers.js';

needsServers('kafka', 'prometheus', 'alertmanager', 'redis', 'postgres', 'postgres-standby', 'staging');

// One fault, seen three ways: a store of the shared stack is stopped for real, the staging stand-in's
// probe notices, Prometheus evaluates the real rule (stack/prometheus/rules/staging.yml) and
// Alertmanager holds the firing alert with its squad; the orchestrator smoke suite, run by the
// bundled smoke-suite action, fails. The store is started again whatever happens, and the alert
// must resolve. Failure tests take turns through the stack's fault lock (tests/support/infra.ts).

const AM = INFRA.alertmanager.url;
const PROM = INFRA.prometheus.url;
const ORCHESTRATOR = `http://127.0.0.1:${process.env.ORCHESTRATOR_PORT ?? '18083'}`;
const POLICY_ENGINE = `http://127.0.0.1:${process.env.POLICY_ENGINE_PORT ?? '18081'}`;
const STAGING = 'examples/staging';
const PATH = `${join(ROOT, 'node_modules/.bin')}:${dirname(NODE24)}:${process.env.PATH ?? '/usr/bin:/bin'}`;
/** Probe 2 s + scrape 5 s + evaluation 5 s + `for: 10s` + sending: well under this (see the rule file). */
const FIRE_WITHIN_MS = 90_000;
/** Resolving takes the probe, a scrape, an evaluation and Alertmanager's resolve notice. */
const RESOLVE_WITHIN_MS = 120_000;

interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string };
  startsAt: string;
}

async function activeAlerts(alertname: string): Promise<AmAlert[]> {
  const q = new URLSearchParams({ active: 'true', silenced: 'false', inhibited: 'false' });
  q.append('filter', `alertname="${alertname}"`);
  const res = await fetch(`${AM}/api/v2/alerts?${q}`, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`Alertmanager ${AM}/api/v2/alerts answered ${res.status}`);
  return (await res.json()) as AmAlert[];
}

async function waitFor<T>(probe: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`${what} within ${ms / 1000} s${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Prometheus must run the stack's rules and send to the stack's Alertmanager, or nothing can fire. */
async function requireAlerting(): Promise<void> {
  const hint = 'Load them: `bash stack/stack.sh up prometheus alertmanager` (reloads a running Prometheus).';
  const rules = (await (await fetch(`${PROM}/api/v1/rules`)).json()) as {
    data: { groups: { rules: { name: string }[] }[] };
  };
  const names = rules.data.groups.flatMap((g) => g.rules.map((r) => r.name));
  for (const rule of [ALERT_RULES.redisDown, ALERT_RULES.postgresDown])
    if (!names.includes(rule)) throw new Error(`Prometheus at ${PROM} has no alert rule ${rule}. ${hint}`);
  const ams = (await (await fetch(`${PROM}/api/v1/alertmanagers`)).json()) as {
    data: { activeAlertmanagers: { url: string }[] };
  };
  if (!ams.data.activeAlertmanagers.some((a) => a.url.startsWith(AM)))
    throw new Error(`Prometheus at ${PROM} does not send alerts to ${AM}. ${hint}`);
}

/** The orchestrator suite exactly as Integration Day declares it, run by the bundled action. */
async function orchestratorSmoke(): Promise<ActionRun> {
  const id = randomUUID().slice(0, 8);
  const out = `reports/faults-${id}`;
  try {
    return await runAction('smoke-suite', {
      workspace: ROOT,
      inputs: {
        suites: stringify([
          {
            name: 'orchestrator',
            squad: 'Runtime & Training',
            run: `pytest tests/integration/orchestrator/test_sessions.py tests/integration/orchestrator/test_conversation.py --junitxml=${out}/orchestrator.xml`,
            'working-directory': STAGING,
            junit: `${out}/orchestrator.xml`,
            timeout: '5m',
          },
        ]),
        'report-dir': `.vitest/faults-${id}`,
      },
      env: {
        PATH,
        PYTHONDONTWRITEBYTECODE: '1',
        GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
        // The suite must ask the services this test watches (moved ports included).
        ...Object.fromEntries(
          ['ORCHESTRATOR_PORT', 'POLICY_ENGINE_PORT', 'CONSTITUTION_PORT', 'KAFKA_BROKERS']
            .filter((k) => process.env[k])
            .map((k) => [k, process.env[k]!]),
        ),
      },
      timeoutMs: 400_000,
    });
  } finally {
    for (const p of [`${STAGING}/${out}`, `.vitest/faults-${id}`])
      rmSync(join(ROOT, p), { recursive: true, force: true });
  }
}

async function startSession(traceId: string): Promise<Response> {
  return fetch(`${ORCHESTRATOR}/v1/sessions/start`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Trace-Id': traceId },
    body: JSON.stringify({ tenant: 'acme', user: 'fault-test' }),
    signal: AbortSignal.timeout(10_000),
  });
}

async function evaluate(traceId: string): Promise<Response> {
  return fetch(`${POLICY_ENGINE}/v1/evaluate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Trace-Id': traceId },
    body: JSON.stringify({
      session_id: `sess-fault-${traceId.slice(0, 8)}`,
      tenant: 'acme',
      user: 'fault-test',
      prompt: 'What are the opening hours of the support desk?',
      role: 'user',
    }),
    signal: AbortSignal.timeout(10_000),
  });
}

const newTrace = () => randomUUID().replace(/-/g, '');

describe('a stopped store is seen three ways (real servers, real rules)', () => {
  beforeAll(async () => {
    ensureBuilt();
    await requireAlerting();
  }, 600_000);

  it('Redis down: RedisDown fires with its squad, the orchestrator smoke suite fails; up again: it resolves', async () => {
    // A previous fault's alert must be gone first, or its resolution could be mistaken for this one's.
    await waitFor(
      async () => ((await activeAlerts(ALERT_RULES.redisDown)).length === 0 ? true : undefined),
      RESOLVE_WITHIN_MS,
      'an earlier RedisDown alert did not resolve',
    );
    const failedTrace = newTrace();
    await withComponentDown('redis', async () => {
      const refused = await startSession(failedTrace);
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: string }).error).toBe('session_store_unavailable');

      const alert = await waitFor(
        async () => (await activeAlerts(ALERT_RULES.redisDown)).find((a) => a.annotations.trace_id),
        FIRE_WITHIN_MS,
        'RedisDown did not fire in Alertmanager',
      );
      expect(alert.status.state).toBe('active');
      expect(alert.labels).toMatchObject({
        alertname: 'RedisDown',
        squad: 'Runtime & Training',
        severity: 'critical',
        dependency: 'redis',
        service: 'orchestrator',
      });
      expect(alert.annotations.summary).toContain('Redis is down');
      expect(alert.annotations.trace_id).toMatch(/^[0-9a-f]{32}$/);

      const smoke = await orchestratorSmoke();
      expect(smoke.exitCode, smoke.stdout).toBe(1);
      expect(JSON.parse(smoke.outputs['failed-suites']!)).toEqual(['orchestrator']);
      expect(Number(smoke.outputs.failed) + Number(smoke.outputs.errored)).toBeGreaterThan(0);
      // The tests that use a session fail on it, and say why: the orchestrator's 503 for its store.
      const failed = smoke.annotations.filter((a) => a.level === 'error' && a.properties.file);
      expect(failed.map((a) => a.properties.title)).toContain(
        'orchestrator: test_start_session_answers_201_and_announces_it failed',
      );
      // Tests that start a session see the orchestrator's 503 for its store (others then lack a session).
      const why = failed.find((a) => a.properties.title!.includes('test_start_session_answers_201'));
      expect(why?.message, smoke.stdout).toContain('session_store_unavailable');
      // A test that needs no session still passes: the suite ran, it was not stopped at the door.
      expect(Number(smoke.outputs.tests)).toBeGreaterThan(Number(smoke.outputs.failed));
    });

    const started = await waitFor(
      async () => {
        const r = await startSession(newTrace());
        return r.status === 201 ? r : undefined;
      },
      60_000,
      'the orchestrator did not start sessions again after Redis came back',
    );
    expect(((await started.json()) as { session_id: string }).session_id).toMatch(/^sess-/);
    await waitFor(
      async () => ((await activeAlerts(ALERT_RULES.redisDown)).length === 0 ? true : undefined),
      RESOLVE_WITHIN_MS,
      'RedisDown did not resolve after Redis came back',
    );
  }, 600_000);

  it('PostgreSQL down: PostgresDown fires for Governance Core, decisions answer 503; up again: resolved, audited on the standby', async () => {
    await waitFor(
      async () => ((await activeAlerts(ALERT_RULES.postgresDown)).length === 0 ? true : undefined),
      RESOLVE_WITHIN_MS,
      'an earlier PostgresDown alert did not resolve',
    );
    await withComponentDown('postgres', async () => {
      const refused = await waitFor(
        async () => {
          const r = await evaluate(newTrace());
          return r.status === 503 ? r : undefined;
        },
        30_000,
        'the policy engine kept deciding without its audit',
      );
      expect(((await refused.json()) as { error: string }).error).toBe('decision_audit_unavailable');
      const alert = await waitFor(
        async () => (await activeAlerts(ALERT_RULES.postgresDown))[0],
        FIRE_WITHIN_MS,
        'PostgresDown did not fire in Alertmanager',
      );
      expect(alert.labels).toMatchObject({
        alertname: 'PostgresDown',
        squad: 'Governance Core',
        severity: 'critical',
        dependency: 'postgres',
        service: 'policy-engine',
      });
    });

    const trace = newTrace();
    await waitFor(
      async () => ((await evaluate(trace)).status === 200 ? true : undefined),
      60_000,
      'the policy engine did not decide again after PostgreSQL came back',
    );
    const standby = new pg.Client(postgresClientConfig('standby'));
    await standby.connect();
    try {
      const row = await waitFor(
        async () =>
          (
            await standby.query('SELECT tenant, allowed FROM policy_decision_audit WHERE trace_id = $1', [
              trace,
            ])
          ).rows[0] as { tenant: string; allowed: boolean } | undefined,
        30_000,
        'the decision made after the restart is not on the standby',
      );
      expect(row).toEqual({ tenant: 'acme', allowed: true });
    } finally {
      await standby.end();
    }
    await waitFor(
      async () => ((await activeAlerts(ALERT_RULES.postgresDown)).length === 0 ? true : undefined),
      RESOLVE_WITHIN_MS,
      'PostgresDown did not resolve after PostgreSQL came back',
    );
  }, 600_000);
});
