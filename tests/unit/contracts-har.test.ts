import { describe, expect, it } from 'vitest';
import { Validator, type Schema } from '@cfworker/json-schema';
import { harOf, redactBody, type HttpExchange } from '../../src/lib/contracts/har.js';

// The required fields of HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), object by object.
const nameValue: Schema = {
  type: 'object',
  required: ['name', 'value'],
  properties: { name: { type: 'string' }, value: { type: 'string' } },
};
const HAR_12: Schema = {
  type: 'object',
  required: ['log'],
  properties: {
    log: {
      type: 'object',
      required: ['version', 'creator', 'entries'],
      properties: {
        version: { const: '1.2' },
        creator: {
          type: 'object',
          required: ['name', 'version'],
          properties: { name: { type: 'string' }, version: { type: 'string' } },
        },
        entries: {
          type: 'array',
          items: {
            type: 'object',
            required: ['startedDateTime', 'time', 'request', 'response', 'cache', 'timings'],
            properties: {
              startedDateTime: {
                type: 'string',
                pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
              },
              time: { type: 'number', minimum: 0 },
              request: {
                type: 'object',
                required: [
                  'method',
                  'url',
                  'httpVersion',
                  'cookies',
                  'headers',
                  'queryString',
                  'headersSize',
                  'bodySize',
                ],
                properties: {
                  method: { type: 'string' },
                  url: { type: 'string', format: 'uri' },
                  httpVersion: { type: 'string' },
                  cookies: { type: 'array' },
                  headers: { type: 'array', items: nameValue },
                  queryString: { type: 'array', items: nameValue },
                  postData: {
                    type: 'object',
                    required: ['mimeType'],
                    properties: { mimeType: { type: 'string' }, text: { type: 'string' } },
                  },
                  headersSize: { type: 'integer' },
                  bodySize: { type: 'integer' },
                },
              },
              response: {
                type: 'object',
                required: [
                  'status',
                  'statusText',
                  'httpVersion',
                  'cookies',
                  'headers',
                  'content',
                  'redirectURL',
                  'headersSize',
                  'bodySize',
                ],
                properties: {
                  status: { type: 'integer' },
                  statusText: { type: 'string' },
                  httpVersion: { type: 'string' },
                  cookies: { type: 'array' },
                  headers: { type: 'array', items: nameValue },
                  content: {
                    type: 'object',
                    required: ['size', 'mimeType'],
                    properties: {
                      size: { type: 'integer' },
                      mimeType: { type: 'string' },
                      text: { type: 'string' },
                    },
                  },
                  redirectURL: { type: 'string' },
                  headersSize: { type: 'integer' },
                  bodySize: { type: 'integer' },
                },
              },
              cache: { type: 'object' },
              timings: {
                type: 'object',
                required: ['send', 'wait', 'receive'],
                properties: Object.fromEntries(
                  ['blocked', 'dns', 'connect', 'send', 'wait', 'receive', 'ssl'].map((k) => [
                    k,
                    { type: 'number', minimum: -1 },
                  ]),
                ),
              },
            },
          },
        },
      },
    },
  },
};

const creator = { name: 'command-center contract-record', version: '0.1.0' };
const evaluate: HttpExchange = {
  startedDateTime: '2026-11-25T17:00:00.123Z',
  waitMs: 12.34567,
  receiveMs: 0.5,
  request: {
    method: 'POST',
    url: 'http://127.0.0.1:18081/v1/evaluate?tenant=acme&api_key=k-123',
    headers: {
      accept: 'application/json',
      Authorization: 'Bearer t0ken',
      'content-type': 'application/json',
    },
    body: '{"prompt":"hi","password":"pw-1"}',
  },
  response: {
    status: 200,
    statusText: 'OK',
    headers: {
      'content-type': 'application/json',
      'content-length': '999',
      'content-encoding': 'gzip',
      'x-policy-decision': 'allow',
      'set-cookie': 'sid=abc',
    },
    text: '{"allowed":true,"score":0.1}',
  },
};
const document: HttpExchange = {
  startedDateTime: '2026-11-25T17:00:01.000Z',
  waitMs: 3,
  receiveMs: 1,
  request: {
    method: 'GET',
    url: 'http://127.0.0.1:18081/openapi.json',
    headers: { accept: 'application/json' },
  },
  response: { status: 200, statusText: 'OK', headers: { 'content-type': 'text/plain' }, text: 'é not JSON' },
};

