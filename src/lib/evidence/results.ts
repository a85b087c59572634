import type { ResultEnvelope } from '../step-result.js';
import { pulseFailures, pulseGlance } from './pulse.js';

/**
 * Reading the other actions' JSON results. Each action owns its result's shape and may grow it,
 * so everything here is tolerant: fields are read when present and of the expected type, and a
 * result nobody here understands is still shown by its status and a link.
 */

export type AnyEnvelope = ResultEnvelope<unknown> & { status: string };

export function isEnvelope(value: unknown): value is AnyEnvelope {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.action === 'string' &&
    v.action !== '' &&
    typeof v.schemaVersion === 'number' &&
    typeof v.status === 'string' &&
    'result' in v
  );
}

/** Something that failed, named with its owner so the report can say who looks at it. */
export interface Failure {
  step: string;
  /** The item it belongs to (see itemKey): its follow-up issue is found by it. */
  item?: string;
  what: string;
  detail: string;
  owner?: string;
  runbook?: string;
  traceIds?: string[];
}

export interface HelmSummary {
  release?: string;
  namespace?: string;
  status?: string;
  revision?: number;
  chart?: string;
  previousRevision?: number;
  rolledBack?: boolean;
  /** A release set's releases, each summarized the same way (plus its wave), in the order deployed. */
  releases?: (HelmSummary & { wave?: number })[];
}

export interface SmokeSuiteSummary {
  name: string;
  squad: string;
  status: string;
  required: boolean;
  tests: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  reason?: string;
  owner?: string;
  runbook?: string;
}

export interface SmokeFailure {
  suite: string;
  squad: string;
  test: string;
  message?: string;
  location?: string;
  owner?: string;
  runbook?: string;
}

export interface KafkaTopicSummary {
  name: string;
  status: string;
  ratePerMinute?: number;
  messagesInWindow?: number;
  newestAgeMs?: number;
  owner?: string;
  runbook?: string;
  findings: string[];
  traceIds: string[];
}

/** Which way a group's lag went over kafka-topic-check's window. */
export interface KafkaLagDirection {
  trend: string;
  productionPerSecond: number;
  consumptionPerSecond: number;
  /** Milliseconds, or 'never' / 'unknown'. */
  catchUp: number | string;
  fallingBehind: boolean;
}

export interface KafkaGroupSummary {
  name: string;
  status: string;
  level: string;
  totalLag?: number;
  maxTimeLagMs?: number;
  direction?: KafkaLagDirection;
  owner?: string;
  runbook?: string;
  findings: string[];
}

const rec = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const first = <T>(...vals: (T | undefined)[]): T | undefined => vals.find((v) => v !== undefined);

/** The Kafka cluster a kafka-topic-check result names, when the day checked several. */
export function clusterOf(result: unknown): string | undefined {
  return str(rec(result)?.cluster);
}

/** helm-deploy: the release, its revision and how it ended. */
export function summarizeHelm(result: unknown): HelmSummary {
  const r = rec(result) ?? {};
  const rel = rec(r.release);
  const out: HelmSummary = {};
  const release = first(str(r.release), str(rel?.name), str(r.releaseName));
  const namespace = first(str(r.namespace), str(rel?.namespace));
  const status = first(str(r.releaseStatus), str(rel?.status), str(r.status), str(rec(r.info)?.status));
  const revision = first(num(r.revision), num(rel?.revision), num(rel?.version));
  const chart = first(
    str(r.chart),
    str(rel?.chart),
    [str(r.chartName), str(r.chartVersion)].filter(Boolean).join('-') || undefined,
  );
  const previous = first(num(r.previousRevision), num(rel?.previousRevision));
  const rolled =
    typeof r.rolledBack === 'boolean'
      ? r.rolledBack
      : typeof rec(r.rollback)?.performed === 'boolean'
        ? (rec(r.rollback)!.performed as boolean)
        : undefined;
  if (release) out.release = release;
  if (namespace) out.namespace = namespace;
  if (status) out.status = status;
  if (revision !== undefined) out.revision = revision;
  if (chart) out.chart = chart;
  if (previous !== undefined) out.previousRevision = previous;
  if (rolled !== undefined) out.rolledBack = rolled;
  const set = arr(r.releases).filter((x) => rec(x));
  if (set.length)
    out.releases = set.map((x) => {
      const one: HelmSummary & { wave?: number } = summarizeHelm(x);
      const wave = num(rec(x)!.wave);
      if (wave !== undefined) one.wave = wave;
      return one;
    });
  return out;
}

