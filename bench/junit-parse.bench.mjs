// The streaming JUnit engine against the DOM parsers the usual reporters use (xml2js, xml-js,
// fast-xml-parser), all in the same run, each parse in its own process under `nice`.
// pytest-style reports of 200k (~66 MB) and 1M (~334 MB) cases are generated into a temp dir
// and removed afterwards. Peers get a 2 GB heap (what the usual reporters run with, at most) and are
// tried again at 256 MB; our engine runs at 256 MB only.
// Goals at the largest size: >= 4x faster than the fastest peer, peak RSS <= 150 MB, and it
// completes at --max-old-space-size=256 where the DOM parsers cannot.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { NODE24, ROOT, median, printTable, record } from './lib.mjs';
import { generatePytestJUnit } from './junit-generate.mjs';

const SIZES = (process.env.BENCH_JUNIT_SIZES ?? '200000,1000000').split(',').map(Number);
const OUR_RUNS = Number(process.env.BENCH_RUNS ?? 4);
const PEERS = ['xml2js', 'xml-js', 'fast-xml-parser'];
const BIG_HEAP = 2048;
const SMALL_HEAP = 256;
const WORKER = join(ROOT, 'bench/junit-parse-worker.mjs');

const tmp = mkdtempSync(join(tmpdir(), 'cc-junit-bench-'));
const cleanup = () => rmSync(tmp, { recursive: true, force: true });
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

