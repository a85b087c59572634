import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { NODE24, ROOT } from '../support/paths.js';
import { needsServers } from '../support/servers.js';

needsServers();

const PATH = `${dirname(NODE24)}:${process.env.PATH ?? '/usr/bin:/bin'}`;
const HISTORY = 'docs/sprints/status/2026-12-02/evidence/results/smoke-suite.json';

/** Suites of real pytest tests that do uneven amounts of work; one test of `ledger` fails. */
const SUITES: { name: string; tests: number; sleepMs: number; alone?: boolean; fails?: boolean }[] = [
  { name: 'policy', tests: 6, sleepMs: 300 },
  { name: 'orchestrator', tests: 4, sleepMs: 250 },
  { name: 'ledger', tests: 5, sleepMs: 120, fails: true },
  { name: 'console', tests: 3, sleepMs: 60 },
  { name: 'audit', tests: 2, sleepMs: 40 },
  { name: 'migrations', tests: 2, sleepMs: 50, alone: true },
];

function workspace(): string {
  const ws = mkdtempSync(join(tmpdir(), 'cc-shards-'));
  for (const s of SUITES) {
    const body = Array.from(
      { length: s.tests },
      (_, i) =>
        `def test_${s.name}_${i}():\n    time.sleep(${s.sleepMs / 1000})\n    assert ${s.fails && i === 0 ? 'sum(range(10)) == 46' : 'sum(range(10)) == 45'}\n`,
    ).join('\n');
    mkdirSync(join(ws, 'suites', s.name), { recursive: true });
    writeFileSync(join(ws, 'suites', s.name, `test_${s.name}.py`), `import time\n\n${body}`);
  }
  writeFileSync(
    join(ws, 'integration-day.config.yml'),
    stringify({ 'smoke-suite': { concurrency: 1, suites: suiteConfigs() } }),
  );
  return ws;
}

function suiteConfigs(): object[] {
  return SUITES.map((s) => ({
    name: s.name,
    run: `python3 -m pytest suites/${s.name} -q -p no:cacheprovider --junitxml=reports/${s.name}.xml`,
    junit: `reports/${s.name}.xml`,
    ...(s.alone ? { alone: true } : {}),
  }));
}

async function smoke(ws: string, inputs: Record<string, string>): Promise<ActionRun> {
  return runAction('smoke-suite', {
    workspace: ws,
    inputs: { suites: stringify(suiteConfigs()), concurrency: '1', ...inputs },
    env: { PATH, PYTHONDONTWRITEBYTECODE: '1' },
    timeoutMs: 180_000,
  });
}

interface SuiteResult {
  name: string;
  status: string;
  counts: { tests: number; passed: number; failed: number; errored: number; skipped: number };
}
interface SmokeResult {
  result: {
    totals: { tests: number; passed: number; failed: number };
    suites: SuiteResult[];
    shard?: { index: number; count: number; suites: string[]; plan: { suites: string[] }[] };
  };
}
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as SmokeResult;

describe('smoke-suite sharded by measured durations, on real pytest suites', () => {
  let ws: string;
  let whole: SmokeResult;
  let matrix: { include: { shard: string; suites: string }[] };
  let planText: string;
  const shards: SmokeResult[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    ws = workspace();
    // Day one runs everything on one runner; its committed result is the history the plan learns from.
    const one = await smoke(ws, { 'result-path': HISTORY });
    expect(one.exitCode, one.stderr).toBe(1); // ledger's failing test
    whole = read(join(ws, HISTORY));

    const cli = spawnSync(
      NODE24,
      [join(ROOT, 'bin/command-center.js'), 'config', 'shards', '--shards', '3'],
      {
        cwd: ws,
        encoding: 'utf8',
        env: { PATH, HOME: process.env.HOME ?? tmpdir() },
      },
    );
    expect(cli.status, cli.stderr).toBe(0);
    matrix = JSON.parse(cli.stdout) as typeof matrix;
    planText = cli.stderr;

    for (const entry of matrix.include) {
      const k = entry.shard.split('/')[0]!;
      await smoke(ws, {
        shard: entry.shard,
        'result-path': `results/shard-${k}.json`,
        'report-dir': `reports-${k}`,
      });
      shards.push(read(join(ws, `results/shard-${k}.json`)));
    }
  }, 600_000);

  it('plans from the recorded durations and prints a matrix for fromJSON', () => {
    expect(planText).toContain(`durations: docs/sprints/status/2026-12-02/evidence/results`);
    expect(planText).not.toContain('estimated (no history)');
    expect(matrix.include.map((e) => e.shard)).toEqual(['1/3', '2/3', '3/3']);
    // The suite that must run alone has the first shard to itself.
    expect(matrix.include[0]!.suites).toBe('migrations');
  });

  it('runs each shard exactly the share the matrix gave it, every suite once', () => {
    const ran = shards.map((s) => s.result.suites.map((x) => x.name).join(', '));
    expect(ran).toEqual(matrix.include.map((e) => e.suites));
    const all = shards.flatMap((s) => s.result.suites.map((x) => x.name)).sort();
    expect(all).toEqual(SUITES.map((s) => s.name).sort());
    for (const [i, s] of shards.entries()) {
      expect(s.result.shard?.index).toBe(i + 1);
      expect(s.result.shard?.count).toBe(3);
      // Every shard computed the same whole plan.
      expect(s.result.shard?.plan).toEqual(shards[0]!.result.shard?.plan);
    }
  });

  it('adds up to the single-runner run, suite for suite', () => {
    const bySuite = (r: SmokeResult[]) =>
      Object.fromEntries(
        r.flatMap((x) =>
          x.result.suites.map(({ name, status, counts: c }) => [
            name,
            {
              status,
              tests: c.tests,
              passed: c.passed,
              failed: c.failed,
              errored: c.errored,
              skipped: c.skipped,
            },
          ]),
        ),
      );
    expect(bySuite(shards)).toEqual(bySuite([whole]));
    const sum = (k: 'tests' | 'passed' | 'failed') => shards.reduce((n, s) => n + s.result.totals[k], 0);
    expect([sum('tests'), sum('passed'), sum('failed')]).toEqual([
      whole.result.totals.tests,
      whole.result.totals.passed,
      whole.result.totals.failed,
    ]);
    expect(whole.result.totals.failed).toBe(1);
  });
});
