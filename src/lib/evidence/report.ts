import { posix } from 'node:path';
import type { RunInfo } from '../step-result.js';
import { formatDuration } from '../duration.js';
import { cell, linkTarget, linkText, runbookLink, table } from '../markdown.js';
import type { Manifest, ManifestEntry } from './manifest.js';
import { headline, type SeriesStats } from './metrics.js';
import { renderPulseReportSection, summarizePulse } from './pulse.js';
import {
  failuresOf,
  glance,
  kafkaOutageOf,
  clusterOf,
  summarizeHelm,
  summarizeKafka,
  type KafkaLagDirection,
  summarizeSmoke,
  type AnyEnvelope,
  type Failure,
} from './results.js';
import { formatBytes } from './sizes.js';
import type { PanelFinding } from './panel-limits.js';
import { sinceLastWeekSection } from './report-week.js';
import { shardSpreadSection } from './report-shards.js';
import type { SinceLastWeek } from './week-over-week.js';

/** A file in the bundle, by its path in the evidence folder (the manifest says where it is stored). */
export interface EvidenceRef {
  path: string;
}

export interface ReportResult {
  /** The result, with the status the day counts (its job's result can overrule the file's). */
  envelope: AnyEnvelope;
  /** The archived copy, when there is one. */
  entry?: EvidenceRef;
  /** Why the counted status differs from the file's, or what else a reader must know. */
  note?: string;
  /** The file said success, but its job did not succeed: the job's result counts. */
  overruled?: boolean;
  /** For smoke-suite: each archived attempt log, by suite. */
  logs?: { suite: string; attempt: number; entry: EvidenceRef }[];
}

export interface ReportMetric {
  name: string;
  panel?: string;
  squad?: string;
  unit?: string;
  stats: SeriesStats[];
  error?: string;
  json?: EvidenceRef;
  chart?: EvidenceRef;
  /** The rules that shaped the chart, as written under it. */
  caption?: string[];
}

export interface ReportDashboard {
  name: string;
  url: string;
  entry?: EvidenceRef;
  error?: string;
  blank?: boolean;
}

export interface ReportInput {
  date: string;
  timeZone: string;
  generatedAt: Date;
  run: RunInfo;
  statusFileRel: string;
  evidenceDirRel: string;
  results: ReportResult[];
  /** Files that looked like results but could not be read. */
  unreadable: { source: string; reason: string }[];
  metrics: ReportMetric[];
  dashboards: ReportDashboard[];
  manifest: Manifest;
  artifact?: { name: string; id?: string; url?: string };
  /** Problems of the archiving itself (a query that failed, a blank screenshot). */
  captureProblems: string[];
  /** Step → the result of the job that ran it: steps that left no result file still get a row. */
  expectedSteps?: Record<string, string>;
  /** Steps run once per Kafka cluster (a matrix): the clusters each is expected from. */
  expectedClusters?: Record<string, string[]>;
  /** The follow-up issues of the day's items (`follow-up-issues`), linked next to each failure. */
  followUps?: ReportFollowUp[];
  /** This day against the previous one ("Since last week"). */
  sinceLastWeek?: SinceLastWeek;
  /** Panels outside their threshold or regression limit: in the table of what failed, with owners. */
  panelFindings?: PanelFinding[];
}

export interface ReportFollowUp {
  /** The item's key (Failure.item). */
  item: string;
  failed: boolean;
  number: number;
  url: string;
  action: 'opened' | 'commented' | 'reopened' | 'closed' | 'unchanged';
  streak?: number;
}

/** A step the workflow ran that left no result file: only its job's result is known. */
interface MissingStep {
  step: string;
  job: string;
  /** The required dependencies the day's pulse found down, when that is why the step was skipped. */
  pulseDown?: string[];
  /** For a step run once per Kafka cluster: the cluster that left no result. */
  cluster?: string;
}

/** Why a step has no result, in words, by the result of its job. */
function missingDetail(m: MissingStep): string {
  return m.cluster ? `cluster ${m.cluster}: ${missingReason(m)}` : missingReason(m);
}

