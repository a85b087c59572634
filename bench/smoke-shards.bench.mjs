// Sharding the day's smoke suites over runners, on real processes: 24 pytest suites whose tests do
// real work (SHA-256 rounds) of uneven lengths, listed in no order of length. Day one runs them all on one runner; its result is
// the history. Then the 4 shards of the plan run (`shard: k/4`, through the real bundle, one shard
// after another so they never compete for the 2 cores), and so do the 4 shards of round-robin
// assignment, for comparison.
// Reported: each assignment's makespan (its slowest shard's suites) against the lower bound
// max(total / 4, longest suite), with the durations measured in the same runs.
// Goal: the planned makespan ≤ 1.1× the lower bound; the shards' measured spans are shown beside it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE24, ROOT, printTable, record } from './lib.mjs';

const SHARDS = 4;
// Work units per suite (one unit ≈ 100 ms of hashing here), deliberately uneven and listed in no
// particular order of length, as squads list their suites.
const UNITS = [3, 14, 1, 6, 22, 2, 9, 1, 4, 30, 2, 5, 11, 3, 7, 2, 18, 1, 8, 4, 12, 2, 16, 5];
const ROUNDS_PER_UNIT = Number(process.env.BENCH_ROUNDS_PER_UNIT ?? 100_000);
const HISTORY = 'docs/sprints/status/2026-12-02/evidence/results/smoke-suite.json';

const suites = UNITS.map((units, i) => ({ name: `suite-${String(i + 1).padStart(2, '0')}`, units }));
const yamlOf = (list) =>
  list
    .map(
      (s) =>
        `- name: ${s.name}\n  run: python3 -m pytest t/${s.name} -q -p no:cacheprovider --junitxml=reports/${s.name}.xml\n  junit: reports/${s.name}.xml`,
    )
    .join('\n');

