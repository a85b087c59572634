import { redactHeaders, redactJson, redactUrl } from '../redact.js';

/** One HTTP request as it was sent and answered, before any redaction. */
export interface HttpExchange {
  /** When the request was sent, ISO 8601. */
  startedDateTime: string;
  /** Milliseconds from sending to the response headers, and from them to the end of the body. */
  waitMs: number;
  receiveMs: number;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response: { status: number; statusText: string; headers: Record<string, string>; text: string };
}

interface HarHeader {
  name: string;
  value: string;
}

/** The HAR 1.2 fields we write (http://www.softwareishard.com/blog/har-12-spec/). */
export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    comment?: string;
    entries: HarEntry[];
  };
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: never[];
    headers: HarHeader[];
    queryString: HarHeader[];
    postData?: { mimeType: string; text: string };
    headersSize: -1;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: never[];
    headers: HarHeader[];
    content: { size: number; mimeType: string; text: string };
    redirectURL: string;
    headersSize: -1;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: {
    blocked: -1;
    dns: -1;
    connect: -1;
    ssl: -1;
    send: number;
    wait: number;
    receive: number;
  };
}

// fetch hands over the body decoded and de-chunked, so these would describe bytes the file does not
// hold; a replay (Playwright's routeFromHAR) sending them would break the body. Content-Length is
// written again from the recorded text.
const TRANSPORT_HEADERS = new Set([
  'content-encoding',
  'transfer-encoding',
  'content-length',
  'connection',
  'keep-alive',
]);

const ms = (n: number) => Math.max(0, Math.round(n * 1000) / 1000);

/**
 * A body with its credentials redacted the way the JSON samples are (redactJson by field name);
 * the original bytes when nothing needed redacting, so a replay serves exactly what was served.
 */
export function redactBody(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  const redacted = JSON.stringify(redactJson(parsed));
  return redacted === JSON.stringify(parsed) ? text : redacted;
}

const list = (headers: Record<string, string>): HarHeader[] =>
  Object.entries(redactHeaders(headers)).map(([name, value]) => ({ name, value }));

function entryOf(x: HttpExchange): HarEntry {
  const url = redactUrl(x.request.url);
  const body = x.request.body === undefined ? undefined : redactBody(x.request.body);
  const contentType = (h: Record<string, string>) =>
    Object.entries(h).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const text = redactBody(x.response.text);
  const size = Buffer.byteLength(text);
  const responseHeaders = Object.fromEntries(
    Object.entries(x.response.headers).filter(([k]) => !TRANSPORT_HEADERS.has(k.toLowerCase())),
  );
  const location = Object.entries(x.response.headers).find(([k]) => k.toLowerCase() === 'location')?.[1];
  return {
    startedDateTime: x.startedDateTime,
    time: ms(ms(x.waitMs) + ms(x.receiveMs)),
    request: {
      method: x.request.method,
      url,
      // Node's fetch speaks HTTP/1.1 unless told otherwise.
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: list(x.request.headers),
      queryString: [...new URL(url).searchParams].map(([name, value]) => ({ name, value })),
      ...(body !== undefined
        ? { postData: { mimeType: contentType(x.request.headers) ?? 'application/octet-stream', text: body } }
        : {}),
      headersSize: -1,
      bodySize: body === undefined ? 0 : Buffer.byteLength(body),
    },
    response: {
      status: x.response.status,
      statusText: x.response.statusText,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [...list(responseHeaders), { name: 'content-length', value: String(size) }],
      content: { size, mimeType: contentType(x.response.headers) ?? 'x-unknown', text },
      redirectURL: location ?? '',
      headersSize: -1,
      // Bytes on the wire are unknown when the body came compressed.
      bodySize: Object.keys(x.response.headers).some((k) => k.toLowerCase() === 'content-encoding')
        ? -1
        : size,
    },
    cache: {},
    // fetch reports neither DNS, connect nor TLS times: -1 is HAR's "not available".
    timings: {
      blocked: -1,
      dns: -1,
      connect: -1,
      ssl: -1,
      send: 0,
      wait: ms(x.waitMs),
      receive: ms(x.receiveMs),
    },
  };
}

/**
 * A HAR 1.2 log of one service's requests, credentials redacted as in the JSON samples, in the order
 * they were sent. Pure.
 */
export function harOf(
  exchanges: HttpExchange[],
  creator: { name: string; version: string },
  comment?: string,
): Har {
  return {
    log: {
      version: '1.2',
      creator,
      ...(comment ? { comment } : {}),
      entries: exchanges.map(entryOf),
    },
  };
}
