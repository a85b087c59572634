import { describe, expect, it } from 'vitest';
import { fitToBudget, STEP_SUMMARY_BUDGET_BYTES } from '../../src/lib/markdown.js';
import { selectAnnotations } from '../../src/lib/annotations.js';
import { emptyCounts, type JUnitCounts } from '../../src/lib/junit/types.js';
import { planSuites, suiteEnvironment, type SuitePlan } from '../../src/actions/smoke-suite/inputs.js';
import {
  judgeAttempt,
  type AttemptRecord,
  type SuiteOutcome,
  type FailureRecord,
} from '../../src/actions/smoke-suite/verdict.js';
import {
  buildAnnotations,
  buildReport,
  renderSummary,
  runbookLink,
} from '../../src/actions/smoke-suite/report.js';
import { idealMakespan, runPool } from '../../src/actions/smoke-suite/schedule.js';
import { Progress } from '../../src/actions/smoke-suite/progress.js';

const WS = '/work/space';

function plan(name: string, index: number, extra: Partial<SuitePlan> = {}): SuitePlan {
  return { ...planSuites([{ name, run: 'pytest', junit: 'r.xml' }], WS)[0]!, index, ...extra };
}

function counts(c: Partial<JUnitCounts>): JUnitCounts {
  return { ...emptyCounts(), ...c };
}

function attempt(a: Partial<AttemptRecord>): Omit<AttemptRecord, 'ok' | 'reason'> {
  return {
    attempt: 1,
    exitCode: 0,
    signal: null,
    timedOut: false,
    cancelled: false,
    leftovers: false,
    endedProcesses: [],
    endedCount: 0,
    startedAt: 0,
    durationMs: 1000,
    log: 'smoke-reports/x/attempt-1.log',
    reports: [{ file: 'r.xml', counts: counts({ tests: 1, passed: 1 }) }],
    staleReports: [],
    counts: counts({ tests: 1, passed: 1 }),
    ...a,
  };
}

function failure(id: string, file = 'tests/test_a.py', line = 3): FailureRecord {
  return {
    id,
    classname: 'tests.test_a',
    name: id,
    status: 'failed',
    message: `AssertionError: ${id}`,
    text: `def test():\n>   assert 0\nE   AssertionError\n\n${file}:${line}: AssertionError`,
    textTruncated: false,
    location: { file, line },
    report: 'r.xml',
  };
}

function outcome(
  p: SuitePlan,
  status: SuiteOutcome['status'],
  extra: Partial<SuiteOutcome> = {},
): SuiteOutcome {
  const a = {
    ...attempt({}),
    ok: status !== 'failed',
    ...(status === 'failed' ? { reason: '1 test failed of 1' } : {}),
  };
  return {
    plan: p,
    status,
    attempts: [a],
    counts: counts({ tests: 1, passed: status === 'failed' ? 0 : 1, failed: status === 'failed' ? 1 : 0 }),
    failures: [],
    failuresOmitted: 0,
    flakyTests: [],
    ...extra,
  };
}

describe('judging an attempt: never green without evidence', () => {
  const p = { junit: ['reports/*.xml'], timeoutMs: 300_000 };
  it('passes only with tests, no failures and exit code 0', () =>
    expect(judgeAttempt(attempt({}), p)).toEqual({ ok: true }));
  it('no report and a non-zero exit', () =>
    expect(judgeAttempt(attempt({ exitCode: 4, reports: [], counts: emptyCounts() }), p)).toEqual({
      ok: false,
      reason: 'exited with code 4 and wrote no JUnit report matching `reports/*.xml`',
    }));
  it('no report, exit 0, and a stale report ignored', () =>
    expect(
      judgeAttempt(attempt({ reports: [], staleReports: ['reports/old.xml'], counts: emptyCounts() }), p)
        .reason,
    ).toBe(
      'wrote no JUnit report matching `reports/*.xml`; 1 older report(s) from an earlier run were ignored',
    ));
  it('zero tests', () =>
    expect(
      judgeAttempt(attempt({ counts: emptyCounts(), reports: [{ file: 'r.xml', counts: emptyCounts() }] }), p)
        .reason,
    ).toBe('its reports contain zero tests'));
  it('failures and errors are counted in the reason', () =>
    expect(
      judgeAttempt(
        attempt({ exitCode: 1, counts: counts({ tests: 9, passed: 6, failed: 2, errored: 1 }) }),
        p,
      ).reason,
    ).toBe('2 tests failed, 1 errored of 9'));
  it('a clean report but a non-zero exit still fails', () =>
    expect(judgeAttempt(attempt({ exitCode: 2 }), p).reason).toBe(
      'exited with code 2 although its reports show no failing test (1 passed)',
    ));
  it('a timeout says so, with what was counted', () =>
    expect(judgeAttempt(attempt({ timedOut: true, signal: 'SIGTERM' }), p).reason).toBe(
      'timed out after 5m00s; its whole process group was killed (1 passed)',
    ));
  it('an unreadable report wins over counts', () =>
    expect(
      judgeAttempt(
        attempt({
          reports: [
            { file: 'a.xml', error: 'a.xml:5:3: not well-formed XML: unexpected close tag.' },
            { file: 'b.xml', error: 'b' },
          ],
        }),
        p,
      ).reason,
    ).toBe('report a.xml:5:3: not well-formed XML: unexpected close tag. (and 1 more unreadable report(s))'));
});

