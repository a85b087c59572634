// This day against the previous Integration Day: the comparison the status report shows and the
// panel findings (threshold, regression limit) that join the day's failures.
import type { MetricQuerySpec } from '../../lib/evidence/metrics.js';
import { panelFindings, type PanelFinding, type PanelLimits } from '../../lib/evidence/panel-limits.js';
import type { ReportMetric, ReportResult } from '../../lib/evidence/report.js';
import {
  compareSmoke,
  comparePanels,
  mergeSmokeDays,
  smokeDay,
  type SinceLastWeek,
} from '../../lib/evidence/week-over-week.js';
import type { PreviousDay } from './previous-day.js';

export interface WeekOverWeek {
  sinceLastWeek: SinceLastWeek;
  panelFindings: PanelFinding[];
}

/** Pure: today's results and snapshots, the earlier day as read back (or none), the queries' limits. */
export function weekOverWeek(o: {
  previous: PreviousDay | undefined;
  results: readonly ReportResult[];
  metrics: readonly ReportMetric[];
  queries: readonly MetricQuerySpec[];
}): WeekOverWeek {
  const panels = comparePanels(o.metrics, o.previous?.panels ?? []);
  const limits = new Map<string, PanelLimits>(
    o.queries.flatMap((q) => (q.limits ? [[q.name, q.limits] as const] : [])),
  );
  const today = mergeSmokeDays(
    o.results.filter((r) => r.envelope.action === 'smoke-suite').map((r) => smokeDay(r.envelope.result)),
  );
  const p = o.previous;
  return {
    sinceLastWeek: {
      ...(p
        ? { previous: { date: p.date, statusFileRel: p.statusFileRel, evidenceDirRel: p.evidenceDirRel } }
        : {}),
      panels,
      ...(p?.smoke ? { smoke: compareSmoke(today, p.smoke) } : {}),
      limits: Object.fromEntries(
        [...limits].map(([name, l]) => [
          name,
          {
            ...(l.thresholdText ? { threshold: l.thresholdText } : {}),
            ...(l.regressionLimit !== undefined ? { regressionLimit: l.regressionLimit } : {}),
            severity: l.severity,
          },
        ]),
      ),
    },
    panelFindings: panelFindings(panels, limits),
  };
}
