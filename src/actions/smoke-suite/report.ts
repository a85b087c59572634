import type { Annotation } from '../../lib/annotations.js';
import { formatDuration } from '../../lib/duration.js';
import { addCounts, emptyCounts, type JUnitCounts } from '../../lib/junit/types.js';
import { cell, table } from '../../lib/markdown.js';
import type { SuitePlan } from './inputs.js';
import {
  describeCounts,
  failsStep,
  type AttemptRecord,
  type FailureRecord,
  type SuiteOutcome,
} from './verdict.js';

export interface SmokeReport {
  status: 'success' | 'failure';
  headline: string;
  /** `flaky` and `flakyTests` both count each flaky test once (reran by the runner, retried, or both). */
  totals: JUnitCounts & {
    suites: number;
    failedSuites: number;
    requiredFailed: number;
    flakyTests: number;
    allSkippedSuites: number;
  };
  failedSuites: string[];
  wallMs: number;
  concurrency: number;
  failFast: boolean;
  reportDir: string;
  suites: SuiteOutcome[];
}

export interface ReportLinks {
  /** Base for repository links (server/repo/blob/sha), when running in Actions. */
  blobBase?: string;
  /** Link to the run, when known. */
  runUrl?: string;
}

/** Builds the totals and the step's verdict from every suite's outcome. */
export function buildReport(
  suites: SuiteOutcome[],
  o: { wallMs: number; concurrency: number; failFast: boolean; reportDir: string },
): SmokeReport {
  const totals = {
    ...emptyCounts(),
    suites: suites.length,
    failedSuites: 0,
    requiredFailed: 0,
    flakyTests: 0,
    allSkippedSuites: 0,
  };
  const failedSuites: string[] = [];
  for (const s of suites) {
    addCounts(totals, s.counts);
    totals.flakyTests += s.flakyTests.length;
    if (s.status === 'skipped') totals.allSkippedSuites++;
    if (s.status === 'failed' || s.status === 'not-run') {
      failedSuites.push(s.plan.name);
      totals.failedSuites++;
      if (failsStep(s)) totals.requiredFailed++;
    }
  }
  const status = totals.requiredFailed > 0 ? 'failure' : 'success';
  const optionalFailed = totals.failedSuites - totals.requiredFailed;
  const notes = [
    ...(optionalFailed > 0 ? [`${optionalFailed} optional suite(s) failed`] : []),
    ...(totals.allSkippedSuites > 0 ? [`${totals.allSkippedSuites} suite(s) skipped every test`] : []),
  ];
  const headline =
    status === 'failure'
      ? `${totals.requiredFailed} of ${suites.filter((s) => s.plan.required).length} required suite(s) failed`
      : notes.length > 0
        ? `${totals.allSkippedSuites > 0 ? 'no required suite failed' : 'all required suites passed'}; ${notes.join('; ')}`
        : suites.length === 0
          ? 'no suite to run'
          : `all ${suites.length} suite(s) passed`;
  return {
    status,
    headline,
    totals,
    failedSuites,
    wallMs: o.wallMs,
    concurrency: o.concurrency,
    failFast: o.failFast,
    reportDir: o.reportDir,
    suites,
  };
}

const STATUS_MARK: Record<SuiteOutcome['status'], string> = {
  passed: '✅ passed',
  flaky: '⚠️ flaky',
  failed: '❌ failed',
  'not-run': '⏭️ not run',
  skipped: '⚠️ all skipped',
};

export function ownerOf(plan: Pick<SuitePlan, 'squad' | 'owner'>): string {
  if (plan.squad && plan.owner) return `${plan.squad} (${plan.owner})`;
  return plan.squad ?? plan.owner ?? 'no owner configured';
}

