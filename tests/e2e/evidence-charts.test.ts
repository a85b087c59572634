import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { needsServers, requireServer } from '../support/servers.js';
import { planChart } from '../../src/lib/evidence/chart-plan.js';
import type { MetricSnapshot } from '../../src/lib/evidence/metrics.js';
import { PrometheusClient, type RangeSeries } from '../../src/lib/prometheus/client.js';

// Real Prometheus scraping the real staging stand-in (its histograms and counters).
needsServers('prometheus', 'staging');

const DATE = '2026-11-25';
const STEP = 15;

let scratch: string;
beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'cc-evidence-charts-e2e-'));
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Prometheus' own answer to `expr` over exactly the snapshot's window and step. */
async function sameWindow(prometheus: string, snap: MetricSnapshot, expr: string): Promise<RangeSeries[]> {
  const client = new PrometheusClient({ url: prometheus, timeoutMs: 60_000 });
  return (await client.queryRange(expr, new Date(snap.start), new Date(snap.end), snap.stepSeconds)).result;
}

/** Steps at which some series of the raw answer fell (a restart): Prometheus' subtraction is no rate there. */
function resetTimes(result: readonly RangeSeries[]): Set<number> {
  const out = new Set<number>();
  for (const s of result)
    for (let i = 1; i < s.values.length; i++)
      if (Number(s.values[i]![1]) < Number(s.values[i - 1]![1])) out.add(s.values[i]![0]);
  return out;
}

