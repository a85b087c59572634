import { describe, expect, it } from 'vitest';
import { mergeShards, shardOf, type ShardRun } from '../../src/lib/evidence/shard-merge.js';
import { shardSpreadSection } from '../../src/lib/evidence/report-shards.js';
import { assignShards, estimateDurations } from '../../src/actions/smoke-suite/shards.js';
import { suiteDurations } from '../../src/actions/smoke-suite/timings.js';
import { loadConfig } from '../../src/cli/config/load.js';
import { ConfigFileError } from '../../src/cli/config/load.js';
import { ACTIONS } from '../../src/registry.js';
import { ROOT } from '../support/paths.js';
import type { Annotation } from '../../src/lib/annotations.js';

/** The day's suites in configuration order: name, squad, required, measured ms, and its counts. */
const SUITES = [
  { name: 'policy', squad: 'Governance', required: true, ms: 40_000, passed: 12, failed: 0 },
  { name: 'orchestrator', squad: 'Runtime', required: true, ms: 35_000, passed: 9, failed: 1 },
  { name: 'admin', squad: 'Experience', required: false, ms: 20_000, passed: 4, failed: 1 },
  { name: 'audit', squad: 'Governance', required: true, ms: 15_000, passed: 7, failed: 0 },
  { name: 'training', squad: 'Runtime', required: true, ms: 10_000, passed: 3, failed: 0 },
];
const T0 = Date.parse('2026-12-02T16:00:00Z');

function suiteDoc(s: (typeof SUITES)[number], startMs: number) {
  return {
    name: s.name,
    squad: s.squad,
    owner: null,
    runbook: null,
    required: s.required,
    status: s.failed ? 'failed' : 'passed',
    counts: {
      tests: s.passed + s.failed,
      passed: s.passed,
      failed: s.failed,
      errored: 0,
      skipped: 0,
      flaky: 0,
      time: s.ms / 1000,
    },
    startedAt: new Date(T0 + startMs).toISOString(),
    finishedAt: new Date(T0 + startMs + s.ms).toISOString(),
    attempts: [{ attempt: 1, log: `smoke-reports/${s.name}/attempt-1.log`, durationMs: s.ms }],
    failures: [],
    flakyTests: [],
  };
}

/** What each shard's smoke-suite step writes for `shard: k/n`, from the plan every shard computes. */
function shardRuns(count: number, annotate: (suite: string) => Annotation[] = () => []): ShardRun[] {
  const history = new Map(SUITES.map((s) => [s.name, s.ms]));
  const plan = assignShards(estimateDurations(SUITES, history), count);
  return plan.shards.map((p) => {
    let at = 0;
    const suites = p.suites.map((name) => {
      const s = SUITES.find((x) => x.name === name)!;
      const doc = suiteDoc(s, at);
      at += s.ms;
      return doc;
    });
    const failed = suites.some((s) => s.status === 'failed' && s.required);
    return {
      source: `runner-temp:command-center/smoke--shard-${p.index}-of-${count}-smoke-suite.json`,
      envelope: {
        action: 'smoke-suite',
        schemaVersion: 1,
        status: failed ? 'failure' : 'success',
        startedAt: new Date(T0).toISOString(),
        finishedAt: new Date(T0 + at).toISOString(),
        run: { job: 'smoke' },
        result: {
          concurrency: 1,
          failFast: false,
          reportDir: 'smoke-reports',
          suites,
          annotations: p.suites.flatMap(annotate),
          maxAnnotations: 3,
          shard: {
            index: p.index,
            count,
            suites: p.suites,
            plannedMs: p.plannedMs,
            wallMs: at,
            makespanMs: plan.makespanMs,
            lowerBoundMs: plan.lowerBoundMs,
            plan: plan.shards.map((x) => ({ index: x.index, suites: x.suites, plannedMs: x.plannedMs })),
            estimates: plan.estimates.map((e) => ({ name: e.name, ms: e.ms, source: e.source })),
            roster: SUITES.map((s) => ({
              name: s.name,
              squad: s.squad,
              owner: null,
              runbook: null,
              required: s.required,
            })),
          },
        },
      },
    };
  });
}

