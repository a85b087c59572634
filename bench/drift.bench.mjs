// design-drift's diff engine against oasdiff `breaking` on the same pair, in the same run:
// two OpenAPI documents of 300 operations and 100 component schemas, with a realistic set of
// changes between them (removed operations, renamed and added properties, enum and type changes).
// Schemas reference each other as a tree (S_i.parent → S_(i-1)/2), so every operation reaches several levels of $refs.
// Goal: our full diff (read, parse, resolve $refs, compare, locate lines) <= 300 ms, and faster than oasdiff.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { stringify } from 'yaml';
import { ROOT, median, printTable, record } from './lib.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const OPERATIONS = 300;
const SCHEMAS = 100;
const tmp = mkdtempSync(join(tmpdir(), 'cc-drift-bench-'));

function documents() {
  const schemas = {};
  for (let s = 0; s < SCHEMAS; s++) {
    const properties = {};
    for (let p = 0; p < 12; p++) {
      properties[`field${p}`] =
        p % 4 === 0
          ? { type: 'string', maxLength: 64 }
          : p % 4 === 1
            ? { type: 'integer', minimum: 0 }
            : p % 4 === 2
              ? { type: 'string', enum: ['a', 'b', 'c'] }
              : { type: 'array', items: { type: 'string' } };
    }
    // Schemas nest like real models do: a tree of references about seven levels deep.
    if (s > 0) properties.parent = { $ref: `#/components/schemas/S${Math.floor((s - 1) / 2)}` };
    schemas[`S${s}`] = { type: 'object', required: ['field0', 'field1'], properties };
  }
  const paths = {};
  for (let o = 0; o < OPERATIONS; o++) {
    const path = `/resources${Math.floor(o / 3)}/{id}`;
    paths[path] ??= { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] };
    const method = ['get', 'post', 'put'][o % 3];
    paths[path][method] = {
      operationId: `op${o}`,
      parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', maximum: 100 } }],
      ...(method === 'get'
        ? {}
        : {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { $ref: `#/components/schemas/S${o % SCHEMAS}` } } },
            },
          }),
      responses: {
        200: {
          description: 'ok',
          headers: { 'X-Policy-Decision': { schema: { type: 'string', enum: ['allow', 'deny'] } } },
          content: { 'application/json': { schema: { $ref: `#/components/schemas/S${(o * 7) % SCHEMAS}` } } },
        },
        404: { description: 'not found' },
      },
    };
  }
  const base = {
    openapi: '3.0.3',
    info: { title: 'Bench', version: '1.0.0' },
    paths,
    components: { schemas },
  };
  const rev = structuredClone(base);
  const rs = rev.components.schemas;
  for (let s = 0; s < SCHEMAS; s += 10) {
    rs[`S${s}`].properties.renamed5 = rs[`S${s}`].properties.field5; // rename: removed + added
    delete rs[`S${s}`].properties.field5;
    rs[`S${s}`].properties.field2.enum.push('d');
    rs[`S${s}`].properties.added = { type: 'string' };
  }
  for (let s = 5; s < SCHEMAS; s += 20) rs[`S${s}`].properties.field1.type = 'number';
  for (let o = 0; o < 9; o += 3) delete rev.paths[`/resources${o}/{id}`].put;
  rev.paths['/resources20/{id}'].get.parameters.push({
    name: 'tenant',
    in: 'query',
    required: true,
    schema: { type: 'string' },
  });
  return { base, rev };
}

const { base, rev } = documents();
const files = {
  yaml: [join(tmp, 'base.yaml'), join(tmp, 'revision.yaml')],
  json: [join(tmp, 'base.json'), join(tmp, 'revision.json')],
};
writeFileSync(files.yaml[0], stringify(base, { aliasDuplicateObjects: false }));
writeFileSync(files.yaml[1], stringify(rev, { aliasDuplicateObjects: false }));
writeFileSync(files.json[0], JSON.stringify(base, null, 2));
writeFileSync(files.json[1], JSON.stringify(rev, null, 2));

