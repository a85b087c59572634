import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// Every address has a fixed local default and an environment override (the Helm chart sets them).

export const SERVICE_NAMES = ['policy-engine', 'constitution', 'orchestrator'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const DEFAULT_PORTS: Record<ServiceName, number> = {
  'policy-engine': 18081,
  constitution: 18082,
  orchestrator: 18083,
};

const PORT_VARS: Record<ServiceName, string> = {
  'policy-engine': 'POLICY_ENGINE_PORT',
  constitution: 'CONSTITUTION_PORT',
  orchestrator: 'ORCHESTRATOR_PORT',
};

const URL_VARS: Record<ServiceName, string> = {
  'policy-engine': 'POLICY_ENGINE_URL',
  constitution: 'CONSTITUTION_URL',
  orchestrator: 'ORCHESTRATOR_URL',
};

function intFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new Error(`${name}=${JSON.stringify(raw)} is not a port number (1-65535)`);
  return n;
}

export function servicePort(name: ServiceName, env: NodeJS.ProcessEnv = process.env): number {
  return intFromEnv(PORT_VARS[name], DEFAULT_PORTS[name], env);
}

export function serviceUrl(name: ServiceName, env: NodeJS.ProcessEnv = process.env): string {
  return (env[URL_VARS[name]] ?? `http://127.0.0.1:${servicePort(name, env)}`).replace(/\/$/, '');
}

export function listenHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.STAGING_HOST ?? '127.0.0.1';
}

export function kafkaBrokers(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.KAFKA_BROKERS ?? '127.0.0.1:19092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
}

/** Where services keep state (keys, stored constitutions): STAGING_STATE, else <repo>/.stack/staging. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STAGING_STATE) return resolve(env.STAGING_STATE);
  if (env.STACK_STATE) return join(resolve(env.STACK_STATE), 'staging');
  // Walk up from this file (source or bundle) to the repository root, recognised by its package.json.
  let dir = dirname(new URL(import.meta.url).pathname);
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'examples/staging')))
      return join(dir, '.stack/staging');
    dir = dirname(dir);
  }
  return resolve('.stack/staging');
}

/** A secret from a file (the stack writes them 0600 under $STACK_STATE); never from the command line. */
function secretFrom(env: NodeJS.ProcessEnv, fileVar: string, fallbackFile: string): string {
  const path = env[fileVar] ?? fallbackFile;
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new Error(
      `${fileVar}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); start the stack's stores first (bash stack/stack.sh up redis postgres)`,
    );
  }
}

/** Where the orchestrator keeps sessions: the stack's Redis primary, as the ACL user cc-app. */
export function redisConfig(env: NodeJS.ProcessEnv = process.env) {
  const user = env.REDIS_USER ?? 'cc-app';
  return {
    host: env.REDIS_HOST ?? '127.0.0.1',
    port: intFromEnv('REDIS_PORT', 16379, env),
    username: user,
    password: secretFrom(env, 'REDIS_PASSWORD_FILE', join(dirname(stateDir(env)), 'redis/passwords', user)),
  };
}

/** Where the policy engine writes its decision audit: the stack's PostgreSQL primary, as cc_app. */
export function postgresConfig(env: NodeJS.ProcessEnv = process.env) {
  const user = env.PG_USER ?? 'cc_app';
  return {
    host: env.PG_HOST ?? '127.0.0.1',
    port: intFromEnv('PG_PORT', 15432, env),
    database: env.PG_DATABASE ?? 'staging',
    user,
    password: secretFrom(env, 'PG_PASSWORD_FILE', join(dirname(stateDir(env)), 'postgres/passwords', user)),
  };
}
