import { describe, expect, it } from 'vitest';
import {
  comparePanels,
  compareSmoke,
  mergeSmokeDays,
  percentChange,
  smokeDay,
  testKey,
  type PanelSnapshot,
} from '../../src/lib/evidence/week-over-week.js';
import {
  convertUnit,
  formatPercent,
  panelFindings,
  panelLimits,
  type PanelLimits,
} from '../../src/lib/evidence/panel-limits.js';
import { changeText, sinceLastWeekSection } from '../../src/lib/evidence/report-week.js';
import { buildManifest } from '../../src/lib/evidence/manifest.js';
import { renderStatusReport, type ReportInput } from '../../src/lib/evidence/report.js';
import { datedSegment, earlierDates } from '../../src/actions/evidence-archive/previous-day.js';
import { planArchive } from '../../src/actions/evidence-archive/inputs.js';
import { metadata } from '../../src/actions/evidence-archive/metadata.js';
import { weekOverWeek } from '../../src/actions/evidence-archive/week.js';
import { parseInputs } from '../../src/lib/inputs/spec.js';
import { ConfigurationError } from '../../src/lib/errors.js';

const stat = (label: string, mean: number, samples = 10) => ({
  label,
  samples,
  mean,
  last: mean,
  min: mean,
  max: mean,
});
const panel = (
  name: string,
  stats: PanelSnapshot['stats'],
  over: Partial<PanelSnapshot> = {},
): PanelSnapshot => ({
  name,
  stats,
  ...over,
});

describe('the change in percent', () => {
  it('is (now − last) / |last| × 100, exactly', () => {
    expect(percentChange(200, 250)).toEqual({ kind: 'percent', percent: 25 });
    expect(percentChange(0.004, 0.002)).toEqual({ kind: 'percent', percent: -50 });
    // Against a negative figure the sign still says which way it moved.
    expect(percentChange(-4, -2)).toEqual({ kind: 'percent', percent: 50 });
    expect(percentChange(3, 3)).toEqual({ kind: 'percent', percent: 0 });
  });

  it('names zero and absent figures instead of dividing by them', () => {
    expect(percentChange(0, 0)).toEqual({ kind: 'unchanged-zero' });
    expect(percentChange(0, 5)).toEqual({ kind: 'from-zero' });
    expect(percentChange(undefined, 5)).toEqual({ kind: 'new' });
    expect(percentChange(5, undefined)).toEqual({ kind: 'gone' });
    expect(percentChange(undefined, undefined)).toEqual({ kind: 'no-data' });
    expect(changeText({ kind: 'from-zero' })).toBe('up from zero (no percentage)');
  });

  it('is shown with its sign and one decimal at most', () => {
    expect(formatPercent(25)).toBe('+25 %');
    expect(formatPercent(-12.345)).toBe('−12.3 %');
    expect(formatPercent(0)).toBe('0 %');
    expect(formatPercent(0.04)).toBe('+<0.1 %');
  });
});

describe('panels against last week', () => {
  it('matches series by label and compares their means over the window', () => {
    const now = [
      panel('api-latency', [stat('{service="a"}', 0.3), stat('{service="b"}', 0.1)], {
        unit: 's',
        squad: 'X',
      }),
    ];
    const before = [
      panel('api-latency', [stat('{service="a"}', 0.2), stat('{service="c"}', 1)], { unit: 's' }),
    ];
    const [p] = comparePanels(now, before);
    expect(p!.title).toBe('api-latency');
    const byLabel = Object.fromEntries(p!.series.map((s) => [s.label, s]));
    expect(byLabel['{service="a"}']!.lastWeek).toBe(0.2);
    expect(byLabel['{service="a"}']!.thisWeek).toBe(0.3);
    expect(byLabel['{service="a"}']!.change.kind).toBe('percent');
    expect((byLabel['{service="a"}']!.change as { percent: number }).percent).toBeCloseTo(50, 10);
    expect(byLabel['{service="b"}']!.change).toEqual({ kind: 'new' });
    expect(byLabel['{service="c"}']!.change).toEqual({ kind: 'gone' });
  });

  it('treats a series without samples as having no figure, and a panel that failed as not comparable', () => {
    const [p, q] = comparePanels(
      [panel('lag', [stat('g', 7, 0)]), panel('down', [], { error: 'HTTP 500' })],
      [panel('lag', [stat('g', 3)]), panel('down', [stat('x', 1)])],
    );
    expect(p!.series[0]!.change).toEqual({ kind: 'gone' });
    expect(q!.error).toBe('HTTP 500');
    expect(q!.series).toEqual([]);
  });
});

