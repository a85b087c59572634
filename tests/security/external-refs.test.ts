import { createSocket, type Socket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { guardedFetchText } from '../../src/lib/net/guarded-fetch.js';
import { publicAddressesOnly, type AddressPolicy } from '../../src/lib/net/address-policy.js';
import { driftRepo, RECORDED, usersApi } from './drift-repo.js';
import { needsServers } from '../support/servers.js';

needsServers();

// External $refs (allowed by the configuration) reach public addresses only, checked after DNS
// resolution; the connection goes to the address that was checked; redirects are not followed.
// Every server here is real and listens on this machine only.

interface TestServer {
  url: (path?: string) => string;
  port: number;
  requests: IncomingMessage[];
  close: () => Promise<void>;
}

async function httpServer(
  host: string,
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req);
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    requests,
    url: (path = '/user.json') => `http://${host}:${port}${path}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A DNS server that answers A queries with `answers` in turn (the last one from then on): a rebinding name server. */
async function dnsServer(answers: string[]): Promise<{ port: number; queries: string[]; close: () => void }> {
  const socket: Socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (message, peer) => {
    const query = dnsPacket.decode(message);
    const question = query.questions![0]!;
    queries.push(question.name);
    const data = answers[Math.min(queries.length, answers.length) - 1]!;
    const response = dnsPacket.encode({
      id: query.id,
      type: 'response',
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
      questions: [question],
      answers: [{ type: 'A', class: 'IN', name: question.name, ttl: 0, data }],
    });
    socket.send(response, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, queries, close: () => socket.close() };
}

const userSchema = JSON.stringify({ type: 'object', properties: { name: { type: 'string' } } });
const serveSchema = (_req: IncomingMessage, res: ServerResponse) =>
  res.writeHead(200, { 'content-type': 'application/json' }).end(userSchema);
const rejection = (p: Promise<unknown>) =>
  p.then(
    () => 'fetched',
    (err: Error) => err.message,
  );

describe('external $refs through the design-drift bundle', () => {
  let server: TestServer;
  beforeAll(async () => {
    ensureBuilt();
    server = await httpServer('127.0.0.1', serveSchema);
  });
  afterAll(() => server?.close());

  it.each([
    [
      'an address',
      (port: number) => `http://127.0.0.1:${port}/user.json`,
      /^specs\/users\.json: external \$ref http:\/\/127\.0\.0\.1:\d+\/user\.json is a loopback address; external references may only reach public addresses/m,
    ],
    [
      'a name that resolves to loopback',
      (port: number) => `http://localhost:${port}/user.json`,
      /external \$ref http:\/\/localhost:\d+\/user\.json resolves to (127\.0\.0\.1|::1), which is a loopback address/m,
    ],
  ])('refuses %s on this machine, allowed or not, and sends it nothing', async (_what, ref, message) => {
    const repo = driftRepo({ [`${RECORDED}/users/openapi.json`]: usersApi() });
    const declared = usersApi();
    declared.components.schemas.User.properties.profile = { $ref: ref(server.port) };
    repo.write('specs/users.json', declared);
    const run = await runAction('design-drift', {
      workspace: repo.dir,
      inputs: { declared: 'specs/*.json', 'allow-external-refs': 'true' },
    });
    expect(run.exitCode, run.stdout.slice(-2000)).toBe(1);
    expect(
      run.annotations
        .filter((a) => a.level === 'error')
        .map((a) => a.message)
        .join('\n')
        .replace(/^design-drift: /gm, ''),
    ).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });
});