describe('planning suites from the input', () => {
  it('applies defaults and resolves the working directory', () => {
    const [s] = planSuites(
      [{ name: 'Policy Suite', run: `pytest -k 'a b'`, junit: 'r.xml', 'working-directory': 'svc/policy' }],
      WS,
    );
    expect(s).toMatchObject({
      slug: 'policy-suite',
      argv: ['pytest', '-k', 'a b'],
      display: `pytest -k 'a b'`,
      cwd: `${WS}/svc/policy`,
      cwdLabel: 'svc/policy',
      timeoutMs: 900_000,
      required: true,
      retries: 0,
      junit: ['r.xml'],
    });
  });
  it('refuses duplicate names, paths leaving the workspace and shell syntax, naming the suite and key', () => {
    expect(() =>
      planSuites(
        [
          { name: 'a', run: 'x', junit: 'r' },
          { name: 'A', run: 'y', junit: 'r' },
        ],
        WS,
      ),
    ).toThrow(/input 'suites' is invalid at \/1\/name \(value "A"\): the name is already used by suite 0/);
    expect(() =>
      planSuites([{ name: 'a', run: 'x', junit: 'r', 'working-directory': '../etc' }], WS),
    ).toThrow(/\/0\/working-directory: the directory "\.\.\/etc" points outside/);
    expect(() => planSuites([{ name: 'a', run: 'x', junit: '../r.xml' }], WS)).toThrow(
      /\/0\/junit \(value "\.\.\/r\.xml"\): expected a glob relative/,
    );
    expect(() => planSuites([{ name: 'a', run: 'pytest > out', junit: 'r' }], WS)).toThrow(
      /\/0\/run \(value "pytest > out"\): the shell operator `>` at position 8 needs a shell/,
    );
  });
  it('shell: true runs the line through /bin/sh as written', () => {
    expect(
      planSuites([{ name: 'a', run: 'A=1 pytest | tee o', junit: 'r', shell: true }], WS)[0]!.argv,
    ).toEqual(['/bin/sh', '-c', 'A=1 pytest | tee o']);
  });
  it("the suite's environment drops the action-only credentials and adds its own", () => {
    const env = suiteEnvironment(
      {
        PATH: '/bin',
        INPUT_SUITES: 'x',
        ACTIONS_RUNTIME_TOKEN: 'secret',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 't',
        GITHUB_SHA: 'abc',
      },
      plan('p', 0, { env: { SMOKE_FAIL: '1' } }),
      2,
    );
    expect(env).toEqual({
      PATH: '/bin',
      GITHUB_SHA: 'abc',
      SMOKE_FAIL: '1',
      SMOKE_SUITE_NAME: 'p',
      SMOKE_SUITE_ATTEMPT: '2',
    });
  });
});

