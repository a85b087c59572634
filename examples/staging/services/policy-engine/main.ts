import { postgresConfig, serviceUrl } from '../lib/config.js';
import { Dependencies } from '../lib/dependencies.js';
import { HASH_SCHEMA, TENANT_SCHEMA } from '../lib/constitution.js';
import { TOPICS } from '../lib/events.js';
import { ERROR_SCHEMA, HttpError, type Route } from '../lib/http.js';
import { client, LATENCY_BUCKETS } from '../lib/metrics.js';
import { DECISION_SCHEMA, EVALUATION_SCHEMA, POLICY_HEADERS } from '../lib/policy.js';
import { runService, type Runtime } from '../lib/service.js';
import { auditPool, DecisionAudit } from './audit.js';
import { ConstitutionCache, type UpdateEvent } from './cache.js';
import { evaluate, type EvaluationRequest } from './scoring.js';

function routes(rt: Runtime, cache: ConstitutionCache, deps: Dependencies, audit: DecisionAudit): Route[] {
  const decisions = new client.Counter({
    name: 'policy_decisions_total',
    help: 'Evaluations, by decision and severity.',
    labelNames: ['decision', 'severity'],
    registers: [rt.registry],
  });
  const latency = new client.Histogram({
    name: 'policy_decision_duration_seconds',
    help: 'Time to decide an evaluation (policy decision latency).',
    labelNames: ['decision'],
    buckets: LATENCY_BUCKETS,
    registers: [rt.registry],
  });
  // The slowest decision of the last minute with its trace id: the latency alert links that trace.
  const recent: { at: number; seconds: number; traceId: string }[] = [];
  new client.Gauge({
    name: 'policy_decision_slowest_seconds',
    help: 'The slowest decision of the last minute, labelled with its trace id.',
    labelNames: ['trace_id'],
    registers: [rt.registry],
    collect() {
      this.reset();
      const since = Date.now() - 60_000;
      while (recent.length && recent[0]!.at < since) recent.shift();
      const slowest = recent.reduce<(typeof recent)[number] | undefined>(
        (max, d) => (!max || d.seconds > max.seconds ? d : max),
        undefined,
      );
      if (slowest) this.set({ trace_id: slowest.traceId }, slowest.seconds);
    },
  });
  return [
    {
      method: 'POST',
      path: '/v1/evaluate',
      operationId: 'evaluate',
      summary: "Score a prompt against the tenant's constitution",
      description:
        'Deterministic: the same prompt, role and constitution version always give the same decision. Produces one policy.decisions event.',
      tags: ['policy'],
      body: {
        schema: EVALUATION_SCHEMA,
        example: {
          session_id: 'sess-1',
          tenant: 'acme',
          user: 'ada',
          prompt: 'What are the opening hours?',
          role: 'user',
        },
      },
      responses: {
        200: {
          description: 'The decision (allowed or not).',
          schema: DECISION_SCHEMA,
          headers: POLICY_HEADERS,
        },
        404: { description: 'The tenant has no constitution.', schema: ERROR_SCHEMA },
        503: {
          description: 'The constitution service, Kafka or the decision audit (PostgreSQL) is unavailable.',
          schema: ERROR_SCHEMA,
        },
      },
      handle: async (ctx) => {
        const started = process.hrtime.bigint();
        const req = ctx.body as EvaluationRequest;
        const entry = await cache.get(req.tenant, ctx.traceId);
        const decision = evaluate(entry.signed.bundle, entry.signed.hash, req);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const verdict = decision.allowed ? 'allow' : 'deny';
        const latencyMs = Math.round(seconds * 1e6) / 1000;
        // No decision leaves the engine without its audit row.
        await deps.use('postgres', ctx.traceId, 'decision_audit_unavailable', () =>
          audit.record({
            trace_id: ctx.traceId,
            session_id: req.session_id,
            tenant: req.tenant,
            user: req.user,
            role: req.role,
            allowed: decision.allowed,
            score: decision.score,
            severity: decision.severity,
            policy: decision.reasons.policy,
            constitution_hash: decision.reasons.constitution_hash,
            constitution_version: decision.reasons.constitution_version,
            latency_ms: latencyMs,
          }),
        );
        try {
          await rt.bus.emit(
            TOPICS.policyDecisions,
            req.session_id,
            {
              session_id: req.session_id,
              tenant: req.tenant,
              user: req.user,
              role: req.role,
              allowed: decision.allowed,
              score: decision.score,
              severity: decision.severity,
              policy: decision.reasons.policy,
              constitution_hash: decision.reasons.constitution_hash,
              constitution_version: decision.reasons.constitution_version,
              latency_ms: latencyMs,
            },
            ctx.traceId,
          );
        } catch (err) {
          throw new HttpError(
            503,
            'event_bus_unavailable',
            `could not record the decision: ${(err as Error).message}`,
          );
        }
        decisions.inc({ decision: verdict, severity: decision.severity });
        latency.observe({ decision: verdict }, seconds);
        recent.push({ at: Date.now(), seconds, traceId: ctx.traceId });
        if (recent.length > 10_000) recent.shift();
        return {
          status: 200,
          body: decision,
          headers: {
            'X-Policy-Decision': verdict,
            'X-Policy-Score': String(decision.score),
            'X-Constitution-Hash': decision.reasons.constitution_hash,
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/v1/constitutions',
      operationId: 'listCachedConstitutions',
      summary: 'The constitution versions the engine currently decides with',
      tags: ['policy'],
      responses: {
        200: {
          description: 'Cached tenants, and when constitution.updated was last applied.',
          schema: {
            type: 'object',
            required: ['last_applied_at', 'tenants'],
            properties: {
              last_applied_at: { type: 'string', format: 'date-time' },
              tenants: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['tenant', 'version', 'hash', 'applied_at'],
                  properties: {
                    tenant: TENANT_SCHEMA,
                    version: { type: 'integer' },
                    hash: HASH_SCHEMA,
                    applied_at: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
        },
      },
      handle: () => ({
        status: 200,
        body: {
          last_applied_at: new Date(cache.lastAppliedAt).toISOString(),
          tenants: cache.list().map((e) => ({
            tenant: e.signed.tenant,
            version: e.signed.version,
            hash: e.signed.hash,
            applied_at: new Date(e.appliedAt).toISOString(),
          })),
        },
      }),
    },
  ];
}

await runService({
  name: 'policy-engine',
  title: 'Policy engine',
  description:
    "Scores prompts against the tenant's signed constitution, records every decision on policy.decisions and follows constitution.updated.",
  tags: [
    { name: 'policy', description: 'Policy decisions.' },
    { name: 'operations', description: 'Health, metrics, documents and fault injection.' },
  ],
  produces: [TOPICS.policyDecisions],
  build: (rt) => {
    const cache = new ConstitutionCache(serviceUrl('constitution'));
    const pool = auditPool(postgresConfig());
    const audit = new DecisionAudit(pool);
    const deps = new Dependencies(rt.registry);
    deps.watch('postgres', () => pool.query('SELECT 1'));
    const groupId = process.env.POLICY_ENGINE_GROUP ?? 'policy-engine';
    const applied = new client.Counter({
      name: 'policy_constitution_updates_applied_total',
      help: 'constitution.updated events applied, by result.',
      labelNames: ['result'],
      registers: [rt.registry],
    });
    new client.Gauge({
      name: 'policy_constitution_sync_age_seconds',
      help: 'Seconds since the policy engine last applied a constitution.updated event (constitution sync freshness).',
      registers: [rt.registry],
      collect() {
        this.set((Date.now() - cache.lastAppliedAt) / 1000);
      },
    });
    new client.Gauge({
      name: 'policy_constitution_last_applied_timestamp_seconds',
      help: 'When the policy engine last applied a constitution.updated event (Unix time).',
      registers: [rt.registry],
      collect() {
        this.set(cache.lastAppliedAt / 1000);
      },
    });
    new client.Gauge({
      name: 'policy_constitution_last_applied_info',
      help: 'The constitution.updated event applied last: tenant, version and trace id (value: when, Unix time).',
      labelNames: ['tenant', 'version', 'trace_id'],
      registers: [rt.registry],
      collect() {
        this.reset();
        const last = cache.lastAppliedTrace;
        if (last)
          this.set(
            { tenant: last.tenant, version: String(last.version), trace_id: last.traceId },
            cache.lastAppliedAt / 1000,
          );
      },
    });
    new client.Gauge({
      name: 'policy_constitution_cached_tenants',
      help: 'Tenants whose constitution the engine holds.',
      registers: [rt.registry],
      collect() {
        this.set(cache.size());
      },
    });
    return {
      routes: routes(rt, cache, deps, audit),
      checks: () => deps.checks(),
      stop: async () => {
        deps.stop();
        await pool.end();
      },
      start: async () => {
        deps.start();
        await deps.probeAll();
        await cache.loadTrustedKey();
        await rt.bus.consume({
          groupId,
          topic: TOPICS.constitutionUpdated,
          onEvent: async (event, meta) => {
            try {
              const result = await cache.apply(event as unknown as UpdateEvent, meta.traceId);
              applied.inc({ result });
            } catch (err) {
              applied.inc({ result: 'failed' });
              process.stderr.write(
                `[policy-engine] could not apply constitution.updated for ${String(event.tenant)}: ${(err as Error).message}\n`,
              );
            }
          },
        });
      },
    };
  },
});
