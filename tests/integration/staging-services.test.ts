import { beforeAll, describe, expect, it } from 'vitest';
import { needsServers, requireServer } from '../support/servers.js';

needsServers('kafka', 'prometheus', 'staging');

// The staging services answer /health and /metrics with the stable metric names the dashboards use,
// and the stack's Prometheus scrapes them (the panels of DESIGN.md "Dashboards" have data).

const SERVICES = {
  'policy-engine': `http://127.0.0.1:${process.env.POLICY_ENGINE_PORT ?? '18081'}`,
  constitution: `http://127.0.0.1:${process.env.CONSTITUTION_PORT ?? '18082'}`,
  orchestrator: `http://127.0.0.1:${process.env.ORCHESTRATOR_PORT ?? '18083'}`,
} as const;

const COMMON_METRICS = [
  'staging_service_info',
  'http_requests_total',
  'http_request_duration_seconds',
  'kafka_produced_messages_total',
  'kafka_suppressed_messages_total',
  'process_cpu_seconds_total',
];
const CONSUMER_METRICS = ['kafka_consumed_messages_total', 'kafka_consumer_lag_messages'];
const METRICS: Record<keyof typeof SERVICES, string[]> = {
  'policy-engine': [
    ...COMMON_METRICS,
    ...CONSUMER_METRICS,
    'policy_decisions_total',
    'policy_decision_duration_seconds',
    'policy_constitution_sync_age_seconds',
    'policy_constitution_last_applied_timestamp_seconds',
    'policy_constitution_updates_applied_total',
    'policy_constitution_cached_tenants',
  ],
  constitution: [...COMMON_METRICS, 'constitution_updates_total', 'constitution_tenants'],
  orchestrator: [
    ...COMMON_METRICS,
    ...CONSUMER_METRICS,
    'orchestrator_training_mode_enabled',
    'orchestrator_sessions_active',
    'orchestrator_sessions_started_total',
    'orchestrator_steps_total',
    'orchestrator_stream_first_token_seconds',
    'orchestrator_stream_duration_seconds',
    'orchestrator_stream_tokens_total',
    'orchestrator_streams_total',
    'orchestrator_training_requests_total',
    'orchestrator_training_samples_total',
  ],
};

function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

type PromResult = { metric: Record<string, string>; value: [number, string] }[];

async function query(base: string, promql: string): Promise<PromResult> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { status: string; data: { result: PromResult } };
  expect(body.status).toBe('success');
  return body.data.result;
}