// The engine as the action bundles it.
const engine = join(tmp, 'engine.mjs');
await build({
  entryPoints: [join(ROOT, 'src/lib/contracts/diff.ts')],
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
const { loadContract, diffContracts } = await import(engine);

const oasdiff = execFileSync('bash', [join(ROOT, 'tools/oasdiff/build.sh')], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
})
  .trim()
  .split('\n')
  .pop();
const oasdiffVersion = execFileSync(oasdiff, ['--version'], { encoding: 'utf8' }).trim();

async function ours([b, r]) {
  const t0 = performance.now();
  const changes = diffContracts(await loadContract(b, b), await loadContract(r, r));
  return {
    ms: performance.now() - t0,
    changes: changes.length,
    breaking: changes.filter((c) => c.level === 'breaking').length,
  };
}

function theirs([b, r]) {
  const t0 = performance.now();
  const run = spawnSync(oasdiff, ['breaking', b, r, '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  if (run.status !== 0) throw new Error(`oasdiff failed: ${run.stderr}`);
  const list = JSON.parse(run.stdout || '[]') ?? [];
  return { ms, changes: list.length, breaking: list.filter((c) => c.level === 3).length };
}

const rows = [];
const results = {};
for (const format of ['json', 'yaml']) {
  await ours(files[format]); // warm up the JIT once, as a long-running runner process would not; reported separately below
  const o = [];
  const t = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    const a = await ours(files[format]);
    const b = theirs(files[format]);
    o.push(a.ms);
    t.push(b.ms);
    last = { a, b };
  }
  const om = median(o);
  const tm = median(t);
  results[format] = {
    oursMs: +om.toFixed(1),
    oasdiffMs: +tm.toFixed(1),
    ratio: +(tm / om).toFixed(2),
    oursMinMs: +Math.min(...o).toFixed(1),
    oasdiffMinMs: +Math.min(...t).toFixed(1),
    oursChanges: last.a.changes,
    oursBreaking: last.a.breaking,
    oasdiffChanges: last.b.changes,
    oasdiffBreaking: last.b.breaking,
  };
  rows.push([
    format,
    om.toFixed(1),
    tm.toFixed(1),
    (tm / om).toFixed(2),
    Math.min(...o).toFixed(1),
    Math.min(...t).toFixed(1),
    `${last.a.breaking}/${last.a.changes}`,
    `${last.b.breaking}/${last.b.changes}`,
    om <= 300 ? 'yes' : 'NO',
  ]);
}

// A cold run: a fresh Node process doing one diff, the way the action runs it once per job.
const cold = spawnSync(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `const t=performance.now();const m=await import(${JSON.stringify(engine)});const r=m.diffContracts(await m.loadContract(${JSON.stringify(files.json[0])},${JSON.stringify(files.json[0])}),await m.loadContract(${JSON.stringify(files.json[1])},${JSON.stringify(files.json[1])}));console.log((performance.now()-t).toFixed(1))`,
  ],
  { encoding: 'utf8' },
);
const coldMs = Number(cold.stdout.trim());

console.log(
  `\n${OPERATIONS} operations, ${SCHEMAS} schemas; median of ${RUNS} interleaved runs; ${oasdiffVersion}`,
);
printTable(
  [
    'format',
    'ours ms',
    'oasdiff ms',
    'oasdiff/ours',
    'ours min',
    'oasdiff min',
    'ours breaking/all',
    'oasdiff errors/all',
    'ours <= 300 ms',
  ],
  rows,
);
// Load matters on shared machines: say how busy this one was.
console.log(
  `load average during the run: ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} on ${(await import('node:os')).cpus().length} CPU(s)`,
);
console.log(`cold (fresh process, JSON, engine import included): ${coldMs} ms`);
rmSync(tmp, { recursive: true, force: true });
record('drift', {
  loadAverage: (await import('node:os')).loadavg()[0],
  operations: OPERATIONS,
  schemas: SCHEMAS,
  runs: RUNS,
  oasdiff: oasdiffVersion,
  ...results,
  coldJsonMs: coldMs,
});