type Merged = {
  totals: Record<string, number>;
  suites: { name: string; status: string; reason?: string; squad: string | null; required: boolean }[];
  headline: string;
  failedSuites: string[];
  annotations: Annotation[];
  annotationsOmitted: Record<string, number>;
};

describe('mergeShards', () => {
  it("counts every suite once, in the configuration's order, as one runner would", () => {
    const runs = shardRuns(3);
    expect(runs.map((r) => shardOf(r.envelope)?.index)).toEqual([1, 2, 3]);
    const { envelope, spread, problems } = mergeShards([...runs].reverse(), 3);
    const r = envelope.result as Merged;
    expect(problems).toEqual([]);
    expect(r.suites.map((s) => s.name)).toEqual(SUITES.map((s) => s.name));
    const sum = (k: 'passed' | 'failed') => SUITES.reduce((n, s) => n + s[k], 0);
    expect(r.totals).toMatchObject({
      suites: 5,
      tests: sum('passed') + sum('failed'),
      passed: sum('passed'),
      failed: sum('failed'),
      failedSuites: 2,
      requiredFailed: 1,
    });
    expect(r.failedSuites).toEqual(['orchestrator', 'admin']);
    expect(envelope.status).toBe('failure');
    expect(r.headline).toBe('1 of 4 required suite(s) failed');
    // As smoke-suite says it of one runner: a failed day names the required failures.
    // The day took as long as its slowest shard; the spread compares each with the plan.
    const walls = runs.map((x) => shardOf(x.envelope)!.wallMs);
    expect(spread.makespanMs).toBe(Math.max(...walls));
    expect(spread.imbalance).toBeCloseTo(Math.max(...walls) / (walls.reduce((a, b) => a + b) / 3), 10);
    expect(spread.missing).toEqual([]);
    expect(spread.shards.map((s) => s.status)).toEqual(runs.map((x) => x.envelope.status));
  });

  it('a shard that reported nothing has its suites not run, with their squads, and fails the day', () => {
    const runs = shardRuns(3);
    const lost = shardOf(runs[1]!.envelope)!;
    const ok = SUITES.filter((s) => !s.failed).map((s) => s.name);
    // Keep only passing shards' results beside the lost one, so the failure is the missing shard's.
    const { envelope, spread } = mergeShards([runs[0]!, runs[2]!], 3);
    const r = envelope.result as Merged;
    expect(envelope.status).toBe('failure');
    expect(spread.missing).toEqual([2]);
    expect(spread.shards[1]).toMatchObject({ index: 2, status: 'missing', suites: lost.suites });
    expect(spread.shards[1]!.wallMs).toBeUndefined();
    for (const name of lost.suites) {
      const s = r.suites.find((x) => x.name === name)!;
      expect(s.status).toBe('not-run');
      expect(s.reason).toBe('shard 2/3 reported nothing (cancelled, killed or never started)');
      expect(s.squad).toBe(SUITES.find((x) => x.name === name)!.squad);
    }
    expect(r.suites).toHaveLength(SUITES.length);
    expect(r.headline).toMatch(/; shard\(s\) 2\/3 reported nothing$/);
    expect(ok.length).toBeGreaterThan(0);
    expect(shardSpreadSection(envelope.result).join('\n')).toContain('| 2/3 | ' + lost.suites.join(', '));
    expect(shardSpreadSection(envelope.result).join('\n')).toContain('❌ missing');
  });

  it('de-duplicates annotations across shards and ranks them within the same per-level limit', () => {
    const shared: Annotation = {
      level: 'error',
      rank: 50,
      title: 'helper failed',
      message: 'conftest.py: fixture broken',
      file: 'tests/conftest.py',
      line: 3,
    };
    const index = (name: string) => SUITES.findIndex((s) => s.name === name);
    const runs = shardRuns(3, (suite) => [
      shared,
      { level: 'error', rank: index(suite), title: `${suite}: failed`, message: suite },
      { level: 'notice', rank: index(suite), title: `${suite}: flaky`, message: suite },
    ]);
    const r = mergeShards(runs, 3).envelope.result as Merged;
    const errors = r.annotations.filter((a) => a.level === 'error');
    expect(errors.map((a) => a.title)).toEqual(['policy: failed', 'orchestrator: failed', 'admin: failed']);
    expect(r.annotationsOmitted).toEqual({ error: 3, warning: 0, notice: 2 });
    expect(r.annotations.filter((a) => a.level === 'notice')).toHaveLength(3);
    // Without the limit taking them, the shared one would be listed once, not once per shard.
    const loose = runs.map((x) => ({
      ...x,
      envelope: { ...x.envelope, result: { ...(x.envelope.result as object), maxAnnotations: 50 } },
    }));
    const all = (mergeShards(loose, 3).envelope.result as Merged).annotations;
    expect(all.filter((a) => a.title === 'helper failed')).toHaveLength(1);
  });

  it("says when the workflow planned another number of shards than the shards' own plan", () => {
    const { problems, spread } = mergeShards(shardRuns(2), 3);
    expect(problems).toEqual(["the workflow planned 3 shard(s), but the shards' results say 2"]);
    expect(spread.count).toBe(3);
  });

  it('a shard planned with no suites is owed nothing', () => {
    const runs = shardRuns(7).filter((r) => shardOf(r.envelope)!.suites.length > 0);
    expect(runs).toHaveLength(5);
    const { envelope, spread } = mergeShards(runs, 7);
    expect(spread.missing).toEqual([]);
    expect(spread.shards.filter((s) => s.status === 'empty').map((s) => s.index)).toEqual([6, 7]);
    expect((envelope.result as Merged).suites).toHaveLength(5);
  });

  it("the next day's plan learns from the merged result: a suite that became slow moves", () => {
    const runs = shardRuns(2);
    const slowed = runs.map((r) => {
      const doc = r.envelope.result as { suites: ReturnType<typeof suiteDoc>[] };
      const suites = doc.suites.map((s) =>
        s.name === 'training'
          ? { ...s, finishedAt: new Date(Date.parse(s.startedAt) + 90_000).toISOString() }
          : s,
      );
      return { ...r, envelope: { ...r.envelope, result: { ...doc, suites } } };
    });
    const merged = mergeShards(slowed, 2).envelope;
    const durations = suiteDurations(merged);
    expect(durations.get('training')).toBe(90_000);
    expect(durations.size).toBe(SUITES.length);
    const before = assignShards(estimateDurations(SUITES, new Map(SUITES.map((s) => [s.name, s.ms]))), 2);
    const after = assignShards(estimateDurations(SUITES, durations), 2);
    const shardWith = (p: typeof before, name: string) => p.shards.find((s) => s.suites.includes(name))!;
    // Last week the shortest suite filled up the longest one's shard; now it leads its own.
    expect(shardWith(before, 'training').suites).toEqual(['policy', 'audit', 'training']);
    expect(shardWith(after, 'training').suites).toEqual(['training', 'audit']);
    expect(shardWith(after, 'policy').suites).toEqual(['policy', 'orchestrator', 'admin']);
  });
});

