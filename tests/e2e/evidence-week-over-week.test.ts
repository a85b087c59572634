import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { bareOrigin, checkout, seed, sh } from '../support/git.js';
import { NODE24 } from '../support/paths.js';
import { needsServers, requireServer } from '../support/servers.js';
import { requireStaging } from '../fixtures/contracts/staging.js';

needsServers('prometheus', 'staging');

// Two Integration Days in one real git repository, each made by the real bundles: smoke-suite runs a
// real pytest suite, evidence-archive snapshots a real Prometheus series and commits the day. The
// second day reads the first back from the checkout: its report says what changed since last week.

const LAST_WEEK = '2026-12-09';
const THIS_WEEK = '2026-12-16';
const CONSTITUTION = 'http://127.0.0.1:18082';
/** Calls of the constitution service's signing keys: a series only this test makes move much. */
const KEYS_QUERY = 'sum(http_requests_total{service="constitution",route="/v1/keys",method="GET"})';
const PATH = `${dirname(NODE24)}:${process.env.PATH ?? '/usr/bin:/bin'}`;

const SUITE_TEST = `import os

def test_keys_are_served():
    assert True

def test_tenant_bundle_signed():
    assert os.environ.get("BREAK_BUNDLE") != "1", "bundle signature did not verify"
`;

