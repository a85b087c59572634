import type { Annotation } from '../../lib/annotations.js';
import { formatDuration } from '../../lib/duration.js';
import { addCounts, emptyCounts, type JUnitCounts } from '../../lib/junit/types.js';
import { cell, table } from '../../lib/markdown.js';
import type { SuitePlan } from './inputs.js';
import { describeCounts, failsStep, type FailureRecord, type SuiteOutcome } from './verdict.js';

export interface SmokeReport {
  status: 'success' | 'failure';
  headline: string;
  totals: JUnitCounts & { suites: number; failedSuites: number; requiredFailed: number; flakyTests: number };
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
export function buildReport(suites: SuiteOutcome[], o: { wallMs: number; concurrency: number; failFast: boolean; reportDir: string }): SmokeReport {
  const totals = { ...emptyCounts(), suites: suites.length, failedSuites: 0, requiredFailed: 0, flakyTests: 0 };
  const failedSuites: string[] = [];
  for (const s of suites) {
    addCounts(totals, s.counts);
    totals.flakyTests += s.flakyTests.length;
    if (s.status === 'failed' || s.status === 'not-run') {
      failedSuites.push(s.plan.name);
      totals.failedSuites++;
      if (failsStep(s)) totals.requiredFailed++;
    }
  }
  const status = totals.requiredFailed > 0 ? 'failure' : 'success';
  const optionalFailed = totals.failedSuites - totals.requiredFailed;
  const headline =
    status === 'failure'
      ? `${totals.requiredFailed} of ${suites.filter((s) => s.plan.required).length} required suite(s) failed`
      : optionalFailed > 0
        ? `all required suites passed; ${optionalFailed} optional suite(s) failed`
        : `all ${suites.length} suite(s) passed`;
  return { status, headline, totals, failedSuites, wallMs: o.wallMs, concurrency: o.concurrency, failFast: o.failFast, reportDir: o.reportDir, suites };
}

const STATUS_MARK: Record<SuiteOutcome['status'], string> = { passed: '✅ passed', flaky: '⚠️ flaky', failed: '❌ failed', 'not-run': '⏭️ not run' };

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
export function renderSummary(r: SmokeReport, links: ReportLinks, opts: { maxFailures?: number; excerptLines?: number } = {}): string {
  const maxFailures = opts.maxFailures ?? 50;
  const excerptLines = opts.excerptLines ?? 12;
  const t = r.totals;
  const out: string[] = [];
  out.push(`## Smoke suites: ${r.status === 'success' ? '✅' : '❌'} ${r.headline}`);
  out.push('');
  out.push(
    `${t.suites} suite(s), ${t.tests} test(s): ${t.passed} passed, ${t.failed} failed, ${t.errored} errored, ${t.skipped} skipped, ${t.flakyTests + t.flaky} flaky · ` +
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
        const result = bad.length === 0 ? '✅' : `❌ ${bad.map((s) => s.plan.name).join(', ')}`;
        const flaky = list.reduce((n, s) => n + s.flakyTests.length + s.counts.flaky, 0);
        return [squad, list.length, result, c.tests, c.passed, c.failed, c.errored, c.skipped, flaky];
      }),
    ),
  );
  out.push('');
  out.push('### Suites');
  out.push('');
  out.push(
    table(
      ['suite', 'squad', 'required', 'result', 'tests', 'passed', 'failed', 'errored', 'skipped', 'attempts', 'duration', 'log'],
      r.suites.map((s) => {
        const result = s.reason ? `${STATUS_MARK[s.status]}: ${s.reason}` : STATUS_MARK[s.status];
        const duration = s.attempts.reduce((ms, a) => ms + a.durationMs, 0);
        const log = s.attempts.length > 0 ? `\`${s.attempts[s.attempts.length - 1]!.log}\`` : '';
        return [s.plan.name, s.plan.squad ?? '', s.plan.required ? 'yes' : 'no', result, s.counts.tests, s.counts.passed, s.counts.failed, s.counts.errored, s.counts.skipped, s.attempts.length, formatDuration(duration), log];
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
      out.push(`#### ${s.plan.required ? '❌' : '⚠️'} ${s.plan.name}${s.plan.required ? '' : ' (optional)'}: ${s.reason ?? s.status}`);
      out.push('');
      out.push(`Owner: **${ownerOf(s.plan)}**${runbook ? ` · runbook: ${runbook.startsWith('http') ? `[${s.plan.runbook}](${runbook})` : `\`${runbook}\``}` : ''} · command: \`${s.plan.display}\` in \`${s.plan.cwdLabel}\``);
      for (const a of s.attempts) {
        out.push(`- attempt ${a.attempt}: ${a.ok ? 'passed' : (a.reason ?? 'failed')} · ${formatDuration(a.durationMs)} · log \`${a.log}\`${a.leftovers ? ' · processes it left running were ended' : ''}`);
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
      out.push(`${hidden} more failure(s) are not shown here; every attempt's full output is in \`${r.reportDir}\`.`);
    }
  }

  const flaky = r.suites.filter((s) => s.flakyTests.length > 0 || s.status === 'flaky');
  if (flaky.length > 0) {
    out.push('');
    out.push('### Flaky (failed, then passed on retry)');
    out.push('');
    for (const s of flaky) {
      const tests = s.flakyTests.length > 0 ? s.flakyTests.slice(0, 20).map((t) => `\`${t}\``).join(', ') + (s.flakyTests.length > 20 ? `, and ${s.flakyTests.length - 20} more` : '') : 'the suite failed before any test result (see the first attempt\'s log)';
      out.push(`- **${s.plan.name}** (${ownerOf(s.plan)}), passed on attempt ${s.attempts.length}: ${tests}`);
    }
  }
  out.push('');
  out.push(`Logs: \`${r.reportDir}/<suite>/attempt-<n>.log\` (one file per attempt)${links.runUrl ? ` · [this run](${links.runUrl})` : ''}.`);
  return `${out.join('\n')}\n`;
}

function renderFailure(f: FailureRecord, links: ReportLinks, excerptLines: number): string {
  const where = f.location ? `${f.location.file}${f.location.line ? `:${f.location.line}` : ''}` : undefined;
  const whereLink = where && links.blobBase && f.location ? `[\`${where}\`](${links.blobBase}/${f.location.file}${f.location.line ? `#L${f.location.line}` : ''})` : where ? `\`${where}\`` : `(no source location; report \`${f.report}\`)`;
  const excerpt = firstLines(failureText(f), excerptLines);
  return [`**${cell(f.id)}** ${f.status} at ${whereLink}`, '', '```text', excerpt.replace(/```/g, '`\u200b``'), '```'].join('\n');
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
  return [...suites].sort((a, b) => Number(b.plan.required) - Number(a.plan.required) || a.plan.index - b.plan.index);
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
      const suiteProblem = s.failures.length === 0 || !!last?.timedOut || !!last?.cancelled || !!last?.reports.some((rep) => rep.error !== undefined);
      if (suiteProblem) {
        const broken = last?.reports.find((rep) => rep.error !== undefined);
        out.push({
          level,
          rank,
          title: `${s.plan.name}: suite ${s.status === 'not-run' ? 'not run' : 'failed'}`,
          message: `${s.plan.name} (${s.plan.required ? 'required' : 'optional'}): ${s.reason ?? s.status}\n${last ? `Log: ${last.log}\n` : ''}${footer}`,
          ...(broken && !broken.file.startsWith('/') ? { file: broken.file, ...(broken.errorLine ? { line: broken.errorLine } : {}) } : {}),
        });
      }
      for (const f of s.failures) {
        out.push({
          level,
          rank,
          title: `${s.plan.name}: ${f.name} ${f.status}`,
          message: `${firstLines(failureText(f), 20)}\n\n${f.id} · ${footer}${last ? ` · Log: ${last.log}` : ''}`,
          ...(f.location ? { file: f.location.file, ...(f.location.line ? { line: f.location.line } : {}) } : {}),
        });
      }
    } else if (s.status === 'flaky') {
      out.push({
        level: 'notice',
        rank,
        title: `${s.plan.name}: flaky`,
        message: `${s.plan.name} passed on attempt ${s.attempts.length} of ${s.plan.retries + 1}${s.flakyTests.length ? `; flaky: ${s.flakyTests.slice(0, 10).join(', ')}` : ''}\n${footer}`,
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
    })),
  };
}
