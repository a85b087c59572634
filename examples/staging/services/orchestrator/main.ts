import { createClient } from 'redis';
import { redisConfig, serviceUrl } from '../lib/config.js';
import { Dependencies } from '../lib/dependencies.js';
import { ROLES, TENANT_SCHEMA, type Role } from '../lib/constitution.js';
import { TOPICS } from '../lib/events.js';
import { ERROR_SCHEMA, HttpError, type Route } from '../lib/http.js';
import { client, LATENCY_BUCKETS, type Registry } from '../lib/metrics.js';
import { DECISION_SCHEMA, POLICY_HEADERS } from '../lib/policy.js';
import { runService, type Runtime } from '../lib/service.js';
import { replyFor, SessionStore, tokens, type Redis, type Session } from './conversation.js';
import { askPolicy } from './policy-client.js';
import { TrainingModes, type TrainingState } from './training.js';
import { CHAT_PAGE, VITALS_SCHEMA, vitalsMetrics, type VitalReport } from './vitals.js';
import { conversationSocket, type Answer } from './websocket.js';

const SESSION_ID = { type: 'string', minLength: 1, maxLength: 128 };
const USER = { type: 'string', minLength: 1, maxLength: 128 };
const PROMPT = { type: 'string', minLength: 1, maxLength: 4000 };

const SESSION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['session_id', 'tenant', 'user', 'role', 'started_at'],
  properties: {
    session_id: SESSION_ID,
    tenant: TENANT_SCHEMA,
    user: USER,
    role: { type: 'string', enum: [...ROLES] },
    started_at: { type: 'string', format: 'date-time' },
  },
};

const DENIED_SCHEMA = {
  ...ERROR_SCHEMA,
  required: ['error', 'message', 'trace_id', 'decision'],
  properties: { ...(ERROR_SCHEMA.properties as object), decision: DECISION_SCHEMA },
};

const TRAINING_STATE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['tenant', 'enabled', 'enabled_by', 'since', 'samples'],
  properties: {
    tenant: TENANT_SCHEMA,
    enabled: { type: 'boolean' },
    enabled_by: { type: ['string', 'null'] },
    since: { type: ['string', 'null'], format: 'date-time' },
    samples: {
      type: 'integer',
      minimum: 0,
      description: 'Conversation samples captured since training mode was enabled.',
    },
  },
};

const TRAINING_CONFLICT_SCHEMA = {
  ...ERROR_SCHEMA,
  required: ['error', 'message', 'trace_id', 'state'],
  properties: { ...(ERROR_SCHEMA.properties as object), state: TRAINING_STATE_SCHEMA },
};

const TRAINING_REQUEST = {
  type: 'object',
  additionalProperties: false,
  required: ['tenant', 'requested_by'],
  properties: { tenant: TENANT_SCHEMA, requested_by: USER },
};

function redisClientOptions() {
  const { host, port, username, password } = redisConfig();
  return {
    socket: {
      host,
      port,
      connectTimeout: 2000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000),
    },
    username,
    password,
  };
}

const STREAM_DELAY_MS = Number(process.env.STREAM_TOKEN_DELAY_MS ?? '15');
const KNOWN_TENANTS = (process.env.TRAINING_TENANTS ?? 'acme,globex,initech,umbrella')
  .split(',')
  .filter(Boolean);

