import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ConfigurationError, InputError } from '../errors.js';
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
