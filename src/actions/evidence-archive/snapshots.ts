import { toError } from '../../lib/errors.js';
import { renderLineChart } from '../../lib/evidence/chart.js';
import { planChart } from '../../lib/evidence/chart-plan.js';
import { DEFAULT_CHART_OPTIONS } from '../../lib/evidence/chart-rules/summary.js';
import { LAYOUT } from '../../lib/evidence/layout.js';
import {
  seriesStats,
  stepFor,
  type MetricQuerySpec,
  type MetricSnapshot,
} from '../../lib/evidence/metrics.js';
import type { ReportMetric } from '../../lib/evidence/report.js';
import type { EvidenceStage } from '../../lib/evidence/stage.js';
import { PrometheusClient, type RangeResult } from '../../lib/prometheus/client.js';
import type { ArchivePlan } from './inputs.js';

/** Queries run a few at a time: quick for the runner, gentle on Prometheus. */
const CONCURRENCY = 4;

/**
 * Runs each range query, saves Prometheus' answer as JSON and draws it as an SVG chart.
 * A query that fails is recorded (in its JSON and the report) and the others go on.
 */
export async function snapshotMetrics(o: {
  plan: ArchivePlan;
  stage: EvidenceStage;
  end: Date;
  problems: string[];
  log: (l: string) => void;
}): Promise<ReportMetric[]> {
  const prom = o.plan.prometheus!;
  const client = new PrometheusClient({
    url: prom.url,
    ...(prom.header ? { headers: { [prom.header.name]: prom.header.value } } : {}),
    timeoutMs: 60_000,
  });
  const queries = o.plan.queries;
  const answers: ({ result: RangeResult; error?: undefined } | { error: string; result?: undefined })[] =
    new Array(queries.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, queries.length) }, async () => {
      while (next < queries.length) {
        const i = next++;
        const q = queries[i]!;
        const start = new Date(o.end.getTime() - q.rangeMs);
        try {
          answers[i] = { result: await client.queryRange(q.query, start, o.end, stepFor(q)) };
        } catch (err) {
          answers[i] = { error: toError(err).message };
        }
      }
    }),
  );

  const out: ReportMetric[] = [];
  for (const [i, q] of queries.entries()) {
    const a = answers[i]!;
    const step = stepFor(q);
    const start = new Date(o.end.getTime() - q.rangeMs);
    const series = a.result?.result ?? [];
    const plan = a.error
      ? undefined
      : planChart(series, q.chart ?? DEFAULT_CHART_OPTIONS, {
          name: q.name,
          stepSeconds: step,
          ...(q.unit ? { unit: q.unit } : {}),
        });
    const snapshot: MetricSnapshot = {
      schemaVersion: 1,
      name: q.name,
      ...meta(q),
      query: q.query,
      prometheus: prom.url,
      start: start.toISOString(),
      end: o.end.toISOString(),
      stepSeconds: step,
      capturedAt: new Date().toISOString(),
      result: series,
      ...(a.result?.warnings ? { warnings: a.result.warnings } : {}),
      ...(a.error ? { error: a.error } : {}),
      stats: seriesStats(series, q.name),
      ...(plan ? { chart: plan.summary } : {}),
    };
    const source = `prometheus:${q.name}`;
    const json = await o.stage.addText(LAYOUT.metric(q.name), `${JSON.stringify(snapshot, null, 2)}\n`, {
      kind: 'metric',
      source,
      capturedAt: o.end,
    });
    let chart;
    if (plan) {
      chart = await o.stage.addText(
        LAYOUT.chart(q.name),
        renderLineChart({
          title: q.panel ?? q.name,
          subtitle: q.query,
          ...(plan.unit ? { unit: plan.unit } : {}),
          timeZone: o.plan.timeZone,
          start: start.getTime() / 1000,
          end: o.end.getTime() / 1000,
          stepSeconds: step,
          series: plan.series,
          scale: plan.scale,
          caption: plan.summary.caption,
        }),
        { kind: 'chart', source, capturedAt: o.end },
      );
      o.log(
        `${q.name}: ${series.length} series, ${series.reduce((n, s) => n + s.values.length, 0)} samples, ${plan.series.length} drawn (${plan.scale})`,
      );
    } else {
      o.problems.push(`metric ${q.name} not captured: ${a.error}`);
      o.log(`${q.name}: ${a.error}`);
    }
    out.push({
      name: q.name,
      ...meta(q),
      stats: snapshot.stats,
      ...(a.error ? { error: a.error } : {}),
      json,
      ...(chart ? { chart } : {}),
      ...(plan?.summary.caption.length ? { caption: plan.summary.caption } : {}),
    });
  }
  return out;
}

function meta(q: MetricQuerySpec): { panel?: string; squad?: string; unit?: string } {
  return {
    ...(q.panel ? { panel: q.panel } : {}),
    ...(q.squad ? { squad: q.squad } : {}),
    ...(q.unit ? { unit: q.unit } : {}),
  };
}
