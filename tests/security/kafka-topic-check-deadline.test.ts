import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { runAction } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { needsServers } from '../support/servers.js';

needsServers();

// A broker address that accepts the TCP connection and then never says a word: a hung broker, a
// firewall that black-holes replies, or a port that something else holds. Whatever the SASL mechanism,
// the step must end at its deadline (timeout + 5 s at most), with its sockets closed, never hang.
describe('kafka-topic-check against a listener that accepts and never answers', () => {
  const sockets: Socket[] = [];
  let server: Server;
  let port: number;

  beforeAll(async () => {
    ensureBuilt();
    server = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  const TIMEOUT_MS = 5_000;
  it.concurrent.each(['none', 'plain', 'scram-sha-256', 'scram-sha-512'])(
    'with sasl-mechanism %s the step ends within timeout + 5 s',
    async (mechanism) => {
      const connected = sockets.length;
      const run = await runAction('kafka-topic-check', {
        inputs: {
          brokers: `127.0.0.1:${port}`,
          topics: '- name: any-topic',
          window: '1s',
          timeout: '5s',
          'sasl-mechanism': mechanism,
          ...(mechanism === 'none' ? {} : { username: 'checker', password: 'never-answered-pw' }),
        },
        // Long enough to tell a late exit from a hang; the runner would wait for minutes.
        timeoutMs: 60_000,
      });
      expect(sockets.length).toBeGreaterThan(connected);
      expect(run.signal).toBeNull();
      expect(run.exitCode).toBe(1);
      const errors = run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
      expect(errors.at(-1)).toBe(
        "kafka-topic-check: the check did not finish within its timeout of 5.0s (still connecting); raise 'timeout' or shorten 'window' if the brokers are slow, or check that they answer",
      );
      expect(run.durationMs).toBeLessThan(TIMEOUT_MS + 5_000);
      // The only place the password may appear is the mask command that hides it everywhere else.
      const printed =
        run.stdout
          .split('\n')
          .filter((l) => l !== '::add-mask::never-answered-pw')
          .join('\n') + run.stderr;
      expect(printed).not.toContain('never-answered-pw');
    },
  );
});