let scratch: string;
let prometheus: string;
beforeAll(async () => {
  ensureBuilt();
  prometheus = await requireServer('prometheus');
  await requireStaging();
  scratch = mkdtempSync(join(tmpdir(), 'cc-week-e2e-'));
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function instant(query: string): Promise<number> {
  const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
  return Number(body.data.result[0]?.value[1] ?? 0);
}

/** Calls the keys endpoint `n` times, then waits until Prometheus has scraped at least that many more. */
async function callKeys(n: number): Promise<void> {
  const before = await instant(KEYS_QUERY);
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${CONSTITUTION}/v1/keys`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }
  for (let i = 0; i < 60 && (await instant(KEYS_QUERY)) < before + n; i++)
    await new Promise((r) => setTimeout(r, 1000));
  expect(await instant(KEYS_QUERY)).toBeGreaterThanOrEqual(before + n);
}

/** One day: the smoke suite, then evidence-archive committing the day to the origin's main. */
async function day(ws: string, date: string, env: Record<string, string>): Promise<ActionRun> {
  const runnerTemp = mkdtempSync(join(scratch, 'runner-temp-'));
  const smoke = await runAction('smoke-suite', {
    workspace: ws,
    inputs: {
      suites: stringify([
        {
          name: 'constitution',
          squad: 'Governance Core',
          run: 'python3 -m pytest suite -q -p no:cacheprovider --junitxml=reports/constitution.xml',
          junit: 'reports/constitution.xml',
        },
      ]),
    },
    env: { PATH, PYTHONDONTWRITEBYTECODE: '1', RUNNER_TEMP: runnerTemp, ...env },
    timeoutMs: 180_000,
  });
  expect([0, 1]).toContain(smoke.exitCode);
  rmSync(join(ws, 'reports'), { recursive: true, force: true });
  const archive = await runAction('evidence-archive', {
    workspace: ws,
    env: { RUNNER_TEMP: runnerTemp, GITHUB_REF: 'refs/heads/main' },
    inputs: {
      date,
      timezone: 'UTC',
      'prometheus-url': prometheus,
      queries: stringify([
        {
          name: 'signing-key-calls',
          panel: 'Signing key calls',
          query: KEYS_QUERY,
          range: '30s',
          step: '1s',
          unit: 'calls',
          squad: 'Governance Core',
          'regression-limit': 25,
        },
      ]),
      branch: 'main',
      artifact: 'false',
    },
    timeoutMs: 240_000,
  });
  return archive;
}

describe('evidence-archive, since last week', () => {
  it('compares the day with the one committed before it: the panel regressed, with its owner; the broken test is fixed', async () => {
    const origin = bareOrigin(scratch);
    seed(scratch, origin, 'main', { 'suite/test_bundle.py': SUITE_TEST });

    await callKeys(2);
    const ws1 = checkout(scratch, origin, 'main');
    const first = await day(ws1, LAST_WEEK, { BREAK_BUNDLE: '1' });
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    expect(first.outputs.pushed).toBe('true');
    const report1 = readFileSync(join(ws1, `docs/sprints/status/${LAST_WEEK}.md`), 'utf8');
    expect(report1).toContain('No earlier day to compare with');

    // Between the two days the series really moves: many more calls than it had counted.
    const snapshot = JSON.parse(
      readFileSync(
        join(ws1, `docs/sprints/status/${LAST_WEEK}/evidence/metrics/signing-key-calls.json`),
        'utf8',
      ),
    ) as { stats: { mean: number }[] };
    const lastWeekMean = snapshot.stats[0]!.mean;
    expect(lastWeekMean).toBeGreaterThan(0);
    await callKeys(Math.max(20, Math.ceil(lastWeekMean) * 2));
    // Most of the second day's 30 s window then holds the new count.
    await new Promise((r) => setTimeout(r, 22_000));

    const ws2 = checkout(scratch, origin, 'main');
    const second = await day(ws2, THIS_WEEK, {});
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);
    const report = readFileSync(join(ws2, `docs/sprints/status/${THIS_WEEK}.md`), 'utf8');

    expect(report).toContain('## Since last week');
    expect(report).toContain(
      `Compared with [Integration Day ${LAST_WEEK}](${LAST_WEEK}.md) ([its evidence](${LAST_WEEK}/evidence/README.md))`,
    );
    const row =
      /\| Signing key calls \| Governance Core \| {2}\| ([\d.]+) calls \| ([\d.]+) calls \| \+([\d.]+) % \| at most 25 % worse \(warning\) \|/.exec(
        report,
      );
    expect(row, report).not.toBeNull();
    expect(Number(row![1])).toBeCloseTo(lastWeekMean, 1);
    expect(Number(row![3])).toBeGreaterThan(25);
    // The regression is a row of what failed, with the panel's owner, and a warning annotation.
    expect(report).toMatch(
      /\| panel Signing key calls: worse than last week \(warning\) \| evidence-archive \| Governance Core \| {2}\| \+[\d.]+ % against last week/,
    );
    expect(report).toMatch(
      /^⚠️ \*\*All 1 step\(s\) succeeded; 1 warning\(s\) need an owner's attention\.\*\*/mu,
    );
    expect(second.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        message: expect.stringMatching(
          /^Signing key calls: \+[\d.]+ % against last week .*\(owner: Governance Core\)$/,
        ),
      }),
    );
    const result = JSON.parse(readFileSync(second.outputs['result-path']!, 'utf8')) as {
      result: { panelFindings: { panel: string; kind: string; owner: string }[] };
    };
    expect(result.result.panelFindings).toEqual([
      expect.objectContaining({ panel: 'signing-key-calls', kind: 'regression', owner: 'Governance Core' }),
    ]);

    // The smoke test that failed last week passes now: named as fixed, by suite, classname and name.
    expect(report).toMatch(
      /\| new failures \| 0 \|\n\| still failing \| 0 \|\n\| fixed since last week \| 1 \|/,
    );
    expect(report).toContain(
      '**Fixed since last week**\n\n- `constitution · suite.test_bundle::test_tenant_bundle_signed`',
    );
    // Both days are on the origin's branch, the second on top of the first.
    const tree = sh(origin, 'ls-tree', '-r', '--name-only', 'refs/heads/main');
    expect(tree).toContain(`docs/sprints/status/${LAST_WEEK}/evidence/metrics/signing-key-calls.json`);
    expect(tree).toContain(`docs/sprints/status/${THIS_WEEK}/evidence/results/smoke-suite.json`);
  }, 600_000);
});
