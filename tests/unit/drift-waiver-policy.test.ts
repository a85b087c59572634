import { describe, expect, it } from 'vitest';
import {
  applyWaivers,
  diffWaivers,
  waiverRefusal,
  type Waiver,
} from '../../src/actions/design-drift/waivers.js';
import {
  decide,
  renderSummary,
  waiverAnnotations,
  type Finding,
} from '../../src/actions/design-drift/report.js';
import { planDrift, type Inputs } from '../../src/actions/design-drift/inputs.js';
import { ConfigurationError } from '../../src/lib/errors.js';
import { GIT_REF_PATTERN } from '../../src/lib/inputs/common.js';
import { parseInputs } from '../../src/lib/inputs/spec.js';
import { metadata } from '../../src/actions/design-drift/metadata.js';

const TODAY = '2026-12-03';
const waiver = (over: Partial<Waiver> = {}): Waiver => ({
  rule: 'openapi.response.property.removed',
  path: 'GET /users/{id}',
  reason: 'clients migrated',
  owner: 'Experience & Ecosystem',
  expires: '2027-01-15',
  ...over,
});
const finding = (over: Partial<Finding> = {}): Finding => ({
  rule: 'openapi.response.property.removed',
  level: 'breaking',
  direction: 'response',
  message: 'name: property removed',
  file: 'specs/users.yaml',
  pointer: '/components/schemas/User/properties',
  line: 12,
  operation: 'GET /users/{id}',
  against: 'recorded',
  ...over,
});

describe('waiver policy', () => {
  it('refuses a bare * rule, whatever its path', () => {
    expect(waiverRefusal(waiver({ rule: '*' }), TODAY, 90)).toMatch(/^rule "\*" matches every rule/);
    expect(waiverRefusal(waiver({ rule: '*.*' }), TODAY, 90)).toMatch(/matches every rule/);
    expect(waiverRefusal(waiver({ rule: 'openapi.response.*' }), TODAY, 90)).toBeUndefined();
  });

  it('refuses a path that covers every document', () => {
    for (const path of ['/', '#/', ' / '])
      expect(waiverRefusal(waiver({ path }), TODAY, 90), path).toMatch(/covers every document/);
    for (const path of ['/components', 'specs/users.yaml', 'specs/users.yaml#/paths'])
      expect(waiverRefusal(waiver({ path }), TODAY, 90), path).toBeUndefined();
  });

  it('refuses a waiver that runs longer than the maximum, counting from today', () => {
    expect(waiverRefusal(waiver({ expires: '2027-03-03' }), TODAY, 90)).toBeUndefined(); // 90 days
    expect(waiverRefusal(waiver({ expires: '2027-03-04' }), TODAY, 90)).toBe(
      'expires 2027-03-04, 91 days after today (2026-12-03); a waiver may run at most 90 days (max-waiver-days)',
    );
    expect(waiverRefusal(waiver({ expires: '9999-12-31' }), TODAY, 90)).toMatch(
      /^expires 9999-12-31, \d+ days after today/,
    );
    expect(waiverRefusal(waiver({ expires: '2027-03-04' }), TODAY, 365)).toBeUndefined();
  });

  it('a refused waiver is not applied: the findings it would cover still fail the check', () => {
    const blanket = waiver({ rule: '*', path: '/', expires: '9999-12-31' });
    const findings = [finding()];
    const outcome = applyWaivers(findings, [blanket], TODAY, 90);
    expect(findings[0]!.waivedBy).toBeUndefined();
    expect(outcome.refused).toHaveLength(1);
    expect(outcome.refused[0]!.refused).toMatch(/matches every rule/);
    expect(outcome.used).toEqual([]);
    expect(decide(findings, 'breaking', outcome, undefined)).toMatchObject({
      failed: true,
      counts: { breaking: 1, waived: 0 },
    });
    const summary = renderSummary({
      findings,
      documents: [],
      recordedDir: 'r',
      failOn: 'breaking',
      decision: decide(findings, 'breaking', outcome, undefined),
      waivers: outcome,
      who: {},
    });
    expect(summary).toContain('🚫 refused, not applied: rule "*" matches every rule');
    expect(waiverAnnotations(outcome, undefined, 'waivers.yaml', undefined)).toEqual([
      expect.objectContaining({
        level: 'warning',
        file: 'waivers.yaml',
        title: 'design-drift: waiver refused',
      }),
    ]);
  });

  it('an allowed waiver still silences its finding, and an expired one is reported as expired, not refused', () => {
    const findings = [finding()];
    const outcome = applyWaivers(
      findings,
      [waiver(), waiver({ rule: '*', expires: '2026-12-01' })],
      TODAY,
      90,
    );
    expect(findings[0]!.waivedBy).toBeDefined();
    expect(outcome.expired).toHaveLength(1);
    expect(outcome.refused).toHaveLength(0);
  });
});

