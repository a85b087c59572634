import type { AmAlert, AmMatcher, AmSilence } from '../../lib/alertmanager/client.js';
import { formatDuration } from '../../lib/duration.js';
import type { PrometheusAlert, ScrapeTarget } from '../../lib/prometheus/status.js';
import { DEFAULT_OWNER, type AlertsPlan } from './inputs.js';
import {
  worst,
  type AlertsView,
  type AlertView,
  type CheckResult,
  type Finding,
  type MaintenanceWindow,
  type Outcome,
  type TargetView,
} from './model.js';

export interface AlertsObservation {
  alerts: AmAlert[] | PrometheusAlert[];
  /** Alertmanager's silences (none from Prometheus). */
  silences: AmSilence[];
}

export interface AlertsEvaluation {
  check: CheckResult;
  view: AlertsView;
  maintenance: MaintenanceWindow[];
}

const UNOWNED = 'unowned';

/**
 * Firing alerts grouped by their owner label, each with its trace link; planned maintenance (the
 * active silences and those starting within the horizon). A firing alert a silence covers is "in
 * maintenance" (OK); one another alert inhibits is shown, not counted; any other firing alert is a
 * FAIL when its severity is critical, else a WARN. A source that could not be read is UNKNOWN:
 * nothing is known, so nothing is OK. Pure; `now` decides what "within the horizon" means.
 */
export function evaluateAlerts(
  plan: AlertsPlan,
  outcome: Outcome<AlertsObservation>,
  now: Date,
): AlertsEvaluation {
  const where = plan.http.url.replace(/\/+$/, '');
  const thresholds = {
    alerts: `FAIL for a firing alert with severity ${plan.criticalSeverities.join(' or ')}, WARN for any other firing alert; a silenced alert is in maintenance`,
    maintenance: `silences active now or starting within ${formatDuration(plan.horizonMs)}`,
  };
  const base = {
    id: 'alerts',
    kind: 'alerts' as const,
    name: plan.source === 'alertmanager' ? 'Alertmanager' : 'Prometheus alerts',
    target: where,
    required: plan.required,
    owner: DEFAULT_OWNER,
    runbooks: [] as string[],
    thresholds,
    durationMs: outcome.durationMs,
  };
  if (!outcome.ok) {
    return {
      check: {
        ...base,
        status: 'UNKNOWN',
        summary: `alerts and maintenance unknown: ${outcome.error}`,
        findings: [
          {
            status: 'UNKNOWN',
            aspect: 'alerts',
            message: `${outcome.error}: firing alerts and planned maintenance are unknown`,
          },
        ],
        metrics: { reachable: false },
      },
      view: {
        source: plan.source,
        ownerLabel: plan.ownerLabel,
        error: outcome.error,
        groups: [],
        firing: 0,
        inMaintenance: 0,
        inhibited: 0,
      },
      maintenance: [],
    };
  }
  const silences = new Map(outcome.value.silences.map((s) => [s.id, s]));
  const views: AlertView[] = [];
  for (const raw of outcome.value.alerts) {
    const a = normalize(raw);
    if (!a) continue;
    const severity = a.labels.severity ?? 'none';
    const silencedBy = a.silencedBy
      .map((id) => silences.get(id))
      .filter((s): s is AmSilence => s !== undefined)
      .map((s) => ({ id: s.id, createdBy: s.createdBy, comment: s.comment, endsAt: s.endsAt }));
    const state: AlertView['state'] =
      a.silencedBy.length > 0 ? 'in-maintenance' : a.inhibitedBy.length > 0 ? 'inhibited' : 'firing';
    const traceId = a.labels.trace_id ?? a.annotations.trace_id;
    views.push({
      name: a.labels.alertname ?? 'unnamed alert',
      owner: a.labels[plan.ownerLabel] || UNOWNED,
      severity,
      state,
      status: state !== 'firing' ? 'OK' : plan.criticalSeverities.includes(severity) ? 'FAIL' : 'WARN',
      since: a.startsAt,
      ...(a.annotations.summary || a.annotations.description
        ? { summary: a.annotations.summary ?? a.annotations.description }
        : {}),
      ...(traceId ? { traceId } : {}),
      ...(traceId && plan.traceUrl
        ? { traceUrl: plan.traceUrl.replaceAll('{trace_id}', encodeURIComponent(traceId)) }
        : {}),
      ...(a.annotations.runbook_url ? { runbook: a.annotations.runbook_url } : {}),
      silencedBy,
      labels: a.labels,
    });
  }
  views.sort(
    (x, y) =>
      order(y) - order(x) ||
      (x.owner < y.owner ? -1 : x.owner > y.owner ? 1 : 0) ||
      (x.name < y.name ? -1 : 1),
  );
  const owners = [...new Set(views.map((v) => v.owner))].sort((a, b) =>
    a === UNOWNED ? 1 : b === UNOWNED ? -1 : a < b ? -1 : 1,
  );
  const groups = owners.map((owner) => ({ owner, alerts: views.filter((v) => v.owner === owner) }));

  const horizon = now.getTime() + plan.horizonMs;
  const maintenance: MaintenanceWindow[] = outcome.value.silences
    .filter(
      (s) =>
        s.status.state === 'active' || (s.status.state === 'pending' && Date.parse(s.startsAt) <= horizon),
    )
    .map((s) => ({
      id: s.id,
      state: s.status.state === 'active' ? ('active' as const) : ('pending' as const),
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      createdBy: s.createdBy,
      comment: s.comment,
      matchers: s.matchers.map(matcherText).join(', '),
      covers: views.filter((v) => v.silencedBy.some((x) => x.id === s.id)).length,
    }))
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));

  const firing = views.filter((v) => v.state === 'firing');
  const inMaintenance = views.filter((v) => v.state === 'in-maintenance');
  const findings: Finding[] = firing.map((v) => ({
    status: v.status,
    aspect: 'alerts',
    message: `${v.name} (${v.severity}) firing since ${v.since} — owner ${v.owner}${v.summary ? `: ${v.summary}` : ''}${v.traceId ? ` (trace ${v.traceId})` : ''}`,
    threshold: thresholds.alerts,
  }));
  for (const v of inMaintenance)
    findings.push({
      status: 'OK',
      aspect: 'maintenance',
      message: `${v.name} is in maintenance: silenced by ${v.silencedBy.map((s) => `${s.createdBy} until ${s.endsAt}${s.comment ? ` (${s.comment})` : ''}`).join('; ') || 'a silence'}`,
    });
  const critical = firing.filter((v) => v.status === 'FAIL').length;
  return {
    check: {
      ...base,
      runbooks: [...new Set(firing.map((v) => v.runbook).filter((r): r is string => !!r))],
      status: worst(findings.map((f) => f.status)),
      summary: `${firing.length} firing (${critical} critical), ${inMaintenance.length} in maintenance, ${maintenance.length} planned maintenance window(s)`,
      findings: findings.length
        ? findings
        : [{ status: 'OK', aspect: 'alerts', message: 'no alert is firing' }],
      metrics: {
        reachable: true,
        firing: firing.length,
        critical,
        inMaintenance: inMaintenance.length,
        inhibited: views.filter((v) => v.state === 'inhibited').length,
        maintenanceWindows: maintenance.length,
      },
    },
    view: {
      source: plan.source,
      ownerLabel: plan.ownerLabel,
      groups,
      firing: firing.length,
      inMaintenance: inMaintenance.length,
      inhibited: views.filter((v) => v.state === 'inhibited').length,
    },
    maintenance,
  };
}

