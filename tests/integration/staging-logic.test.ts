import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bundleHash,
  canonicalJson,
  verifySignedBundle,
  type Bundle,
} from '../../examples/staging/services/lib/constitution.js';
import { loadOrCreateKey, signBundle } from '../../examples/staging/services/constitution/signing.js';
import { ConstitutionStore } from '../../examples/staging/services/constitution/store.js';
import { evaluate } from '../../examples/staging/services/policy-engine/scoring.js';
import { replyFor, tokens } from '../../examples/staging/services/orchestrator/conversation.js';
import { TrainingModes } from '../../examples/staging/services/orchestrator/training.js';
import { parseTrafficOptions } from '../../examples/staging/traffic/options.js';
import { needsServers } from '../support/servers.js';

needsServers();

// The staging system's pure parts: scoring, canonical signing, storage limits, training mode and the
// traffic generator's options.

const bundle: Bundle = {
  tenant: 'acme',
  version: 3,
  threshold: 0.5,
  rules: [
    {
      id: 'no-credentials',
      description: 'x',
      keywords: ['password', 'api key'],
      weight: 0.7,
      severity: 'high',
    },
    { id: 'personal-data', description: 'x', keywords: ['credit card'], weight: 0.4, severity: 'medium' },
  ],
  role_modifiers: { guest: 0.2, user: 0, operator: -0.1, admin: -0.2 },
  updated_at: '2026-05-06T12:00:00.000Z',
  updated_by: 'test',
};

describe('policy scoring', () => {
  it('adds matched rule weights and the role modifier, rounded like the engine answers', () => {
    const hash = bundleHash(bundle);
    expect(evaluate(bundle, hash, { prompt: 'the admin password', role: 'user' })).toEqual({
      allowed: false,
      score: 0.7,
      severity: 'high',
      reasons: {
        constitution_hash: hash,
        constitution_version: 3,
        policy: 'no-credentials',
        matched_rules: ['no-credentials'],
      },
    });
    // 0.7 - 0.2 is 0.49999999999999994 in floating point; rounded it is 0.5, which reaches the threshold.
    expect(evaluate(bundle, hash, { prompt: 'password', role: 'admin' })).toMatchObject({
      score: 0.5,
      allowed: false,
    });
    expect(evaluate(bundle, hash, { prompt: 'Credit-Card!', role: 'operator' })).toMatchObject({
      score: 0.3,
      allowed: true,
      severity: 'medium',
    });
    expect(evaluate(bundle, hash, { prompt: 'apikey or passwords', role: 'user' })).toMatchObject({
      score: 0,
      allowed: true,
      severity: 'none',
      reasons: { policy: 'default', matched_rules: [] },
    });
    expect(evaluate(bundle, hash, { prompt: 'password and credit card', role: 'guest' }).score).toBe(1);
  });
});

describe('constitution signing', () => {
  it('canonical JSON sorts keys at every level and drops nothing else', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: null }], c: 'é' } })).toBe(
      '{"a":{"c":"é","d":[2,{"y":null,"z":1}]},"b":1}',
    );
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(/non-finite/);
  });

  it('signs with a key kept in the state folder and detects any change to the bundle', () => {
    const dir = mkdtempSync(join(tmpdir(), 'staging-keys-'));
    const key = loadOrCreateKey(dir);
    expect(loadOrCreateKey(dir).keyId).toBe(key.keyId);
    const signed = signBundle(bundle, key);
    expect(verifySignedBundle(signed, key.publicPem)).toBeUndefined();
    expect(verifySignedBundle({ ...signed, bundle: { ...bundle, threshold: 0.9 } }, key.publicPem)).toBe(
      'the Ed25519 signature does not match the bundle',
    );
    expect(verifySignedBundle({ ...signed, hash: '0'.repeat(64) }, key.publicPem)).toMatch(
      /^hash 0+ does not match/,
    );
    const other = loadOrCreateKey(mkdtempSync(join(tmpdir(), 'staging-keys-')));
    expect(verifySignedBundle(signed, other.publicPem)).toMatch(
      /^signed by key [0-9a-f]{16}, expected [0-9a-f]{16}$/,
    );
  });
});

describe('constitution store', () => {
  it('persists versions and drops the least recently updated extra tenants, never the seeded ones', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'staging-store-')), 'store.json');
    const store = new ConstitutionStore(path, 6);
    expect(store.tenants()).toEqual(['acme', 'globex', 'initech', 'umbrella']);
    const draft = { threshold: 0.5, rules: [], updated_by: 't' };
    expect(store.put('t-one', draft).created).toBe(true);
    expect(store.put('t-one', draft)).toMatchObject({ created: false, bundle: { version: 2 } });
    store.put('t-two', draft);
    store.put('t-one', draft);
    store.put('t-three', draft);
    expect(store.tenants()).toEqual(['acme', 'globex', 'initech', 't-one', 't-three', 'umbrella']);
    const reopened = new ConstitutionStore(path, 6);
    expect(reopened.get('t-one')!.version).toBe(3);
    expect(JSON.parse(readFileSync(path, 'utf8')).bundles).toHaveLength(6);
  });
});

describe('orchestrator state', () => {
  it('training mode has one holder at a time and counts samples only while on', () => {
    const t = new TrainingModes();
    expect(t.capture('acme')).toBe(false);
    expect(t.enable('acme', 'alice').applied).toBe(true);
    const second = t.enable('acme', 'bob');
    expect(second).toMatchObject({ applied: false, state: { enabled_by: 'alice' } });
    expect(t.capture('acme')).toBe(true);
    expect(t.status('acme').samples).toBe(1);
    expect(t.disable('acme').applied).toBe(true);
    expect(t.disable('acme')).toMatchObject({
      applied: false,
      reason: 'training mode of acme is not enabled',
    });
  });

  it('stream tokens put back together are the reply', () => {
    const reply = replyFor('  Summarise   the notes?  ', 4);
    expect(reply.startsWith('Step 4: you asked about "Summarise the notes".')).toBe(true);
    expect(tokens(reply).join('')).toBe(reply);
  });
});

describe('traffic options', () => {
  it('has defaults and refuses bad values naming the option', () => {
    expect(parseTrafficOptions([])).toMatchObject({
      rate: 5,
      duration: 60,
      quietTopics: [],
      stallTopic: 'conversation.events',
      constitutionEvery: 20,
    });
    expect(
      parseTrafficOptions([
        '--quiet-topic',
        'training.audit',
        '--quiet-topic',
        'training.audit',
        '--stall-group',
        'g1',
      ]),
    ).toMatchObject({ quietTopics: ['training.audit'], stallGroup: 'g1' });
    expect(() => parseTrafficOptions(['--duration=-1'])).toThrow(
      '--duration "-1" is not allowed: give a number from 0 to 604800',
    );
    expect(() => parseTrafficOptions(['--tenants', 'Acme'])).toThrow(/--tenants "Acme" is not allowed/);
    expect(() => parseTrafficOptions(['--stall-group', 'a b'])).toThrow(/--stall-group "a b" is not allowed/);
    expect(() => parseTrafficOptions(['--speed', '3'])).toThrow(/Unknown option '--speed'/);
  });
});