function missingReason(m: MissingStep): string {
  if (m.job === 'skipped' && m.pulseDown?.length) {
    const held =
      m.step === 'helm-deploy' ? 'did not deploy into an outage' : 'did not judge staging during an outage';
    return `skipped: the morning's Infra Pulse found a required dependency down (${m.pulseDown.join(', ')}), so the day ${held}`;
  }
  switch (m.job) {
    case 'skipped':
      return 'skipped: the job did not run';
    case 'cancelled':
      return 'cancelled before it wrote a result';
    case 'failure':
      return 'no result file: the step failed before writing one (see its job log)';
    default:
      return 'no result file was collected although its job succeeded';
  }
}

const MARK: Record<string, string> = {
  success: '✅',
  failure: '❌',
  cancelled: '⛔',
  skipped: '⏭️',
  passed: '✅',
  failed: '❌',
  flaky: '⚠️',
  'not-run': '⛔',
  ok: '✅',
  warning: '⚠️',
  error: '❌',
};
const mark = (status: string) => `${MARK[status] ?? '❔'} ${status}`;

/** Links from one repository file to evidence: relative when committed, the artifact when not. */
export class EvidenceLinks {
  private readonly stored: Map<string, ManifestEntry['stored']>;

  constructor(
    private readonly fromFile: string,
    private readonly evidenceDirRel: string,
    manifest: Manifest,
    private readonly artifact?: { name: string; url?: string },
    private readonly runUrl?: string,
  ) {
    this.stored = new Map(manifest.files.map((f) => [f.path, f.stored]));
  }

  to(ref: EvidenceRef | undefined, text: string): string {
    if (!ref) return '';
    const entry = { path: ref.path, stored: this.stored.get(ref.path) ?? 'artifact' };
    if (entry.stored === 'repository')
      return `[${text}](${linkTarget(posix.relative(posix.dirname(this.fromFile), `${this.evidenceDirRel}/${entry.path}`))})`;
    if (entry.stored === 'not-kept') return `${text} (not kept)`;
    const where = this.artifact?.url ?? (this.runUrl ? `${this.runUrl}#artifacts` : undefined);
    return where ? `[${text}](${where}) (artifact only)` : `${text} (artifact only)`;
  }

  /** Runbooks are URLs or repository paths (docs/runbooks/...); a path is linked from the report's folder. */
  runbook(runbook: string, text = 'runbook'): string {
    return runbookLink(this.fromFile, runbook, text);
  }

  evidence(path: string, text: string): string {
    return `[${text}](${linkTarget(posix.relative(posix.dirname(this.fromFile), `${this.evidenceDirRel}/${path}`))})`;
  }
}