function metrics(registry: Registry, training: TrainingModes, sessions: SessionStore) {
  new client.Gauge({
    name: 'orchestrator_training_mode_enabled',
    help: 'Training mode per tenant (1 on, 0 off); known tenants always listed, others while on.',
    labelNames: ['tenant'],
    registers: [registry],
    collect() {
      this.reset();
      const on = new Set(training.enabledTenants());
      for (const t of new Set([...KNOWN_TENANTS, ...on])) this.set({ tenant: t }, on.has(t) ? 1 : 0);
    },
  });
  new client.Gauge({
    name: 'orchestrator_sessions_active',
    help: 'Sessions used within their expiry (kept in Redis).',
    registers: [registry],
    async collect() {
      // A scrape during a Redis outage still answers: the gauge is left out, staging_dependency_up says why.
      this.reset();
      const n = await sessions.activeCount().catch(() => undefined);
      if (n !== undefined) this.set(n);
    },
  });
  return {
    sessionsStarted: new client.Counter({
      name: 'orchestrator_sessions_started_total',
      help: 'Sessions started.',
      registers: [registry],
    }),
    steps: new client.Counter({
      name: 'orchestrator_steps_total',
      help: 'Conversation steps, by outcome.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    firstToken: new client.Histogram({
      name: 'orchestrator_stream_first_token_seconds',
      help: 'Time from request to the first streamed token (streaming latency).',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    }),
    streamDuration: new client.Histogram({
      name: 'orchestrator_stream_duration_seconds',
      help: 'Time from request to the end of a streamed reply.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    }),
    streamTokens: new client.Counter({
      name: 'orchestrator_stream_tokens_total',
      help: 'Tokens streamed (streaming throughput).',
      registers: [registry],
    }),
    streams: new client.Counter({
      name: 'orchestrator_streams_total',
      help: 'Streams, by outcome.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    trainingRequests: new client.Counter({
      name: 'orchestrator_training_requests_total',
      help: 'Training mode requests, by action and outcome.',
      labelNames: ['action', 'outcome'],
      registers: [registry],
    }),
    samples: new client.Counter({
      name: 'orchestrator_training_samples_total',
      help: 'Conversation samples captured for tenants in training mode.',
      registers: [registry],
    }),
  };
}

/**
 * What every way of asking shares (a plain step, server-sent events, the WebSocket): the session from
 * Redis, the policy engine's verdict, the step number, the events on conversation.events.
 */
function conversation(
  rt: Runtime,
  deps: Dependencies,
  sessions: SessionStore,
  m: ReturnType<typeof metrics>,
) {
  const policyUrl = serviceUrl('policy-engine');
  const emit = async (
    topic: typeof TOPICS.conversationEvents | typeof TOPICS.trainingAudit,
    key: string,
    fields: Record<string, unknown>,
    traceId: string,
  ) => {
    try {
      await rt.bus.emit(topic, key, fields, traceId);
    } catch (err) {
      throw new HttpError(
        503,
        'event_bus_unavailable',
        `could not publish to ${topic}: ${(err as Error).message}`,
      );
    }
  };
  const session = async (id: string, traceId: string): Promise<Session> => {
    const s = await deps.use('redis', traceId, 'session_store_unavailable', () => sessions.get(id));
    if (!s)
      throw new HttpError(
        404,
        'unknown_session',
        `session ${JSON.stringify(id)} does not exist (or expired)`,
      );
    return s;
  };
  const who = (s: Session) => ({ session_id: s.session_id, tenant: s.tenant, user: s.user });

  /** One allowed prompt ready to be streamed, or the HttpError that answers it (403 with the decision). */
  const prepareStream = async (sessionId: string, prompt: string, traceId: string) => {
    const s = await session(sessionId, traceId);
    const verdict = await askPolicy(policyUrl, { ...who(s), prompt, role: s.role }, traceId);
    const step = await deps.use('redis', traceId, 'session_store_unavailable', () =>
      sessions.nextStep(s.session_id),
    );
    if (!verdict.decision.allowed) {
      m.steps.inc({ outcome: 'denied' });
      await emit(
        TOPICS.conversationEvents,
        s.session_id,
        { type: 'step.denied', ...who(s), step, policy: verdict.decision.reasons.policy },
        traceId,
      );
      throw new HttpError(
        403,
        'denied_by_policy',
        `the policy engine denied this prompt (policy ${verdict.decision.reasons.policy}, score ${verdict.decision.score})`,
        { decision: verdict.decision },
        verdict.headers,
      );
    }
    await emit(
      TOPICS.conversationEvents,
      s.session_id,
      { type: 'stream.started', ...who(s), step, policy: verdict.decision.reasons.policy },
      traceId,
    );
    const parts = tokens(replyFor(prompt, step));
    /** Records the end of the stream (before the client's final message, so it can find it on the topic). */
    const complete = async (seconds: number) => {
      await emit(
        TOPICS.conversationEvents,
        s.session_id,
        {
          type: 'stream.completed',
          ...who(s),
          step,
          tokens: parts.length,
          duration_ms: Math.round(seconds * 1000),
        },
        traceId,
      ).catch((err: Error) => {
        process.stderr.write(`[orchestrator] ${err.message}\n`);
      });
      m.steps.inc({ outcome: 'completed' });
      m.streams.inc({ outcome: 'completed' });
      m.streamDuration.observe(seconds);
    };
    return { session: s, verdict, step, parts, complete };
  };

  /** The WebSocket's answer to one prompt: tokens counted as streamed like the SSE route's. */
  const answer: Answer = async (sessionId, prompt, traceId) => {
    const started = process.hrtime.bigint();
    const a = await prepareStream(sessionId, prompt, traceId);
    return {
      step: a.step,
      tokens: a.parts,
      sent: (i) => {
        if (i === 0) m.firstToken.observe(Number(process.hrtime.bigint() - started) / 1e9);
        m.streamTokens.inc();
      },
      finish: () => a.complete(Number(process.hrtime.bigint() - started) / 1e9),
    };
  };

  return { policyUrl, emit, session, who, prepareStream, answer };
}

function routes(
  rt: Runtime,
  c: ReturnType<typeof conversation>,
  training: TrainingModes,
  m: ReturnType<typeof metrics>,
  vitals: ReturnType<typeof vitalsMetrics>,
  deps: Dependencies,
  sessions: SessionStore,
): Route[] {
  const { policyUrl, emit, session, who } = c;

  const trainingRoute = (action: 'enable' | 'disable'): Route => ({
    method: 'POST',
    path: `/v1/training/${action}`,
    operationId: `${action}Training`,
    summary:
      action === 'enable'
        ? 'Turn on training mode for a tenant (one holder at a time)'
        : 'Turn off training mode for a tenant',
    description: `Every request is recorded on training.audit, applied or rejected. ${action === 'enable' ? 'A second enable while it is on answers 409.' : 'Disabling a tenant whose training mode is off answers 409.'}`,
    tags: ['training'],
    body: { schema: TRAINING_REQUEST, example: { tenant: 'acme', requested_by: 'ada' } },
    responses: {
      200: { description: 'Applied; the new state.', schema: TRAINING_STATE_SCHEMA },
      409: {
        description:
          action === 'enable'
            ? 'Training mode is already enabled (by someone).'
            : 'Training mode is not enabled.',
        schema: TRAINING_CONFLICT_SCHEMA,
      },
      503: { description: 'Kafka is unavailable.', schema: ERROR_SCHEMA },
    },
    handle: async (ctx) => {
      const { tenant, requested_by } = ctx.body as { tenant: string; requested_by: string };
      const outcome = action === 'enable' ? training.enable(tenant, requested_by) : training.disable(tenant);
      m.trainingRequests.inc({ action, outcome: outcome.applied ? 'applied' : 'rejected' });
      await emit(
        TOPICS.trainingAudit,
        tenant,
        {
          tenant,
          action,
          actor: requested_by,
          outcome: outcome.applied ? 'applied' : 'rejected',
          enabled: outcome.state.enabled,
          ...(outcome.state.enabled_by ? { enabled_by: outcome.state.enabled_by } : {}),
        },
        ctx.traceId,
      );
      if (!outcome.applied)
        throw new HttpError(
          409,
          action === 'enable' ? 'training_already_enabled' : 'training_not_enabled',
          outcome.reason,
          { state: outcome.state },
        );
      return { status: 200, body: outcome.state satisfies TrainingState };
    },
  });

  return [
    {
      method: 'POST',
      path: '/v1/sessions/start',
      operationId: 'startSession',
      summary: 'Start a conversation session',
      tags: ['conversation'],
      body: {
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['tenant', 'user'],
          properties: {
            tenant: TENANT_SCHEMA,
            user: USER,
            role: { type: 'string', enum: [...ROLES], default: 'user' },
          },
        },
        example: { tenant: 'acme', user: 'ada', role: 'user' },
      },
      responses: {
        201: { description: 'The new session.', schema: SESSION_SCHEMA },
        503: { description: 'Kafka or the session store (Redis) is unavailable.', schema: ERROR_SCHEMA },
      },
      handle: async (ctx) => {
        const b = ctx.body as { tenant: string; user: string; role?: Role };
        const s = await deps.use('redis', ctx.traceId, 'session_store_unavailable', () =>
          sessions.start(b.tenant, b.user, b.role ?? 'user'),
        );
        m.sessionsStarted.inc();
        await emit(
          TOPICS.conversationEvents,
          s.session_id,
          { type: 'session.started', ...who(s) },
          ctx.traceId,
        );
        return {
          status: 201,
          body: {
            session_id: s.session_id,
            tenant: s.tenant,
            user: s.user,
            role: s.role,
            started_at: s.started_at,
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/v1/conversation/step',
      operationId: 'conversationStep',
      summary: 'Answer one prompt (after asking the policy engine)',
      description:
        'A prompt the policy engine denies answers 403 with the decision. Policy headers are passed on.',
      tags: ['conversation'],
      body: {
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['session_id', 'prompt'],
          properties: { session_id: SESSION_ID, prompt: PROMPT },
        },
        example: {
          session_id: 'sess-00000000-0000-4000-8000-000000000000',
          prompt: 'What are the opening hours?',
        },
      },
      responses: {
        200: {
          description: 'The answer.',
          headers: POLICY_HEADERS,
          schema: {
            type: 'object',
            additionalProperties: false,
            required: ['session_id', 'step', 'reply', 'decision'],
            properties: {
              session_id: SESSION_ID,
              step: { type: 'integer', minimum: 1 },
              reply: { type: 'string' },
              decision: DECISION_SCHEMA,
            },
          },
        },
        403: { description: 'Denied by the policy engine.', headers: POLICY_HEADERS, schema: DENIED_SCHEMA },
        404: { description: 'Unknown session (or tenant).', schema: ERROR_SCHEMA },
        503: {
          description: 'The policy engine, Kafka or the session store (Redis) is unavailable.',
          schema: ERROR_SCHEMA,
        },
      },
      handle: async (ctx) => {
        const { session_id, prompt } = ctx.body as { session_id: string; prompt: string };
        const s = await session(session_id, ctx.traceId);
        const verdict = await askPolicy(policyUrl, { ...who(s), prompt, role: s.role }, ctx.traceId);
        const step = await deps.use('redis', ctx.traceId, 'session_store_unavailable', () =>
          sessions.nextStep(s.session_id),
        );
        if (!verdict.decision.allowed) {
          m.steps.inc({ outcome: 'denied' });
          await emit(
            TOPICS.conversationEvents,
            s.session_id,
            { type: 'step.denied', ...who(s), step, policy: verdict.decision.reasons.policy },
            ctx.traceId,
          );
          throw new HttpError(
            403,
            'denied_by_policy',
            `the policy engine denied this prompt (policy ${verdict.decision.reasons.policy}, score ${verdict.decision.score})`,
            { decision: verdict.decision },
            verdict.headers,
          );
        }
        const reply = replyFor(prompt, step);
        m.steps.inc({ outcome: 'completed' });
        await emit(
          TOPICS.conversationEvents,
          s.session_id,
          {
            type: 'step.completed',
            ...who(s),
            step,
            policy: verdict.decision.reasons.policy,
            tokens: tokens(reply).length,
          },
          ctx.traceId,
        );
        return {
          status: 200,
          body: { session_id: s.session_id, step, reply, decision: verdict.decision },
          headers: verdict.headers,
        };
      },
    },
    {
      method: 'GET',
      path: '/v1/conversation/stream',
      operationId: 'conversationStream',
      summary: 'Answer one prompt as a stream of server-sent events',
      description:
        'After the policy engine allows the prompt, sends one event per token (`data: {"index": n, "token": "..."}`) and ends with `data: {"done": true}`. A denied prompt answers 403 (JSON) before any event.',
      tags: ['conversation'],
      query: {
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['session_id', 'prompt'],
          properties: { session_id: SESSION_ID, prompt: PROMPT },
        },
        examples: {
          session_id: 'sess-00000000-0000-4000-8000-000000000000',
          prompt: 'Summarise the release notes',
        },
      },
      responses: {
        200: {
          description:
            'Server-sent events; each data line is JSON: {"index": n, "token": "..."}, then {"done": true}.',
          contentType: 'text/event-stream',
          headers: POLICY_HEADERS,
          schema: { type: 'string' },
        },
        403: { description: 'Denied by the policy engine.', headers: POLICY_HEADERS, schema: DENIED_SCHEMA },
        404: { description: 'Unknown session (or tenant).', schema: ERROR_SCHEMA },
        503: {
          description: 'The policy engine, Kafka or the session store (Redis) is unavailable.',
          schema: ERROR_SCHEMA,
        },
      },
      handle: async (ctx) => {
        const started = process.hrtime.bigint();
        const { session_id, prompt } = ctx.query as { session_id: string; prompt: string };
        const a = await c.prepareStream(session_id, prompt, ctx.traceId);
        return {
          status: 200,
          headers: a.verdict.headers,
          stream: async (send) => {
            const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
            for (let i = 0; i < a.parts.length; i++) {
              if (ctx.signal.aborted || !send({ index: i, token: a.parts[i] })) {
                m.streams.inc({ outcome: 'aborted' });
                return;
              }
              if (i === 0) m.firstToken.observe(elapsed());
              m.streamTokens.inc();
              await new Promise((r) => setTimeout(r, STREAM_DELAY_MS));
            }
            await a.complete(elapsed());
            send({ done: true });
          },
        };
      },
    },
    {
      method: 'POST',
      path: '/v1/vitals',
      operationId: 'reportVitals',
      summary: "Report the chat client's Web Vitals",
      description:
        'Milliseconds (CLS has no unit), as the `web-vitals` library measures them; exported as `experience_web_vitals_seconds{vital}` and `experience_web_vitals_cls`.',
      tags: ['experience'],
      body: {
        schema: VITALS_SCHEMA,
        example: {
          page: '/app/chat',
          metrics: [
            { name: 'LCP', value: 812.4 },
            { name: 'CLS', value: 0.02 },
          ],
        },
      },
      responses: {
        202: {
          description: 'Recorded: how many values.',
          schema: {
            type: 'object',
            additionalProperties: false,
            required: ['recorded'],
            properties: { recorded: { type: 'integer', minimum: 1 } },
          },
        },
      },
      handle: (ctx) => {
        const report = ctx.body as VitalReport;
        vitals.record(report);
        return { status: 202, body: { recorded: report.metrics.length } };
      },
    },
    {
      method: 'GET',
      path: '/app/chat',
      operationId: 'chatPage',
      summary: 'The chat client (WebSocket conversation), which reports its own Web Vitals',
      tags: ['experience'],
      responses: { 200: { description: 'HTML.', contentType: 'text/html', schema: { type: 'string' } } },
      handle: () => ({ status: 200, text: CHAT_PAGE, contentType: 'text/html; charset=utf-8' }),
    },
    trainingRoute('enable'),
    trainingRoute('disable'),
    {
      method: 'GET',
      path: '/v1/training/status/{tenant}',
      operationId: 'trainingStatus',
      summary: 'Training mode state of a tenant',
      tags: ['training'],
      params: { tenant: { schema: TENANT_SCHEMA, description: 'Tenant id.', example: 'acme' } },
      responses: { 200: { description: 'The state.', schema: TRAINING_STATE_SCHEMA } },
      handle: (ctx) => ({ status: 200, body: training.status(ctx.params.tenant!) }),
    },
  ];
}

await runService({
  name: 'orchestrator',
  title: 'Orchestrator',
  description:
    'Runs conversations (answers and streamed answers, each checked with the policy engine first) and per-tenant training mode; records them on conversation.events and training.audit.',
  tags: [
    { name: 'conversation', description: 'Sessions and conversation steps.' },
    { name: 'training', description: 'Training mode.' },
    { name: 'experience', description: 'The chat client: its page, WebSocket and Web Vitals.' },
    { name: 'operations', description: 'Health, metrics, documents and fault injection.' },
  ],
  produces: [TOPICS.conversationEvents, TOPICS.trainingAudit],
  build: (rt) => {
    const redis = createClient({
      ...redisClientOptions(),
      // Fail fast while Redis is away (a request answers 503 at once instead of waiting in a queue),
      // and come back on our own within two seconds of it.
      disableOfflineQueue: true,
    }) as Redis;
    let redisError = '';
    redis.on('error', (err: Error) => {
      if (err.message !== redisError) process.stderr.write(`[orchestrator] redis: ${err.message}\n`);
      redisError = err.message;
    });
    redis.on('ready', () => {
      if (redisError) process.stderr.write('[orchestrator] redis: connected again\n');
      redisError = '';
    });
    const deps = new Dependencies(rt.registry);
    deps.watch('redis', () => redis.ping());
    const sessions = new SessionStore(redis, Number(process.env.SESSION_TTL_SECONDS ?? 2 * 3600));
    const training = new TrainingModes();
    const m = metrics(rt.registry, training, sessions);
    const c = conversation(rt, deps, sessions, m);
    return {
      routes: routes(rt, c, training, m, vitalsMetrics(rt.registry), deps, sessions),
      upgrade: conversationSocket(rt.registry, c.answer, STREAM_DELAY_MS),
      checks: () => deps.checks(),
      start: async () => {
        // Not awaited: the service starts without Redis and serves sessions once it is there.
        redis.connect().catch((err: Error) => process.stderr.write(`[orchestrator] redis: ${err.message}\n`));
        deps.start();
        await deps.probeAll();
        // Runtime & Training's recorder: while a tenant is in training mode, its answered steps are samples.
        await rt.bus.consume({
          groupId: process.env.ORCHESTRATOR_GROUP ?? 'orchestrator-training',
          topic: TOPICS.conversationEvents,
          onEvent: (event) => {
            if (
              (event.type === 'step.completed' || event.type === 'stream.completed') &&
              training.capture(String(event.tenant))
            )
              m.samples.inc();
          },
        });
      },
      stop: async () => {
        deps.stop();
        redis.destroy();
      },
    };
  },
});
