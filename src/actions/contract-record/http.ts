import { CheckFailedError } from '../../lib/errors.js';
import type { HttpExchange } from '../../lib/contracts/har.js';
import { redactUrl } from '../../lib/redact.js';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: unknown;
  /** The request as sent and its answer, unredacted: the HAR recording redacts it when written. */
  exchange: HttpExchange;
}

/** One HTTP request whose failure names the service and the URL (down, timed out, refused). */
export async function request(
  service: string,
  method: string,
  url: string,
  opts: { headers?: Record<string, string>; body?: unknown; timeoutMs: number },
): Promise<HttpAnswer> {
  const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
  // fetch refuses user-info in a URL; it means Basic authentication, sent as the header instead.
  const target = new URL(url);
  if (target.username || target.password) {
    const user = decodeURIComponent(target.username);
    const pass = decodeURIComponent(target.password);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'authorization')) {
      headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    }
    target.username = '';
    target.password = '';
  }
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
  }
  let res: Response;
  const started = new Date();
  const t0 = performance.now();
  try {
    res = await fetch(target, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: AbortSignal.timeout(opts.timeoutMs),
      redirect: 'manual',
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why =
      e.name === 'TimeoutError'
        ? `no answer within ${opts.timeoutMs} ms`
        : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new CheckFailedError(
      `service ${service}: ${method} ${redactUrl(url)} failed: ${why} (is the service up?)`,
    );
  }
  const t1 = performance.now();
  const text = await res.text();
  const t2 = performance.now();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => (out[k] = v));
  const exchange: HttpExchange = {
    startedDateTime: started.toISOString(),
    waitMs: t1 - t0,
    receiveMs: t2 - t1,
    request: { method, url: target.href, headers, ...(body !== undefined ? { body } : {}) },
    response: { status: res.status, statusText: res.statusText, headers: out, text },
  };
  return { status: res.status, headers: out, text, json, exchange };
}
