import { describe, expect, it } from 'vitest';
import {
  applyWaivers,
  parseWaivers,
  waiverCovers,
  type Waiver,
} from '../../src/actions/design-drift/waivers.js';
import {
  buildAnnotations,
  decide,
  group,
  renderSummary,
  type Finding,
} from '../../src/actions/design-drift/report.js';
import { pairContracts } from '../../src/actions/design-drift/match.js';
import type { Contract } from '../../src/lib/contracts/diff.js';

const finding = (over: Partial<Finding>): Finding => ({
  rule: 'openapi.response.property.removed',
  level: 'breaking',
  direction: 'response',
  message: 'response 200 application/json › name: property removed',
  file: 'specs/users.yaml',
  pointer: '/components/schemas/User/properties',
  line: 12,
  operation: 'GET /users/{id}',
  against: 'recorded',
  ...over,
});

const waiver = (over: Partial<Waiver>): Waiver => ({
  rule: 'openapi.response.property.removed',
  path: 'GET /users/{id}',
  reason: 'clients migrated',
  owner: 'Experience & Ecosystem',
  expires: '2026-03-01',
  ...over,
});

describe('waivers', () => {
  it('parses a list and names the file and entry when one is incomplete', () => {
    expect(
      parseWaivers(
        '- rule: a.b\n  path: /x\n  reason: because\n  owner: me\n  expires: 2026-01-31\n',
        'w.yaml',
      ),
    ).toHaveLength(1);
    expect(
      parseWaivers(
        'waivers:\n  - rule: a.b\n    path: /x\n    reason: because\n    owner: me\n    expires: 2026-01-31\n',
        'w.yaml',
      ),
    ).toHaveLength(1);
    expect(() =>
      parseWaivers('- rule: a.b\n  path: /x\n  reason: because\n  expires: 2026-01-31\n', 'w.yaml'),
    ).toThrow(/w\.yaml is invalid at \/0.*owner/);
    expect(() =>
      parseWaivers(
        '- rule: a.b\n  path: /x\n  reason: because\n  owner: me\n  expires: 2026-02-30\n',
        'w.yaml',
      ),
    ).toThrow(/not a calendar date/);
  });

  it('covers by operation, pointer prefix, file and file#pointer, with rule globs', () => {
    const c = finding({});
    expect(waiverCovers(waiver({}), c)).toBe(true);
    expect(waiverCovers(waiver({ path: '/components/schemas/User' }), c)).toBe(true);
    expect(waiverCovers(waiver({ path: '/components/schemas/Use' }), c)).toBe(false);
    expect(waiverCovers(waiver({ path: 'specs/users.yaml' }), c)).toBe(true);
    expect(waiverCovers(waiver({ path: 'specs/users.yaml#/components/schemas/User' }), c)).toBe(true);
    expect(waiverCovers(waiver({ path: 'specs/other.yaml#/components/schemas/User' }), c)).toBe(false);
    expect(waiverCovers(waiver({ rule: 'openapi.response.*' }), c)).toBe(true);
    expect(waiverCovers(waiver({ rule: 'openapi.request.*' }), c)).toBe(false);
    expect(waiverCovers(waiver({ path: 'POST /users' }), c)).toBe(false);
  });

  it('silences a finding through its expiry day and fails the check the day after', () => {
    const w = waiver({ expires: '2026-03-01' });
    const on = [finding({})];
    const until = applyWaivers(on, [w], '2026-03-01');
    expect(on[0]!.waivedBy).toBe(w);
    expect(decide(on, 'breaking', until, undefined)).toMatchObject({
      failed: false,
      counts: { breaking: 0, waived: 1 },
    });

    const after = [finding({})];
    const expired = applyWaivers(after, [w], '2026-03-02');
    expect(after[0]!.waivedBy).toBeUndefined();
    const d = decide(after, 'breaking', expired, undefined);
    expect(d.failed).toBe(true);
    expect(d.reasons.join('\n')).toMatch(
      /waiver for openapi\.response\.property\.removed at GET \/users\/\{id\} \(owner Experience & Ecosystem\) expired on 2026-03-01/,
    );
  });

  it('reports waivers that matched nothing as unused', () => {
    const out = applyWaivers([finding({})], [waiver({ path: 'DELETE /users/{id}' })], '2026-01-01');
    expect(out.unused).toHaveLength(1);
    expect(out.used).toHaveLength(0);
  });
});