const smokeResult = (suites: unknown[]) => ({ suites });

describe('smoke tests against last week', () => {
  const lastWeek = smokeDay(
    smokeResult([
      {
        name: 'policy',
        squad: 'Governance Core',
        status: 'failed',
        failures: [
          { classname: 'tests.policy', name: 'test_a', message: 'boom' },
          { classname: 'tests.policy', name: 'test_b' },
        ],
      },
      {
        name: 'orchestrator',
        squad: 'Runtime & Training',
        status: 'failed',
        failures: [{ classname: 'o', name: 'test_o' }],
      },
      { name: 'admin', status: 'not-run', reason: 'timed out', failures: [] },
    ]),
  );

  it('reads failing tests by suite + classname + name, and a suite that failed without a test', () => {
    expect(lastWeek.failing.map(testKey)).toEqual([
      '["policy","tests.policy","test_a"]',
      '["policy","tests.policy","test_b"]',
      '["orchestrator","o","test_o"]',
      '["admin","",""]',
    ]);
    expect(lastWeek.failing[0]).toMatchObject({ squad: 'Governance Core', message: 'boom' });
    expect([...lastWeek.complete].sort()).toEqual(['orchestrator', 'policy']);
  });

  it('separates new failures, still failing and fixed; what this week cannot tell is not called fixed', () => {
    const thisWeek = smokeDay(
      smokeResult([
        {
          name: 'policy',
          status: 'failed',
          failures: [
            { classname: 'tests.policy', name: 'test_b' },
            { classname: 'tests.policy', name: 'test_c' },
          ],
        },
        // The same test name under another suite is another test.
        {
          name: 'orchestrator',
          status: 'failed',
          failures: [{ classname: 'o', name: 'test_x' }],
          failuresOmitted: 3,
        },
        { name: 'admin', status: 'passed', failures: [] },
      ]),
    );
    const c = compareSmoke(thisWeek, lastWeek);
    expect(c.newFailures.map((t) => t.name)).toEqual(['test_c', 'test_x']);
    expect(c.stillFailing.map((t) => t.name)).toEqual(['test_b']);
    expect(c.fixed.map(testKey)).toEqual(['["policy","tests.policy","test_a"]', '["admin","",""]']);
    // orchestrator listed only part of its failures: test_o may still fail.
    expect(c.unknown.map(testKey)).toEqual(['["orchestrator","o","test_o"]']);
  });

  it("a day without a smoke result knows nothing: last week's failures are unknown, not fixed", () => {
    const c = compareSmoke(mergeSmokeDays([]), lastWeek);
    expect(c.fixed).toEqual([]);
    expect(c.unknown).toHaveLength(4);
  });
});

