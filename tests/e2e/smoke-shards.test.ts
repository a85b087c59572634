import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('evidence-archive merges the shards into the result one runner wrote, suite for suite', async () => {
    const a = await archive(
      matrix.include.map((e) => join(ws, `results/shard-${e.shard.split('/')[0]}.json`)),
      3,
    );
    expect(a.run.exitCode, a.run.stdout).toBe(0);
    const counts = (r: SmokeResult) =>
      r.result.suites.map(({ name, status, counts: c }) => ({
        name,
        status,
        tests: c.tests,
        passed: c.passed,
        failed: c.failed,
        errored: c.errored,
        skipped: c.skipped,
      }));
    // Same suites, same order (the configuration's), same counts.
    expect(counts(a.merged)).toEqual(counts(whole));
    const keys = [
      'suites',
      'tests',
      'passed',
      'failed',
      'errored',
      'skipped',
      'failedSuites',
      'requiredFailed',
    ];
    const pick = (t: Record<string, number>) => Object.fromEntries(keys.map((k) => [k, t[k]]));
    expect(pick(a.merged.result.totals as Record<string, number>)).toEqual(
      pick(whole.result.totals as Record<string, number>),
    );
    expect(a.merged.status).toBe('failure');
    expect(a.merged.result.spread.missing).toEqual([]);
    // ledger's failing test is annotated once, by the evidence step, not once per shard.
    const ledger = a.run.annotations.filter((x) => x.properties.title?.startsWith('ledger:'));
    expect(ledger).toHaveLength(1);
    expect(a.report).toContain('### Spread over 3 shard(s)');
    for (const e of matrix.include) expect(a.report).toContain(`| ${e.shard} | ${e.suites} |`);
  }, 180_000);

  it('a shard killed mid-run is missing from the merge: its suites not run, the day failed', async () => {
    const second = matrix.include[1]!;
    const suites = second.suites.split(', ');
    // The second shard again, killed (SIGKILL: nothing can write a result) once its first suite started.
    const killed = await runAction('smoke-suite', {
      workspace: ws,
      inputs: {
        suites: stringify(suiteConfigs()),
        concurrency: '1',
        shard: second.shard,
        'result-path': 'results/killed.json',
        'report-dir': 'reports-killed',
      },
      env: { PATH, PYTHONDONTWRITEBYTECODE: '1' },
      timeoutMs: 180_000,
      during: async (child, live) => {
        while (!/▶ \S+ started/.test(live.stdout())) await new Promise((r) => setTimeout(r, 50));
        child.kill('SIGKILL');
      },
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(join(ws, 'results/killed.json'))).toBe(false);
    const a = await archive(
      [matrix.include[0]!, matrix.include[2]!].map((e) =>
        join(ws, `results/shard-${e.shard.split('/')[0]}.json`),
      ),
      3,
    );
    expect(a.merged.status).toBe('failure');
    expect(a.merged.result.spread.missing).toEqual([2]);
    for (const name of suites) {
      const s = a.merged.result.suites.find((x) => x.name === name)!;
      expect(s.status).toBe('not-run');
      expect(s.counts.passed).toBe(0);
    }
    expect(a.merged.result.suites.map((s) => s.name)).toEqual(whole.result.suites.map((s) => s.name));
    expect(a.merged.result.headline).toMatch(/shard\(s\) 2\/3 reported nothing/);
    expect(a.report).toContain('| 2/3 |');
    expect(a.report).toContain('❌ missing: reported nothing (cancelled, killed or never started)');
  }, 240_000);
});

/** The smoke-suite results of the evidence folder the archive wrote, and its status report. */
interface Archived {
  run: ActionRun;
  merged: SmokeResult & {
    status: string;
    result: {
      headline: string;
      annotations: { level: string; title?: string }[];
      spread: { count: number; missing: number[]; shards: { index: number; status: string }[] };
    };
  };
  report: string;
}

/**
 * evidence-archive over shard results, as the evidence job gets them from `collect` (which prefixes
 * each shard's key to the file name they share), in a workspace of its own.
 */
async function archive(results: string[], shardCount: number): Promise<Archived> {
  const date = '2026-12-09';
  const temp = mkdtempSync(join(tmpdir(), 'cc-shards-archive-'));
  const ws = join(temp, 'workspace');
  const rt = join(temp, 'runner-temp');
  mkdirSync(ws, { recursive: true });
  mkdirSync(join(rt, 'command-center'), { recursive: true });
  for (const r of results) {
    const k = read(r).result.shard!.index;
    copyFileSync(r, join(rt, 'command-center', `smoke--shard-${k}-of-${shardCount}-smoke-suite.json`));
  }
  const run = await runAction('evidence-archive', {
    workspace: ws,
    inputs: {
      date,
      commit: 'false',
      artifact: 'false',
      'expected-steps': `smoke-suite: { result: failure, shards: '${shardCount}' }`,
    },
    env: { PATH, RUNNER_TEMP: rt },
    timeoutMs: 120_000,
  });
  const evidence = join(ws, 'docs/sprints/status', date, 'evidence');
  const merged = join(evidence, 'results/smoke-suite.json');
  if (!existsSync(merged)) throw new Error(`no merged result: ${run.stdout}${run.stderr}`);
  return {
    run,
    merged: JSON.parse(readFileSync(merged, 'utf8')) as Archived['merged'],
    report: readFileSync(join(ws, 'docs/sprints/status', `${date}.md`), 'utf8'),
  };
}