/** smoke-suite: per-suite counts with squad and owner, and the failing tests. */
export function summarizeSmoke(result: unknown): { suites: SmokeSuiteSummary[]; failures: SmokeFailure[] } {
  const r = rec(result) ?? {};
  const suites: SmokeSuiteSummary[] = [];
  const failures: SmokeFailure[] = [];
  for (const raw of arr(r.suites)) {
    const s = rec(raw);
    if (!s) continue;
    const plan = rec(s.plan) ?? {};
    const counts = rec(s.counts) ?? s;
    const name = first(str(s.name), str(plan.name)) ?? 'unnamed suite';
    const squad = first(str(s.squad), str(plan.squad)) ?? 'unassigned';
    const owner = first(str(s.owner), str(plan.owner));
    const runbook = first(str(s.runbook), str(plan.runbook));
    const passed = num(counts.passed) ?? 0;
    const failed = num(counts.failed) ?? 0;
    const errored = num(counts.errored) ?? num(counts.errors) ?? 0;
    const skipped = num(counts.skipped) ?? 0;
    const required =
      typeof s.required === 'boolean'
        ? s.required
        : typeof plan.required === 'boolean'
          ? plan.required
          : true;
    const reason = str(s.reason);
    suites.push({
      name,
      squad,
      status: str(s.status) ?? (failed + errored > 0 ? 'failed' : 'passed'),
      required,
      tests: num(counts.tests) ?? passed + failed + errored + skipped,
      passed,
      failed,
      errored,
      skipped,
      ...(reason ? { reason } : {}),
      ...(owner ? { owner } : {}),
      ...(runbook ? { runbook } : {}),
    });
    for (const fraw of arr(s.failures)) {
      const f = rec(fraw);
      if (!f) continue;
      const loc = rec(f.location);
      const file = first(str(loc?.file), str(f.file));
      const line = first(num(loc?.line), num(f.line));
      const test =
        first(str(f.id), [str(f.classname), str(f.name)].filter(Boolean).join('::') || undefined) ??
        'unnamed test';
      const message = first(str(f.message), str(f.text)?.split('\n')[0]);
      failures.push({
        suite: name,
        squad,
        test,
        ...(message ? { message } : {}),
        ...(file ? { location: line !== undefined ? `${file}:${line}` : file } : {}),
        ...(owner ? { owner } : {}),
        ...(runbook ? { runbook } : {}),
      });
    }
  }
  return { suites, failures };
}

/** kafka-topic-check: per-topic health and consumer groups. */
export function summarizeKafka(result: unknown): {
  topics: KafkaTopicSummary[];
  groups: KafkaGroupSummary[];
} {
  const r = rec(result) ?? {};
  const findings = (v: unknown) =>
    arr(v)
      .map((f) => str(rec(f)?.message) ?? str(f))
      .filter((m): m is string => !!m);
  const topics = arr(r.topics)
    .map(rec)
    .filter((t): t is Record<string, unknown> => !!t)
    .map((t) => {
      const out: KafkaTopicSummary = {
        name: str(t.name) ?? 'unnamed topic',
        status: str(t.status) ?? 'unknown',
        findings: findings(t.findings),
        traceIds: arr(t.traceIds)
          .map(str)
          .filter((x): x is string => !!x),
      };
      const rate = num(t.ratePerMinute);
      const inWindow = num(t.messagesInWindow);
      const age = num(t.newestAgeMs);
      if (rate !== undefined) out.ratePerMinute = rate;
      if (inWindow !== undefined) out.messagesInWindow = inWindow;
      if (age !== undefined) out.newestAgeMs = age;
      if (str(t.owner)) out.owner = str(t.owner)!;
      if (str(t.runbook)) out.runbook = str(t.runbook)!;
      return out;
    });
  const groups = arr(r.groups)
    .map(rec)
    .filter((g): g is Record<string, unknown> => !!g)
    .map((g) => {
      const out: KafkaGroupSummary = {
        name: str(g.name) ?? 'unnamed group',
        status: str(g.status) ?? 'UNKNOWN',
        level: str(g.level) ?? 'ok',
        findings: findings(g.findings),
      };
      const lag = num(g.totalLag);
      const tl = num(g.maxTimeLagMs);
      const direction = lagDirection(g.direction);
      if (lag !== undefined) out.totalLag = lag;
      if (tl !== undefined) out.maxTimeLagMs = tl;
      if (direction) out.direction = direction;
      if (str(g.owner)) out.owner = str(g.owner)!;
      if (str(g.runbook)) out.runbook = str(g.runbook)!;
      return out;
    });
  return { topics, groups };
}

