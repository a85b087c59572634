// smoke-suite's scheduler on real processes: three suites (4 s, 3 s, 1 s, listed longest first)
// at concurrency 2, run through the real bundle as the runner runs it. Compared in the same run
// with the ideal schedule for the durations the suites really took (best assignment to 2 workers)
// and with running them one after another (what separate workflow steps do).
// Goal: the suites finish (first start to last end) within 1.1x of the ideal schedule; the whole
// step (node start to exit, so cold start and reporting included) is shown beside it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE24, ROOT, median, printTable, record } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SUITES = [
  { name: 'orchestrator', seconds: 4 },
  { name: 'policy', seconds: 3 },
  { name: 'admin-console', seconds: 1 },
];
const CONCURRENCY = 2;

/** Best finish time for these durations on `workers` workers (every assignment tried). */
function idealMakespan(durations, workers) {
  let best = Infinity;
  const total = workers ** durations.length;
  for (let code = 0; code < total; code++) {
    const loads = new Array(workers).fill(0);
    let c = code;
    for (const d of durations) {
      loads[c % workers] += d;
      c = Math.floor(c / workers);
    }
    best = Math.min(best, Math.max(...loads));
  }
  return best;
}

const tmp = mkdtempSync(join(tmpdir(), 'cc-schedule-bench-'));
try {
  // Each suite is a real process that sleeps, then writes a one-case JUnit report.
  writeFileSync(
    join(tmp, 'suite.py'),
    'import os, sys, time\nos.makedirs(os.path.dirname(sys.argv[2]), exist_ok=True)\ntime.sleep(float(sys.argv[1]))\nopen(sys.argv[2], "w").write(\'<testsuite name="s"><testcase classname="bench" name="ok" time="%s"/></testsuite>\' % sys.argv[1])\n',
  );
  const suitesYaml = SUITES.map(
    (s) =>
      `- name: ${s.name}\n  run: python3 suite.py ${s.seconds} reports/${s.name}.xml\n  junit: reports/${s.name}.xml`,
  ).join('\n');

  const rows = [];
  const measured = [];
  for (let i = 0; i < RUNS; i++) {
    const out = join(tmp, `out-${i}`);
    const result = join(tmp, `result-${i}.json`);
    writeFileSync(out, '');
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_WORKSPACE: tmp,
      RUNNER_TEMP: tmp,
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: out,
      INPUT_SUITES: suitesYaml,
      INPUT_CONCURRENCY: String(CONCURRENCY),
      'INPUT_FAIL-FAST': 'false',
      'INPUT_MAX-ANNOTATIONS': '10',
      'INPUT_KILL-GRACE': '10s',
      'INPUT_REPORT-DIR': `smoke-reports-${i}`,
      'INPUT_RESULT-PATH': result,
    };
    const t0 = performance.now();
    const spawnedAt = Date.now();
    const r = spawnSync('nice', ['-n', '10', NODE24, join(ROOT, 'dist/smoke-suite/index.js')], {
      cwd: tmp,
      env,
      encoding: 'utf8',
    });
    const stepMs = performance.now() - t0;
    if (r.status !== 0) throw new Error(`smoke-suite exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
    const doc = JSON.parse(readFileSync(result, 'utf8'));
    const suites = doc.result.suites;
    const durations = suites.map((s) => s.attempts[0].durationMs);
    const starts = suites.map((s) => Date.parse(s.startedAt));
    const ends = suites.map((s) => Date.parse(s.finishedAt));
    const makespanMs = Math.max(...ends) - Math.min(...starts);
    const startDelayMs = Math.min(...starts) - spawnedAt;
    const reportMs = stepMs - startDelayMs - makespanMs;
    const ideal = idealMakespan(durations, CONCURRENCY);
    const sequential = durations.reduce((a, b) => a + b, 0);
    measured.push({ stepMs, makespanMs, ideal, sequential, durations });
    rows.push([
      i + 1,
      durations.map((d) => (d / 1000).toFixed(2)).join(' / '),
      (ideal / 1000).toFixed(2),
      (makespanMs / 1000).toFixed(2),
      (makespanMs / ideal).toFixed(3),
      (startDelayMs / 1000).toFixed(2),
      (reportMs / 1000).toFixed(2),
      (stepMs / 1000).toFixed(2),
      (stepMs / ideal).toFixed(3),
      (sequential / 1000).toFixed(2),
      (sequential / makespanMs).toFixed(2),
    ]);
  }
  console.log(
    `\nsmoke-suite scheduling: ${SUITES.length} suites (${SUITES.map((s) => `${s.seconds}s`).join(', ')}) at concurrency ${CONCURRENCY}, real bundle, ${RUNS} runs`,
  );
  printTable(
    [
      'run',
      'suite durations s',
      'ideal s',
      'suites span s',
      'span / ideal',
      'start delay s',
      'report s',
      'whole step s',
      'step / ideal',
      'one-by-one s',
      'one-by-one / span',
    ],
    rows,
  );
  const spanRatio = median(measured.map((m) => m.makespanMs / m.ideal));
  const stepRatio = median(measured.map((m) => m.stepMs / m.ideal));
  const vsSequential = median(measured.map((m) => m.sequential / m.makespanMs));
  console.log(
    `median: suites finish in ${spanRatio.toFixed(3)}x the ideal schedule (whole step incl. cold start and report: ${stepRatio.toFixed(3)}x); ${vsSequential.toFixed(2)}x faster than one after another · goal <= 1.1x: ${spanRatio <= 1.1 ? 'met' : 'NOT met'}`,
  );
  record('smoke-schedule', {
    runs: RUNS,
    concurrency: CONCURRENCY,
    suiteSeconds: SUITES.map((s) => s.seconds),
    spanOverIdeal: +spanRatio.toFixed(3),
    stepOverIdeal: +stepRatio.toFixed(3),
    sequentialOverSpan: +vsSequential.toFixed(2),
    goalMet: spanRatio <= 1.1,
  });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