describe('panel limits', () => {
  it('converts a threshold into the query unit and refuses units that do not compare', () => {
    expect(convertUnit(200, 'ms', 's', 'at /0')).toBeCloseTo(0.2, 15);
    expect(convertUnit(2, 'MiB', 'bytes', 'at /0')).toBe(2 * 1024 * 1024);
    expect(() => convertUnit(200, 'ms', 'messages', 'at /3 (lag)')).toThrow(
      /input 'queries' is invalid: at \/3 \(lag\) the threshold's unit 'ms' cannot be compared with the query's unit 'messages'/,
    );
  });

  it('validates a threshold and fills severity, direction and owner', () => {
    const l = panelLimits(
      { unit: 's', squad: 'Governance Core', threshold: { max: 200, unit: 'ms' }, 'regression-limit': 25 },
      'at /0',
    )!;
    expect(l).toMatchObject({
      thresholdText: '≤ 200 ms',
      regressionLimit: 25,
      severity: 'warning',
      better: 'lower',
      owner: 'Governance Core',
    });
    expect(l.max).toBeCloseTo(0.2, 15);
    expect(panelLimits({ unit: 's' }, 'at /0')).toBeUndefined();
    expect(() => panelLimits({ threshold: { min: 5, max: 1 } }, 'at /1')).toThrow(ConfigurationError);
    expect(() => panelLimits({ threshold: {} }, 'at /1')).toThrow(/needs max, min or both/);
  });

  const limits = (l: Partial<PanelLimits>) =>
    new Map<string, PanelLimits>([['p', { severity: 'warning', better: 'lower', owner: 'Gov', ...l }]]);

  it('flags a figure over its threshold and a regression beyond the limit, each with the owner', () => {
    const cmp = comparePanels(
      [panel('p', [stat('p', 0.3)], { unit: 's', panel: 'Policy p95' })],
      [panel('p', [stat('p', 0.2)])],
    );
    const f = panelFindings(cmp, limits({ max: 0.25, thresholdText: '≤ 250 ms', regressionLimit: 25 }));
    expect(f.map((x) => [x.kind, x.owner, x.title])).toEqual([
      ['threshold', 'Gov', 'Policy p95'],
      ['regression', 'Gov', 'Policy p95'],
    ]);
    expect(f[0]!.detail).toBe('300 ms (mean over the window) is outside the threshold ≤ 250 ms');
    expect(f[1]!.detail).toMatch(
      /^\+50 % against last week \(200 ms → 300 ms\), worse by more than the regression limit of 25 %/,
    );
  });

  it('a regression exactly at the limit passes; the direction decides what is worse', () => {
    const cmp = comparePanels([panel('p', [stat('p', 125)])], [panel('p', [stat('p', 100)])]);
    expect(panelFindings(cmp, limits({ regressionLimit: 25 }))).toEqual([]);
    expect(panelFindings(cmp, limits({ regressionLimit: 24.9 }))).toHaveLength(1);
    // Throughput: higher is better, so +25 % is no regression and −30 % is one.
    expect(panelFindings(cmp, limits({ regressionLimit: 10, better: 'higher' }))).toEqual([]);
    const down = comparePanels([panel('p', [stat('p', 70)])], [panel('p', [stat('p', 100)])]);
    expect(
      panelFindings(down, limits({ regressionLimit: 25, better: 'higher', severity: 'failure' })),
    ).toMatchObject([{ kind: 'regression', severity: 'failure' }]);
  });

  it('has no regression from zero or without last week; the threshold still judges', () => {
    const fromZero = comparePanels([panel('p', [stat('p', 5)])], [panel('p', [stat('p', 0)])]);
    expect(panelFindings(fromZero, limits({ regressionLimit: 1 }))).toEqual([]);
    const alone = comparePanels([panel('p', [stat('p', 5)])], []);
    expect(
      panelFindings(alone, limits({ regressionLimit: 1, min: 10, thresholdText: '≥ 10' })),
    ).toMatchObject([
      { kind: 'threshold', detail: '5 (mean over the window) is outside the threshold ≥ 10' },
    ]);
  });
});