/** A runbook given as a repository path becomes a link to it at the run's commit. */
export function runbookLink(runbook: string | undefined, links: ReportLinks): string | undefined {
  if (!runbook) return undefined;
  if (/^https?:\/\//.test(runbook)) return runbook;
  return links.blobBase ? `${links.blobBase}/${runbook.replace(/^\.?\//, '')}` : runbook;
}

/** The step summary: verdict, a table per squad and per suite, then each failure with its first lines. */
export function renderSummary(
  r: SmokeReport,
  links: ReportLinks,
  opts: { maxFailures?: number; excerptLines?: number } = {},
): string {
  const maxFailures = opts.maxFailures ?? 50;
  const excerptLines = opts.excerptLines ?? 12;
  const t = r.totals;
  const out: string[] = [];
  out.push(
    `## Smoke suites: ${r.status === 'failure' ? '❌' : t.allSkippedSuites > 0 ? '⚠️' : '✅'} ${r.headline}`,
  );
  out.push('');
  out.push(
    `${t.suites} suite(s), ${t.tests} test(s): ${t.passed} passed, ${t.failed} failed, ${t.errored} errored, ${t.skipped} skipped, ${t.flaky} flaky · ` +
      `wall time ${formatDuration(r.wallMs)} at concurrency ${r.concurrency}${r.failFast ? ' (fail-fast)' : ''}`,
  );
  out.push('');

  const squads = new Map<string, SuiteOutcome[]>();
  for (const s of r.suites) {
    const key = s.plan.squad ?? '(no squad)';
    squads.set(key, [...(squads.get(key) ?? []), s]);
  }
  out.push('### By squad');
  out.push('');
  out.push(
    table(
      ['squad', 'suites', 'result', 'tests', 'passed', 'failed', 'errored', 'skipped', 'flaky'],
      [...squads.entries()].map(([squad, list]) => {
        const c = list.reduce((acc, s) => addCounts(acc, s.counts), emptyCounts());
        const bad = list.filter((s) => s.status === 'failed' || s.status === 'not-run');
        const skipped = list.filter((s) => s.status === 'skipped');
        const result =
          bad.length > 0
            ? `❌ ${bad.map((s) => s.plan.name).join(', ')}`
            : skipped.length > 0
              ? `⚠️ all skipped: ${skipped.map((s) => s.plan.name).join(', ')}`
              : '✅';
        return [squad, list.length, result, c.tests, c.passed, c.failed, c.errored, c.skipped, c.flaky];
      }),
    ),
  );
  out.push('');
  out.push('### Suites');
  out.push('');
  out.push(
    table(
      [
        'suite',
        'squad',
        'required',
        'result',
        'tests',
        'passed',
        'failed',
        'errored',
        'skipped',
        'attempts',
        'duration',
        'log',
      ],
      r.suites.map((s) => {
        const result = s.reason ? `${STATUS_MARK[s.status]}: ${s.reason}` : STATUS_MARK[s.status];
        const duration = s.attempts.reduce((ms, a) => ms + a.durationMs, 0);
        const log = s.attempts.length > 0 ? `\`${s.attempts[s.attempts.length - 1]!.log}\`` : '';
        return [
          s.plan.name,
          s.plan.squad ?? '',
          s.plan.required ? 'yes' : 'no',
          result,
          s.counts.tests,
          s.counts.passed,
          s.counts.failed,
          s.counts.errored,
          s.counts.skipped,
          s.attempts.length,
          formatDuration(duration),
          log,
        ];
      }),
    ),
  );

  const problems = r.suites.filter((s) => s.status === 'failed' || s.status === 'not-run');
  if (problems.length > 0) {
    out.push('');
    out.push('### Failures');
    let shown = 0;
    let hidden = 0;
    for (const s of rankSuites(problems)) {
      const runbook = runbookLink(s.plan.runbook, links);
      out.push('');
      out.push(
        `#### ${s.plan.required ? '❌' : '⚠️'} ${s.plan.name}${s.plan.required ? '' : ' (optional)'}: ${s.reason ?? s.status}`,
      );
      out.push('');
      out.push(
        `Owner: **${ownerOf(s.plan)}**${runbook ? ` · runbook: ${runbook.startsWith('http') ? `[${s.plan.runbook}](${runbook})` : `\`${runbook}\``}` : ''} · command: \`${s.plan.display}\` in \`${s.plan.cwdLabel}\``,
      );
      for (const a of s.attempts) {
        out.push(
          `- attempt ${a.attempt}: ${a.ok ? 'passed' : (a.reason ?? 'failed')} · ${formatDuration(a.durationMs)} · log \`${a.log}\`${a.leftovers ? ` · ${describeEnded(a)}` : ''}`,
        );
      }
      for (const f of s.failures) {
        if (shown >= maxFailures) {
          hidden++;
          continue;
        }
        shown++;
        out.push('');
        out.push(renderFailure(f, links, excerptLines));
      }
      hidden += s.failuresOmitted;
    }
    if (hidden > 0) {
      out.push('');
      out.push(
        `${hidden} more failure(s) are not shown here; every attempt's full output is in \`${r.reportDir}\`.`,
      );
    }
  }

  const allSkipped = r.suites.filter((s) => s.status === 'skipped');
  if (allSkipped.length > 0) {
    out.push('');
    out.push('### Every test skipped (no evidence either way)');
    out.push('');
    for (const s of allSkipped) {
      const reasons = (s.skipReasons ?? []).map((x) => `${cell(x.reason)} (${x.count})`).join('; ');
      out.push(
        `- ⚠️ **${s.plan.name}** (${ownerOf(s.plan)}): ${s.counts.skipped} skipped${reasons ? `. Why: ${reasons}` : ''}. Set \`allow-all-skipped: true\` on the suite if that is expected.`,
      );
    }
  }

  const flaky = r.suites.filter((s) => s.flakyTests.length > 0 || s.status === 'flaky');
  if (flaky.length > 0) {
    out.push('');
    out.push('### Flaky (failed, then passed on a rerun or retry)');
    out.push('');
    for (const s of flaky) {
      const tests =
        s.flakyTests.length > 0
          ? s.flakyTests
              .slice(0, 20)
              .map((t) => `\`${t}\``)
              .join(', ') + (s.flakyTests.length > 20 ? `, and ${s.flakyTests.length - 20} more` : '')
          : "the suite failed before any test result (see the first attempt's log)";
      const when =
        s.status !== 'flaky'
          ? 'flaky tests of a suite that failed all the same'
          : s.attempts.length > 1
            ? `passed on attempt ${s.attempts.length}`
            : "passed on the runner's rerun";
      out.push(`- **${s.plan.name}** (${ownerOf(s.plan)}), ${when}: ${tests}`);
    }
  }

  const notes = readingNotes(r.suites);
  if (notes.length > 0) {
    out.push('');
    out.push('### Notes');
    out.push('');
    for (const n of notes) out.push(`- ${n}`);
  }
  out.push('');
  out.push(
    `Logs: \`${r.reportDir}/<suite>/attempt-<n>.log\` (one file per attempt)${links.runUrl ? ` · [this run](${links.runUrl})` : ''}.`,
  );
  return `${out.join('\n')}\n`;
}

function renderFailure(f: FailureRecord, links: ReportLinks, excerptLines: number): string {
  const where = f.location ? `${f.location.file}${f.location.line ? `:${f.location.line}` : ''}` : undefined;
  const whereLink =
    where && links.blobBase && f.location
      ? `[\`${where}\`](${links.blobBase}/${f.location.file}${f.location.line ? `#L${f.location.line}` : ''})`
      : where
        ? `\`${where}\``
        : `(no source location; report \`${f.report}\`)`;
  const excerpt = firstLines(failureText(f), excerptLines);
  const runs = f.runs ? ` (on all ${f.runs} runs)` : '';
  return [
    `**${cell(f.id)}** ${f.status}${runs} at ${whereLink}`,
    '',
    '```text',
    excerpt.replace(/```/g, '`\u200b``'),
    '```',
  ].join('\n');
}

/** What an attempt left running and how it was ended, naming the processes. */
export function describeEnded(a: Pick<AttemptRecord, 'endedProcesses' | 'endedCount' | 'leftovers'>): string {
  if (a.endedCount === 0) return 'processes it left running were ended';
  const listed = a.endedProcesses
    .slice(0, 5)
    .map(
      (p) =>
        `${p.pid} \`${p.command || '?'}\`${p.foundBy === 'marker' ? ' (had left its process group)' : ''}${p.endedBy === 'SIGKILL' ? ' (SIGKILL)' : ''}`,
    );
  const more = a.endedCount > listed.length ? `, and ${a.endedCount - listed.length} more` : '';
  return `${a.endedCount} process(es) it left running were ended: ${listed.join(', ')}${more}`;
}

/** What the reading of the reports changed or noticed: runner reruns, todo tests, replaced characters, processes ended. */
export function readingNotes(suites: readonly SuiteOutcome[]): string[] {
  const out: string[] = [];
  for (const s of suites) {
    const last = s.attempts[s.attempts.length - 1];
    for (const rep of last?.reports ?? []) {
      if (rep.reruns)
        out.push(
          `${s.plan.name}: \`${rep.file}\` holds ${rep.reruns} earlier run(s) of tests the runner reran; each test counts once, by its last run`,
        );
      if (rep.todo)
        out.push(
          `${s.plan.name}: \`${rep.file}\` holds ${rep.todo} jest \`test.todo\` entr${rep.todo === 1 ? 'y' : 'ies'}, counted as skipped`,
        );
      const f = rep.forbiddenCharacters;
      if (f)
        out.push(
          `${s.plan.name}: \`${rep.file}\` held ${f.count} character(s) XML 1.0 forbids (raw colour codes, say), first at line ${f.line}:${f.column}; they were replaced and the report was read`,
        );
    }
    for (const a of s.attempts) {
      if (a.endedCount > 0 && !(s.status === 'failed' || s.status === 'not-run'))
        out.push(`${s.plan.name}, attempt ${a.attempt}: ${describeEnded(a)}`);
    }
  }
  return out;
}

/** The message first (it says what went wrong), then the traceback. */
export function failureText(f: Pick<FailureRecord, 'message' | 'text'>): string {
  const message = f.message?.trim() ?? '';
  const text = f.text.trim();
  if (!message || text.startsWith(message)) return text || message;
  return text ? `${message}\n\n${text}` : message;
}

export function firstLines(text: string, n: number): string {
  const lines = text.split(/\r?\n/);
  if (lines.length <= n) return text;
  return `${lines.slice(0, n).join('\n')}\n… (${lines.length - n} more line(s))`;
}

/** Required suites first, then suite order. */
export function rankSuites(suites: readonly SuiteOutcome[]): SuiteOutcome[] {
  return [...suites].sort(
    (a, b) => Number(b.plan.required) - Number(a.plan.required) || a.plan.index - b.plan.index,
  );
}

/**
 * One annotation per failed case, on the file and line where it failed; suite-level failures
 * (timeout, no report, zero tests, unreadable report) get one each. Required suites' problems are
 * errors, optional suites' are warnings, flaky ones are notices. Ranked: required suites first,
 * then suite order, then report order.
 */
export function buildAnnotations(r: SmokeReport, links: ReportLinks): Annotation[] {
  const out: Annotation[] = [];
  for (const s of r.suites) {
    const rank = (s.plan.required ? 0 : 1_000) + s.plan.index;
    const level = s.plan.required ? 'error' : 'warning';
    const runbook = runbookLink(s.plan.runbook, links);
    const footer = `Owner: ${ownerOf(s.plan)}${runbook ? ` · Runbook: ${runbook}` : ''}`;
    if (s.status === 'failed' || s.status === 'not-run') {
      const last = s.attempts[s.attempts.length - 1];
      // Test failures speak for themselves; anything else (timeout, no or unreadable report, exit code) gets its own.
      const suiteProblem =
        s.failures.length === 0 ||
        !!last?.timedOut ||
        !!last?.cancelled ||
        !!last?.reports.some((rep) => rep.error !== undefined);
      if (suiteProblem) {
        const broken = last?.reports.find((rep) => rep.error !== undefined);
        out.push({
          level,
          rank,
          title: `${s.plan.name}: suite ${s.status === 'not-run' ? 'not run' : 'failed'}`,
          message: `${s.plan.name} (${s.plan.required ? 'required' : 'optional'}): ${s.reason ?? s.status}\n${last ? `Log: ${last.log}\n` : ''}${footer}`,
          ...(broken && !broken.file.startsWith('/')
            ? { file: broken.file, ...(broken.errorLine ? { line: broken.errorLine } : {}) }
            : {}),
        });
      }
      for (const f of s.failures) {
        out.push({
          level,
          rank,
          title: `${s.plan.name}: ${f.name} ${f.status}`,
          message: `${firstLines(failureText(f), 20)}\n\n${f.id} · ${footer}${last ? ` · Log: ${last.log}` : ''}`,
          ...(f.location
            ? { file: f.location.file, ...(f.location.line ? { line: f.location.line } : {}) }
            : {}),
        });
      }
    } else if (s.status === 'skipped') {
      const reasons = (s.skipReasons ?? [])
        .slice(0, 5)
        .map((x) => `${x.reason} (${x.count})`)
        .join('; ');
      out.push({
        level: 'warning',
        rank,
        title: `${s.plan.name}: every test skipped`,
        message: `${s.plan.name}: all ${s.counts.skipped} test(s) were skipped, so nothing was shown to work${reasons ? `. Why: ${reasons}` : ''}. Set allow-all-skipped: true on the suite if that is expected.\n${footer}`,
      });
    } else if (s.status === 'flaky') {
      const when =
        s.attempts.length > 1
          ? `passed on attempt ${s.attempts.length} of ${s.plan.retries + 1}`
          : 'passed after the test runner reran failed tests';
      out.push({
        level: 'notice',
        rank,
        title: `${s.plan.name}: flaky`,
        message: `${s.plan.name} ${when}${s.flakyTests.length ? `; flaky: ${s.flakyTests.slice(0, 10).join(', ')}` : ''}\n${footer}`,
      });
    }
    const leftBehind = s.attempts.filter((a) => a.endedCount > 0);
    if (leftBehind.length > 0) {
      out.push({
        level: 'notice',
        rank,
        title: `${s.plan.name}: processes left running were ended`,
        message: `${leftBehind.map((a) => `attempt ${a.attempt}: ${describeEnded(a)}`).join('\n')}\n${footer}`,
      });
    }
  }
  return out;
}

/** The JSON result evidence-archive collects (wrapped in the common envelope by main). */
export function resultDocument(r: SmokeReport) {
  return {
    headline: r.headline,
    totals: r.totals,
    failedSuites: r.failedSuites,
    wallMs: r.wallMs,
    concurrency: r.concurrency,
    failFast: r.failFast,
    reportDir: r.reportDir,
    suites: r.suites.map((s) => ({
      name: s.plan.name,
      squad: s.plan.squad ?? null,
      owner: s.plan.owner ?? null,
      runbook: s.plan.runbook ?? null,
      required: s.plan.required,
      command: s.plan.display,
      workingDirectory: s.plan.cwdLabel,
      status: s.status,
      reason: s.reason ?? null,
      summary: describeCounts(s.counts),
      counts: s.counts,
      startedAt: s.startedAt ? new Date(s.startedAt).toISOString() : null,
      finishedAt: s.finishedAt ? new Date(s.finishedAt).toISOString() : null,
      attempts: s.attempts,
      failures: s.failures,
      failuresOmitted: s.failuresOmitted,
      flakyTests: s.flakyTests,
      skipReasons: s.skipReasons ?? null,
    })),
  };
}
