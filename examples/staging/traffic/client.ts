import { newTraceId } from '../services/lib/trace.js';

// HTTP calls the way a user's client makes them, each action with its own trace id.

export interface CallResult {
  status: number;
  body: Record<string, unknown>;
}

export class Stats {
  readonly counts = new Map<string, number>();
  count(operation: string, status: number | 'error'): void {
    const key = `${operation} ${status}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }
  /** Answers that mean something is broken: 5xx and requests that got no answer. */
  failures(): number {
    return [...this.counts.entries()]
      .filter(([k]) => / (5\d\d|error)$/.test(k))
      .reduce((a, [, n]) => a + n, 0);
  }
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}

export async function callJson(
  stats: Stats,
  operation: string,
  url: string,
  init: { method: string; body?: unknown; traceId?: string },
): Promise<CallResult | undefined> {
  try {
    const res = await fetch(url, {
      method: init.method,
      headers: { 'Content-Type': 'application/json', 'X-Trace-Id': init.traceId ?? newTraceId() },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    stats.count(operation, res.status);
    return { status: res.status, body };
  } catch {
    stats.count(operation, 'error');
    return undefined;
  }
}

/** Reads a server-sent event stream to its end; answers the number of tokens received. */
export async function callStream(
  stats: Stats,
  url: string,
  traceId = newTraceId(),
): Promise<number | undefined> {
  try {
    const res = await fetch(url, {
      headers: { Accept: 'text/event-stream', 'X-Trace-Id': traceId },
      signal: AbortSignal.timeout(30_000),
    });
    if (!res.ok || !res.body) {
      await res.text().catch(() => '');
      stats.count('stream', res.status);
      return undefined;
    }
    const text = await res.text();
    const events = text
      .split('\n\n')
      .filter((e) => e.startsWith('data: '))
      .map((e) => JSON.parse(e.slice(6)) as Record<string, unknown>);
    const done = events.at(-1)?.done === true;
    stats.count('stream', done ? 200 : 'error');
    return done ? events.length - 1 : undefined;
  } catch {
    stats.count('stream', 'error');
    return undefined;
  }
}

/**
 * One prompt over the orchestrator's WebSocket, the way the chat client sends it. The status is the
 * HTTP status the same answer has on the other routes (200 done, 403 denied, 404 unknown session, 503).
 */
export async function callSocket(
  stats: Stats,
  url: string,
  prompt: string,
): Promise<{ status: number | 'error'; tokens: number }> {
  const STATUS: Record<string, number> = {
    denied_by_policy: 403,
    unknown_session: 404,
    invalid_request: 400,
  };
  return new Promise((resolve) => {
    let tokens = 0;
    let settled = false;
    const ws = new WebSocket(url);
    const finish = (status: number | 'error') => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stats.count('socket', status);
      ws.close();
      resolve({ status, tokens });
    };
    const timer = setTimeout(() => finish('error'), 30_000);
    ws.addEventListener('open', () => ws.send(JSON.stringify({ prompt })));
    ws.addEventListener('message', (e: MessageEvent) => {
      const m = JSON.parse(String(e.data)) as Record<string, unknown>;
      if (typeof m.token === 'string') tokens++;
      else if (m.done === true) finish(200);
      else if (typeof m.error === 'string') finish(STATUS[m.error] ?? 503);
    });
    ws.addEventListener('error', () => finish('error'));
    ws.addEventListener('close', () => finish('error'));
  });
}

/**
 * Opens the chat page the way a client without a browser can: the time to the response's first byte
 * is measured here, for real, and reported to /v1/vitals as TTFB (a browser reports the rest itself).
 */
export async function loadChatPage(stats: Stats, baseUrl: string): Promise<void> {
  const started = performance.now();
  try {
    const res = await fetch(`${baseUrl}/app/chat`, { signal: AbortSignal.timeout(10_000) });
    const ttfbMs = performance.now() - started;
    await res.text();
    stats.count('chat-page', res.status);
    if (!res.ok) return;
    await callJson(stats, 'vitals', `${baseUrl}/v1/vitals`, {
      method: 'POST',
      body: { page: '/app/chat', metrics: [{ name: 'TTFB', value: Math.round(ttfbMs * 1000) / 1000 }] },
    });
  } catch {
    stats.count('chat-page', 'error');
  }
}
