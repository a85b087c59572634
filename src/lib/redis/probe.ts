import { isIP } from 'node:net';
import { RedisClient } from '@redis/client';
import { bestRoundTrip } from '../round-trip.js';
import { parseInfo, type RedisInfo } from './info.js';

/** How to reach one Redis server. The password is only ever sent to the server. */
export interface RedisTarget {
  host: string;
  port: number;
  /** ACL user (Redis 6+); without it the password is the `default` user's (requirepass). */
  username?: string;
  password?: string;
  /** TLS, with the PEM CA(s) to trust (absent: the system's). */
  tls?: { ca?: string[] };
  connectTimeoutMs: number;
}

export interface RedisProbe {
  /** TCP (and TLS) connection plus authentication. */
  connectMs: number;
  /** The fastest of PINGS round trips on the open connection. */
  pingMs: number;
  info: RedisInfo;
}

/** PINGs timed; the fastest is the latency (see bestRoundTrip). */
const PINGS = 5;
const GAP_MS = 20;

// RESP2 with AUTH works from Redis 5 on; HELLO (RESP3) needs 6.
const RESP = 2;

/** Redis could not be reached or refused us; the message names the server, never the password. */
export class RedisProbeError extends Error {
  override readonly name = 'RedisProbeError';
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'auth' | 'timeout' | 'refused',
  ) {
    super(message);
  }
}

/**
 * Connects, times a PING and reads INFO, then closes the connection whatever happened. No
 * reconnects and no offline queue: a server that is down fails at once, and `signal` ends
 * everything in flight (the socket is destroyed, so nothing is left waiting).
 */
export async function probeRedis(target: RedisTarget, signal: AbortSignal): Promise<RedisProbe> {
  const where = `${target.host}:${target.port}`;
  // The bare client: a probe sends two commands, and node-redis's factory (createClient) first
  // builds a class with a method for each of its hundreds of commands, a noticeable part of a pulse.
  const client = new RedisClient({
    RESP,
    disableClientInfo: true,
    disableOfflineQueue: true,
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    socket: {
      host: target.host,
      port: target.port,
      connectTimeout: target.connectTimeoutMs,
      reconnectStrategy: false,
      ...(target.tls
        ? {
            tls: true as const,
            ...(target.tls.ca ? { ca: target.tls.ca } : {}),
            ...(isIP(target.host) ? {} : { servername: target.host }),
          }
        : {}),
    },
  });
  // Without a listener an 'error' event would end the process; the awaited calls report it.
  let lastError: Error | undefined;
  client.on('error', (err: Error) => {
    lastError = err;
  });
  const abort = () => {
    try {
      client.destroy();
    } catch {
      /* already closed */
    }
  };
  if (signal.aborted)
    throw new RedisProbeError(`Redis at ${where}: not started, the deadline had passed`, 'timeout');
  signal.addEventListener('abort', abort, { once: true });
  try {
    const started = performance.now();
    try {
      await client.connect();
    } catch (err) {
      throw describe(err ?? lastError, where, target, signal);
    }
    const connectMs = performance.now() - started;
    try {
      const pingMs = await bestRoundTrip(PINGS, GAP_MS, () => client.sendCommand(['PING']));
      const text = await client.sendCommand(['INFO']);
      return { connectMs, pingMs, info: parseInfo(String(text)) };
    } catch (err) {
      throw describe(err, where, target, signal);
    }
  } finally {
    signal.removeEventListener('abort', abort);
    abort();
  }
}

function describe(err: unknown, where: string, target: RedisTarget, signal: AbortSignal): RedisProbeError {
  const raw = err instanceof Error ? err.message : String(err);
  const message = target.password ? raw.split(target.password).join('***') : raw;
  const code = (err as { code?: string })?.code;
  if (signal.aborted) return new RedisProbeError(`Redis at ${where} did not answer in time`, 'timeout');
  if (/WRONGPASS|NOAUTH|invalid username-password|AUTH failed|NOPERM/i.test(message))
    return new RedisProbeError(
      `Redis at ${where} refused the credentials of user ${JSON.stringify(target.username ?? 'default')} (${message.split('\n')[0]}): check the username and password`,
      'auth',
    );
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message))
    return new RedisProbeError(
      `Redis at ${where} refused the connection: nothing is listening there`,
      'unreachable',
    );
  if (/timeout/i.test(message) || code === 'ETIMEDOUT')
    return new RedisProbeError(
      `Redis at ${where} did not accept a connection in time (${message})`,
      'timeout',
    );
  if (/certificate|self[- ]signed|SSL|TLS|EPROTO/i.test(message))
    return new RedisProbeError(`Redis at ${where}: TLS failed (${message}); check tls and tls-ca`, 'refused');
  return new RedisProbeError(`Redis at ${where}: ${message}`, 'unreachable');
}
