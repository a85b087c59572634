import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

// A trace id follows one request through every service and onto every Kafka message it causes.
// Callers may pass their own (X-Trace-Id, or the trace-id part of a W3C traceparent); otherwise a
// new 32-hex id is made, the W3C trace-id format.

const TRACE_ID = /^[0-9a-zA-Z][0-9a-zA-Z-]{7,63}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

export function traceIdFrom(headers: IncomingHttpHeaders): string {
  const explicit = headers['x-trace-id'];
  if (typeof explicit === 'string' && TRACE_ID.test(explicit)) return explicit;
  const parent = headers.traceparent;
  if (typeof parent === 'string') {
    const m = TRACEPARENT.exec(parent.trim());
    if (m) return m[1]!;
  }
  return newTraceId();
}