describe('sharding in the configuration', () => {
  const base = (extra: string[]) =>
    [
      'smoke-suite:',
      '  suites:',
      '    - name: a',
      '      run: "true"',
      '      junit: a.xml',
      ...extra,
      '',
    ].join('\n');
  const load = (text: string) =>
    loadConfig(text, { file: 'f.yml', workspace: ROOT, actions: ACTIONS, now: new Date(T0) });

  it('takes shards, target, max-shards and max-parallel for the workflow, not for the action', () => {
    const c = load(base(['  shards: 3', '  max-parallel: 2']));
    expect(c.fanOut).toEqual({
      'smoke-suite': { shards: 3, targetMs: 600_000, maxShards: 16, maxParallel: 2 },
    });
    expect(Object.keys(c.inputs['smoke-suite']!)).toEqual(['suites']);
    expect(load(base(['  shards: auto', '  shard-target: 2m'])).fanOut).toEqual({
      'smoke-suite': { shards: 'auto', targetMs: 120_000, maxShards: 16 },
    });
    expect(load(base([])).fanOut).toEqual({ 'smoke-suite': { shards: 1, targetMs: 600_000, maxShards: 16 } });
  });

  it('refuses a bad count at its line, and a shard set by hand', () => {
    let err: unknown;
    try {
      load(base(['  shards: many', '  max-parallel: 0', '  shard: 1/2']));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigFileError);
    const problems = (err as ConfigFileError).problems.map((p) => `${p.line} ${p.path}: ${p.message}`);
    expect(problems.some((p) => p.startsWith('6 smoke-suite.shards:') && p.includes('many'))).toBe(true);
    expect(problems.some((p) => p.startsWith('7 smoke-suite.max-parallel:'))).toBe(true);
    expect(problems).toContain(
      "8 smoke-suite.shard: is not set in this file: with `shards`, each job of the smoke matrix runs its share of the configuration's plan",
    );
  });
});

