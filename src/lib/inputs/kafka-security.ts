import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigurationError, InputError, quote } from '../errors.js';
import type { KafkaConnection } from '../kafka/connection.js';
import { boolean, oneOf, string } from './spec.js';

/**
 * How an action reaches a secured Kafka cluster: SASL and TLS. Every action that talks to Kafka
 * declares these same inputs, so a workflow passes the same secrets and settings to each.
 */
export const kafkaSecurityInputs = {
  'sasl-mechanism': oneOf(['none', 'plain', 'scram-sha-256', 'scram-sha-512'] as const, {
    default: 'none',
    description: 'SASL mechanism.',
  }),
  username: string({ description: 'SASL username.' }),
  password: string({ secret: true, description: 'SASL password (masked; never written anywhere).' }),
  ssl: boolean({ default: false, description: 'Connect with TLS.' }),
  'ssl-ca': string({ description: 'CA certificate for TLS: PEM content or a path to a PEM file.' }),
};

/** The parsed values of `kafkaSecurityInputs`, as `readInputs` names them. */
export interface KafkaSecurityValues {
  saslMechanism: 'none' | 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username?: string | undefined;
  password?: string | undefined;
  ssl: boolean;
  sslCa?: string | undefined;
}

/**
 * The SASL and TLS options of a Kafka connection, from the security inputs; cross-field rules live
 * here (a mechanism needs a username and a password, a CA needs TLS). Pure but for reading a CA file.
 */
export function kafkaSecurity(
  inputs: KafkaSecurityValues,
  workspace: string,
): Pick<KafkaConnection, 'sasl' | 'ssl'> {
  const out: Pick<KafkaConnection, 'sasl' | 'ssl'> = {};
  if (inputs.saslMechanism !== 'none') {
    if (!inputs.username)
      throw new InputError(
        'username',
        '',
        `a username is required when sasl-mechanism is ${inputs.saslMechanism}`,
      );
    if (!inputs.password)
      throw new ConfigurationError(
        `input 'password' is empty: a password is required when sasl-mechanism is ${inputs.saslMechanism}`,
      );
    out.sasl = { mechanism: inputs.saslMechanism, username: inputs.username, password: inputs.password };
  }
  if (inputs.ssl) out.ssl = inputs.sslCa ? { ca: [readCa(inputs.sslCa, workspace)] } : true;
  else if (inputs.sslCa)
    throw new InputError(
      'ssl-ca',
      '(a CA)',
      'ssl-ca is only used with ssl: true; set ssl: true or remove ssl-ca',
    );
  return out;
}

function readCa(value: string, workspace: string): string {
  if (value.includes('-----BEGIN')) return value;
  const path = isAbsolute(value) ? value : resolve(workspace, value);
  if (!existsSync(path))
    throw new InputError('ssl-ca', value, 'expected PEM content or the path of an existing PEM file');
  return readFileSync(path, 'utf8');
}

/** The SASL credentials a check uses, and where they came from (said in the log, never the values). */
export interface ChosenCredentials {
  username?: string | undefined;
  password?: string | undefined;
  /** `cluster-credentials` when the cluster's own entry was used. */
  from: 'cluster-credentials' | 'username/password';
  /** Every password the mapping holds: masked before anything can print one. */
  secrets: string[];
}

/**
 * Picks the cluster's own credentials from `cluster-credentials`, else `username` and `password`.
 * Errors name the input, the cluster and the key, never a value. Pure.
 */
export function chooseCredentials(
  inputs: Pick<KafkaSecurityValues, 'username' | 'password'> & { clusterCredentials?: string | undefined },
  cluster: string | undefined,
): ChosenCredentials {
  const shared: ChosenCredentials = {
    username: inputs.username,
    password: inputs.password,
    from: 'username/password',
    secrets: [],
  };
  if (!inputs.clusterCredentials?.trim()) return shared;
  // Its value is a secret: an error names the input, the cluster and the key, never what it holds.
  const bad = (why: string) =>
    new ConfigurationError(`input 'cluster-credentials' (its value is not shown: it is a secret): ${why}`);
  let doc: unknown;
  try {
    doc = parseYaml(inputs.clusterCredentials, { uniqueKeys: true, maxAliasCount: 0, strict: true });
  } catch {
    throw bad('expected a YAML or JSON mapping of cluster names to {username, password}; it does not parse');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw bad(
      'expected a mapping of cluster names to {username, password}, e.g. {"eu-west": {"username": "checker", "password": "..."}}',
    );
  const entries = Object.entries(doc as Record<string, unknown>);
  const secrets: string[] = [];
  let own: { username: string; password: string } | undefined;
  for (const [name, entry] of entries) {
    const e = entry as Record<string, unknown> | null;
    const wrong = ['username', 'password'].filter((k) => typeof e?.[k] !== 'string' || !e[k]);
    if (!e || typeof e !== 'object' || Array.isArray(e) || wrong.length)
      throw bad(
        `the entry of cluster ${quote(name)} needs a non-empty ${wrong.join(' and ') || 'username and password'}`,
      );
    const extra = Object.keys(e).filter((k) => k !== 'username' && k !== 'password');
    if (extra.length)
      throw bad(
        `the entry of cluster ${quote(name)} has ${extra.map((k) => quote(k)).join(', ')}: only username and password are allowed`,
      );
    secrets.push(e.password as string);
    if (name === cluster) own = { username: e.username as string, password: e.password as string };
  }
  if (!own) return { ...shared, secrets };
  return { ...own, from: 'cluster-credentials', secrets };
}
