import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, InputError } from '../../src/lib/errors.js';
import {
  chooseCredentials,
  kafkaSecurity,
  kafkaSecurityInputs,
} from '../../src/lib/inputs/kafka-security.js';
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

describe("cluster-credentials: each cluster's own SASL credentials from one secret", () => {
  const shared = { username: 'shared-user', password: 'shared-pw' };
  const mapping = JSON.stringify({
    main: { username: 'main-user', password: 'main-Pa55word' },
    'eu-west': { username: 'eu-user', password: 'eu-Pa55word' },
  });

  it("the named cluster's entry wins over username and password; every password is to be masked", () => {
    expect(chooseCredentials({ ...shared, clusterCredentials: mapping }, 'eu-west')).toEqual({
      username: 'eu-user',
      password: 'eu-Pa55word',
      from: 'cluster-credentials',
      secrets: ['main-Pa55word', 'eu-Pa55word'],
    });
  });

  it('YAML works as well as JSON', () => {
    const yaml = 'main:\n  username: main-user\n  password: "main: pw #1"\n';
    expect(chooseCredentials({ clusterCredentials: yaml }, 'main')).toMatchObject({
      username: 'main-user',
      password: 'main: pw #1',
    });
  });

  it('a cluster it does not list, no cluster, or no mapping: username and password', () => {
    for (const [creds, cluster] of [
      [mapping, 'legacy'],
      [mapping, undefined],
      ['', 'main'],
      [undefined, 'main'],
    ] as const) {
      expect(chooseCredentials({ ...shared, clusterCredentials: creds }, cluster)).toMatchObject({
        ...shared,
        from: 'username/password',
      });
    }
  });

  it('a malformed mapping is refused naming the input and the cluster, never showing a value', () => {
    const cases: [string, RegExp][] = [
      ['{"main": {"username": "u", "password": "s3cret-value"', /does not parse/],
      ['- s3cret-value', /expected a mapping of cluster names/],
      ['{"main": {"username": "u"}, "eu": "s3cret-value"}', /cluster "main" needs a non-empty password/],
      ['{"main": {"username": "u", "password": ""}}', /cluster "main" needs a non-empty password/],
      [
        '{"main": {"username": "u", "password": "s3cret-value", "token": "s3cret-value"}}',
        /cluster "main" has "token": only username and password are allowed/,
      ],
    ];
    for (const [text, message] of cases) {
      let err: unknown;
      try {
        chooseCredentials({ clusterCredentials: text }, 'main');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigurationError);
      const m = (err as Error).message;
      expect(m).toMatch(/^input 'cluster-credentials' \(its value is not shown: it is a secret\): /);
      expect(m).toMatch(message);
      expect(m).not.toContain('s3cret-value');
    }
  });

  it('kafka-topic-check declares it as a secret', () => {
    expect(kafkaTopicCheck.inputs['cluster-credentials'].secret).toBe(true);
  });
});