describe('several Kafka clusters in the configuration', () => {
  const text = (clusters: string[]) =>
    [
      'kafka-topic-check:',
      '  window: 15s',
      '  topics:',
      '    - name: policy.decisions',
      '  clusters:',
      ...clusters,
      '',
    ].join('\n');
  const load = (t: string) =>
    loadConfig(t, { file: 'f.yml', workspace: ROOT, actions: ACTIONS, now: new Date(T0) });

  it('gives each cluster the section with its own keys on top, named for its job', () => {
    const c = load(
      text([
        '    - name: main',
        '      brokers: 127.0.0.1:19092',
        '    - name: legacy',
        '      brokers: 127.0.0.1:29092',
        '      window: 30s',
        '      topics: [{ name: legacy.events, min-messages: 1 }]',
      ]),
    );
    const clusters = c.fanOut['kafka-topic-check']!.clusters;
    expect(clusters.map((x) => x.name)).toEqual(['main', 'legacy']);
    expect(clusters[0]!.inputs).toMatchObject({ brokers: '127.0.0.1:19092', window: '15s', cluster: 'main' });
    expect(clusters[0]!.inputs.topics).toContain('policy.decisions');
    expect(clusters[1]!.inputs).toMatchObject({
      brokers: '127.0.0.1:29092',
      window: '30s',
      cluster: 'legacy',
    });
    expect(clusters[1]!.inputs.topics).toContain('legacy.events');
    expect(clusters[1]!.inputs.topics).not.toContain('policy.decisions');
    // What reads the section without a matrix gets the first cluster.
    expect(c.inputs['kafka-topic-check']).toMatchObject({ brokers: '127.0.0.1:19092' });
  });

  it("refuses a cluster without a name, a name used twice, and a cluster's bad value, each at its line", () => {
    let err: unknown;
    try {
      load(
        text([
          '    - brokers: 127.0.0.1:19092',
          '    - name: main',
          '      brokers: 127.0.0.1:19092',
          '    - name: main',
          '      brokers: 127.0.0.1:29092',
          '    - name: slow',
          '      brokers: 127.0.0.1:29092',
          '      window: soon',
        ]),
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigFileError);
    const problems = (err as ConfigFileError).problems.map((p) => `${p.line} ${p.path}: ${p.message}`);
    expect(problems.some((p) => p.startsWith('6 kafka-topic-check.clusters[0].name:'))).toBe(true);
    expect(
      problems.some((p) => /^9 kafka-topic-check.clusters\[2\].name: "main" names two clusters/.test(p)),
    ).toBe(true);
    expect(
      problems.some((p) =>
        p.startsWith("13 kafka-topic-check.clusters[3].window: cluster slow: input 'window'"),
      ),
    ).toBe(true);
  });
});
