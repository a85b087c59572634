/**
 * The pulse's vocabulary: every check ends as one of four statuses, with the thresholds it applied,
 * who owns it and where its runbooks are. Pure types and the few rules that combine statuses.
 */
export type Status = 'OK' | 'WARN' | 'FAIL' | 'UNKNOWN';

/** FAIL outranks UNKNOWN (a check that could not be made is not a pass, but is not an outage either). */
const RANK: Record<Status, number> = { OK: 0, WARN: 1, UNKNOWN: 2, FAIL: 3 };

export function worst(statuses: readonly Status[]): Status {
  return statuses.reduce<Status>((w, s) => (RANK[s] > RANK[w] ? s : w), 'OK');
}

export function rank(status: Status): number {
  return RANK[status];
}

export type DependencyKind = 'kafka' | 'redis' | 'postgres' | 'alerts' | 'targets';

/** One thing a check looked at, and what it concluded. */
export interface Finding {
  status: Status;
  /** reachable, latency, role, replication, persistence, memory, evictions, clients, connections, transactions, brokers, controller, partitions, metadata, alerts, targets */
  aspect: string;
  message: string;
  /** The threshold the value was held against, in words (`WARN > 100ms`). */
  threshold?: string;
}

export interface CheckResult {
  /** `kafka`, `redis:<name>`, `postgres:<name>`, `alerts`, `targets`. */
  id: string;
  kind: DependencyKind;
  name: string;
  /** Where it was checked (host:port or URL), never with credentials. */
  target: string;
  /** A required check that fails (per `fail-on`) fails the step and stops a day's deploy. */
  required: boolean;
  status: Status;
  /** One line for tables and the status file. */
  summary: string;
  owner: string;
  runbooks: string[];
  /** The thresholds applied, by aspect, in words. */
  thresholds: Record<string, string>;
  findings: Finding[];
  /** What was measured, for the JSON result (milliseconds, bytes, counts, ratios). */
  metrics: Record<string, number | string | boolean | null>;
  durationMs: number;
}

export interface SilenceRef {
  id: string;
  createdBy: string;
  comment: string;
  endsAt: string;
}

export interface AlertView {
  name: string;
  /** The owner label's value (e.g. the squad), or `unowned`. */
  owner: string;
  severity: string;
  /** firing: needs an owner now; in-maintenance: a silence covers it; inhibited: another alert explains it. */
  state: 'firing' | 'in-maintenance' | 'inhibited';
  status: Status;
  since: string;
  summary?: string;
  traceId?: string;
  traceUrl?: string;
  /** The alert's `runbook_url` annotation, when it has one. */
  runbook?: string;
  silencedBy: SilenceRef[];
  labels: Record<string, string>;
}

export interface MaintenanceWindow {
  id: string;
  state: 'active' | 'pending';
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  /** The matchers in Alertmanager's notation: `alertname="RedisDown", squad=~"Runtime.*"`. */
  matchers: string;
  /** Firing alerts it covers now. */
  covers: number;
}

export interface TargetView {
  job: string;
  instance: string;
  scrapeUrl: string;
  health: string;
  lastError: string;
  owner: string;
}

export interface AlertsView {
  source: 'alertmanager' | 'prometheus' | 'none';
  /** Why nothing is known about alerts (the source could not be read). */
  error?: string;
  ownerLabel: string;
  groups: { owner: string; alerts: AlertView[] }[];
  firing: number;
  inMaintenance: number;
  inhibited: number;
}

export interface PulseReport {
  verdict: Status;
  /** No required check fails (per `fail-on`): the day may deploy. */
  ready: boolean;
  /** Ids of the required checks that fail. */
  blocking: string[];
  headline: string;
  date: string;
  timeZone: string;
  checkedAt: string;
  /** Wall time of all checks together, and of the slowest one (they run in parallel). */
  wallMs: number;
  slowestMs: number;
  timeoutMs: number;
  checkTimeoutMs: number;
  failOn: FailOn;
  checks: CheckResult[];
  alerts: AlertsView;
  maintenance: MaintenanceWindow[];
  targetsDown: TargetView[];
  counts: Record<'checks' | 'ok' | 'warn' | 'fail' | 'unknown', number>;
}

export type FailOn = 'fail' | 'unknown' | 'warn';

/** Whether a check's status fails the step, per `fail-on`. */
export function failsStep(status: Status, failOn: FailOn): boolean {
  if (status === 'FAIL') return true;
  if (status === 'UNKNOWN') return failOn !== 'fail';
  if (status === 'WARN') return failOn === 'warn';
  return false;
}

export const STATUS_MARK: Record<Status, string> = { OK: '✅', WARN: '⚠️', FAIL: '❌', UNKNOWN: '❔' };

/** What a check's I/O brought back: its observation, or why there is none. */
export type Outcome<T> =
  | { ok: true; value: T; durationMs: number }
  | { ok: false; error: string; kind: FailureKind; durationMs: number };

/** Why a check has no observation: an outage (unreachable, timeout), refused credentials, or a failed query. */
export type FailureKind = 'unreachable' | 'auth' | 'timeout' | 'refused' | 'query';

/** A failure message that names where it happened (a deadline's message does not). */
export function failureMessage(target: string, error: string): string {
  return error.includes(target) ? error : `${target}: ${error}`;
}

/** What every check result says before its findings: who it is, where, and how it is judged. */
export type CheckHead = Omit<CheckResult, 'status' | 'summary' | 'findings' | 'metrics'>;

/**
 * A check that brought back no observation: FAIL, naming where and why. Refused credentials are
 * said as such (the fix is a password, not a restart); `aspect` is what the finding is about.
 */
export function withoutObservation(
  head: CheckHead,
  failure: { error: string; kind: FailureKind },
  aspect: string,
): CheckResult {
  const why = failureMessage(head.target, failure.error);
  return {
    ...head,
    status: 'FAIL',
    summary: `${failure.kind === 'auth' ? 'credentials refused' : 'not reachable'}: ${why}`,
    findings: [{ status: 'FAIL', aspect, message: why }],
    metrics: { reachable: false, failure: failure.kind },
  };
}
