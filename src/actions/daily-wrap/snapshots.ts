import { headline, seriesStats, stepFor } from '../../lib/evidence/metrics.js';
import { PrometheusClient } from '../../lib/prometheus/client.js';
import type { PanelQuery } from './inputs.js';

/** One panel's figure for the wrap: its headline value over the window, or why it has none. */
export interface PanelSnapshot {
  name: string;
  panel: string;
  squad: string;
  query: string;
  headline: string;
  series: number;
  error?: string;
}

/**
 * The team's dashboard panels (by default the same queries evidence-archive snapshots) over the working day,
 * read from Prometheus in parallel. A query that fails is reported on its row, never thrown: the
 * wrap is written with what could be read.
 */
export async function snapshotPanels(o: {
  client: PrometheusClient;
  queries: readonly PanelQuery[];
  end: Date;
  rangeMs: number;
}): Promise<PanelSnapshot[]> {
  const start = new Date(o.end.getTime() - o.rangeMs);
  const step = stepFor({ rangeMs: o.rangeMs });
  return Promise.all(
    o.queries.map(async (q) => {
      const base = { name: q.name, panel: q.panel ?? q.name, squad: q.squad ?? '', query: q.query };
      try {
        const r = await o.client.queryRange(q.query, start, o.end, step);
        const stats = seriesStats(r.result, q.name);
        return { ...base, series: stats.length, headline: headline({ stats, unit: q.unit ?? '' }) };
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        return { ...base, series: 0, error, headline: headline({ stats: [], error }) };
      }
    }),
  );
}
