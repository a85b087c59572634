import { buildAsyncApi } from './asyncapi.js';
import { kafkaBrokers, listenHost, servicePort, serviceUrl, type ServiceName } from './config.js';
import type { TopicName } from './events.js';
import { ERROR_SCHEMA, HttpService, type Route, type UpgradeHandler } from './http.js';
import { EventBus } from './kafka.js';
import { createRegistry, httpMetrics, SERVICE_VERSION, type Registry } from './metrics.js';
import { buildOpenApi } from './openapi.js';
import { quietKnownWarnings } from './warnings.js';

// What every staging service has in common: /health, /metrics, /openapi.json, /asyncapi.json, the
// quiet-topic switch, start-up in the right order and a clean stop on SIGTERM.

export interface Runtime {
  name: ServiceName;
  registry: Registry;
  bus: EventBus;
}

export interface ServiceParts {
  routes: Route[];
  /** Runs once Kafka is reachable (consumers, caches). */
  start?: () => Promise<void>;
  stop?: () => Promise<void>;
  /** Connections that switch protocols (the orchestrator's WebSocket). */
  upgrade?: UpgradeHandler;
  /** Extra readiness checks: name → 'ok' or a reason. */
  checks?: () => Record<string, string>;
}

export interface ServiceSpec {
  name: ServiceName;
  title: string;
  description: string;
  tags: { name: string; description: string }[];
  produces: TopicName[];
  build: (rt: Runtime) => Promise<ServiceParts> | ServiceParts;
}

