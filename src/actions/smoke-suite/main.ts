import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { finishStep, log, printGroup, readInputs, runInfo, workspace } from '../../lib/action/index.js';
import { CheckFailedError } from '../../lib/errors.js';
import { formatDuration } from '../../lib/duration.js';
import { resolveInside, writeTextFile } from '../../lib/files.js';
import { emptyCounts } from '../../lib/junit/types.js';
import { metadata } from './metadata.js';
import { planShare, planSuites, type ShareOfShard, type SuitePlan } from './inputs.js';
import { readHistory } from './timings.js';
import { runPool } from './schedule.js';
import { runSuite } from './suite-run.js';
import { Progress } from './progress.js';
import { buildAnnotations, buildReport, renderSummary, resultDocument, type ReportLinks } from './report.js';
import { describeEnded } from './report.js';
import { failsStep, type AttemptRecord, type SuiteOutcome } from './verdict.js';

/** The printed log of one attempt is cut to its last part beyond this; the file keeps everything. */
const MAX_PRINTED_LOG_BYTES = 512 * 1024;
const HEARTBEAT_MS = 30_000;

export async function main(): Promise<void> {
  const inputs = readInputs(metadata.inputs);
  const ws = workspace();
  const allPlans = planSuites(inputs.suites ?? [], ws);
  const share = inputs.shard ? await shareFor(allPlans, inputs.shard, ws, inputs.timings) : undefined;
  const plans = share ? share.plans : allPlans;
  const reportDirAbs = resolveInside(ws, inputs.reportDir, "input 'report-dir': the folder");
  const reportDirLabel = reportDirAbs === ws ? '.' : reportDirAbs.slice(ws.length + 1);
  const startedAt = new Date();

  // A cancelled job sends SIGINT/SIGTERM to this process only; the suites run in their own process
  // groups, so they are stopped here and the partial results are still reported.
  const cancel = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    log.info(`smoke-suite: received ${sig}; stopping every running suite`);
    cancel.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  const progress = new Progress(plans.length);
  const heartbeat = setInterval(() => {
    const line = progress.heartbeat();
    if (line) log.info(line);
  }, HEARTBEAT_MS);
  heartbeat.unref();

  log.info(
    `smoke-suite: ${plans.length} suite(s), concurrency ${inputs.concurrency}${inputs.failFast ? ', fail-fast' : ''}; logs in ${reportDirLabel}/`,
  );
  let outcomes: (SuiteOutcome | undefined)[];
  try {
    outcomes = await runPool(
      plans,
      inputs.concurrency,
      async (plan) => {
        if (cancel.signal.aborted) return notRun(plan, 'cancelled before it started');
        const outcome = await runSuite(plan, {
          workspace: ws,
          reportDir: reportDirAbs,
          killGraceMs: inputs.killGrace,
          baseEnv: process.env,
          signal: cancel.signal,
          onAttemptStart: (p, attempt) => log.info(progress.started(p.name, attempt, p.retries)),
          onAttemptEnd: (p, a) =>
            log.info(
              progress.attemptEnded(
                p.name,
                a,
                !a.ok && !a.spawnError && a.attempt <= p.retries && !cancel.signal.aborted,
              ),
            ),
        });
        await printSuiteLogs(outcome, ws);
        return outcome;
      },
      (outcome) => inputs.failFast && failsStep(outcome),
    );
  } finally {
    clearInterval(heartbeat);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }

  const suites = outcomes.map(
    (o, i) => o ?? notRun(plans[i]!, 'not started: fail-fast stopped the run after a required suite failed'),
  );
  const report = buildReport(suites, {
    wallMs: Date.now() - startedAt.getTime(),
    concurrency: inputs.concurrency,
    failFast: inputs.failFast,
    reportDir: reportDirLabel,
  });
  const links = reportLinks();

  const reportPath = join(reportDirAbs, 'summary.md');
  await writeTextFile(reportPath, renderSummary(report, links, { maxFailures: 1_000, excerptLines: 40 }));
  log.info(`smoke-suite: ${report.headline} in ${formatDuration(report.wallMs)}`);
  const failedNames = suites
    .filter(failsStep)
    .map((s) => `${s.plan.name} (${s.plan.squad ?? s.plan.owner ?? 'no owner'})`);
  const t = report.totals;
  const annotations = buildAnnotations(report, links);
  if (share && annotations.length)
    log.info(
      `smoke-suite: ${annotations.length} annotation(s) go into the result; the evidence job shows every shard's, de-duplicated and ranked`,
    );
  await finishStep({
    action: 'smoke-suite',
    startedAt,
    resultPath: inputs.resultPath,
    status: report.status,
    result: {
      ...resultDocument(report),
      ...(share
        ? {
            shard: shardDocument(share, allPlans, report.wallMs),
            // The evidence job merges every shard's and shows them once, ranked, within the same limit.
            annotations,
            maxAnnotations: inputs.maxAnnotations,
          }
        : {}),
    },
    outputs: {
      tests: t.tests,
      passed: t.passed,
      failed: t.failed,
      errored: t.errored,
      skipped: t.skipped,
      flaky: t.flaky,
      'failed-suites': report.failedSuites,
      'report-path': reportPath,
    },
    summary: renderSummary(report, links),
    summaryFullAt: reportPath,
    ...(share ? {} : { annotations, maxAnnotationsPerLevel: inputs.maxAnnotations }),
    ...(report.status === 'failure'
      ? {
          fail: new CheckFailedError(
            `${report.headline}: ${failedNames.join(', ')}. See the step summary and ${reportDirLabel}/summary.md.`,
          ),
        }
      : {}),
  });
}