describe("the pull request's changes to the waivers", () => {
  it('lists added, removed and changed waivers, matched by rule and path', () => {
    const kept = waiver({ path: 'GET /a' });
    const moved = waiver({ path: 'GET /b' });
    const gone = waiver({ path: 'GET /c' });
    const fresh = waiver({ rule: '*', path: '/', expires: '9999-12-31' });
    const d = diffWaivers([kept, moved, gone], [kept, { ...moved, expires: '2027-02-01' }, fresh]);
    expect(d.added).toEqual([fresh]);
    expect(d.removed).toEqual([gone]);
    expect(d.changed).toEqual([{ before: moved, after: { ...moved, expires: '2027-02-01' } }]);
    expect(diffWaivers([kept], [kept])).toEqual({ added: [], removed: [], changed: [] });
  });

  it('the summary lists them as taking effect after merge, with how the policy will take each', () => {
    const base = [waiver({ path: 'GET /b' })];
    const pending = diffWaivers(base, [
      waiver({ path: 'GET /b', expires: '2027-01-20' }),
      waiver({ rule: '*', path: '/', expires: '9999-12-31' }),
    ]);
    const outcome = applyWaivers([], base, TODAY, 90);
    const summary = renderSummary({
      findings: [],
      documents: [],
      recordedDir: 'r',
      baseRef: 'origin/main',
      failOn: 'breaking',
      decision: decide([], 'breaking', outcome, undefined),
      waivers: outcome,
      waiversFile: 'waivers.yaml',
      pendingWaivers: pending,
      today: TODAY,
      maxWaiverDays: 90,
      who: {},
    });
    expect(summary).toContain('### Waiver changes in this pull request: take effect after merge');
    expect(summary).toContain('applies the waivers of `waivers.yaml` as they are on `origin/main`');
    expect(summary).toContain('| ➕ added | * | / |');
    expect(summary).toContain('🚫 would be refused: rule "*" matches every rule');
    expect(summary).toContain(
      '| ✏️ changed | openapi.response.property.removed | GET /b | Experience & Ecosystem | 2027-01-15 → 2027-01-20 |',
    );
    expect(waiverAnnotations(outcome, pending, 'waivers.yaml', 'origin/main')[0]).toMatchObject({
      level: 'notice',
      message: expect.stringContaining('1 added, 1 changed, 0 removed'),
    });
  });
});

describe('the design-drift plan', () => {
  const inputs = (over: Partial<Inputs> = {}): Inputs => ({
    mode: 'check',
    declared: ['specs/*.yaml'],
    recorded: undefined,
    contractsRoot: 'docs/design/contracts',
    baseRef: undefined,
    failOn: 'breaking',
    waivers: undefined,
    maxWaiverDays: 90,
    timezone: 'America/Los_Angeles',
    bypassLabel: undefined,
    allowExternalRefs: false,
    owner: undefined,
    runbook: undefined,
    handoff: undefined,
    headSha: undefined,
    detailsUrl: undefined,
    token: '',
    apiUrl: undefined,
    resultPath: undefined,
    ...over,
  });

  it('resolves paths inside the workspace and computes today in the time zone', () => {
    const plan = planDrift(
      inputs({ waivers: 'docs/waivers.yaml', baseRef: 'origin/main' }),
      '/ws',
      new Date('2026-12-04T05:00:00Z'),
    );
    expect(plan).toMatchObject({
      today: '2026-12-03',
      baseRef: 'origin/main',
      waivers: { file: 'docs/waivers.yaml', path: '/ws/docs/waivers.yaml' },
      recording: { kind: 'newest-under', root: '/ws/docs/design/contracts' },
    });
  });

  it('refuses paths and globs that leave the workspace', () => {
    expect(() => planDrift(inputs({ waivers: '../w.yaml' }), '/ws', new Date())).toThrow(ConfigurationError);
    expect(() => planDrift(inputs({ recorded: '/etc' }), '/ws', new Date())).toThrow(/input 'recorded'/);
    expect(() => planDrift(inputs({ declared: ['../other/*.yaml'] }), '/ws', new Date())).toThrow(
      /input 'declared' has value "..\/other\/\*.yaml"/,
    );
  });

  it('takes a git ref for base-ref, never an option, a range or a ref:path', () => {
    for (const ref of [
      'origin/main',
      'HEAD',
      'origin/release/2026.12',
      'a1b2c3d4e5f6',
      'refs/remotes/origin/main',
    ])
      expect(GIT_REF_PATTERN.test(ref), ref).toBe(true);
    for (const ref of ['--output=/tmp/x', '-p', 'main..evil', 'HEAD:secret.txt', 'origin/main extra'])
      expect(GIT_REF_PATTERN.test(ref), ref).toBe(false);
    const parse = (baseRef: string) =>
      parseInputs(metadata.inputs, (name) => ({ declared: 'specs/*.yaml', 'base-ref': baseRef })[name], {
        workspace: '/ws',
      });
    expect(parse('origin/main').baseRef).toBe('origin/main');
    expect(() => parse('--upload-pack=touch /tmp/x')).toThrow(
      /^input 'base-ref' has value "--upload-pack=touch \/tmp\/x": expected a git ref or commit/,
    );
    expect(parse('origin/main').maxWaiverDays).toBe(90);
  });
});