describe('the guarded fetch, against real servers', () => {
  const fetchOpts = { timeoutMs: 10_000, maxBytes: 1024 * 1024 };
  /** Lets exactly one address through; the others keep their default verdict. */
  const only =
    (address: string): AddressPolicy =>
    (a) =>
      a === address ? undefined : (publicAddressesOnly(a) ?? 'other');

  it('refuses loopback in every spelling before connecting', async () => {
    const server = await httpServer('127.0.0.1', serveSchema);
    try {
      const hosts = {
        '127.0.0.1': 'a loopback',
        '127.0.0.2': 'a loopback',
        '[::1]': 'a loopback',
        '[::ffff:127.0.0.1]': 'a loopback',
        '[::ffff:7f00:1]': 'a loopback',
        '0.0.0.0': 'an unspecified',
      };
      for (const [host, what] of Object.entries(hosts)) {
        const url = `http://${host}:${server.port}/user.json`;
        expect(await rejection(guardedFetchText(url, fetchOpts)), url).toBe(
          `is ${what} address; external references may only reach public addresses`,
        );
      }
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('does not follow a redirect, even to an address the policy allows', async () => {
    const target = await httpServer('127.0.0.1', serveSchema);
    const redirecting = await httpServer('127.0.0.1', (_req, res) =>
      res.writeHead(302, { location: target.url() }).end(),
    );
    try {
      // The policy lets this machine through (for this test only): what is refused is the redirect itself.
      expect(await guardedFetchText(target.url(), { ...fetchOpts, policy: only('127.0.0.1') })).toBe(
        userSchema,
      );
      expect(target.requests).toHaveLength(1);
      const refused = await rejection(
        guardedFetchText(redirecting.url(), { ...fetchOpts, policy: only('127.0.0.1') }),
      );
      expect(refused).toBe(
        `answered HTTP 302, a redirect to ${target.url()}; redirects are not followed (where they lead is not checked): reference the final URL`,
      );
      expect(redirecting.requests).toHaveLength(1);
      expect(target.requests).toHaveLength(1);
    } finally {
      await Promise.all([target.close(), redirecting.close()]);
    }
  });

  it('resolves a name once and connects to the address it checked (a rebinding DNS answer cannot redirect it)', async () => {
    const server = await httpServer('127.0.0.2', serveSchema);
    // First answer: the allowed 127.0.0.2; every later one: 127.0.0.1, which the policy refuses.
    const dns = await dnsServer(['127.0.0.2', '127.0.0.1']);
    const resolver = new Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([`127.0.0.1:${dns.port}`]);
    const resolve = async (host: string) =>
      (await resolver.resolve4(host)).map((address) => ({ address, family: 4 }));
    const url = `http://contracts.rebind.test:${server.port}/user.json`;
    try {
      // The system resolver does not know the name: the connection can only have used the checked address.
      expect(await guardedFetchText(url, { ...fetchOpts, policy: only('127.0.0.2'), resolve })).toBe(
        userSchema,
      );
      expect(dns.queries).toEqual(['contracts.rebind.test']);
      expect(server.requests.map((r) => r.headers.host)).toEqual([`contracts.rebind.test:${server.port}`]);
      // The next answer points at loopback: refused after resolution, nothing sent.
      expect(
        await rejection(guardedFetchText(url, { ...fetchOpts, policy: only('127.0.0.2'), resolve })),
      ).toBe(
        'resolves to 127.0.0.1, which is a loopback address; external references may only reach public addresses',
      );
      expect(dns.queries).toHaveLength(2);
      expect(server.requests).toHaveLength(1);
    } finally {
      dns.close();
      await server.close();
    }
  });

  it('refuses a body larger than the limit, announced or streamed', async () => {
    const big = `"${'x'.repeat(4096)}"`;
    const server = await httpServer('127.0.0.1', (req, res) => {
      if (req.url === '/announced')
        return res
          .writeHead(200, { 'content-type': 'application/json', 'content-length': big.length })
          .end(big);
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length said up front
      for (let i = 0; i < big.length; i += 512) res.write(big.slice(i, i + 512));
      res.end();
    });
    const opts = { ...fetchOpts, maxBytes: 1024, policy: only('127.0.0.1') };
    try {
      expect(await rejection(guardedFetchText(server.url('/announced'), opts))).toBe(
        'is 4098 bytes, more than the 1024 a document may have',
      );
      expect(await rejection(guardedFetchText(server.url('/streamed'), opts))).toBe(
        'is more than the 1024 bytes a document may have',
      );
    } finally {
      await server.close();
    }
  });
});