describe('evidence-archive charts, against the real Prometheus', () => {
  it('draws every series, a histogram and a counter so that a person can read them, and says how under each chart', async () => {
    const prometheus = await requireServer('prometheus');
    const queries = [
      {
        name: 'everything',
        query: '{__name__=~".+"}',
        range: '10m',
        step: `${STEP}s`,
        panel: 'Every series',
      },
      {
        name: 'policy-latency',
        query: 'policy_decision_duration_seconds_bucket',
        range: '10m',
        step: `${STEP}s`,
        unit: 's',
        quantiles: [0.5, 0.95, 0.99],
      },
      { name: 'decisions', query: 'policy_decisions_total', range: '10m', step: `${STEP}s` },
    ];
    const workspace = mkdtempSync(join(scratch, 'ws-'));
    const run = await runAction('evidence-archive', {
      workspace,
      env: { RUNNER_TEMP: join(scratch, 'rt'), GITHUB_REF: 'refs/heads/main' },
      inputs: {
        date: DATE,
        'prometheus-url': prometheus,
        queries: JSON.stringify(queries),
        commit: 'false',
        artifact: 'false',
        // Prometheus' answer to {__name__=~".+"} is several MiB: keep it, it is what the chart is checked against.
        'max-file-size': '64MiB',
        'max-total-size': '128MiB',
      },
      timeoutMs: 240_000,
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const evidence = join(workspace, 'docs/sprints/status', DATE, 'evidence');
    const snapshot = (name: string) =>
      JSON.parse(readFileSync(join(evidence, `metrics/${name}.json`), 'utf8')) as MetricSnapshot;
    const svg = (name: string) => readFileSync(join(evidence, `metrics/${name}.svg`), 'utf8');

    // Every series: hundreds come back, eight are drawn, the rest summarized, on a log axis.
    const all = snapshot('everything');
    const chart = all.chart!;
    expect(all.result.length).toBeGreaterThan(100);
    expect(chart.seriesReturned).toBe(all.result.length);
    expect(chart.drawn).toHaveLength(8);
    // Histograms among them count as their three quantile lines instead of their buckets.
    const h = chart.histograms!;
    expect(h.count).toBeGreaterThan(0);
    const lines = all.result.length - h.buckets + h.count * 3;
    expect(chart.others!.count + chart.drawn.length + chart.withoutData).toBe(lines);
    expect(chart.others!.max).toBeLessThanOrEqual(Math.min(...chart.drawn.map((d) => d.peak!)));
    expect(chart.scale).toMatchObject({ scale: 'log', mode: 'auto' });
    expect(chart.scale.decades!).toBeGreaterThan(3);
    expect(new Set(chart.drawn.map((d) => d.legend)).size).toBe(8);
    // The legend names only what differs: no label every drawn series shares appears in an entry.
    for (const [k, v] of Object.entries(chart.legend.common))
      for (const d of chart.drawn) expect(d.legend).not.toContain(`${k}="${v}"`);
    expect(chart.caption.join('\n')).toMatch(
      new RegExp(
        `Drawn: the 8 of ${lines} series \\(${all.result.length} returned, histograms counted as their quantiles\\) with the highest peak \\(max-series: 8, select: peak\\); the other ${chart.others!.count} not drawn`,
      ),
    );
    expect(chart.caption.join('\n')).toMatch(
      /^Log scale: the values above zero span \d+\.\d orders of magnitude/m,
    );
    // Each drawn series is plotted in its legend's colour: a line, or a dot where it has one sample
    // between gaps (a young Prometheus has series that short).
    const legendColours = [...svg('everything').matchAll(/<rect [^>]*height="4" fill="(#[0-9a-f]{6})"/g)];
    expect(legendColours.map((m) => m[1])).toHaveLength(8);
    for (const [, colour] of legendColours)
      expect(svg('everything')).toMatch(
        new RegExp(`<path [^>]*stroke="${colour}"|<circle [^>]*fill="${colour}"`),
      );
    expect(svg('everything')).toContain('Drawn: the 8 of');

    // The histogram: its buckets became p50/p95/p99 per label set, equal to Prometheus' own
    // histogram_quantile over the same per-step bucket increases.
    const lat = snapshot('policy-latency');
    const groups = new Set(lat.result.map((s) => JSON.stringify({ ...s.metric, le: undefined })));
    expect(lat.chart!.histograms).toEqual({
      count: groups.size,
      buckets: lat.result.length,
      quantiles: [0.5, 0.95, 0.99],
    });
    expect(lat.chart!.drawn.every((d) => d.quantile !== undefined && !d.asRate)).toBe(true);
    expect(lat.chart!.drawn.length).toBe(Math.min(8, groups.size * 3));
    expect(lat.chart!.caption[0]).toMatch(
      /^Histograms: \d+ _bucket series of \d+ histogram\(s\) drawn as p50, p95, p99/,
    );
    const replanned = planChart(lat.result, lat.chart!.options, {
      name: lat.name,
      unit: 's',
      stepSeconds: STEP,
    });
    expect(replanned.summary).toEqual(lat.chart);
    const resets = resetTimes(lat.result);
    let compared = 0;
    for (const q of [0.5, 0.95, 0.99]) {
      const theirs = await sameWindow(
        prometheus,
        lat,
        `histogram_quantile(${q}, policy_decision_duration_seconds_bucket - policy_decision_duration_seconds_bucket offset ${STEP}s)`,
      );
      for (const t of theirs) {
        const labels = { ...t.metric, __name__: 'policy_decision_duration_seconds' };
        const ours = replanned.summary.drawn.findIndex(
          (d) => d.quantile === q && JSON.stringify(d.labels) === JSON.stringify(sortKeys(labels)),
        );
        if (ours === -1) continue; // a line left off by max-series
        const byTime = new Map(replanned.series[ours]!.points);
        for (const [time, value] of t.values) {
          // The window's first step has no sample before it in the answer: no rate of ours to compare.
          if (resets.has(time) || !byTime.has(time) || isFirstStep(lat, time)) continue;
          const v = Number(value);
          if (Number.isNaN(v)) expect(byTime.get(time)).toBeUndefined();
          else {
            expect(byTime.get(time)).toBeCloseTo(v, 9);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10);

    // The counter: drawn as a per-second rate, equal to Prometheus' increase per step over the step.
    const dec = snapshot('decisions');
    expect(dec.chart!.rate).toMatchObject({ series: dec.result.length, byName: dec.result.length });
    expect(dec.chart!.unit).toBe('/s');
    expect(dec.chart!.caption[0]).toMatch(
      /^Drawn as rate: \d+ counter series .* per-second increase over each 15s step/,
    );
    expect(dec.chart!.drawn.every((d) => d.asRate)).toBe(true);
    const decPlan = planChart(dec.result, dec.chart!.options, { name: dec.name, stepSeconds: STEP });
    const decResets = resetTimes(dec.result);
    const theirs = await sameWindow(
      prometheus,
      dec,
      `(policy_decisions_total - policy_decisions_total offset ${STEP}s) / ${STEP}`,
    );
    let rates = 0;
    for (const [i, d] of decPlan.summary.drawn.entries()) {
      const t = theirs.find(
        (s) =>
          JSON.stringify(sortKeys({ ...s.metric, __name__: 'policy_decisions_total' })) ===
          JSON.stringify(d.labels),
      )!;
      const byTime = new Map(decPlan.series[i]!.points);
      for (const [time, value] of t.values)
        if (!decResets.has(time) && !isFirstStep(dec, time)) {
          expect(byTime.get(time)).toBeCloseTo(Number(value), 9);
          rates++;
        }
    }
    expect(rates).toBeGreaterThan(10);

    // Three different pictures, each with its caption; the report says how to read them.
    expect(new Set([svg('everything'), svg('policy-latency'), svg('decisions')]).size).toBe(3);
    expect(svg('policy-latency')).toContain('drawn as p50, p95, p99');
    expect(svg('decisions')).toContain('Drawn as rate');
    const report = readFileSync(join(workspace, 'docs/sprints/status', `${DATE}.md`), 'utf8');
    expect(report).toContain('How to read the charts:');
    expect(report).toMatch(/- \*\*decisions\*\*: Drawn as rate: /);
    expect(report).toMatch(/- \*\*Every series\*\*: .*Log scale: /);
  }, 300_000);
});

function isFirstStep(snap: MetricSnapshot, time: number): boolean {
  return time - Date.parse(snap.start) / 1000 < snap.stepSeconds / 2;
}

function sortKeys(m: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)));
}