describe('queries with limits', () => {
  const WS = '/work/repo';
  const parse = (raw: Record<string, string>) => {
    const yml: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(metadata.inputs)) yml[k] = v.default;
    return parseInputs(metadata.inputs, (n) => raw[n] ?? yml[n], { workspace: WS });
  };
  const plan = (queries: string) =>
    planArchive(parse({ 'prometheus-url': 'http://p:9090', queries, date: '2026-12-16' }), WS, {
      RUNNER_TEMP: '/tmp/rt',
      GITHUB_REF: 'refs/heads/main',
    });

  it("takes a default panel's query when only its name is given, with its limits in the query's unit", () => {
    const p = plan(
      '- name: policy-decision-latency\n  threshold: { max: 200, unit: ms }\n  regression-limit: 25\n  severity: failure\n- name: streaming-throughput\n  regression-limit: 10\n',
    );
    expect(p.queries.map((q) => q.name)).toEqual(['policy-decision-latency', 'streaming-throughput']);
    expect(p.queries[0]!.query).toContain('policy_decision_duration_seconds_bucket');
    expect(p.queries[0]!.limits).toMatchObject({
      severity: 'failure',
      owner: 'Governance Core',
      thresholdText: '≤ 200 ms',
    });
    expect(p.queries[0]!.limits!.max).toBeCloseTo(0.2, 15);
    expect(p.queries[1]!.limits).toMatchObject({ better: 'higher', owner: 'Experience & Ecosystem' });
    expect(p.templates).toEqual({
      statusFile: 'docs/sprints/status/{date}.md',
      evidenceDir: 'docs/sprints/status/{date}/evidence',
    });
  });

  it('refuses a query without PromQL that names no default panel, and a bad limit, naming the input', () => {
    expect(() => plan('- name: mine\n  unit: s\n')).toThrow(
      /input 'queries' is invalid: at \/0 'mine' has no query; only a default panel's name/,
    );
    expect(() => plan('- name: x\n  query: up\n  regression-limit: 0\n')).toThrow(/queries/);
    expect(() => plan('- name: x\n  query: up\n  severity: fatal\n')).toThrow(/queries/);
    expect(() =>
      plan('- name: x\n  query: up\n  unit: messages\n  threshold: { max: 1, unit: s }\n'),
    ).toThrow(/at \/0 \(x\) the threshold's unit 's' cannot be compared with the query's unit 'messages'/);
  });
});

describe('the earlier day', () => {
  it('is the newest evidence folder of a date strictly before today', () => {
    const { parent, segment } = datedSegment('docs/sprints/status/{date}/evidence');
    expect(parent).toBe('docs/sprints/status');
    const names = [
      '2026-12-02',
      '2026-12-02.md',
      '2026-12-09',
      '2026-12-16',
      '2026-12-23',
      'notes',
      '2026-13-01',
    ];
    expect(earlierDates(names, segment, '2026-12-16')).toEqual(['2026-12-09', '2026-12-02']);
    expect(earlierDates(names, segment, '2026-12-02')).toEqual([]);
    const dashed = datedSegment('evidence/day-{date}');
    expect(earlierDates(['day-2026-01-01', '2026-01-02'], dashed.segment, '2026-02-01')).toEqual([
      '2026-01-01',
    ]);
  });
});

