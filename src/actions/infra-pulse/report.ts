import type { AlertsEvaluation } from './evaluate-alerts.js';
import type { PulsePlan } from './inputs.js';
import { failsStep, rank, worst, type CheckResult, type PulseReport, type TargetView } from './model.js';

/** The pulse's result from its evaluated checks: verdict, readiness, counts and a headline. Pure. */
export function buildReport(o: {
  plan: PulsePlan;
  checks: CheckResult[];
  alerts?: AlertsEvaluation;
  targetsDown: TargetView[];
  wallMs: number;
  checkedAt: Date;
}): PulseReport {
  const { plan, checks } = o;
  const verdict = worst(checks.map((c) => c.status));
  const blocking = checks.filter((c) => c.required && failsStep(c.status, plan.failOn)).map((c) => c.id);
  const count = (s: CheckResult['status']) => checks.filter((c) => c.status === s).length;
  const worstFirst = [...checks].sort(
    (a, b) => rank(b.status) - rank(a.status) || Number(b.required) - Number(a.required),
  );
  const bad = worstFirst.filter((c) => c.status !== 'OK');
  const headline =
    bad.length === 0
      ? `All ${checks.length} check(s) OK`
      : `${verdict}: ${bad
          .slice(0, 3)
          .map(
            (c) =>
              `${c.id} ${c.status}${c.status === 'FAIL' || c.status === 'UNKNOWN' ? ` (${c.findings.find((f) => f.status === c.status)?.message ?? c.summary})` : ''}`,
          )
          .join('; ')}${bad.length > 3 ? `; and ${bad.length - 3} more` : ''}`;
  return {
    verdict,
    ready: blocking.length === 0,
    blocking,
    headline,
    date: plan.date,
    timeZone: plan.timeZone,
    checkedAt: o.checkedAt.toISOString(),
    wallMs: Math.round(o.wallMs),
    slowestMs: Math.round(Math.max(0, ...checks.map((c) => c.durationMs))),
    timeoutMs: plan.timeoutMs,
    checkTimeoutMs: plan.checkTimeoutMs,
    failOn: plan.failOn,
    checks: checks.map((c) => ({ ...c, durationMs: Math.round(c.durationMs) })),
    alerts: o.alerts?.view ?? {
      source: 'none',
      ownerLabel: plan.alerts?.ownerLabel ?? 'squad',
      groups: [],
      firing: 0,
      inMaintenance: 0,
      inhibited: 0,
    },
    maintenance: o.alerts?.maintenance ?? [],
    targetsDown: o.targetsDown,
    counts: {
      checks: checks.length,
      ok: count('OK'),
      warn: count('WARN'),
      fail: count('FAIL'),
      unknown: count('UNKNOWN'),
    },
  };
}