const HEALTH_SCHEMA = {
  type: 'object',
  required: ['status', 'service', 'version', 'uptime_seconds', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ok', 'starting', 'degraded'] },
    service: { type: 'string' },
    version: { type: 'string' },
    uptime_seconds: { type: 'number', minimum: 0 },
    checks: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

const ANY_OBJECT = { type: 'object' };

function standardRoutes(
  spec: ServiceSpec,
  rt: Runtime,
  state: { ready: boolean; startedAt: number; checks: () => Record<string, string> },
  docs: { openapi: () => unknown; asyncapi: unknown },
): Route[] {
  const routes: Route[] = [
    {
      method: 'GET',
      path: '/health',
      operationId: 'health',
      summary: 'Liveness and readiness',
      description: 'Answers 200 once the service is connected to Kafka and ready to serve, 503 before.',
      tags: ['operations'],
      responses: {
        200: { description: 'Ready.', schema: HEALTH_SCHEMA },
        503: { description: 'Starting or degraded.', schema: HEALTH_SCHEMA },
      },
      handle: () => {
        const checks = { kafka: rt.bus.connected ? 'ok' : 'connecting', ...state.checks() };
        const ok = state.ready && Object.values(checks).every((v) => v === 'ok');
        return {
          status: ok ? 200 : 503,
          body: {
            status: ok ? 'ok' : state.ready ? 'degraded' : 'starting',
            service: spec.name,
            version: SERVICE_VERSION,
            uptime_seconds: Math.round((Date.now() - state.startedAt) / 10) / 100,
            checks,
          },
        };
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics',
      tags: ['operations'],
      responses: {
        200: {
          description: 'Prometheus text exposition format 0.0.4.',
          contentType: 'text/plain',
          schema: { type: 'string' },
        },
      },
      handle: async () => ({
        status: 200,
        text: await rt.registry.metrics(),
        contentType: rt.registry.contentType,
      }),
    },
    {
      method: 'GET',
      path: '/openapi.json',
      operationId: 'openapi',
      summary: 'This OpenAPI 3.1 document',
      tags: ['operations'],
      responses: { 200: { description: 'The OpenAPI document.', schema: ANY_OBJECT } },
      handle: () => ({ status: 200, body: docs.openapi() }),
    },
    {
      method: 'GET',
      path: '/asyncapi.json',
      operationId: 'asyncapi',
      summary: 'AsyncAPI 3 document of the staging topics',
      tags: ['operations'],
      responses: { 200: { description: 'The AsyncAPI document.', schema: ANY_OBJECT } },
      handle: () => ({ status: 200, body: docs.asyncapi }),
    },
  ];
  if (spec.produces.length) {
    const quietList = {
      type: 'object',
      required: ['quiet'],
      properties: {
        quiet: {
          type: 'array',
          items: {
            type: 'object',
            required: ['topic', 'until'],
            properties: { topic: { type: 'string' }, until: { type: 'string', format: 'date-time' } },
          },
        },
      },
    };
    routes.push(
      {
        method: 'GET',
        path: '/admin/quiet',
        operationId: 'listQuietTopics',
        summary: 'Topics currently made quiet',
        tags: ['operations'],
        responses: { 200: { description: 'Quiet topics and when they resume.', schema: quietList } },
        handle: () => ({
          status: 200,
          body: {
            quiet: rt.bus
              .quietTopics()
              .map((q) => ({ topic: q.topic, until: new Date(q.until).toISOString() })),
          },
        }),
      },
      {
        method: 'POST',
        path: '/admin/quiet',
        operationId: 'setQuietTopic',
        summary: 'Make a topic quiet for a while',
        description:
          'Fault injection for liveness checks: requests are still answered, but this service produces nothing to the topic until the time is up (seconds 0 ends it at once).',
        tags: ['operations'],
        body: {
          schema: {
            type: 'object',
            additionalProperties: false,
            required: ['topic', 'seconds'],
            properties: {
              topic: { type: 'string', enum: spec.produces },
              seconds: { type: 'integer', minimum: 0, maximum: 3600 },
            },
          },
          example: { topic: spec.produces[0], seconds: 0 },
        },
        responses: {
          200: {
            description: "The topic's new state.",
            schema: {
              type: 'object',
              required: ['topic', 'quiet_until'],
              properties: {
                topic: { type: 'string' },
                quiet_until: { type: ['string', 'null'], format: 'date-time' },
              },
            },
          },
        },
        handle: (ctx) => {
          const { topic, seconds } = ctx.body as { topic: TopicName; seconds: number };
          const until = rt.bus.setQuiet(topic, seconds);
          process.stderr.write(
            `[${spec.name}] ${topic} ${until ? `quiet until ${new Date(until).toISOString()}` : 'producing again'} (trace ${ctx.traceId})\n`,
          );
          return { status: 200, body: { topic, quiet_until: until ? new Date(until).toISOString() : null } };
        },
      },
    );
  }
  return routes;
}

export { ERROR_SCHEMA };

export async function runService(spec: ServiceSpec): Promise<void> {
  quietKnownWarnings();
  const registry = createRegistry(spec.name);
  const brokers = kafkaBrokers();
  const bus = new EventBus(spec.name, brokers, registry, spec.produces);
  const rt: Runtime = { name: spec.name, registry, bus };
  const parts = await spec.build(rt);
  const state = { ready: false, startedAt: Date.now(), checks: parts.checks ?? (() => ({})) };
  const asyncapi = buildAsyncApi(brokers);
  // The document lists every route, including the one that serves it.
  const routes: Route[] = [];
  const docs = { openapi: () => openapi, asyncapi };
  routes.push(...standardRoutes(spec, rt, state, docs), ...parts.routes);
  const openapi = buildOpenApi({
    title: spec.title,
    description: spec.description,
    serverUrl: serviceUrl(spec.name),
    routes,
    tags: spec.tags,
  });
  const http = new HttpService(spec.name, routes, httpMetrics(registry));
  const port = servicePort(spec.name);
  const host = listenHost();
  await http.listen(port, host, parts.upgrade);
  process.stderr.write(`[${spec.name}] listening on http://${host}:${port} (kafka ${brokers.join(',')})\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`[${spec.name}] ${signal}: stopping\n`);
    state.ready = false;
    await http.close().catch(() => {});
    await parts.stop?.().catch(() => {});
    await bus.close();
    process.stderr.write(`[${spec.name}] stopped\n`);
    process.exitCode = 0;
    // Timers of client libraries may linger; the work is done.
    setTimeout(() => process.exit(0), 200).unref();
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  for (let attempt = 1; !stopping; attempt++) {
    try {
      await bus.connect();
      await parts.start?.();
      state.ready = true;
      process.stderr.write(`[${spec.name}] ready\n`);
      return;
    } catch (err) {
      process.stderr.write(
        `[${spec.name}] start-up attempt ${attempt} failed: ${(err as Error).message}; retrying in 2s\n`,
      );
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}