/** A group's lag direction when the result has one whole (trend, both rates, catch-up); otherwise none. */
function lagDirection(v: unknown): KafkaLagDirection | undefined {
  const d = rec(v);
  const trend = str(d?.trend);
  const productionPerSecond = num(d?.productionPerSecond);
  const consumptionPerSecond = num(d?.consumptionPerSecond);
  const catchUp = first<number | string>(num(d?.catchUpMs), str(d?.catchUpMs));
  if (
    !trend ||
    productionPerSecond === undefined ||
    consumptionPerSecond === undefined ||
    catchUp === undefined
  )
    return undefined;
  return {
    trend,
    productionPerSecond,
    consumptionPerSecond,
    catchUp,
    fallingBehind: d?.fallingBehind === true,
  };
}

/**
 * The key of a day's item (a deploy, a suite, a topic, a consumer group, the Kafka outage), the same
 * from one day to the next: a follow-up issue carries it in a hidden marker.
 */
export const itemKey = {
  deploy: (h: HelmSummary) =>
    `deploy:${h.release ? `${h.namespace ? `${h.namespace}/` : ''}${h.release}` : 'helm-deploy'}`,
  suite: (name: string) => `suite:${name}`,
  // With several Kafka clusters, the same topic on two clusters is two things that fail apart: the
  // cluster is part of the key (a name of letters, digits, dots, dashes and underscores, never `@`).
  topic: (name: string, cluster?: string) => `topic:${name}${onCluster(cluster)}`,
  group: (name: string, cluster?: string) => `group:${name}${onCluster(cluster)}`,
  kafkaOutage: (cluster?: string) => `incident:kafka-unreachable${onCluster(cluster)}`,
} as const;

function onCluster(cluster: string | undefined): string {
  return cluster ? `@${cluster}` : '';
}

/** The Kafka brokers could not be reached at all: kafka-topic-check's result says so in `outage`. */
export function kafkaOutageOf(result: unknown): { brokers: string[]; message: string } | undefined {
  const outage = rec(rec(result)?.outage);
  if (!outage) return undefined;
  return {
    brokers: arr(outage.brokers).filter((b): b is string => typeof b === 'string'),
    message: str(outage.message) ?? 'the brokers could not be reached',
  };
}

/** Everything that failed in one result, owners attached; the generic fallback is the step itself. */
export function failuresOf(env: AnyEnvelope): Failure[] {
  const step = env.action;
  const out: Failure[] = [];
  if (step === 'smoke-suite') {
    const { suites, failures } = summarizeSmoke(env.result);
    for (const f of failures) {
      out.push({
        step,
        item: itemKey.suite(f.suite),
        what: `${f.suite}: ${f.test}`,
        detail: [f.message, f.location].filter(Boolean).join(' — ') || 'failed',
        ...((f.owner ?? f.squad !== 'unassigned') ? { owner: f.owner ?? f.squad } : {}),
        ...(f.runbook ? { runbook: f.runbook } : {}),
      });
    }
    // A suite can fail without a failing test (timeout, no report, crash): say so once.
    for (const s of suites) {
      if ((s.status === 'failed' || s.status === 'not-run') && !failures.some((f) => f.suite === s.name)) {
        out.push({
          step,
          item: itemKey.suite(s.name),
          what: `suite ${s.name}${s.required ? '' : ' (optional)'}`,
          detail: s.reason ?? s.status,
          ...((s.owner ?? s.squad !== 'unassigned') ? { owner: s.owner ?? s.squad } : {}),
          ...(s.runbook ? { runbook: s.runbook } : {}),
        });
      }
    }
  } else if (step === 'kafka-topic-check') {
    const cluster = clusterOf(env.result);
    const on = cluster ? ` on cluster ${cluster}` : '';
    const { topics, groups } = summarizeKafka(env.result);
    for (const t of topics.filter((t) => t.status === 'error' || t.status === 'warning')) {
      out.push({
        step,
        item: itemKey.topic(t.name, cluster),
        what: `topic ${t.name}${on} (${t.status})`,
        detail: t.findings.join('; ') || t.status,
        ...(t.owner ? { owner: t.owner } : {}),
        ...(t.runbook ? { runbook: t.runbook } : {}),
        ...(t.traceIds.length ? { traceIds: t.traceIds.slice(0, 3) } : {}),
      });
    }
    for (const g of groups.filter((g) => g.level === 'error' || g.level === 'warning')) {
      out.push({
        step,
        item: itemKey.group(g.name, cluster),
        what: `consumer group ${g.name}${on} (${g.status})`,
        detail: g.findings.join('; ') || g.status,
        ...(g.owner ? { owner: g.owner } : {}),
        ...(g.runbook ? { runbook: g.runbook } : {}),
      });
    }
  } else if (step === 'infra-pulse') {
    for (const f of pulseFailures(env.result)) out.push({ step, ...f });
  }
  if (env.status !== 'success' && out.length === 0) {
    const r = rec(env.result);
    const message =
      first(
        str(r?.failure),
        str(r?.error),
        str(rec(r?.error)?.message),
        str(r?.message),
        str(r?.reason),
        str(r?.headline),
        str(rec(r?.outage)?.message),
      ) ?? `${step} ended with status ${env.status}`;
    const item =
      step === 'helm-deploy'
        ? itemKey.deploy(summarizeHelm(env.result))
        : step === 'kafka-topic-check' && kafkaOutageOf(env.result)
          ? itemKey.kafkaOutage(clusterOf(env.result))
          : undefined;
    out.push({
      step,
      ...(item ? { item } : {}),
      what: step,
      detail: message,
      ...(str(r?.owner) ? { owner: str(r?.owner)! } : {}),
      ...(str(r?.runbook) ? { runbook: str(r?.runbook)! } : {}),
    });
  }
  return out;
}