/** Scrape targets that are down: each a WARN for its owner; Prometheus unreadable: UNKNOWN. Pure. */
export function evaluateTargets(
  plan: { http: { url: string }; ownerLabel: string },
  outcome: Outcome<ScrapeTarget[]>,
): { check: CheckResult; down: TargetView[] } {
  const base = {
    id: 'targets',
    kind: 'targets' as const,
    name: 'Prometheus scrape targets',
    target: plan.http.url.replace(/\/+$/, ''),
    required: false,
    owner: DEFAULT_OWNER,
    runbooks: [] as string[],
    thresholds: { targets: 'WARN for every target that is down' },
    durationMs: outcome.durationMs,
  };
  if (!outcome.ok)
    return {
      check: {
        ...base,
        status: 'UNKNOWN',
        summary: `scrape targets unknown: ${outcome.error}`,
        findings: [{ status: 'UNKNOWN', aspect: 'targets', message: outcome.error }],
        metrics: { reachable: false },
      },
      down: [],
    };
  const targets = outcome.value;
  const down: TargetView[] = targets
    .filter((t) => t.health !== 'up')
    .map((t) => ({
      job: t.labels.job ?? t.scrapePool,
      instance: t.labels.instance ?? t.scrapeUrl,
      scrapeUrl: t.scrapeUrl,
      health: t.health,
      lastError: t.lastError,
      owner: t.labels[plan.ownerLabel] || UNOWNED,
    }))
    .sort((a, b) => (a.job < b.job ? -1 : a.job > b.job ? 1 : a.instance < b.instance ? -1 : 1));
  const findings: Finding[] = down.map((t) => ({
    status: 'WARN',
    aspect: 'targets',
    message: `${t.job} ${t.instance} is ${t.health}${t.lastError ? `: ${t.lastError}` : ''} — owner ${t.owner}`,
    threshold: base.thresholds.targets,
  }));
  return {
    check: {
      ...base,
      status: worst(findings.map((f) => f.status)),
      summary: `${targets.length - down.length} of ${targets.length} target(s) up`,
      findings: findings.length
        ? findings
        : [{ status: 'OK', aspect: 'targets', message: `all ${targets.length} target(s) up` }],
      metrics: { reachable: true, targets: targets.length, down: down.length },
    },
    down,
  };
}

interface NormalAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  silencedBy: string[];
  inhibitedBy: string[];
}

/** Alertmanager's and Prometheus' alerts in one shape; a Prometheus alert still pending is not firing. */
function normalize(raw: AmAlert | PrometheusAlert): NormalAlert | undefined {
  if ('fingerprint' in raw || 'status' in raw) {
    const a = raw as AmAlert;
    return {
      labels: a.labels ?? {},
      annotations: a.annotations ?? {},
      startsAt: a.startsAt,
      silencedBy: a.status?.silencedBy ?? [],
      inhibitedBy: a.status?.inhibitedBy ?? [],
    };
  }
  const p = raw as PrometheusAlert;
  if (p.state !== 'firing') return undefined;
  return {
    labels: p.labels ?? {},
    annotations: p.annotations ?? {},
    startsAt: p.activeAt ?? '',
    silencedBy: [],
    inhibitedBy: [],
  };
}

function order(v: AlertView): number {
  return v.status === 'FAIL' ? 3 : v.status === 'WARN' ? 2 : v.state === 'in-maintenance' ? 1 : 0;
}

/** A matcher in Alertmanager's own notation. */
export function matcherText(m: AmMatcher): string {
  const equal = m.isEqual ?? true;
  const op = m.isRegex ? (equal ? '=~' : '!~') : equal ? '=' : '!=';
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}
