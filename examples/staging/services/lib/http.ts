import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpMetrics } from './metrics.js';
import { traceIdFrom } from './trace.js';
import { validate, type JsonSchema, type Violation } from './validation.js';

// A small router whose route definitions are the single source of both request validation and the
// OpenAPI document (openapi.ts), so what /openapi.json promises is what the service enforces.

/** Takes over a connection that asks to switch protocols (WebSocket). */
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestContext {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  traceId: string;
  /** Aborted when the client goes away (long answers such as streams stop early). */
  signal: AbortSignal;
}

export interface JsonReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
export interface TextReply {
  status: number;
  text: string;
  contentType: string;
  headers?: Record<string, string>;
}
export interface StreamReply {
  status: 200;
  headers?: Record<string, string>;
  /** Writes server-sent events; `send` returns false once the client has gone. */
  stream: (send: (data: unknown) => boolean) => Promise<void>;
}
export type Reply = JsonReply | TextReply | StreamReply;

export interface HeaderDoc {
  description: string;
  schema: JsonSchema;
}
export interface ResponseDoc {
  description: string;
  schema?: JsonSchema;
  /** application/json unless said otherwise. */
  contentType?: string;
  headers?: Record<string, HeaderDoc>;
}
export interface ParamDoc {
  schema: JsonSchema;
  description: string;
  example: string;
}

export interface Route {
  method: Method;
  /** OpenAPI path template, e.g. /v1/constitution/{tenant}. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  params?: Record<string, ParamDoc>;
  /** Query parameters as one object schema (every value arrives as a string). */
  query?: { schema: JsonSchema; examples: Record<string, string> };
  body?: { schema: JsonSchema; example: unknown };
  responses: Record<number, ResponseDoc>;
  handle: (ctx: RequestContext) => Promise<Reply> | Reply;
}

/** An answer other than 2xx that a handler decides on (404, 409, ...). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error', 'message', 'trace_id'],
  properties: {
    error: { type: 'string', description: 'Machine-readable error code.' },
    message: { type: 'string' },
    trace_id: { type: 'string' },
    violations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['in', 'pointer', 'message'],
        properties: {
          in: { enum: ['body', 'path', 'query'] },
          pointer: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
};

export const TRACE_HEADER_DOC: HeaderDoc = {
  description:
    'The trace id of the request (given in X-Trace-Id or traceparent, or new); Kafka messages it caused carry it as the trace_id header.',
  schema: { type: 'string' },
};

const MAX_BODY = 256 * 1024;

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  // Templates only contain literal path segments and {name} placeholders.
  const pattern = route.path
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\{([a-z_]+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
  return { route, regex: new RegExp(`^${pattern}$`), names };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new HttpError(413, 'payload_too_large', `request bodies are limited to ${MAX_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function invalid(violations: Violation[]): HttpError {
  const first = violations[0]!;
  const where = first.pointer ? `${first.in} ${first.pointer}` : first.in;
  return new HttpError(
    400,
    'invalid_request',
    `${where}: ${first.message}${violations.length > 1 ? ` (and ${violations.length - 1} more)` : ''}`,
    { violations },
  );
}

export class HttpService {
  private readonly compiled: Compiled[];
  private server: Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(
    readonly name: string,
    readonly routes: Route[],
    private readonly metrics: HttpMetrics,
  ) {
    this.compiled = routes.map(compile);
  }

  listen(port: number, host: string, upgrade?: UpgradeHandler): Promise<void> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    if (upgrade) this.server.on('upgrade', upgrade);
    else this.server.on('upgrade', (_req, socket: Duplex) => socket.destroy());
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
  }

  async close(): Promise<void> {
    if (!this.server) return;
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server.closeIdleConnections();
    // Open streams would hold the server open; end them, the clients will reconnect elsewhere.
    setTimeout(() => this.sockets.forEach((s) => s.destroy()), 2000).unref();
    await closed;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const traceId = traceIdFrom(req.headers);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    let routeLabel = 'unmatched';
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    let status = 500;
    try {
      const match = this.match(method, url.pathname);
      if (match === 'method')
        throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${url.pathname}`);
      if (!match) throw new HttpError(404, 'not_found', `no route for ${method} ${url.pathname}`);
      const { route, params } = match;
      routeLabel = route.path;
      const ctx = await this.context(route, params, url, req, traceId, controller.signal);
      const reply = await route.handle(ctx);
      status = reply.status;
      await this.write(res, reply, traceId);
    } catch (err) {
      const e =
        err instanceof HttpError
          ? err
          : new HttpError(500, 'internal', (err as Error).message ?? String(err));
      if (!(err instanceof HttpError))
        process.stderr.write(
          `[${this.name}] ${method} ${url.pathname} failed: ${(err as Error).stack ?? String(err)}\n`,
        );
      status = e.status;
      if (!res.headersSent) {
        await this.write(
          res,
          {
            status: e.status,
            body: { error: e.code, message: e.message, trace_id: traceId, ...e.extra },
            headers: e.headers,
          },
          traceId,
        );
      } else {
        res.end();
      }
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.requests.inc({ method, route: routeLabel, status: String(status) });
      this.metrics.duration.observe({ method, route: routeLabel }, seconds);
    }
  }

  private match(
    method: string,
    pathname: string,
  ): { route: Route; params: Record<string, string> } | 'method' | undefined {
    let pathMatched = false;
    for (const c of this.compiled) {
      const m = c.regex.exec(pathname);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method !== method) continue;
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => {
        params[n] = decodeURIComponent(m[i + 1]!);
      });
      return { route: c.route, params };
    }
    return pathMatched ? 'method' : undefined;
  }

  private async context(
    route: Route,
    params: Record<string, string>,
    url: URL,
    req: IncomingMessage,
    traceId: string,
    signal: AbortSignal,
  ): Promise<RequestContext> {
    const violations: Violation[] = [];
    for (const [name, doc] of Object.entries(route.params ?? {})) {
      violations.push(
        ...validate(doc.schema, params[name], 'path').map((v) => ({ ...v, pointer: `/${name}` })),
      );
    }
    const query = Object.fromEntries(url.searchParams.entries());
    if (route.query) violations.push(...validate(route.query.schema, query, 'query'));
    let body: unknown;
    if (route.body) {
      const raw = await readBody(req);
      if (raw.trim() === '') {
        violations.push({ in: 'body', pointer: '', message: 'a JSON body is required' });
      } else {
        try {
          body = JSON.parse(raw);
        } catch (err) {
          violations.push({
            in: 'body',
            pointer: '',
            message: `is not valid JSON (${(err as Error).message})`,
          });
        }
        if (body !== undefined) violations.push(...validate(route.body.schema, body, 'body'));
      }
    } else {
      req.resume();
    }
    if (violations.length) throw invalid(violations);
    return { params, query, body, traceId, signal };
  }

  private async write(res: ServerResponse, reply: Reply, traceId: string): Promise<void> {
    const common = { 'X-Trace-Id': traceId, ...(reply.headers ?? {}) };
    if ('stream' in reply) {
      res.writeHead(200, {
        ...common,
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
      });
      res.flushHeaders();
      const send = (data: unknown): boolean => {
        if (res.destroyed || res.writableEnded) return false;
        res.write(`data: ${JSON.stringify(data)}\n\n`);
        return true;
      };
      try {
        await reply.stream(send);
      } finally {
        res.end();
      }
      return;
    }
    if ('text' in reply) {
      res.writeHead(reply.status, { ...common, 'Content-Type': reply.contentType });
      res.end(reply.text);
      return;
    }
    const payload = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      ...common,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(payload),
    });
    res.end(payload);
  }
}
