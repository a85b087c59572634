// Action cold start: `node dist/<name>/index.js` failing fast on a bad input, against a bare
// `node -e ''`, measured interleaved in the same run. Goal: <= 100 ms over bare Node, <= 3 MB per bundle.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE24, ROOT, median, printTable, record } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
// The six actions (actions/<name>/), not whatever else dist/ holds (the CLI, the build's staging folder).
const actions = readdirSync(join(ROOT, 'actions'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const tmp = mkdtempSync(join(tmpdir(), 'cc-bench-'));
const out = join(tmp, 'out');
writeFileSync(out, '');

// A bad input every action rejects: an unknown enum value or a malformed required input.
const badInput = {
  INPUT_RELEASE: 'Bad!',
  INPUT_SUITES: '- run: x',
  INPUT_BROKERS: 'nope',
  INPUT_TOPICS: '- name: t',
  INPUT_DATE: '../x',
  INPUT_ENDPOINTS: 'services: []',
  INPUT_DECLARED: 'x',
  'INPUT_FAIL-ON': 'bad',
};
const env = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  GITHUB_OUTPUT: out,
  GITHUB_STEP_SUMMARY: out,
  RUNNER_TEMP: tmp,
  GITHUB_WORKSPACE: tmp,
  ...badInput,
};

function time(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(NODE24, args, { env, stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, status: r.status };
}

const bare = [];
const perAction = Object.fromEntries(actions.map((a) => [a, []]));
time(['-e', '']); // warm the page cache
for (let i = 0; i < RUNS; i++) {
  bare.push(time(['-e', '']).ms);
  for (const a of actions) {
    const r = time([join(ROOT, 'dist', a, 'index.js')]);
    if (r.status !== 1) throw new Error(`${a} exited ${r.status} on a bad input; expected 1`);
    perAction[a].push(r.ms);
  }
}

const bareMs = median(bare);
const rows = actions.map((a) => {
  const m = median(perAction[a]);
  const size = statSync(join(ROOT, 'dist', a, 'index.js')).size;
  // Chunks load lazily (only the code a run needs), but they ship with the action: count them too.
  const chunksDir = join(ROOT, 'dist', a, 'chunks');
  const chunks = existsSync(chunksDir)
    ? readdirSync(chunksDir).reduce((sum, f) => sum + statSync(join(chunksDir, f)).size, 0)
    : 0;
  return {
    action: a,
    medianMs: +m.toFixed(1),
    overheadMs: +(m - bareMs).toFixed(1),
    ratio: +(m / bareMs).toFixed(2),
    bundleMB: +(size / 1e6).toFixed(2),
    withChunksMB: +((size + chunks) / 1e6).toFixed(2),
  };
});
console.log(
  `\ncold start, median of ${RUNS} runs each (Node ${spawnSync(NODE24, ['-v']).stdout.toString().trim()}); bare node -e '': ${bareMs.toFixed(1)} ms`,
);
printTable(
  ['action', 'median ms', 'overhead ms', 'x bare node', 'entry MB', 'with chunks MB', 'goal met'],
  rows.map((r) => [
    r.action,
    r.medianMs,
    r.overheadMs,
    r.ratio,
    r.bundleMB,
    r.withChunksMB,
    r.overheadMs <= 100 && r.withChunksMB <= 3 ? 'yes' : 'NO',
  ]),
);
record('cold-start', { runs: RUNS, bareMs: +bareMs.toFixed(1), actions: rows });
