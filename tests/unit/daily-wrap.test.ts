import { describe, expect, it } from 'vitest';
import { pulseMarker } from '../../src/lib/evidence/pulse.js';
import { planWrap, type Inputs } from '../../src/actions/daily-wrap/inputs.js';
import { DEFAULT_QUERIES } from '../../src/lib/evidence/metrics.js';
import { pulseLine, pulseOf, renderWrapSection, type WrapView } from '../../src/actions/daily-wrap/render.js';
import {
  daysBetween,
  declaredChanges,
  gapVerdict,
  newRecordings,
  previousWrap,
  statusFilePattern,
} from '../../src/actions/daily-wrap/wrap.js';

const TEMPLATE = 'docs/sprints/status/{date}.md';

describe('the twice-a-week minimum', () => {
  it('counts calendar days, across a month end and a daylight saving switch', () => {
    expect(daysBetween('2026-11-30', '2026-12-03')).toBe(3);
    expect(daysBetween('2026-03-06', '2026-03-10')).toBe(4); // 2026-03-08: clocks go forward in Los Angeles
    expect(daysBetween('2026-10-30', '2026-11-02')).toBe(3); // 2026-11-01: clocks go back
  });

  it('is missed when the previous wrap is more than max-gap-days old, and kept at exactly that', () => {
    expect(gapVerdict('2026-11-27', '2026-12-02', 4)).toEqual({ days: 5, missed: true });
    expect(gapVerdict('2026-11-28', '2026-12-02', 4)).toEqual({ days: 4, missed: false });
    expect(gapVerdict('2026-12-01', '2026-12-02', 4)).toEqual({ days: 1, missed: false });
    expect(gapVerdict(undefined, '2026-12-02', 4)).toEqual({ missed: false });
  });
});

describe('the previous wrap, from git log', () => {
  const log = [
    '',
    'aaaa111\n\ndocs/sprints/status/2026-12-03.md\n',
    'bbbb222\n\ndocs/sprints/status/2026-12-01.md\n',
    'cccc333\n\ndocs/sprints/status/2026-11-28.md\n',
  ].join('\0');

  it("is the newest commit that wrote an earlier day's wrap (a rerun today still looks back)", () => {
    expect(previousWrap(log, TEMPLATE, '2026-12-03')).toEqual({ sha: 'bbbb222', date: '2026-12-01' });
    expect(previousWrap(log, TEMPLATE, '2026-12-04')).toEqual({ sha: 'aaaa111', date: '2026-12-03' });
    expect(previousWrap(log, TEMPLATE, '2026-11-28')).toBeUndefined();
  });

  it('reads only files of the status pattern', () => {
    expect(statusFilePattern(TEMPLATE).exec('docs/sprints/status/2026-12-01.md')?.[1]).toBe('2026-12-01');
    expect(statusFilePattern(TEMPLATE).test('docs/sprints/status/2026-12-01/evidence/README.md')).toBe(false);
    expect(previousWrap('\0dddd444\n\ndocs/other/2026-12-01.md\n', TEMPLATE, '2026-12-03')).toBeUndefined();
  });
});

describe('contract updates', () => {
  it('groups new recording files by recording folder and service', () => {
    expect(
      newRecordings(
        [
          'docs/design/contracts/2026-12-02/README.md',
          'docs/design/contracts/2026-12-02/policy-engine/openapi.json',
          'docs/design/contracts/2026-12-02/policy-engine/asyncapi.json',
          'docs/design/contracts/2026-12-02/orchestrator/openapi.json',
          'docs/design/contracts/README.md',
          'docs/design/declared/policy-engine/openapi.json',
        ],
        'docs/design/contracts/',
      ),
    ).toEqual([
      { folder: 'docs/design/contracts/2026-12-02', services: ['orchestrator', 'policy-engine'], files: 4 },
    ]);
  });

  it('reads commits that changed declared contracts with their files', () => {
    const log = [
      '',
      'abc123\t2026-12-02T10:00:00-08:00\tAda\tpolicy-engine: add explanation\n\nM\tdocs/design/declared/policy-engine/openapi.json\nA\tdocs/design/declared/policy-engine/asyncapi.json\n',
      'def456\t2026-12-01T09:00:00-08:00\tGrace\tempty\n',
    ].join('\0');
    expect(declaredChanges(log)).toEqual([
      {
        sha: 'abc123',
        committedAt: '2026-12-02T10:00:00-08:00',
        author: 'Ada',
        subject: 'policy-engine: add explanation',
        files: [
          { status: 'M', path: 'docs/design/declared/policy-engine/openapi.json' },
          { status: 'A', path: 'docs/design/declared/policy-engine/asyncapi.json' },
        ],
      },
    ]);
  });
});

