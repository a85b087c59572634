// How fast design-drift refuses documents built to exhaust it, against a peer measured in the same run:
// the same action on an ordinary declared contract (a fresh process each, as the runner starts it).
// - a "billion laughs" (9 levels of 9 YAML aliases, under a KiB): stopped by the parser's alias limit;
// - 16 levels of 3 aliases (48 aliases, 43 million values once expanded): stopped by the value limit;
// - a 10,000-deep JSON document: stopped by the depth limit.
// Goal: each refusal well under a second, and no slower than checking an ordinary contract.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { NODE24, ROOT, median, printTable, record } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const ws = mkdtempSync(join(tmpdir(), 'cc-drift-bounds-bench-'));

const api = {
  openapi: '3.0.3',
  info: { title: 'Users', version: '1.0.0' },
  paths: {
    '/users/{id}': {
      get: {
        responses: {
          200: {
            description: 'a user',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/User' } } },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      User: { type: 'object', properties: { id: { type: 'string' }, nickname: { type: 'string' } } },
    },
  },
};
mkdirSync(join(ws, 'docs/design/contracts/2026-11-20'), { recursive: true });
writeFileSync(join(ws, 'docs/design/contracts/2026-11-20/openapi.json'), JSON.stringify(api));
mkdirSync(join(ws, 'specs'));

function aliasChain(levels, width) {
  const lines = [
    'openapi: 3.0.3',
    'info: { title: Laughs, version: "1" }',
    'paths: {}',
    `x-0: &a0 [${Array(width).fill('"lol"').join(', ')}]`,
  ];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `x-${i}: &a${i} [${Array(width)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  return `${lines.join('\n')}\n`;
}
const depth = 10_000;
const cases = {
  'ordinary contract (peer)': ['ordinary.json', JSON.stringify(api, null, 2)],
  'alias bomb, 9x9 aliases': ['laughs.yaml', aliasChain(9, 9)],
  '48 aliases, 3^16 values': ['wide.yaml', aliasChain(16, 3)],
  '10,000-deep JSON': [
    'deep.json',
    `{"openapi":"3.0.3","info":{"title":"Deep","version":"1"},"paths":{},"x":${'['.repeat(depth)}${']'.repeat(depth)}}`,
  ],
};
for (const [file, text] of Object.values(cases)) writeFileSync(join(ws, 'specs', file), text);

function run(file) {
  const out = join(ws, `out-${process.pid}`);
  writeFileSync(out, '');
  const env = {
    PATH: process.env.PATH,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: ws,
    RUNNER_TEMP: ws,
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: out,
    INPUT_DECLARED: `specs/${file}`,
    'INPUT_CONTRACTS-ROOT': 'docs/design/contracts',
    'INPUT_FAIL-ON': 'breaking',
    INPUT_TIMEZONE: 'UTC',
    'INPUT_MAX-WAIVER-DAYS': '90',
    'INPUT_ALLOW-EXTERNAL-REFS': 'false',
  };
  const t0 = performance.now();
  const r = spawnSync(NODE24, [join(ROOT, 'dist/design-drift/index.js')], {
    cwd: ws,
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const ms = performance.now() - t0;
  const error =
    r.stdout
      .split('\n')
      .find((l) => l.startsWith('::error::'))
      ?.slice('::error::'.length) ?? '';
  return { ms, code: r.status, signal: r.signal, error };
}

// The parse alone, in this process, with the parser the action bundles: where the refusal happens.
const engine = join(ws, 'source.mjs');
await build({
  entryPoints: [join(ROOT, 'src/lib/contracts/source.ts')],
  outfile: engine,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __ccRequire } from 'node:module'; const require = __ccRequire(import.meta.url);",
  },
});
const { parseSpecText } = await import(engine);
const parseTimes = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < RUNS + 1; i++) {
  for (const [name, [file, text]] of Object.entries(cases)) {
    const t0 = performance.now();
    try {
      parseSpecText(`specs/${file}`, text);
    } catch {
      // refused: what is timed
    }
    if (i > 0) parseTimes[name].push(performance.now() - t0); // the first round warms the JIT up
  }
}

const rows = [];
const results = {};
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
let last = {};
for (let i = 0; i < RUNS; i++) {
  // Interleaved, so load on the shared machine falls on every case alike.
  for (const [name, [file]] of Object.entries(cases)) {
    const r = run(file);
    times[name].push(r.ms);
    last[name] = r;
  }
}
const peer = median(times['ordinary contract (peer)']);
for (const [name, list] of Object.entries(times)) {
  const m = median(list);
  const r = last[name];
  const parse = median(parseTimes[name]);
  rows.push([
    name,
    m.toFixed(0),
    Math.max(...list).toFixed(0),
    (m / peer).toFixed(2),
    parse.toFixed(2),
    r.signal ? `killed (${r.signal})` : `exit ${r.code}`,
    r.error.slice(0, 60),
  ]);
  results[name] = {
    medianMs: +m.toFixed(1),
    maxMs: +Math.max(...list).toFixed(1),
    ratioToPeer: +(m / peer).toFixed(2),
    parseMs: +parse.toFixed(2),
    exit: r.code,
    error: r.error,
  };
}
console.log(`\ndesign-drift bundle, a fresh process per run; median of ${RUNS} interleaved runs`);
printTable(
  ['declared document', 'run median ms', 'run max ms', 'run vs peer', 'parse ms', 'result', 'error (start)'],
  rows,
);
console.log(
  `load average during the run: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${cpus().length} CPU(s)`,
);
rmSync(ws, { recursive: true, force: true });
record('drift-bounds', { loadAverage: loadavg()[0], runs: RUNS, ...results });