/** One line describing a result for the "at a glance" table. */
export function glance(env: AnyEnvelope): string {
  switch (env.action) {
    case 'helm-deploy': {
      const h = summarizeHelm(env.result);
      if (h.releases)
        return `release set: ${h.releases
          .map(
            (x) =>
              `\`${x.release ?? '?'}\` ${x.status ?? 'unknown'}${x.revision !== undefined ? ` (revision ${x.revision})` : ''}`,
          )
          .join(', ')}`;
      const parts = [
        h.release ? `\`${h.release}\`${h.namespace ? ` in \`${h.namespace}\`` : ''}` : undefined,
        h.revision !== undefined ? `revision ${h.revision}` : undefined,
        h.status,
        h.rolledBack
          ? `rolled back${h.previousRevision !== undefined ? ` to ${h.previousRevision}` : ''}`
          : undefined,
      ];
      return parts.filter(Boolean).join(', ') || env.status;
    }
    case 'smoke-suite': {
      const { suites } = summarizeSmoke(env.result);
      if (suites.length === 0) return env.status;
      const t = suites.reduce(
        (a, s) => ({
          passed: a.passed + s.passed,
          failed: a.failed + s.failed,
          errored: a.errored + s.errored,
          skipped: a.skipped + s.skipped,
        }),
        { passed: 0, failed: 0, errored: 0, skipped: 0 },
      );
      const bad = suites.filter((s) => s.status === 'failed' || s.status === 'not-run').length;
      return `${suites.length} suite(s), ${bad} failed; tests: ${t.passed} passed, ${t.failed} failed, ${t.errored} errored, ${t.skipped} skipped`;
    }
    case 'infra-pulse':
      return pulseGlance(env.result);
    case 'kafka-topic-check': {
      const on = clusterOf(env.result) ? `cluster ${clusterOf(env.result)}: ` : '';
      if (kafkaOutageOf(env.result)) return `${on}Kafka unreachable: no topic or group was checked`;
      const { topics, groups } = summarizeKafka(env.result);
      if (topics.length === 0 && groups.length === 0) return `${on}${env.status}`;
      const bad = topics.filter((t) => t.status === 'error').length;
      const warn = topics.filter((t) => t.status === 'warning').length;
      return `${on}${topics.length} topic(s): ${topics.length - bad - warn} healthy, ${warn} warning, ${bad} error; ${groups.length} group(s), ${groups.filter((g) => g.level !== 'ok').length} not ok`;
    }
    default: {
      const r = rec(env.result);
      const summary = first(str(r?.headline), str(r?.summary), str(r?.message));
      return summary ?? env.status;
    }
  }
}