try {
  // The engine exactly as the action bundles it: the library, and beside it the worker that reads a
  // large report's parts in parallel (scripts/build.mjs puts junit-worker.js beside an action's index.js).
  const engine = join(tmp, 'engine.mjs');
  await build({
    entryPoints: [join(ROOT, 'src/lib/junit/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile: engine,
    logLevel: 'warning',
  });
  await build({
    entryPoints: [join(ROOT, 'src/lib/junit/parse-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    outfile: join(tmp, 'junit-worker.js'),
    logLevel: 'warning',
  });

  const rows = [];
  const results = [];
  for (const cases of SIZES) {
    const file = join(tmp, `pytest-${cases}.xml`);
    const bytes = await generatePytestJUnit(file, cases);
    console.log(`generated ${cases} cases: ${(bytes / 1e6).toFixed(1)} MB`);

    // Our runs are interleaved with the peers' (before, between and after them), so a change in the
    // machine's load during the run weighs on both sides alike.
    const ours = [parseOnce('engine', file, SMALL_HEAP, engine)];
    const peers = [];
    for (const p of PEERS) {
      peers.push({ parser: p, heap: BIG_HEAP, ...parseOnce(p, file, BIG_HEAP) });
      ours.push(parseOnce('engine', file, SMALL_HEAP, engine));
    }
    for (const p of PEERS) peers.push({ parser: p, heap: SMALL_HEAP, ...parseOnce(p, file, SMALL_HEAP) });
    for (let i = ours.length; i < OUR_RUNS; i++) ours.push(parseOnce('engine', file, SMALL_HEAP, engine));
    const okRuns = ours.filter((r) => r.ok);
    const engineResult =
      okRuns.length === ours.length
        ? {
            parser: 'engine (ours)',
            heap: SMALL_HEAP,
            ok: true,
            ms: median(okRuns.map((r) => r.ms)),
            cpuMs: median(okRuns.map((r) => r.cpuMs)),
            rssMB: Math.max(...okRuns.map((r) => r.rssMB)),
            tests: okRuns[0].tests,
            failures: okRuns[0].failures,
            runs: okRuns.length,
          }
        : { parser: 'engine (ours)', heap: SMALL_HEAP, ...ours.find((r) => !r.ok) };
    rmSync(file, { force: true });

    const completedPeers = peers.filter((r) => r.ok);
    const fastestPeer = completedPeers.sort((a, b) => a.ms - b.ms)[0];
    for (const r of [
      engineResult,
      ...peers.sort((a, b) => PEERS.indexOf(a.parser) - PEERS.indexOf(b.parser) || b.heap - a.heap),
    ]) {
      rows.push([
        cases,
        r.parser,
        `${r.heap} MB`,
        r.ok ? 'ok' : r.failure,
        r.ok ? (r.ms / 1000).toFixed(2) : (r.ms / 1000).toFixed(2) + ' (until it failed)',
        r.ok ? (r.cpuMs / 1000).toFixed(2) : '',
        r.rssMB ? r.rssMB.toFixed(0) : 'n/a',
        r.ok && engineResult.ok ? (r.ms / engineResult.ms).toFixed(2) : '',
        r.ok && engineResult.ok ? (r.cpuMs / engineResult.cpuMs).toFixed(2) : '',
        r.ok ? `${r.tests}/${r.failures}` : '',
      ]);
    }
    const agree = completedPeers.every(
      (r) => r.tests === engineResult.tests && r.failures === engineResult.failures,
    );
    const peersAtSmallHeap = peers.filter((r) => r.heap === SMALL_HEAP);
    results.push({
      cases,
      mb: +(bytes / 1e6).toFixed(1),
      engine: {
        ok: engineResult.ok,
        s: +(engineResult.ms / 1000).toFixed(3),
        cpuS: engineResult.cpuMs ? +(engineResult.cpuMs / 1000).toFixed(3) : null,
        rssMB: engineResult.rssMB ? +engineResult.rssMB.toFixed(1) : null,
        heapMB: SMALL_HEAP,
      },
      peers: peers.map((r) => ({
        parser: r.parser,
        heapMB: r.heap,
        ok: r.ok,
        s: +(r.ms / 1000).toFixed(3),
        ...(r.ok ? { cpuS: +(r.cpuMs / 1000).toFixed(3) } : {}),
        rssMB: r.rssMB ? +r.rssMB.toFixed(1) : null,
        ...(r.ok ? {} : { failure: r.failure }),
      })),
      fastestPeer: fastestPeer
        ? { parser: fastestPeer.parser, s: +(fastestPeer.ms / 1000).toFixed(3) }
        : null,
      speedup: fastestPeer && engineResult.ok ? +(fastestPeer.ms / engineResult.ms).toFixed(2) : null,
      cpuSpeedup:
        fastestPeer && engineResult.ok ? +(fastestPeer.cpuMs / engineResult.cpuMs).toFixed(2) : null,
      peersCompletingAt256: peersAtSmallHeap.filter((r) => r.ok).map((r) => r.parser),
      countsAgree: agree,
    });
  }

  console.log(
    `\nJUnit parse: our streaming engine vs DOM parsers (Node ${spawnSync(NODE24, ['-v']).stdout.toString().trim()}, nice 10; time = read + parse + count; ours: median of ${Math.max(OUR_RUNS, PEERS.length + 1)} runs interleaved with the peers')`,
  );
  printTable(
    [
      'cases',
      'parser',
      'heap limit',
      'result',
      'wall s',
      'cpu s',
      'peak RSS MB',
      'wall x ours',
      'cpu x ours',
      'tests/failures',
    ],
    rows,
  );

  const last = results[results.length - 1];
  console.log('');
  for (const r of results) {
    console.log(
      `${r.cases} cases (${r.mb} MB): ours ${r.engine.s}s, ${r.engine.rssMB} MB peak RSS at a ${SMALL_HEAP} MB heap; ` +
        (r.fastestPeer
          ? `fastest peer ${r.fastestPeer.parser} ${r.fastestPeer.s}s → ${r.speedup}x faster (CPU time: ${r.cpuSpeedup}x)`
          : 'no peer completed') +
        `; peers completing at ${SMALL_HEAP} MB: ${r.peersCompletingAt256.join(', ') || 'none'}; counts agree: ${r.countsAgree ? 'yes' : 'NO'}`,
    );
  }
  const goals = {
    speedup4x: last.speedup !== null ? last.speedup >= 4 : last.engine.ok,
    cpuSpeedup4x: last.cpuSpeedup !== null ? last.cpuSpeedup >= 4 : last.engine.ok,
    rssUnder150MB: last.engine.rssMB !== null && last.engine.rssMB <= 150,
    completesAt256WherePeersCannot: last.engine.ok && last.peersCompletingAt256.length === 0,
  };
  console.log(
    `goals at ${last.cases} cases: >=4x fastest peer (wall time): ${goals.speedup4x ? 'met' : 'NOT met'}${last.cpuSpeedup !== null ? ` (CPU time: ${last.cpuSpeedup}x, ${last.cpuSpeedup >= 4 ? 'met' : 'NOT met'})` : ''} · peak RSS <= 150 MB: ${goals.rssUnder150MB ? 'met' : 'NOT met'} · completes at ${SMALL_HEAP} MB where DOM parsers cannot: ${goals.completesAt256WherePeersCannot ? 'met' : 'NOT met'}`,
  );
  record('junit-parse', { sizes: results, goals });
  if (!results.every((r) => r.countsAgree) || !last.engine.ok) process.exitCode = 1;
} finally {
  cleanup();
}

/** One parse in a child process; peak RSS comes from GNU time, so it is known even when the child dies. */
function parseOnce(parser, file, heapMB, engine) {
  const timeFile = join(tmp, `time-${parser}-${heapMB}.txt`);
  const args = [
    '-n',
    '10',
    '/usr/bin/time',
    '-f',
    '%M',
    '-o',
    timeFile,
    NODE24,
    `--max-old-space-size=${heapMB}`,
    WORKER,
    parser,
    file,
    ...(engine ? [engine] : []),
  ];
  const t0 = performance.now();
  const r = spawnSync('nice', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 << 20 });
  const wallMs = performance.now() - t0;
  const rssMB = existsSync(timeFile)
    ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) / 1024
    : undefined;
  const line = r.stdout.trim().split('\n').pop();
  if (r.status === 0 && line?.startsWith('{')) {
    const out = JSON.parse(line);
    return {
      ok: true,
      ms: out.ms,
      cpuMs: out.cpuMs,
      rssMB: rssMB ?? out.maxRssMB,
      tests: out.tests,
      failures: out.failures,
    };
  }
  const oom =
    /heap out of memory|Reached heap limit|Invalid string length|Cannot create a string longer/i.exec(
      r.stderr ?? '',
    );
  const failure = oom
    ? /string/i.test(oom[0])
      ? 'string too long'
      : 'out of memory'
    : `exit ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().split('\n').pop()?.slice(0, 80)}`;
  return { ok: false, ms: wallMs, rssMB, failure };
}
