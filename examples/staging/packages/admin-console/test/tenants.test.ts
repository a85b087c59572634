import { describe, expect, it } from 'vitest';
import { tenantRow, tenantsTable, type SignedBundleView, type TrainingView } from '../src/tenants.js';

const now = new Date('2026-05-06T12:00:00Z');
const bundle = (tenant: string, version: number): SignedBundleView => ({
  tenant,
  version,
  hash: `${'ab'.repeat(31)}${String(version).padStart(2, '0')}`,
  bundle: {
    threshold: 0.5,
    rules: [{ id: 'a' }, { id: 'b' }],
    updated_at: '2026-05-06T11:58:00Z',
    updated_by: 'governance-bot',
  },
  signature: { key_id: '0123456789abcdef' },
});
const training = (tenant: string, enabled: boolean): TrainingView =>
  enabled
    ? { tenant, enabled, enabled_by: 'trainer-1', since: '2026-05-06T11:00:00Z', samples: 12 }
    : { tenant, enabled, enabled_by: null, since: null, samples: 0 };

describe('tenant views', () => {
  it('summarises a tenant in one row', () => {
    expect(tenantRow(bundle('acme', 7), training('acme', true), now)).toEqual({
      tenant: 'acme',
      version: 'v7',
      hash: 'abababababab',
      rules: '2',
      threshold: '50%',
      training: 'on (trainer-1, 1 h ago, 12 samples)',
      updated: '2 min ago by governance-bot',
    });
    expect(tenantRow(bundle('acme', 7), undefined, now).training).toBe('off');
  });

  it('refuses training state of another tenant', () => {
    expect(() => tenantRow(bundle('acme', 1), training('globex', false), now)).toThrow(
      /training state of globex given for tenant acme/,
    );
  });

  it('renders tenants sorted by name with their training state', () => {
    const text = tenantsTable(
      [bundle('globex', 2), bundle('acme', 3)],
      [training('globex', true), training('acme', false)],
      now,
    );
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^tenant\s+version\s+hash\s+rules\s+threshold\s+training\s+updated$/);
    expect(lines[2]).toMatch(/^acme\s+v3\s+.*\boff\b/);
    expect(lines[3]).toMatch(/^globex\s+v2\s+.*on \(trainer-1, 1 h ago, 12 samples\)/);
  });
});