/** Polls a query until it has at least `min` series (rates need two scrapes after start-up). */
async function queryUntil(base: string, promql: string, min: number): Promise<PromResult> {
  let result: PromResult = [];
  for (let i = 0; i < 60; i++) {
    result = await query(base, promql);
    if (result.length >= min && result.every((r) => r.value[1] !== 'NaN')) return result;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return result;
}

beforeAll(async () => {
  for (const [name, url] of Object.entries(SERVICES)) {
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (!ok)
      throw new Error(
        `the staging ${name} service is not ready at ${url}. Start the local stack first: \`npm run stack:up\` (or \`bash stack/stack.sh up staging\`).`,
      );
  }
});

describe('staging services', () => {
  it.each(Object.entries(SERVICES))(
    '%s answers /health as ready and connected to Kafka',
    async (name, url) => {
      const res = await fetch(`${url}/health`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        status: string;
        service: string;
        checks: Record<string, string>;
        uptime_seconds: number;
      };
      expect(body).toMatchObject({ status: 'ok', service: name, checks: { kafka: 'ok' } });
      expect(body.uptime_seconds).toBeGreaterThan(0);
      expect(res.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
    },
  );

  it.each(Object.entries(SERVICES))(
    '%s exposes its stable metrics and counts requests',
    async (name, url) => {
      const first = await (await fetch(`${url}/metrics`)).text();
      for (const metric of METRICS[name as keyof typeof SERVICES])
        expect(first, `${name} /metrics lacks ${metric}`).toMatch(new RegExp(`^# TYPE ${metric} `, 'm'));
      expect(sample(first, 'staging_service_info', { service: name })).toBe(1);
      const before = sample(first, 'http_requests_total', { route: '/health', status: '200' }) ?? 0;
      await fetch(`${url}/health`);
      await fetch(`${url}/health`);
      const after = sample(await (await fetch(`${url}/metrics`)).text(), 'http_requests_total', {
        route: '/health',
        status: '200',
      });
      expect(after).toBe(before + 2);
    },
  );

  it('a trace id given by the caller comes back, and W3C traceparent is understood', async () => {
    const explicit = await fetch(`${SERVICES.constitution}/health`, {
      headers: { 'X-Trace-Id': 'trace-from-caller-1' },
    });
    expect(explicit.headers.get('x-trace-id')).toBe('trace-from-caller-1');
    const w3c = await fetch(`${SERVICES.constitution}/health`, {
      headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    });
    expect(w3c.headers.get('x-trace-id')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});

describe('Prometheus scrapes the staging services', () => {
  let prom = '';
  beforeAll(async () => {
    prom = await requireServer('prometheus');
  });

  it('has all three as healthy targets, labelled with service and squad', async () => {
    const up = await queryUntil(prom, 'up{job="staging"}', 3);
    expect(up.map((r) => r.metric.service).sort()).toEqual(['constitution', 'orchestrator', 'policy-engine']);
    expect(up.every((r) => r.value[1] === '1')).toBe(true);
    expect(up.find((r) => r.metric.service === 'orchestrator')!.metric.squad).toBe('Runtime & Training');
  });

  it('answers the dashboard panels with live data', async () => {
    // Governance Core: policy decision latency, constitution sync freshness.
    const decisionLatency = await queryUntil(
      prom,
      'histogram_quantile(0.95, sum by (le) (rate(policy_decision_duration_seconds_bucket[1m])))',
      1,
    );
    expect(Number(decisionLatency[0]!.value[1])).toBeGreaterThan(0);
    const freshness = await queryUntil(prom, 'policy_constitution_sync_age_seconds', 1);
    // The background traffic updates a constitution every 20 s; the engine applies each one.
    expect(Number(freshness[0]!.value[1])).toBeLessThan(90);
    // Runtime & Training: streaming latency, training mode per tenant, consumer lag.
    const firstToken = await queryUntil(
      prom,
      'histogram_quantile(0.95, sum by (le) (rate(orchestrator_stream_first_token_seconds_bucket[1m])))',
      1,
    );
    expect(Number(firstToken[0]!.value[1])).toBeGreaterThan(0);
    const training = await queryUntil(prom, 'orchestrator_training_mode_enabled', 4);
    expect(training.map((r) => r.metric.tenant)).toEqual(
      expect.arrayContaining(['acme', 'globex', 'initech', 'umbrella']),
    );
    expect(training.every((r) => r.value[1] === '0' || r.value[1] === '1')).toBe(true);
    const lag = await queryUntil(prom, 'sum by (group, topic) (kafka_consumer_lag_messages)', 2);
    expect(lag.map((r) => `${r.metric.group}/${r.metric.topic}`).sort()).toEqual([
      'orchestrator-training/conversation.events',
      'policy-engine/constitution.updated',
    ]);
    // Experience: API latency, streaming throughput.
    const apiLatency = await queryUntil(
      prom,
      'histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket{route!="/metrics"}[1m])))',
      3,
    );
    expect(apiLatency.map((r) => r.metric.service).sort()).toEqual([
      'constitution',
      'orchestrator',
      'policy-engine',
    ]);
    const throughput = await queryUntil(prom, 'rate(orchestrator_stream_tokens_total[1m])', 1);
    expect(Number(throughput[0]!.value[1])).toBeGreaterThan(0);
  });
});
