import { connect } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_DIR } from './paths.js';

/** Where the local stack's servers listen (the same defaults and overrides as stack/stack.sh). */
export const STACK = {
  kafka: `127.0.0.1:${process.env.KAFKA_PORT ?? '19092'}`,
  kafkaSasl: `127.0.0.1:${process.env.KAFKA_SASL_PORT ?? '19094'}`,
  kafkaSsl: `127.0.0.1:${process.env.KAFKA_SSL_PORT ?? '19095'}`,
  kafkaCaPath: join(STATE_DIR, 'kafka/tls/ca.pem'),
  scramUser: process.env.KAFKA_SCRAM_USER ?? 'cc-checker',
  scramPassword: process.env.KAFKA_SCRAM_PASSWORD ?? 'cc-local-scram-pw-7f3a',
  kafka39: `127.0.0.1:${process.env.KAFKA39_PORT ?? '29092'}`,
  prometheus: `http://127.0.0.1:${process.env.PROMETHEUS_PORT ?? '19090'}`,
  gitOrigin: process.env.GIT_ORIGIN ?? join(STATE_DIR, 'git/origin.git'),
  /** Gitea; `requireForge()` (tests/support/forge.ts) also hands out its admin token. */
  forge: `http://127.0.0.1:${process.env.FORGE_PORT ?? '13000'}`,
};

function tcpOpen(hostPort: string, timeoutMs = 1500): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host: host!, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Fails (never skips) with the command that starts the missing server. */
export async function requireServer(name: keyof typeof STACK, component = name as string): Promise<string> {
  const address = STACK[name];
  const hostPort = address.replace(/^https?:\/\//, '');
  if (!(await tcpOpen(hostPort))) {
    throw new Error(
      `${name} is not answering on ${address}. Start the local stack first: \`npm run stack:up\` (or \`bash stack/stack.sh up ${component}\`).`,
    );
  }
  return address;
}

export function requireGitOrigin(): string {
  if (!existsSync(join(STACK.gitOrigin, 'HEAD'))) {
    throw new Error(
      `The stack's bare git origin is missing at ${STACK.gitOrigin}. Start the local stack first: \`npm run stack:up\`.`,
    );
  }
  return STACK.gitOrigin;
}

/** The throwaway broker failure tests may kill; started on demand through the stack script. */
export const SCRATCH_KAFKA = `127.0.0.1:${process.env.KAFKA_SCRATCH_PORT ?? '39192'}`;