describe('the wrap section', () => {
  const view = (over: Partial<WrapView> = {}): WrapView => ({
    date: '2026-12-03',
    timeZone: 'America/Los_Angeles',
    wrappedAt: new Date('2026-12-04T00:00:30Z'),
    ref: 'HEAD',
    rangeLabel: 'last 8h',
    history: {
      head: '0123456789abcdef0123',
      previous: { sha: 'bbbb222', date: '2026-11-27' },
      since: { sha: 'bbbb222', label: 'the wrap of 2026-11-27 (`bbbb222`)' },
      recordings: [{ folder: 'docs/design/contracts/2026-12-02', services: ['policy-engine'], files: 3 }],
      declared: [],
    },
    gap: { days: 6, missed: true },
    maxGapDays: 4,
    contractsDir: 'docs/design/contracts',
    ...over,
  });

  it('reads the morning verdict from the pulse marker, and says so when there is no pulse', () => {
    const section = `## Infra Pulse\n\n${pulseMarker({ verdict: 'FAIL', ready: false, checkedAt: '2026-12-03T16:31:00Z', headline: 'redis down', blocking: ['redis:sessions-primary'] })}\n`;
    const facts = pulseOf(section);
    expect(facts).toMatchObject({ verdict: 'FAIL', ready: false, blocking: ['redis:sessions-primary'] });
    expect(pulseLine(facts, 'America/Los_Angeles')).toBe(
      '❌ FAIL at 08:31 — required dependency down: `redis:sessions-primary`. redis down.',
    );
    expect(pulseLine(undefined, 'America/Los_Angeles')).toMatch(/^❔ No Infra Pulse section/);
  });

  it('lists new recordings, the missed minimum, in local time', () => {
    const text = renderWrapSection(view());
    expect(text).toContain('Wrapped 16:00 (America/Los_Angeles) at `0123456789ab` of `HEAD`.');
    expect(text).toContain('- `docs/design/contracts/2026-12-02`: `policy-engine` (3 file(s))');
    expect(text).toContain(
      '**The twice-a-week minimum was missed**: the previous wrap was on 2026-11-27, 6 days',
    );
    expect(text).toMatch(/<!-- daily-wrap-result \{.*"missedMinimum":true.*"newRecordings":1.*\} -->$/);
  });

  it('says the minimum holds within the gap, and that a first wrap has nothing to miss', () => {
    expect(renderWrapSection(view({ gap: { days: 2, missed: false } }))).toContain(
      '✅ The previous wrap was on 2026-11-27, 2 day(s) ago',
    );
    const first = view({
      gap: { missed: false },
      history: { ...view().history, previous: undefined, recordings: [] },
    });
    const text = renderWrapSection(first);
    expect(text).toContain('No earlier wrap in the history');
    expect(text).toContain('**New recordings** under `docs/design/contracts/`:\n\nNone.');
  });
});

describe('the plan', () => {
  const inputs = (over: Partial<Inputs> = {}): Inputs =>
    ({
      timezone: 'America/Los_Angeles',
      statusFile: TEMPLATE,
      contractsDir: 'docs/design/contracts',
      declared: ['docs/design/declared'],
      maxGapDays: 4,
      firstWindow: 7 * 86_400_000,
      metricsRange: 8 * 3_600_000,
      commit: false,
      commitMessage: 'chore: daily wrap for {date} [skip ci]',
      pushAttempts: 5,
      ...over,
    }) as Inputs;

  it('dates the wrap in the time zone: 16:30 in Los Angeles is already tomorrow in UTC', () => {
    const plan = planWrap(inputs(), '/ws', {}, new Date('2026-12-04T00:30:00Z'));
    expect(plan.date).toBe('2026-12-03');
    expect(plan.status.fileRel).toBe('docs/sprints/status/2026-12-03.md');
  });

  it('refuses a status file without {date}, a folder outside the repository, and a commit without a branch', () => {
    expect(() => planWrap(inputs({ statusFile: 'docs/status.md' }), '/ws', {})).toThrow(
      /input 'status-file'.*docs\/status\.md.*\{date\}/s,
    );
    expect(() => planWrap(inputs({ contractsDir: '../elsewhere' }), '/ws', {})).toThrow(
      /contracts-dir.*\.\.\/elsewhere/s,
    );
    expect(() => planWrap(inputs({ commit: true }), '/ws', { GITHUB_REF: 'refs/pull/7/merge' })).toThrow(
      /input 'branch'/,
    );
    expect(planWrap(inputs({ commit: true }), '/ws', { GITHUB_REF: 'refs/heads/main' }).commit?.branch).toBe(
      'main',
    );
  });

  it("snapshots the team's panels: the defaults, or the given queries with a default panel's filled in", () => {
    expect(planWrap(inputs(), '/ws', {}).queries.map((q) => q.name)).toEqual(
      DEFAULT_QUERIES.map((q) => q.name),
    );
    const given = planWrap(
      inputs({
        queries: [
          { name: 'web-vitals' },
          {
            name: 'checkout-errors',
            query: 'sum(rate(errors_total[5m]))',
            squad: 'Payments',
            threshold: { max: 1 },
          },
        ],
      }),
      '/ws',
      {},
    ).queries;
    const vitals = DEFAULT_QUERIES.find((q) => q.name === 'web-vitals')!;
    expect(given).toEqual([
      {
        name: 'web-vitals',
        query: vitals.query,
        unit: vitals.unit,
        squad: vitals.squad,
        panel: vitals.panel,
      },
      {
        name: 'checkout-errors',
        query: 'sum(rate(errors_total[5m]))',
        unit: undefined,
        squad: 'Payments',
        panel: undefined,
      },
    ]);
    expect(() => planWrap(inputs({ queries: [{ name: 'mine' }] }), '/ws', {})).toThrow(
      /input 'queries' is invalid: at \/0 'mine' has no query; only a default panel's name may leave it out/,
    );
    expect(() =>
      planWrap(inputs({ queries: [{ name: 'web-vitals' }, { name: 'web-vitals' }] }), '/ws', {}),
    ).toThrow(/input 'queries'.*web-vitals.*each query name once/s);
  });
});