describe('the report', () => {
  const required = plan('policy', 1, {
    squad: 'Governance Core',
    owner: '@gov',
    runbook: 'docs/runbooks/policy.md',
  });
  const optional = plan('admin', 0, { squad: 'Experience', required: false });

  it('an optional failure does not fail the step; a required one does', () => {
    const onlyOptional = buildReport([outcome(optional, 'failed'), outcome(required, 'passed')], {
      wallMs: 1,
      concurrency: 2,
      failFast: false,
      reportDir: 'r',
    });
    expect(onlyOptional).toMatchObject({
      status: 'success',
      failedSuites: ['admin'],
      headline: 'all required suites passed; 1 optional suite(s) failed',
    });
    const both = buildReport([outcome(optional, 'failed'), outcome(required, 'failed')], {
      wallMs: 1,
      concurrency: 2,
      failFast: false,
      reportDir: 'r',
    });
    expect(both).toMatchObject({ status: 'failure', headline: '1 of 1 required suite(s) failed' });
  });

  it('annotations: required suites first (errors), then optional (warnings), then capped per level', () => {
    const r = buildReport(
      [
        outcome(optional, 'failed', { failures: [failure('o1'), failure('o2')] }),
        outcome(required, 'failed', {
          failures: Array.from({ length: 12 }, (_, i) => failure(`r${i}`, 'tests/test_r.py', 10 + i)),
        }),
      ],
      { wallMs: 1, concurrency: 2, failFast: false, reportDir: 'r' },
    );
    const all = buildAnnotations(r, { blobBase: 'https://gh/acme/cc/blob/sha' });
    expect(all.filter((a) => a.level === 'error')).toHaveLength(12);
    expect(all.filter((a) => a.level === 'warning')).toHaveLength(2);
    const { shown, omitted } = selectAnnotations(all, 10);
    expect(shown.filter((a) => a.level === 'error').map((a) => a.line)).toEqual([
      10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
    ]);
    expect(omitted.error).toBe(2);
    const first = shown[0]!;
    expect(first).toMatchObject({ file: 'tests/test_r.py', line: 10, title: 'policy: r0 failed' });
    expect(first.message).toContain(
      'Owner: Governance Core (@gov) · Runbook: https://gh/acme/cc/blob/sha/docs/runbooks/policy.md',
    );
  });

  it('runbook links: URLs as they are, repository paths at the run commit', () => {
    expect(runbookLink('https://wiki/x', { blobBase: 'b' })).toBe('https://wiki/x');
    expect(runbookLink('./docs/runbooks/kafka.md', { blobBase: 'https://gh/o/r/blob/s' })).toBe(
      'https://gh/o/r/blob/s/docs/runbooks/kafka.md',
    );
    expect(runbookLink('docs/runbooks/kafka.md', {})).toBe('docs/runbooks/kafka.md');
  });

  it('a summary of thousands of failures is cut to fit the step summary budget, saying where the rest is', () => {
    const many = Array.from({ length: 5_000 }, (_, i) => ({ ...failure(`t${i}`), text: 'x\n'.repeat(400) }));
    const r = buildReport([outcome(required, 'failed', { failures: many, failuresOmitted: 120 })], {
      wallMs: 1,
      concurrency: 2,
      failFast: false,
      reportDir: 'smoke-reports',
    });
    const summary = renderSummary(r, {});
    expect(summary).toContain('| Governance Core | 1 | ❌ policy |');
    expect(summary.match(/\*\*t\d+\*\* failed at/g)).toHaveLength(50);
    expect(summary).toContain('5070 more failure(s) are not shown here');
    const full = renderSummary(r, {}, { maxFailures: 1_000_000, excerptLines: 400 });
    expect(Buffer.byteLength(full)).toBeGreaterThan(STEP_SUMMARY_BUDGET_BYTES);
    const fitted = fitToBudget(full, undefined, 'smoke-reports/summary.md');
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(STEP_SUMMARY_BUDGET_BYTES);
    expect(fitted).toContain('The full report is in `smoke-reports/summary.md`');
  });
});

describe('scheduling', () => {
  it('runs at most `concurrency` at once, in input order', async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    await runPool([30, 10, 10, 10], 2, async (ms, i) => {
      started.push(i);
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return i;
    });
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('fail-fast: nothing new starts after stopAfter, what runs finishes', async () => {
    const results = await runPool(
      ['fail', 'slow', 'never', 'never'],
      2,
      async (x) => {
        await new Promise((r) => setTimeout(r, x === 'slow' ? 30 : 5));
        return x;
      },
      (r) => r === 'fail',
    );
    expect(results).toEqual(['fail', 'slow', undefined, undefined]);
  });

  it('idealMakespan finds the best assignment', () => {
    expect(idealMakespan([4, 3, 1], 2)).toBe(4);
    expect(idealMakespan([3, 3, 2, 2, 2], 2)).toBe(6);
    expect(idealMakespan([5], 3)).toBe(5);
  });

  it('progress lines count running, done and waiting suites', () => {
    let t = 0;
    const p = new Progress(3, () => t);
    expect(p.started('a', 1, 0)).toBe('▶ a started · 1 running, 0/3 done, 2 waiting');
    expect(p.started('b', 1, 1)).toBe('▶ b started (attempt 1 of 2) · 2 running, 0/3 done, 1 waiting');
    t = 65_000;
    expect(p.heartbeat()).toBe('… still running: a (1m05s), b (1m05s) · 2 running, 0/3 done, 1 waiting');
    const ok = {
      ...attempt({ durationMs: 65_000, counts: counts({ tests: 3, passed: 2, skipped: 1 }) }),
      ok: true,
    };
    expect(p.attemptEnded('a', ok, false)).toBe(
      '✔ a passed in 1m05s · 2 passed, 1 skipped · 1 running, 1/3 done, 1 waiting',
    );
    const failed = {
      ...attempt({ durationMs: 2_000, exitCode: 1 }),
      ok: false,
      reason: '1 test failed of 1',
    };
    expect(p.attemptEnded('b', failed, true)).toBe(
      '✖ b failed, retrying in 2.0s: 1 test failed of 1 · 0 running, 1/3 done, 2 waiting',
    );
  });
});