function runSmoke(ws, list, extra, tag) {
  const result = join(ws, `results-${tag}.json`);
  const out = join(ws, `out-${tag}`);
  writeFileSync(out, '');
  const r = spawnSync('nice', ['-n', '5', NODE24, join(ROOT, 'dist/smoke-suite/index.js')], {
    cwd: ws,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PYTHONDONTWRITEBYTECODE: '1',
      GITHUB_WORKSPACE: ws,
      RUNNER_TEMP: ws,
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: out,
      INPUT_SUITES: yamlOf(list),
      INPUT_CONCURRENCY: '1',
      'INPUT_FAIL-FAST': 'false',
      'INPUT_MAX-ANNOTATIONS': '10',
      'INPUT_KILL-GRACE': '10s',
      'INPUT_REPORT-DIR': `reports-${tag}`,
      INPUT_TIMINGS: 'docs/sprints/status',
      'INPUT_RESULT-PATH': result,
      ...extra,
    },
  });
  if (r.status !== 0) throw new Error(`smoke-suite (${tag}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(readFileSync(extra['INPUT_RESULT-PATH'] ?? result, 'utf8'));
}

/** A shard's time: from its first suite's start to its last suite's end. */
function span(doc) {
  const s = doc.result.suites;
  if (s.length === 0) return 0;
  return (
    Math.max(...s.map((x) => Date.parse(x.finishedAt))) - Math.min(...s.map((x) => Date.parse(x.startedAt)))
  );
}
const durationsOf = (docs) =>
  new Map(
    docs.flatMap((d) =>
      d.result.suites.map((s) => [s.name, Date.parse(s.finishedAt) - Date.parse(s.startedAt)]),
    ),
  );
function lowerBound(durations) {
  const values = [...durations.values()];
  return Math.max(values.reduce((a, b) => a + b, 0) / SHARDS, Math.max(...values));
}

const ws = mkdtempSync(join(tmpdir(), 'cc-shards-bench-'));
try {
  for (const s of suites) {
    mkdirSync(join(ws, 't', s.name), { recursive: true });
    const tests = Array.from(
      { length: 2 },
      (_, i) =>
        `def test_${i}():\n    h = b"${s.name}-${i}"\n    for _ in range(${Math.round((s.units * ROUNDS_PER_UNIT) / 2)}):\n        h = hashlib.sha256(h).digest()\n    assert len(h) == 32\n`,
    );
    writeFileSync(
      join(ws, 't', s.name, `test_${s.name.replace('-', '_')}.py`),
      `import hashlib\n\n${tests.join('\n')}`,
    );
  }

  console.log(`day one: ${suites.length} suites on one runner (the history)…`);
  const dayOne = runSmoke(ws, suites, { 'INPUT_RESULT-PATH': join(ws, HISTORY) }, 'day-one');
  const history = durationsOf([dayOne]);

  console.log(`the plan's ${SHARDS} shards…`);
  const planned = [];
  for (let k = 1; k <= SHARDS; k++)
    planned.push(runSmoke(ws, suites, { INPUT_SHARD: `${k}/${SHARDS}` }, `lpt-${k}`));
  console.log(`round-robin's ${SHARDS} shards…`);
  const robin = [];
  for (let k = 1; k <= SHARDS; k++)
    robin.push(
      runSmoke(
        ws,
        suites.filter((_, i) => i % SHARDS === k - 1),
        {},
        `rr-${k}`,
      ),
    );

  const plan = planned[0].result.shard;
  const rows = [];
  const summarize = (name, docs) => {
    const spans = docs.map(span);
    const makespan = Math.max(...spans);
    const bound = lowerBound(durationsOf(docs));
    rows.push([
      name,
      spans.map((ms) => (ms / 1000).toFixed(1)).join(' / '),
      (makespan / 1000).toFixed(2),
      (bound / 1000).toFixed(2),
      (makespan / bound).toFixed(3),
    ]);
    return { makespan, bound, ratio: makespan / bound, spans };
  };
  const lpt = summarize('plan (LPT on measured durations)', planned);
  const rr = summarize('round-robin', robin);

  console.log(
    `\n${suites.length} real pytest suites over ${SHARDS} shards; day one took ${(span(dayOne) / 1000).toFixed(1)} s on one runner`,
  );
  console.log(
    `plan from history: makespan ${(plan.makespanMs / 1000).toFixed(2)} s, lower bound ${(plan.lowerBoundMs / 1000).toFixed(2)} s (${(plan.makespanMs / plan.lowerBoundMs).toFixed(3)}×)`,
  );
  printTable(['assignment', 'shard spans s', 'makespan s', 'lower bound s', 'makespan / bound'], rows);
  const plannedRatio = plan.makespanMs / plan.lowerBoundMs;
  // The same 24 durations assigned round-robin, for the planned comparison.
  const rrPlanned = Array.from({ length: SHARDS }, (_, k) =>
    suites.filter((_, i) => i % SHARDS === k).reduce((sum, x) => sum + history.get(x.name), 0),
  );
  console.log(
    `planned on day one's durations: the plan's makespan is ${plannedRatio.toFixed(3)}× the lower bound (goal ≤ 1.1×: ${plannedRatio <= 1.1 ? 'met' : 'NOT met'}); round-robin's ${(Math.max(...rrPlanned) / plan.lowerBoundMs).toFixed(3)}×`,
  );
  console.log(
    `run again: the plan's shards finished in ${lpt.ratio.toFixed(3)}× the lower bound of that run, round-robin's in ${rr.ratio.toFixed(3)}× (re-runs of the same suites vary, and a shard's span includes starting each suite); the plan was ${(rr.makespan / lpt.makespan).toFixed(2)}× faster than round-robin`,
  );
  record('smoke-shards', {
    suites: suites.length,
    shards: SHARDS,
    historyMs: Object.fromEntries(history),
    roundRobinOverBound: +rr.ratio.toFixed(3),
    plannedOverBound: +(plan.makespanMs / plan.lowerBoundMs).toFixed(3),
    measuredOverBound: +lpt.ratio.toFixed(3),
    goalMet: plannedRatio <= 1.1,
  });
} finally {
  rmSync(ws, { recursive: true, force: true });
}
