import { beforeAll } from 'vitest';
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
  /** Redis and PostgreSQL with their replicas, Alertmanager: addresses, users and passwords in tests/support/infra.ts. */
  redis: `127.0.0.1:${process.env.REDIS_PORT ?? '16379'}`,
  redisReplica: `127.0.0.1:${process.env.REDIS_REPLICA_PORT ?? '16380'}`,
  postgres: `127.0.0.1:${process.env.PG_PORT ?? '15432'}`,
  postgresStandby: `127.0.0.1:${process.env.PG_STANDBY_PORT ?? '15433'}`,
  alertmanager: `http://127.0.0.1:${process.env.ALERTMANAGER_PORT ?? '19193'}`,
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

/** The stack's servers a test file can depend on, by the stack component that starts each. */
export type ServerName =
  | 'kafka'
  | 'kafka39'
  | 'prometheus'
  | 'git'
  | 'staging'
  | 'kube'
  | 'forge'
  | 'redis'
  | 'redis-replica'
  | 'postgres'
  | 'postgres-standby'
  | 'alertmanager';

const STAGING_PORTS = [
  process.env.POLICY_ENGINE_PORT ?? '18081',
  process.env.CONSTITUTION_PORT ?? '18082',
  process.env.ORCHESTRATOR_PORT ?? '18083',
];

async function isUp(name: ServerName): Promise<boolean> {
  switch (name) {
    case 'kafka':
      return tcpOpen(STACK.kafka);
    case 'kafka39':
      return tcpOpen(STACK.kafka39);
    case 'prometheus':
      return tcpOpen(STACK.prometheus.replace(/^https?:\/\//, ''));
    case 'git':
      return existsSync(join(STACK.gitOrigin, 'HEAD'));
    case 'staging':
      return (await Promise.all(STAGING_PORTS.map((p) => tcpOpen(`127.0.0.1:${p}`)))).every(Boolean);
    case 'kube':
      return tcpOpen(`127.0.0.1:${process.env.KUBE_APISERVER_PORT ?? '16443'}`);
    case 'forge':
      return tcpOpen(`127.0.0.1:${process.env.FORGE_PORT ?? '13000'}`);
    case 'redis':
      return tcpOpen(STACK.redis);
    case 'redis-replica':
      return tcpOpen(STACK.redisReplica);
    case 'postgres':
      return tcpOpen(STACK.postgres);
    case 'postgres-standby':
      return tcpOpen(STACK.postgresStandby);
    case 'alertmanager':
      return tcpOpen(STACK.alertmanager.replace(/^https?:\/\//, ''));
  }
}

/**
 * Names, in one place at the top of a test file, the servers of the stack its tests talk to. When
 * one is not answering, every test of the file fails (never skips) with the command that starts it.
 * `needsServers()` with no name says the file needs none.
 */
export function needsServers(...names: ServerName[]): void {
  if (names.length === 0) return;
  beforeAll(async () => {
    const down: ServerName[] = [];
    for (const name of names) if (!(await isUp(name))) down.push(name);
    if (down.length > 0) {
      throw new Error(
        `This test file needs ${down.join(', ')} of the local stack, not answering now. Start it: ` +
          `\`npm run stack:up\` (or \`bash stack/stack.sh up ${down.join(' ')}\`).`,
      );
    }
  }, 60_000);
}
