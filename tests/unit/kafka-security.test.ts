import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, InputError } from '../../src/lib/errors.js';
import { kafkaSecurity, kafkaSecurityInputs } from '../../src/lib/inputs/kafka-security.js';
import { metadata as contractRecord } from '../../src/actions/contract-record/metadata.js';
import { metadata as kafkaTopicCheck } from '../../src/actions/kafka-topic-check/metadata.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const none = { saslMechanism: 'none' as const, ssl: false };

describe('kafkaSecurity: SASL and TLS options from the shared inputs', () => {
  it('both actions that reach Kafka declare the same security inputs, the password secret', () => {
    for (const m of [contractRecord, kafkaTopicCheck])
      for (const [name, spec] of Object.entries(kafkaSecurityInputs))
        expect(m.inputs[name as never]).toBe(spec);
    expect(kafkaSecurityInputs.password.secret).toBe(true);
  });

  it('no security: neither sasl nor ssl', () => {
    expect(kafkaSecurity(none, '/ws')).toEqual({});
  });

  it('a mechanism with credentials becomes the SASL options', () => {
    expect(
      kafkaSecurity({ ...none, saslMechanism: 'scram-sha-256', username: 'u', password: 'p' }, '/ws'),
    ).toEqual({ sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' } });
  });

  it('a mechanism without a username or password names the missing input', () => {
    const noUser = () => kafkaSecurity({ ...none, saslMechanism: 'plain', password: 'p' }, '/ws');
    expect(noUser).toThrow(InputError);
    expect(noUser).toThrow(/username.*required when sasl-mechanism is plain/);
    const noPassword = () => kafkaSecurity({ ...none, saslMechanism: 'plain', username: 'u' }, '/ws');
    expect(noPassword).toThrow(ConfigurationError);
    expect(noPassword).toThrow("input 'password' is empty");
  });

  it('TLS trusts the system CAs, PEM content, or a PEM file relative to the workspace', () => {
    expect(kafkaSecurity({ ...none, ssl: true }, '/ws')).toEqual({ ssl: true });
    expect(kafkaSecurity({ ...none, ssl: true, sslCa: PEM }, '/ws')).toEqual({ ssl: { ca: [PEM] } });
    const ws = mkdtempSync(join(tmpdir(), 'cc-kafka-ca-'));
    writeFileSync(join(ws, 'ca.pem'), PEM);
    expect(kafkaSecurity({ ...none, ssl: true, sslCa: 'ca.pem' }, ws)).toEqual({ ssl: { ca: [PEM] } });
  });

  it('a CA without TLS, or a CA file that does not exist, is refused naming ssl-ca', () => {
    expect(() => kafkaSecurity({ ...none, sslCa: PEM }, '/ws')).toThrow(/ssl-ca is only used with ssl: true/);
    expect(() => kafkaSecurity({ ...none, ssl: true, sslCa: 'missing.pem' }, '/nowhere')).toThrow(
      /ssl-ca.*missing\.pem.*expected PEM content or the path of an existing PEM file/,
    );
  });
});