describe('the status report, since last week', () => {
  const metrics = [
    {
      name: 'policy-decision-latency',
      panel: 'Policy decision latency (p95)',
      squad: 'Governance Core',
      unit: 's',
      stats: [stat('policy-decision-latency', 0.3)],
    },
  ];
  const queries = [
    {
      name: 'policy-decision-latency',
      query: 'q',
      rangeMs: 60_000,
      unit: 's',
      limits: {
        regressionLimit: 25,
        severity: 'warning' as const,
        better: 'lower' as const,
        owner: 'Governance Core',
      },
    },
  ];
  const smokeEnvelope = (failures: unknown[]) => ({
    envelope: {
      action: 'smoke-suite',
      schemaVersion: 1,
      status: failures.length ? 'failure' : 'success',
      startedAt: '2026-12-23T17:00:00Z',
      finishedAt: '2026-12-23T17:01:00Z',
      result: {
        suites: [
          {
            name: 'policy',
            squad: 'Governance Core',
            status: failures.length ? 'failed' : 'passed',
            counts: { passed: 3 },
            failures,
          },
        ],
      },
    },
  });
  const previous = {
    date: '2026-12-16',
    statusFileRel: 'docs/sprints/status/2026-12-16.md',
    evidenceDirRel: 'docs/sprints/status/2026-12-16/evidence',
    panels: [{ name: 'policy-decision-latency', unit: 's', stats: [stat('policy-decision-latency', 0.2)] }],
    smoke: smokeDay({
      suites: [
        { name: 'policy', status: 'failed', failures: [{ classname: 'tests.t', name: 'test_benign' }] },
      ],
    }),
  };
  const report = (over: Partial<ReportInput>) =>
    renderStatusReport({
      date: '2026-12-23',
      timeZone: 'UTC',
      generatedAt: new Date('2026-12-23T18:00:00Z'),
      run: {},
      statusFileRel: 'docs/sprints/status/2026-12-23.md',
      evidenceDirRel: 'docs/sprints/status/2026-12-23/evidence',
      results: [],
      unreadable: [],
      metrics: [],
      dashboards: [],
      captureProblems: [],
      manifest: buildManifest({
        date: '2026-12-23',
        createdAt: '2026-12-23T18:00:00Z',
        run: {},
        limits: { maxFileSize: 1, maxTotalSize: 1 },
        files: [],
      }),
      ...over,
    });

  it('shows each panel against last week, names the fixed test and puts the regression with its owner in the table', () => {
    const results = [smokeEnvelope([])] as ReportInput['results'];
    const w = weekOverWeek({ previous, results, metrics, queries });
    const text = report({ results, metrics, ...w });
    expect(text).toContain('## Since last week');
    expect(text).toContain(
      'Compared with [Integration Day 2026-12-16](2026-12-16.md) ([its evidence](2026-12-16/evidence/README.md))',
    );
    expect(text).toContain(
      '| Policy decision latency (p95) | Governance Core |  | 200 ms | 300 ms | +50 % | at most 25 % worse (warning) |',
    );
    expect(text).toContain('**Fixed since last week**\n\n- `policy · tests.t::test_benign`');
    expect(text).toMatch(
      /\| panel Policy decision latency \(p95\): worse than last week \(warning\) \| evidence-archive \| Governance Core \|/,
    );
    expect(text).toContain("⚠️ **All 1 step(s) succeeded; 1 warning(s) need an owner's attention.**");
  });

  it('a panel limit of severity failure turns the headline red although every step succeeded', () => {
    const results = [
      smokeEnvelope([
        { classname: 'tests.t', name: 'test_benign' },
        { classname: 'tests.t', name: 'test_new' },
      ]),
    ] as ReportInput['results'];
    const failing = [{ ...queries[0]!, limits: { ...queries[0]!.limits, severity: 'failure' as const } }];
    const w = weekOverWeek({ previous, results, metrics, queries: failing });
    const text = report({
      results: results.map((r) => ({ ...r, envelope: { ...r.envelope, status: 'success' } })),
      metrics,
      ...w,
    });
    expect(text).toContain('❌ **All 1 step(s) succeeded, but 1 panel limit(s) of severity failure broken;');
    expect(text).toContain('**New failures**\n\n- `policy · tests.t::test_new` — owner: Governance Core');
    expect(text).toContain('**Still failing**\n\n- `policy · tests.t::test_benign`');
  });

  it('says there is no earlier day, never fails for it', () => {
    const w = weekOverWeek({ previous: undefined, results: [], metrics, queries });
    expect(w.panelFindings).toEqual([]);
    expect(sinceLastWeekSection(w.sinceLastWeek, 'docs/sprints/status/2026-12-23.md').join('\n')).toContain(
      'No earlier day to compare with',
    );
  });
});
