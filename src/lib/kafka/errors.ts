import { ConfigurationError } from '../errors.js';
import type { KafkaConnection } from './connection.js';

/** A Kafka failure that is about the cluster or the network, not the user's inputs. */
export class KafkaUnavailableError extends Error {
  override readonly name = 'KafkaUnavailableError';
}

/**
 * Turns kafkajs errors into messages a person can act on. Authentication failures are the
 * user's to fix (wrong credentials); unreachable brokers are outages. Never includes the password.
 */
export function describeKafkaError(err: unknown, conn: KafkaConnection): Error {
  if (err instanceof ConfigurationError || err instanceof KafkaUnavailableError) return err;
  const e = err as {
    name?: string;
    message?: string;
    type?: string;
    originalError?: { message?: string; code?: string };
    code?: string;
  };
  const name = e?.name ?? '';
  const message = e?.message ?? String(err);
  const brokers = conn.brokers.join(', ');
  if (
    name === 'KafkaJSSASLAuthenticationError' ||
    /SASL .*authentication failed|Authentication failed/i.test(message)
  ) {
    return new ConfigurationError(
      `authentication failed at ${brokers} for user ${JSON.stringify(conn.sasl?.username ?? '')} with mechanism ${conn.sasl?.mechanism ?? 'none'}: check 'username' and 'password' (the broker said: ${redactPassword(message, conn)})`,
    );
  }
  if (
    name === 'KafkaJSConnectionError' ||
    name === 'KafkaJSNonRetriableError' ||
    name === 'KafkaJSNumberOfRetriesExceeded' ||
    name === 'KafkaJSConnectionClosedError' ||
    name === 'KafkaJSRequestTimeoutError'
  ) {
    const cause = e.originalError?.message ?? message;
    const cert = /certificate|self[- ]signed|SSL|TLS/i.test(cause) ? ' (TLS: check ssl and ssl-ca)' : '';
    return new KafkaUnavailableError(
      `cannot reach Kafka at ${brokers}: ${redactPassword(cause, conn)}${cert}`,
    );
  }
  const out = new KafkaUnavailableError(
    `Kafka request failed at ${brokers}: ${redactPassword(message, conn)}`,
  );
  return out;
}

function redactPassword(text: string, conn: KafkaConnection): string {
  const pw = conn.sasl?.password;
  return pw ? text.split(pw).join('***') : text;
}