describe('harOf: a HAR 1.2 log of a service', () => {
  const har = harOf([evaluate, document], creator, 'recorded');

  it('has every field HAR 1.2 requires', () => {
    const result = new Validator(HAR_12, '2020-12', false).validate(har);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('the validator refuses a log missing a required field (it checks something)', () => {
    const broken = structuredClone(har) as unknown as { log: { entries: Record<string, unknown>[] } };
    delete broken.log.entries[0]!.timings;
    expect(new Validator(HAR_12, '2020-12', false).validate(broken).valid).toBe(false);
  });

  it('keeps the order, the creator and version 1.2', () => {
    expect(har.log).toMatchObject({ version: '1.2', creator, comment: 'recorded' });
    expect(har.log.entries.map((e) => `${e.request.method} ${e.request.url}`)).toEqual([
      'POST http://127.0.0.1:18081/v1/evaluate?tenant=acme&api_key=***',
      'GET http://127.0.0.1:18081/openapi.json',
    ]);
  });

  it('redacts credentials as the JSON samples do: auth headers, cookies, credential fields and query values', () => {
    const [e] = har.log.entries;
    expect(e!.request.headers).toContainEqual({ name: 'Authorization', value: '***' });
    expect(e!.request.queryString).toEqual([
      { name: 'tenant', value: 'acme' },
      { name: 'api_key', value: '***' },
    ]);
    expect(e!.request.postData).toEqual({
      mimeType: 'application/json',
      text: '{"prompt":"hi","password":"***"}',
    });
    expect(e!.request.bodySize).toBe(Buffer.byteLength('{"prompt":"hi","password":"***"}'));
    expect(e!.response.headers).toContainEqual({ name: 'set-cookie', value: '***' });
    expect(JSON.stringify(har)).not.toMatch(/t0ken|pw-1|k-123|sid=abc/);
  });

  it('content carries the text, its byte size and mime type; transport headers describe the recorded bytes', () => {
    const [e, d] = har.log.entries;
    expect(e!.response.content).toEqual({
      size: 28,
      mimeType: 'application/json',
      text: '{"allowed":true,"score":0.1}',
    });
    const names = e!.response.headers.map((h) => h.name);
    expect(names).not.toContain('content-encoding');
    expect(e!.response.headers.filter((h) => h.name === 'content-length')).toEqual([
      { name: 'content-length', value: '28' },
    ]);
    expect(e!.response.bodySize).toBe(-1); // it came compressed: the wire size is unknown
    expect(d!.response.content).toEqual({
      size: Buffer.byteLength('é not JSON'),
      mimeType: 'text/plain',
      text: 'é not JSON',
    });
    expect(d!.response.bodySize).toBe(Buffer.byteLength('é not JSON'));
    expect(d!.request.postData).toBeUndefined();
    expect(d!.request.bodySize).toBe(0);
  });

  it('timings: send, wait and receive as measured, the unknown ones -1, time their sum', () => {
    const [e] = har.log.entries;
    expect(e!.timings).toEqual({
      blocked: -1,
      dns: -1,
      connect: -1,
      ssl: -1,
      send: 0,
      wait: 12.346,
      receive: 0.5,
    });
    expect(e!.time).toBe(12.846);
    expect(e!.startedDateTime).toBe('2026-11-25T17:00:00.123Z');
  });
});

describe('redactBody', () => {
  it('keeps the exact bytes when nothing is a credential, so a replay serves what was served', () => {
    expect(redactBody('{ "a" : 1 }')).toBe('{ "a" : 1 }');
    expect(redactBody('plain text token=abc')).toBe('plain text token=abc');
  });
  it('rewrites JSON whose fields hold credentials', () => {
    expect(JSON.parse(redactBody('{"nested":{"token":"x"},"n":1}'))).toEqual({
      nested: { token: '***' },
      n: 1,
    });
  });
});
