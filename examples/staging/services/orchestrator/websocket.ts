import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { HttpError, type UpgradeHandler } from '../lib/http.js';
import { client, type Registry } from '../lib/metrics.js';
import { newTraceId, traceIdFrom } from '../lib/trace.js';

// Conversations over a WebSocket (the Experience squad's chat client): GET /v1/conversation/ws?session_id=…
// upgrades; each `{"prompt": "…"}` the client sends is answered like a streamed step — one
// `{"index": n, "token": "…"}` message per token, then `{"done": true, "step": n, "trace_id": "…"}` —
// or `{"error": code, "message": …, "trace_id": …}` (a denied prompt carries the decision too).
// Throughput is counted as it happens: messages and bytes each way, connections open.

export const WS_PATH = '/v1/conversation/ws';

/** What one prompt becomes: the tokens to send, or an HttpError the caller turns into an error message. */
export type Answer = (
  sessionId: string,
  prompt: string,
  traceId: string,
) => Promise<{
  step: number;
  tokens: string[];
  /** Called after token `i` went out (streaming latency and throughput). */
  sent: (i: number) => void;
  finish: () => Promise<void>;
}>;

export function conversationSocket(registry: Registry, answer: Answer, tokenDelayMs: number): UpgradeHandler {
  const messages = new client.Counter({
    name: 'orchestrator_websocket_messages_total',
    help: 'WebSocket messages, by direction (in: from clients, out: to clients) — websocket throughput.',
    labelNames: ['direction'],
    registers: [registry],
  });
  const bytes = new client.Counter({
    name: 'orchestrator_websocket_bytes_total',
    help: 'WebSocket payload bytes, by direction.',
    labelNames: ['direction'],
    registers: [registry],
  });
  const opened = new client.Counter({
    name: 'orchestrator_websocket_connections_total',
    help: 'WebSocket connections accepted.',
    registers: [registry],
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  new client.Gauge({
    name: 'orchestrator_websocket_connections_active',
    help: 'WebSocket connections open now.',
    registers: [registry],
    collect() {
      this.set(wss.clients.size);
    },
  });
  for (const d of ['in', 'out']) {
    messages.inc({ direction: d }, 0);
    bytes.inc({ direction: d }, 0);
  }

  const send = (ws: WebSocket, data: unknown): boolean => {
    if (ws.readyState !== ws.OPEN) return false;
    const text = JSON.stringify(data);
    ws.send(text);
    messages.inc({ direction: 'out' });
    bytes.inc({ direction: 'out' }, Buffer.byteLength(text));
    return true;
  };

  const serve = (ws: WebSocket, sessionId: string, connectionTrace: string) => {
    // One prompt at a time per connection: the next waits for the previous answer to end.
    let queue = Promise.resolve();
    ws.on('message', (raw: RawData) => {
      const text = raw.toString();
      messages.inc({ direction: 'in' });
      bytes.inc({ direction: 'in' }, Buffer.byteLength(text));
      queue = queue.then(async () => {
        const traceId = newTraceId();
        let prompt: unknown;
        try {
          prompt = (JSON.parse(text) as { prompt?: unknown }).prompt;
        } catch {
          prompt = undefined;
        }
        if (typeof prompt !== 'string' || prompt.length < 1 || prompt.length > 4000) {
          send(ws, {
            error: 'invalid_request',
            message: 'send {"prompt": "<1 to 4000 characters>"}',
            trace_id: traceId,
          });
          return;
        }
        try {
          const a = await answer(sessionId, prompt, traceId);
          for (let i = 0; i < a.tokens.length; i++) {
            if (!send(ws, { index: i, token: a.tokens[i] })) return;
            a.sent(i);
            await new Promise((r) => setTimeout(r, tokenDelayMs));
          }
          await a.finish();
          send(ws, { done: true, step: a.step, trace_id: traceId });
        } catch (err) {
          const e = err instanceof HttpError ? err : new HttpError(500, 'internal', (err as Error).message);
          send(ws, { error: e.code, message: e.message, trace_id: traceId, ...e.extra });
        }
      });
    });
    ws.on('error', (err) =>
      process.stderr.write(`[orchestrator] websocket (trace ${connectionTrace}): ${err.message}\n`),
    );
  };

  return (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const sessionId = url.searchParams.get('session_id') ?? '';
    if (url.pathname !== WS_PATH || sessionId.length < 1 || sessionId.length > 128) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return;
    }
    const traceId = traceIdFrom(req.headers);
    wss.handleUpgrade(req, socket, head, (ws) => {
      opened.inc();
      serve(ws, sessionId, traceId);
    });
  };
}