describe('fail-on, bypass label and annotations', () => {
  const none = { expired: [], refused: [], used: [], unused: [] };
  it('fails on breaking only for fail-on breaking, on anything for any-drift, never for none', () => {
    const nb = [finding({ level: 'non-breaking', rule: 'openapi.response.property.added' })];
    expect(decide(nb, 'breaking', none, undefined).failed).toBe(false);
    expect(decide(nb, 'any-drift', none, undefined).failed).toBe(true);
    expect(decide([finding({})], 'none', none, undefined).failed).toBe(false);
    expect(decide([finding({})], 'breaking', none, undefined).failed).toBe(true);
  });

  it('the bypass label lets a failing check pass and the summary records it', () => {
    const f = [finding({})];
    const d = decide(f, 'breaking', none, 'contract-change-approved');
    expect(d).toMatchObject({ failed: false, bypassed: true });
    const md = renderSummary({
      findings: f,
      documents: [],
      recordedDir: 'docs/design/contracts/2026-01-12',
      failOn: 'breaking',
      decision: d,
      waivers: none,
      bypassLabel: 'contract-change-approved',
      who: {},
    });
    expect(md).toContain('Bypass used');
    expect(md).toContain('contract-change-approved');
    expect(buildAnnotations(f, 'breaking', d, {})[0]!.level).toBe('warning');
  });

  it('groups one change under many operations into one row and one annotation on its line', () => {
    const f = ['GET /a', 'GET /b', 'POST /c', 'PUT /d'].map((operation) => finding({ operation }));
    expect(group(f)).toHaveLength(1);
    const ann = buildAnnotations(f, 'breaking', decide(f, 'breaking', none, undefined), {
      owner: 'Governance Core',
      runbook: 'docs/runbooks/contracts.md',
    });
    expect(ann).toHaveLength(1);
    expect(ann[0]).toMatchObject({ level: 'error', file: 'specs/users.yaml', line: 12 });
    expect(ann[0]!.message).toContain('GET /a, GET /b, POST /c and 1 more');
    expect(ann[0]!.message).toContain('owner: Governance Core');
  });
});

describe('pairing declared with recorded contracts', () => {
  const c = (name: string, kind: 'openapi' | 'asyncapi', title?: string) =>
    ({
      set: { entry: { name } },
      info: { kind, title, version: '3.0.3', apiVersion: '1' },
    }) as unknown as Contract;
  it('pairs by title first, then by the longest shared path tail, never across kinds', () => {
    const recorded = [
      c('rec/policy-engine/openapi.json', 'openapi', 'Policy Engine'),
      c('rec/constitution/openapi.json', 'openapi', 'Constitution'),
      c('rec/policy-engine/asyncapi.json', 'asyncapi', 'Policy Engine'),
    ];
    const [byTitle, byPath, ambiguous, none] = pairContracts(
      [
        c('specs/pe.yaml', 'openapi', 'policy engine'),
        c('specs/constitution/openapi.json', 'openapi', 'Renamed'),
        c('specs/openapi.json', 'openapi', 'Unknown'),
        c('specs/x.yaml', 'asyncapi', 'Other'),
      ],
      recorded,
    );
    expect(byTitle).toMatchObject({ matchedBy: 'title', recorded: recorded[0] });
    expect(byPath).toMatchObject({ matchedBy: 'file name', recorded: recorded[1] });
    expect(ambiguous).toMatchObject({ matchedBy: 'none' });
    expect(none).toMatchObject({ matchedBy: 'none' });
  });
});

describe('the action README', () => {
  it('documents every rule id of the catalogue', async () => {
    const { readFileSync } = await import('node:fs');
    const { RULES } = await import('../../src/lib/contracts/rules.js');
    const readme = readFileSync(new URL('../../actions/design-drift/README.md', import.meta.url), 'utf8');
    const missing = RULES.map((r) => r.id).filter((id) => !readme.includes(`\`${id}\``));
    expect(missing).toEqual([]);
  });
});