async function shareFor(
  plans: SuitePlan[],
  shardText: string,
  ws: string,
  timings: string,
): Promise<ShareOfShard> {
  const history = await readHistory(ws, timings);
  const share = planShare(plans, shardText, history.durations);
  const { shard, plan } = share;
  const known = plan.estimates.filter((e) => e.source === 'history').length;
  log.info(
    `smoke-suite: shard ${shard.index}/${shard.count} runs ${share.plans.length} of ${plans.length} suite(s)` +
      ` (${share.plans.map((p) => p.name).join(', ') || 'none'}), planned ${formatDuration(plan.shards[shard.index - 1]!.plannedMs)};` +
      ` plan makespan ${formatDuration(plan.makespanMs)} against a lower bound of ${formatDuration(plan.lowerBoundMs)};` +
      ` durations of ${known} suite(s) from ${history.source || 'no history'}`,
  );
  return share;
}

/** What the merge needs to tell how the day was spread: the whole plan, and this shard's own time. */
function shardDocument(share: ShareOfShard, all: readonly SuitePlan[], wallMs: number) {
  const { shard, plan } = share;
  // Who owns every suite of the plan: a shard that never reports still has its suites named with theirs.
  const roster = all.map((p) => ({
    name: p.name,
    squad: p.squad ?? null,
    owner: p.owner ?? null,
    runbook: p.runbook ?? null,
    required: p.required,
  }));
  return {
    index: shard.index,
    count: shard.count,
    suites: share.plans.map((p) => p.name),
    plannedMs: Math.round(plan.shards[shard.index - 1]!.plannedMs),
    wallMs,
    makespanMs: Math.round(plan.makespanMs),
    lowerBoundMs: Math.round(plan.lowerBoundMs),
    plan: plan.shards.map((s) => ({ index: s.index, suites: s.suites, plannedMs: Math.round(s.plannedMs) })),
    estimates: plan.estimates.map((e) => ({ name: e.name, ms: Math.round(e.ms), source: e.source })),
    roster,
  };
}

function notRun(plan: SuitePlan, reason: string): SuiteOutcome {
  return {
    plan,
    status: 'not-run',
    reason,
    attempts: [],
    counts: emptyCounts(),
    failures: [],
    failuresOmitted: 0,
    flakyTests: [],
  };
}

/** One group per suite, printed whole when the suite ends, so parallel output never interleaves. */
async function printSuiteLogs(outcome: SuiteOutcome, ws: string): Promise<void> {
  const parts: string[] = [];
  for (const a of outcome.attempts) {
    parts.push(
      `$ ${outcome.plan.display}    (in ${outcome.plan.cwdLabel}, attempt ${a.attempt}, log ${a.log})`,
    );
    parts.push(await readTail(join(ws, a.log)));
    parts.push(describeAttempt(a));
  }
  const title = `${outcome.status === 'failed' ? '✖' : outcome.status === 'skipped' ? '⚠' : '✔'} ${outcome.plan.name}: ${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ''}`;
  printGroup(title, parts.join('\n'));
}

function describeAttempt(a: AttemptRecord): string {
  const ended =
    a.spawnError ??
    (a.timedOut ? 'timed out' : a.signal ? `killed by ${a.signal}` : `exit code ${a.exitCode}`);
  const reports = a.reports.length > 0 ? a.reports.map((r) => r.file).join(', ') : 'none';
  const stale = a.staleReports.length > 0 ? `; ignored as stale: ${a.staleReports.join(', ')}` : '';
  return `── ${ended} after ${formatDuration(a.durationMs)}; JUnit reports: ${reports}${stale}${a.leftovers ? `; ${describeEnded(a)}` : ''}`;
}

async function readTail(path: string): Promise<string> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return '(no log)';
  }
  const start = Math.max(0, size - MAX_PRINTED_LOG_BYTES);
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    const text = buf.toString('utf8');
    return start > 0 ? `… (first ${start} bytes not shown; the whole log is in the file)\n${text}` : text;
  } finally {
    await fh.close();
  }
}

function reportLinks(env: NodeJS.ProcessEnv = process.env): ReportLinks {
  const info = runInfo(env);
  const links: ReportLinks = {};
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_SHA)
    links.blobBase = `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}`;
  if (info.url) links.runUrl = info.url;
  return links;
}