/** The day's executive summary: what happened, what failed and who owns it, and where the evidence is. Pure. */
export function renderStatusReport(input: ReportInput): string {
  const links = new EvidenceLinks(
    input.statusFileRel,
    input.evidenceDirRel,
    input.manifest,
    input.artifact,
    input.run.url,
  );
  const day = dayFacts(input);
  const ofAction = (action: string) => day.results.filter((r) => r.envelope.action === action);
  const out = [
    ...titleAndVerdict(day, input, links),
    ...atAGlance(day, input, links),
    ...failureTable(day, input, links),
    ...followUpList(input),
    ...ofAction('infra-pulse').flatMap((r) =>
      renderPulseReportSection(r.envelope.result, (runbook, text) => links.runbook(runbook, text), cell),
    ),
    ...ofAction('helm-deploy').flatMap((r) => deploySection(r)),
    ...ofAction('smoke-suite').flatMap((r) => smokeSection(r, links)),
    ...ofAction('kafka-topic-check').flatMap((r) => kafkaSection(r)),
    ...otherSteps(day, links),
    ...(input.sinceLastWeek ? sinceLastWeekSection(input.sinceLastWeek, input.statusFileRel) : []),
    ...metricHighlights(input, links),
    ...dashboardList(input, links),
    ...archivingNotes(input),
    ...evidenceTotals(input, links),
  ];
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** What the sections share: the results in report order, the missing steps and every failure. */
interface DayFacts {
  results: ReportResult[];
  missing: MissingStep[];
  /** Missing steps that count as failed (a skipped step does not). */
  missingFailed: MissingStep[];
  failures: Failure[];
  failedSteps: number;
  /** Panel findings of severity `failure`: they turn the day red like a failed step. */
  failedPanels: number;
  stepCount: number;
}

function dayFacts(input: ReportInput): DayFacts {
  const results = [...input.results].sort(
    (a, b) =>
      order(a.envelope.action) - order(b.envelope.action) || (a.envelope.action < b.envelope.action ? -1 : 1),
  );
  // Integration Day starts with a pulse: every step it held back (deploy, suites, topic checks) says so.
  const pulse = results.find((r) => r.envelope.action === 'infra-pulse');
  const down = pulse ? summarizePulse(pulse.envelope.result) : undefined;
  const pulseDown = down && !down.ready ? down.blocking : undefined;
  const missing: MissingStep[] = Object.entries(input.expectedSteps ?? {}).flatMap(([step, job]) => {
    const held = pulseDown?.length && job === 'skipped' ? { pulseDown } : {};
    const clusters = input.expectedClusters?.[step] ?? [];
    // A step run once per cluster (a matrix) is missing for each cluster that left no result.
    if (clusters.length)
      return clusters
        .filter((c) => !results.some((r) => r.envelope.action === step && clusterOf(r.envelope.result) === c))
        .map((cluster) => ({ step, job: job === 'success' ? 'failure' : job, cluster, ...held }));
    return results.some((r) => r.envelope.action === step) ? [] : [{ step, job, ...held }];
  });
  // A skipped step is not a failure (e.g. a day run without its deploy); any other missing result is.
  const missingFailed = missing.filter((m) => m.job !== 'skipped');
  const failures: Failure[] = [
    ...results
      .filter((r) => r.overruled)
      .map((r) => ({ step: r.envelope.action, what: `step ${r.envelope.action}`, detail: r.note ?? '' })),
    ...results.flatMap((r) => failuresOf(r.envelope)),
    ...missingFailed.map((m) => ({ step: m.step, what: `step ${m.step}`, detail: missingDetail(m) })),
    ...(input.panelFindings ?? []).map(panelFailure),
  ];
  const failedSteps = results.filter((r) => r.envelope.status !== 'success').length + missingFailed.length;
  return {
    results,
    missing,
    missingFailed,
    failures,
    failedSteps,
    failedPanels: (input.panelFindings ?? []).filter((f) => f.severity === 'failure').length,
    stepCount: results.length + missing.length,
  };
}

/** A panel over its limits, as a row of what failed. */
function panelFailure(f: PanelFinding): Failure {
  const what = f.kind === 'threshold' ? 'outside its threshold' : 'worse than last week';
  return {
    step: 'evidence-archive',
    what: `panel ${f.title}${f.series ? ` ${f.series}` : ''}: ${what} (${f.severity})`,
    detail: f.detail,
    ...(f.owner ? { owner: f.owner } : {}),
  };
}

/** The title, the verdict and the run's facts. */
function titleAndVerdict(day: DayFacts, input: ReportInput, links: EvidenceLinks): string[] {
  const out: string[] = [];
  out.push(`# Integration Day ${input.date}`, '');
  const { stepCount, failures, failedSteps, failedPanels } = day;
  const ran = stepCount - (day.missing.length - day.missingFailed.length);
  const panels = failedPanels ? `${failedPanels} panel limit(s) of severity failure broken; ` : '';
  const verdict =
    stepCount === 0
      ? '❔ **No step results were found**: the other steps did not run or their result files were not collected.'
      : failedSteps === 0 && failures.length === 0
        ? `✅ **All ${ran} step(s) succeeded.**`
        : failedSteps === 0 && failedPanels === 0
          ? // Every step passed, but some found warnings (a quiet partition, a flaky test): worth a look, not red.
            `⚠️ **All ${ran} step(s) succeeded; ${failures.length} warning(s) need an owner's attention.**`
          : failedSteps === 0
            ? `❌ **All ${ran} step(s) succeeded, but ${panels}${failures.length} problem(s) need an owner's attention.**`
            : `❌ **${failedSteps} of ${ran} step(s) failed; ${panels}${failures.length} problem(s) need an owner's attention.**`;
  out.push(verdict, '');
  const facts = [
    input.run.url
      ? `Run: [${input.run.workflow ?? 'workflow'} #${input.run.runId}${input.run.runAttempt && input.run.runAttempt !== '1' ? ` (attempt ${input.run.runAttempt})` : ''}](${input.run.url})`
      : undefined,
    input.artifact
      ? `Artifact: ${input.artifact.url ? `[\`${input.artifact.name}\`](${input.artifact.url})` : `\`${input.artifact.name}\``}`
      : undefined,
    `Evidence: ${links.evidence('README.md', 'index')} · ${links.evidence('manifest.json', 'manifest (SHA-256)')}`,
    `Generated ${formatTime(input.generatedAt, input.timeZone)} (${input.timeZone})${input.run.sha ? ` at \`${input.run.sha.slice(0, 12)}\`` : ''}`,
  ].filter(Boolean);
  out.push(...facts.map((f) => `- ${f}`), '');
  return out;
}

/** One row per step, expected steps without a result included. */
function atAGlance(day: DayFacts, input: ReportInput, links: EvidenceLinks): string[] {
  const out: string[] = [];
  out.push('## At a glance', '');
  const { results, missing } = day;
  if (day.stepCount > 0) {
    out.push(
      table(
        ['step', 'outcome', 'detail', 'finished', 'result'],
        [
          ...results.map((r) => [
            r.envelope.action,
            mark(r.envelope.status),
            `${glance(r.envelope)}${r.note ? ` — ⚠️ ${r.note}` : ''}`,
            finished(r.envelope, input.timeZone),
            links.to(r.entry, 'json') || '',
          ]),
          ...missing.map((m) => [
            m.step,
            m.job === 'success' ? '❔ no result' : mark(m.job),
            missingDetail(m),
            '',
            '',
          ]),
        ].sort((a, b) => order(a[0]!) - order(b[0]!) || (a[0]! < b[0]! ? -1 : 1)),
      ),
      '',
    );
  } else {
    out.push('No result files were collected.', '');
  }
  if (input.unreadable.length > 0) {
    out.push(
      `Unreadable result files: ${input.unreadable.map((u) => `\`${u.source}\` (${u.reason})`).join('; ')}`,
      '',
    );
  }
  return out;
}

/** Every failure with its owner and runbook. */
function failureTable(day: DayFacts, input: ReportInput, links: EvidenceLinks): string[] {
  const out: string[] = [];
  const { failures } = day;
  const followUps = input.followUps ?? [];
  const issueOf = (f: Failure) => {
    const i = f.item ? followUps.find((u) => u.item === f.item && u.failed) : undefined;
    return i ? `[#${i.number}](${urlTarget(i.url)})` : '';
  };
  out.push('## What failed, with owners', '');
  if (failures.length === 0) out.push('Nothing failed.', '');
  else {
    out.push(
      table(
        ['what', 'step', 'owner', 'runbook', 'detail', ...(input.followUps ? ['issue'] : [])],
        failures.map((f) => [
          f.what,
          f.step,
          f.owner ?? 'unowned',
          f.runbook ? links.runbook(f.runbook) : '',
          `${f.detail}${f.traceIds?.length ? ` (trace ${f.traceIds.join(', ')})` : ''}`,
          ...(input.followUps ? [issueOf(f)] : []),
        ]),
      ),
      '',
    );
  }
  return out;
}

/** Each follow-up issue of the day, and what was done with it. */
function followUpList(input: ReportInput): string[] {
  const followUps = input.followUps ?? [];
  if (followUps.length === 0) return [];
  const out = ['## Follow-up issues', ''];
  for (const u of followUps) {
    const state =
      u.action === 'closed'
        ? 'closed: it passed today'
        : u.action === 'unchanged'
          ? u.failed
            ? 'already updated for this day'
            : 'left as it is'
          : `${u.action}${u.streak ? `, failing ${u.streak} Integration Day(s) in a row` : ''}`;
    out.push(`- [#${u.number}](${urlTarget(u.url)}) \`${u.item.replaceAll('`', "'")}\`: ${state}`);
  }
  out.push('');
  return out;
}

/** The release, its revision and whether it was rolled back. */
function deploySection(r: ReportResult): string[] {
  const out: string[] = [];
  const h = summarizeHelm(r.envelope.result);
  out.push('## Deploy', '');
  if (h.releases) {
    out.push(
      `${mark(r.envelope.status)}: a release set of ${h.releases.length} release(s)${h.status ? ` is **${h.status}**` : ''}:`,
      '',
    );
    for (const x of h.releases)
      out.push(
        `- wave ${x.wave ?? '?'}: \`${x.release ?? '?'}\`${x.namespace ? ` in \`${x.namespace}\`` : ''} is **${x.status ?? 'unknown'}**${x.revision !== undefined ? ` at revision **${x.revision}**` : ''}${x.chart ? ` (chart \`${x.chart}\`)` : ''}${x.rolledBack ? `; rolled back${x.previousRevision !== undefined ? ` to revision ${x.previousRevision}` : ''}` : ''}`,
      );
    out.push('');
    return out;
  }
  const what = h.release
    ? `Release \`${h.release}\`${h.namespace ? ` in namespace \`${h.namespace}\`` : ''}`
    : 'The deploy';
  out.push(
    `${mark(r.envelope.status)}: ${what}${h.status ? ` is **${h.status}**` : ''}${h.revision !== undefined ? ` at revision **${h.revision}**` : ''}${h.chart ? ` (chart \`${h.chart}\`)` : ''}.${h.rolledBack ? ` It was rolled back${h.previousRevision !== undefined ? ` to revision ${h.previousRevision}` : ''}.` : ''}`,
    '',
  );
  return out;
}

/** The suites by squad, and each squad's failing tests. */
function smokeSection(r: ReportResult, links: EvidenceLinks): string[] {
  const out: string[] = [];
  const { suites, failures: tests } = summarizeSmoke(r.envelope.result);
  out.push('## Smoke suites by squad', '');
  if (suites.length === 0) {
    out.push(
      `${mark(r.envelope.status)} (no per-suite detail in the result; see ${links.to(r.entry, 'the result file') || 'the result file'}).`,
      '',
    );
    return out;
  }
  const squads = [...new Set(suites.map((s) => s.squad))].sort();
  out.push(
    table(
      ['squad', 'suites', 'passed', 'failed', 'errored', 'skipped', 'outcome'],
      squads.map((sq) => {
        const ss = suites.filter((s) => s.squad === sq);
        const bad = ss.filter((s) => s.status === 'failed' || s.status === 'not-run');
        const sum = (k: 'passed' | 'failed' | 'errored' | 'skipped') => ss.reduce((n, s) => n + s[k], 0);
        return [
          sq,
          ss.map((s) => s.name).join(', '),
          sum('passed'),
          sum('failed'),
          sum('errored'),
          sum('skipped'),
          bad.length
            ? `❌ ${bad.length} suite(s) failed`
            : ss.some((s) => s.status === 'skipped')
              ? '⚠️ every test skipped'
              : ss.some((s) => s.status === 'flaky')
                ? '⚠️ flaky'
                : '✅ passed',
        ];
      }),
    ),
    '',
  );
  out.push(...shardSpreadSection(r.envelope.result));
  out.push(
    ...smokeLogs(
      r,
      suites.map((s) => s.name),
      links,
    ),
  );
  for (const sq of squads) {
    const fs = tests.filter((f) => f.squad === sq);
    if (fs.length === 0) continue;
    out.push(`**${sq}**: failing tests`, '');
    for (const f of fs.slice(0, 20))
      out.push(
        `- \`${f.suite}\` · \`${f.test}\`${f.message ? ` — ${oneLine(f.message)}` : ''}${f.location ? ` (\`${f.location}\`)` : ''}${f.owner ? ` — owner: ${f.owner}` : ''}${f.runbook ? ` — ${links.runbook(f.runbook)}` : ''}`,
      );
    if (fs.length > 20)
      out.push(`- … and ${fs.length - 20} more (see ${links.to(r.entry, 'the result file')})`);
    out.push('');
  }
  return out;
}

/** Each suite's archived attempt logs, linked where they are kept, in the result's order of suites. */
function smokeLogs(r: ReportResult, order: string[], links: EvidenceLinks): string[] {
  if (!r.logs?.length) return [];
  const rank = (suite: string) => (order.includes(suite) ? order.indexOf(suite) : order.length);
  const suites = [...new Set(r.logs.map((l) => l.suite))].sort((a, b) => rank(a) - rank(b));
  const parts = suites.map((suite) => {
    const logs = r.logs!.filter((l) => l.suite === suite).sort((a, b) => a.attempt - b.attempt);
    return `\`${suite.replaceAll('`', "'")}\` ${logs.map((l) => links.to(l.entry, `attempt ${l.attempt}`)).join(', ')}`;
  });
  return [`Logs: ${parts.join(' · ')}`, ''];
}

/** Each topic's health and each consumer group's lag. */
function kafkaSection(r: ReportResult): string[] {
  const out: string[] = [];
  const { topics, groups } = summarizeKafka(r.envelope.result);
  const cluster = clusterOf(r.envelope.result);
  out.push(`## Kafka topic health${cluster ? `: cluster ${cluster}` : ''}`, '');
  const outage = kafkaOutageOf(r.envelope.result);
  if (outage) {
    out.push(
      `${mark(r.envelope.status)}: **Kafka could not be reached** (${outage.brokers.join(', ') || 'no brokers named'}): ${oneLine(outage.message)}. No topic or consumer group was checked: this is an outage, not a quiet topic.`,
      '',
    );
    return out;
  }
  if (topics.length === 0 && groups.length === 0) {
    out.push(`${mark(r.envelope.status)} (no per-topic detail in the result).`, '');
    return out;
  }
  if (topics.length) {
    out.push(
      table(
        ['topic', 'health', 'messages/min', 'newest record', 'owner', 'findings'],
        topics.map((t) => [
          t.name,
          mark(t.status),
          t.ratePerMinute === undefined ? '' : round(t.ratePerMinute),
          t.newestAgeMs === undefined ? 'none' : `${formatDuration(t.newestAgeMs)} ago`,
          t.owner ?? '',
          t.findings.join('; '),
        ]),
      ),
      '',
    );
  }
  if (groups.length) {
    out.push(
      table(
        ['consumer group', 'status', 'lag (messages)', 'time lag', 'lag direction', 'owner', 'findings'],
        groups.map((g) => [
          g.name,
          `${MARK[g.level] ?? '❔'} ${g.status}`,
          g.totalLag ?? '',
          g.maxTimeLagMs ? formatDuration(g.maxTimeLagMs) : '',
          g.direction ? describeDirection(g.direction) : '',
          g.owner ?? '',
          g.findings.join('; '),
        ]),
      ),
      '',
    );
  }
  return out;
}

/** "growing, falling behind: never catches up (40/s written, 10/s consumed)". */
function describeDirection(d: KafkaLagDirection): string {
  const trend = d.fallingBehind ? `${d.trend}, falling behind` : d.trend;
  const catchUp =
    d.catchUp === 0
      ? 'caught up'
      : typeof d.catchUp === 'number'
        ? `catches up in ${formatDuration(d.catchUp)}`
        : d.catchUp === 'never'
          ? 'never catches up'
          : `catch-up ${d.catchUp}`;
  return `${trend}: ${catchUp} (${round(d.productionPerSecond)}/s written, ${round(d.consumptionPerSecond)}/s consumed)`;
}

/** Steps without a section of their own, one line each. */
function otherSteps(day: DayFacts, links: EvidenceLinks): string[] {
  const out: string[] = [];
  const others = day.results.filter(
    (x) => !['infra-pulse', 'helm-deploy', 'smoke-suite', 'kafka-topic-check'].includes(x.envelope.action),
  );
  if (others.length) {
    out.push('## Other steps', '');
    for (const r of others)
      out.push(
        `- **${r.envelope.action}**: ${mark(r.envelope.status)} — ${glance(r.envelope)} ${links.to(r.entry, 'result')}`.trimEnd(),
      );
    out.push('');
  }
  return out;
}

/** A row per metric snapshot, with its chart and data. */
function metricHighlights(input: ReportInput, links: EvidenceLinks): string[] {
  const out: string[] = [];
  if (input.metrics.length) {
    out.push('## Metric highlights', '');
    out.push(
      table(
        ['panel', 'squad', 'highlight', 'chart', 'data'],
        input.metrics.map((m) => [
          m.panel ?? m.name,
          m.squad ?? '',
          headline(m),
          links.to(m.chart, 'chart'),
          links.to(m.json, 'json'),
        ]),
      ),
      '',
    );
    out.push(...chartCaptions(input.metrics));
  }
  return out;
}

/** Under the table, what each chart's caption says: how to read it (scale, rates, series left out). */
function chartCaptions(metrics: readonly ReportMetric[]): string[] {
  const withCaption = metrics.filter((m) => m.chart && m.caption?.length);
  if (withCaption.length === 0) return [];
  const out = ['How to read the charts:', ''];
  // Label values come from the metrics: text, never links or HTML.
  for (const m of withCaption)
    out.push(`- **${linkText(m.panel ?? m.name)}**: ${linkText(m.caption!.join(' '))}`);
  out.push('');
  return out;
}

/** Each dashboard's screenshot, or why there is none. */
function dashboardList(input: ReportInput, links: EvidenceLinks): string[] {
  const out: string[] = [];
  if (input.dashboards.length) {
    out.push('## Dashboards', '');
    for (const d of input.dashboards) {
      const status = d.error
        ? `❌ not captured: ${oneLine(d.error)}`
        : d.blank
          ? '⚠️ captured, but the page looks blank'
          : links.to(d.entry, 'screenshot');
      out.push(`- **${d.name}** (${d.url.replace(/[?#].*$/, '')}): ${status}`);
    }
    out.push('');
  }
  return out;
}

/** What could not be captured. */
function archivingNotes(input: ReportInput): string[] {
  const out: string[] = [];
  if (input.captureProblems.length) {
    out.push('## Archiving notes', '');
    for (const p of input.captureProblems) out.push(`- ⚠️ ${p}`);
    out.push('');
  }
  return out;
}

/** How much evidence there is and where each part went. */
function evidenceTotals(input: ReportInput, links: EvidenceLinks): string[] {
  const out: string[] = [];
  const t = input.manifest.totals;
  out.push('## Evidence', '');
  const notKept = t.notKeptFiles
    ? `, ${t.notKeptFiles} (${formatBytes(t.notKeptBytes)}) not kept because they exceed the size limits and there is no artifact`
    : '';
  out.push(
    `${t.files} file(s), ${formatBytes(t.bytes)}: ${t.repositoryFiles} committed in ${links.evidence('README.md', `\`${input.evidenceDirRel}/\``)}${t.artifactOnlyFiles ? `, ${t.artifactOnlyFiles} (${formatBytes(t.artifactOnlyBytes)}) only in the artifact because they exceed the size limits` : ''}${notKept}. Every file's SHA-256 is in the ${links.evidence('manifest.json', 'manifest')}.`,
    '',
  );
  return out;
}

const ORDER = [
  'infra-pulse',
  'helm-deploy',
  'smoke-suite',
  'kafka-topic-check',
  'contract-record',
  'design-drift',
];
function order(action: string): number {
  const i = ORDER.indexOf(action);
  return i === -1 ? ORDER.length : i;
}

function finished(env: AnyEnvelope, tz: string): string {
  const d = new Date(env.finishedAt);
  if (Number.isNaN(d.getTime())) return '';
  const dur = new Date(env.finishedAt).getTime() - new Date(env.startedAt).getTime();
  return `${formatTime(d, tz).slice(11)}${Number.isFinite(dur) && dur >= 0 ? ` (${formatDuration(dur)})` : ''}`;
}

export function formatTime(d: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hour12: false,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour') === '24' ? '00' : get('hour')}:${get('minute')}`;
}

function oneLine(s: string): string {
  const line = s.replace(/\s+/g, ' ').trim();
  // Quoted test output is text: brackets in it must not become links.
  return cell(linkText(line.length > 200 ? `${line.slice(0, 199)}…` : line));
}

/** A URL from the forge as a Markdown link target: parentheses and spaces would end it early. */
function urlTarget(url: string): string {
  return url.replace(/[()\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
