import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { NODE24, ROOT } from '../support/paths.js';
import { smokeTools, type SmokeTools } from '../support/smoke-tools.js';
import { processAlive } from '../../src/lib/process/index.js';
import { needsServers } from '../support/servers.js';

needsServers();

// What real runners write, run by the real bundle on the projects under tests/fixtures/smoke:
// pytest with pytest-rerunfailures, pytest --color=yes, node:test under FORCE_COLOR=1, go test
// through gotestsum, a test that leaves a daemon in a session of its own, an all-skipped suite, and
// jest-junit with test.todo.
const FIXTURE = join(ROOT, 'tests/fixtures/smoke/workspace');
const PATH = `${join(ROOT, 'node_modules/.bin')}:${dirname(NODE24)}:${process.env.PATH ?? '/usr/bin:/bin'}`;
const TRACKING_ID = `runner-tracking-${randomUUID()}`;

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cc-smoke-runners-'));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

function lineOf(file: string, marker: string, root = FIXTURE): number {
  const i = readFileSync(join(root, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`${file} has no line with ${marker}`);
  return i + 1;
}

interface ResultSuite {
  name: string;
  status: string;
  reason: string | null;
  counts: { tests: number; passed: number; failed: number; errored: number; skipped: number; flaky: number };
  flakyTests: string[];
  failures: {
    id: string;
    name: string;
    runs?: number;
    message?: string;
    text: string;
    location?: { file: string; line?: number };
  }[];
  attempts: {
    endedProcesses: { pid: number; command: string; foundBy: string; endedBy: string }[];
    reports: {
      file: string;
      reruns?: number;
      todo?: number;
      forbiddenCharacters?: { count: number; line: number };
    }[];
  }[];
  skipReasons: { reason: string; count: number }[] | null;
}

describe('smoke-suite through its real bundle, on what real runners write', () => {
  let tools: SmokeTools;
  let ws: string;
  let r: ActionRun;
  let suites: Record<string, ResultSuite>;
  const daemonPid = () => Number(readFileSync(join(ws, 'daemon.pid'), 'utf8'));

  beforeAll(async () => {
    ensureBuilt();
    tools = smokeTools();
    ws = workspace();
    const pytest = (args: string, report: string) =>
      `python3 -m pytest ${args} -q --junitxml=reports/${report}.xml`;
    const rerunEnv = (name: string) => ({
      RERUN_MARKER: join(ws, `${name}.marker`),
      RERUN_COUNTER: join(ws, `${name}.counter`),
    });
    r = await runAction('smoke-suite', {
      workspace: ws,
      inputs: {
        suites: stringify([
          // pytest-rerunfailures alone: 1 passes, 1 fails once then passes, 1 fails all 3 runs.
          {
            name: 'reruns',
            run: pytest('suites/reruns --reruns 2 -k "not first_attempt"', 'reruns'),
            junit: 'reports/reruns.xml',
            required: false,
            env: rerunEnv('reruns'),
          },
          // Only the flaky and the passing test: green, 2 passed, 1 flaky.
          {
            name: 'reruns-green',
            run: pytest('suites/reruns --reruns 2 -k "passes or first_run"', 'reruns-green'),
            junit: 'reports/reruns-green.xml',
            env: rerunEnv('reruns-green'),
          },
          // --reruns 1 and retries: 1. test_fails_first_run fails once and passes on the rerun of attempt 1;
          // test_fails_first_attempt fails both runs of attempt 1 and passes in attempt 2 (both flaky);
          // test_always_fails fails all four runs (never flaky).
          {
            name: 'reruns-retried',
            run: pytest(
              'suites/reruns --reruns 1 -k "always or first_attempt or first_run"',
              'reruns-retried',
            ),
            junit: 'reports/reruns-retried.xml',
            retries: 1,
            required: false,
            env: rerunEnv('reruns-retried'),
          },
          {
            name: 'pytest-colour',
            run: pytest('suites/colour --color=yes', 'colour'),
            junit: 'reports/colour.xml',
            required: false,
          },
          {
            name: 'node-colour',
            run: 'node --test --test-reporter=junit --test-reporter-destination=nt/colour.xml nt/colour.test.mjs',
            'working-directory': 'web',
            junit: 'nt/colour.xml',
            required: false,
            env: { FORCE_COLOR: '1' },
          },
          {
            name: 'billing-go',
            run: `${tools.gotestsum} --junitfile reports/go.xml --format testname -- ./...`,
            'working-directory': 'go',
            junit: 'reports/go.xml',
            required: false,
            env: { GOTOOLCHAIN: 'local' },
          },
          {
            name: 'daemon',
            run: pytest('suites/daemon', 'daemon'),
            junit: 'reports/daemon.xml',
            env: { DAEMON_PID_FILE: join(ws, 'daemon.pid'), DAEMON_ENV_FILE: join(ws, 'daemon.env') },
          },
          {
            name: 'needs-db',
            squad: 'Governance Core',
            run: pytest('suites/skipped', 'needs-db'),
            junit: 'reports/needs-db.xml',
          },
          {
            name: 'needs-db-allowed',
            run: pytest('suites/skipped', 'needs-db-allowed'),
            junit: 'reports/needs-db-allowed.xml',
            'allow-all-skipped': true,
          },
        ]),
        concurrency: '3',
        'kill-grace': '1s',
      },
      env: {
        PATH,
        PYTHONDONTWRITEBYTECODE: '1',
        PYTHONPATH: tools.pytestRerunfailures,
        RUNNER_TRACKING_ID: TRACKING_ID,
        GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      },
      timeoutMs: 240_000,
    });
    const doc = JSON.parse(readFileSync(r.outputs['result-path']!, 'utf8')) as {
      result: { suites: ResultSuite[] };
    };
    suites = Object.fromEntries(doc.result.suites.map((s) => [s.name, s]));
  }, 400_000);

  afterAll(() => {
    // Should a daemon have survived (the test then fails), it must not outlive the test run either.
    if (ws && existsSync(join(ws, 'daemon.pid')) && processAlive(daemonPid()))
      process.kill(daemonPid(), 'SIGKILL');
  });

  it('no required suite failed: the step passes, with a warning for the suite that skipped every test', () => {
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.summary).toContain(
      '## Smoke suites: ⚠️ no required suite failed; 5 optional suite(s) failed; 1 suite(s) skipped every test',
    );
    expect(JSON.parse(r.outputs['failed-suites']!)).toEqual([
      'reruns',
      'reruns-retried',
      'pytest-colour',
      'node-colour',
      'billing-go',
    ]);
  });

  it('pytest-rerunfailures: each test counted once, by its last run; failed then passed is flaky', () => {
    expect(suites.reruns!.counts).toMatchObject({ tests: 3, passed: 2, failed: 1, errored: 0, flaky: 1 });
    expect(suites.reruns!.flakyTests).toEqual(['suites.reruns.test_reruns::test_fails_first_run']);
    expect(suites.reruns!.failures.map((f) => [f.id, f.runs, f.location])).toEqual([
      [
        'suites.reruns.test_reruns::test_always_fails',
        3,
        {
          file: 'suites/reruns/test_reruns.py',
          line: lineOf('suites/reruns/test_reruns.py', 'smoke-fixture: fails here'),
        },
      ],
    ]);
    expect(suites.reruns!.attempts[0]!.reports[0]).toMatchObject({ reruns: 3 });
    expect(suites['reruns-green']).toMatchObject({
      status: 'flaky',
      counts: { tests: 2, passed: 2, failed: 0, flaky: 1 },
      flakyTests: ['suites.reruns.test_reruns::test_fails_first_run'],
    });
    const notice = r.annotations.find((a) => a.properties.title === 'reruns-green: flaky')!;
    expect(notice.message).toContain(
      'passed after the test runner reran failed tests; flaky: suites.reruns.test_reruns::test_fails_first_run',
    );
  });

  it('pytest-rerunfailures with retries: 1: a test that failed in its final run is never flaky', () => {
    const s = suites['reruns-retried']!;
    expect(s.attempts).toHaveLength(2);
    expect(s).toMatchObject({
      status: 'failed',
      reason: '1 test failed of 3',
      counts: { tests: 3, passed: 2, failed: 1, flaky: 2 },
    });
    expect(s.flakyTests).toEqual([
      'suites.reruns.test_reruns::test_fails_first_run',
      'suites.reruns.test_reruns::test_fails_first_attempt',
    ]);
    expect(s.failures.map((f) => [f.name, f.runs])).toEqual([['test_always_fails', 2]]);
    const flakySection = r.summary.slice(r.summary.indexOf('### Flaky'));
    expect(flakySection).not.toContain('test_always_fails');
    expect(flakySection).toContain(
      '- **reruns-retried** (no owner configured), flaky tests of a suite that failed all the same: `suites.reruns.test_reruns::test_fails_first_run`, `suites.reruns.test_reruns::test_fails_first_attempt`',
    );
    expect(r.outputs.flaky).toBe('4'); // reruns and reruns-green one each, reruns-retried two
  });

  it('node:test under FORCE_COLOR=1: the report is read (raw ESC replaced, with a notice), counted, annotated without colour codes', () => {
    const s = suites['node-colour']!;
    expect(s.counts).toMatchObject({ tests: 4, passed: 1, failed: 1, skipped: 2 });
    expect(s.attempts[0]!.reports[0]!.forbiddenCharacters).toMatchObject({ line: 4 });
    const a = r.annotations.find(
      (x) => x.properties.title === 'node-colour: a decision carries its policy failed',
    )!;
    expect(a.properties).toMatchObject({
      file: 'web/nt/colour.test.mjs',
      line: String(lineOf('web/nt/colour.test.mjs', 'smoke-fixture: fails here')),
    });
    expect(a.message).toContain('+ actual - expected');
    expect(a.message).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]|\[3\dm|\ufffd/);
    expect(r.summary).toMatch(
      /node-colour: `web\/nt\/colour\.xml` held \d+ character\(s\) XML 1\.0 forbids \(raw colour codes, say\), first at line 4:\d+; they were replaced and the report was read/,
    );
  });

  it('pytest --color=yes: no "#x1B[…m" left in the annotation or the summary', () => {
    const a = r.annotations.find(
      (x) => x.properties.title === 'pytest-colour: test_quota_per_tenant failed',
    )!;
    expect(a.properties).toMatchObject({
      file: 'suites/colour/test_colour.py',
      line: String(lineOf('suites/colour/test_colour.py', 'smoke-fixture: fails here')),
    });
    expect(a.message).toContain("{'used': 12} != {'used': 10}");
    expect(a.message).not.toContain('#x1B');
    expect(r.summary).not.toContain('#x1B');
  });

  it('gotestsum: a failing test, a failing subtest (at its own line), its parent and a panic, each in the repository', () => {
    const s = suites['billing-go']!;
    expect(s.counts).toMatchObject({ tests: 6, passed: 2, failed: 4 });
    const test = (m: string) => ({
      file: 'go/services/billing/calc_test.go',
      line: lineOf('go/services/billing/calc_test.go', m),
    });
    expect(Object.fromEntries(s.failures.map((f) => [f.name, f.location]))).toEqual({
      TestAddFails: test('smoke-fixture: fails here'),
      'TestTable/bad/two': test('smoke-fixture: subtest fails here'),
      TestTable: test('smoke-fixture: parent of a failing subtest'),
      TestPerSeatPanics: {
        file: 'go/services/billing/calc.go',
        line: lineOf('go/services/billing/calc.go', 'smoke-fixture: panics here'),
      },
    });
    expect(r.summary).not.toContain('(no source location');
  });

  it('a daemon in a session of its own is ended (SIGKILL after kill-grace), and the report names it; RUNNER_TRACKING_ID untouched', () => {
    const pid = daemonPid();
    expect(processAlive(pid)).toBe(false);
    const s = suites.daemon!;
    expect(s.status).toBe('passed');
    expect(s.attempts[0]!.endedProcesses).toEqual([
      {
        pid,
        command: expect.stringContaining('smoke-fixture-daemon'),
        foundBy: 'marker',
        endedBy: 'SIGKILL',
      },
    ]);
    expect(r.summary).toMatch(
      new RegExp(
        `daemon, attempt 1: 1 process\\(es\\) it left running were ended: ${pid} \`[^\`\n]*smoke-fixture-daemon[^\`\n]*\` \\(had left its process group\\) \\(SIGKILL\\)`,
      ),
    );
    expect(
      r.annotations.find((a) => a.properties.title === 'daemon: processes left running were ended')!.level,
    ).toBe('notice');
    const [tracking, marker] = readFileSync(join(ws, 'daemon.env'), 'utf8').split('\n');
    expect(tracking).toBe(TRACKING_ID);
    expect(marker).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a suite whose every test was skipped is a warning with the reasons; allow-all-skipped: true makes it a pass', () => {
    expect(suites['needs-db']).toMatchObject({
      status: 'skipped',
      reason: 'every test was skipped (3): no evidence that it works',
      skipReasons: [
        { reason: 'needs DB_URL', count: 2 },
        { reason: 'migrations run only in staging', count: 1 },
      ],
    });
    const w = r.annotations.find((a) => a.properties.title === 'needs-db: every test skipped')!;
    expect(w.level).toBe('warning');
    expect(w.message).toContain('Why: needs DB_URL (2); migrations run only in staging (1)');
    expect(r.summary).toContain('| Governance Core | 1 | ⚠️ all skipped: needs-db |');
    expect(r.summary).toContain(
      '- ⚠️ **needs-db** (Governance Core): 3 skipped. Why: needs DB_URL (2); migrations run only in staging (1).',
    );
    expect(suites['needs-db-allowed']).toMatchObject({ status: 'passed', counts: { tests: 3, skipped: 3 } });
    expect(r.stdout).toMatch(/⚠ needs-db skipped every test in [\d.]+m?s · 0 passed, 3 skipped/);
    expect(r.stdout).toContain(
      '::group::⚠ needs-db: skipped (every test was skipped (3): no evidence that it works)',
    );
  });
});

describe('smoke-suite on jest-junit with test.todo (a real jest project)', () => {
  it('todo and skipped tests count as skipped, the failure is annotated in the test file', async () => {
    ensureBuilt();
    const tools = smokeTools();
    const id = randomUUID().slice(0, 8);
    const dir = 'tests/fixtures/smoke/jest-todo';
    try {
      const r = await runAction('smoke-suite', {
        workspace: ROOT,
        inputs: {
          suites: stringify([
            {
              name: 'refunds',
              squad: 'Experience & Ecosystem',
              run: 'pnpm test',
              'working-directory': dir,
              junit: `reports/${id}.xml`,
              env: { JEST_JUNIT_OUTPUT_DIR: 'reports', JEST_JUNIT_OUTPUT_NAME: `${id}.xml` },
            },
          ]),
          'report-dir': `.vitest/smoke-jest-${id}`,
        },
        env: { PATH, GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' },
        timeoutMs: 180_000,
      });
      expect(r.exitCode).toBe(1);
      expect(r.outputs).toMatchObject({ tests: '5', passed: '1', failed: '1', skipped: '3' });
      const a = r.annotations.find(
        (x) => x.properties.title === 'refunds: refunds a partial refund keeps the fee failed',
      )!;
      expect(a.properties).toMatchObject({
        file: `${dir}/src/refunds.test.js`,
        line: String(lineOf('src/refunds.test.js', 'smoke-fixture: fails here', tools.jestFixture)),
      });
      expect(r.summary).toContain(
        `refunds: \`${dir}/reports/${id}.xml\` holds 2 jest \`test.todo\` entries, counted as skipped`,
      );
    } finally {
      rmSync(join(ROOT, dir, 'reports', `${id}.xml`), { force: true });
      rmSync(join(ROOT, `.vitest/smoke-jest-${id}`), { recursive: true, force: true });
    }
  }, 240_000);
});

describe('smoke-suite on a report with 300 MiB attributes', () => {
  it('clips them as they are read: the step ends in a 256 MB heap and prints no more than a few KiB of them', async () => {
    ensureBuilt();
    const ws = mkdtempSync(join(tmpdir(), 'cc-smoke-huge-'));
    // One failing case whose classname is 300 MiB long and whose name is 20 MiB long.
    writeFileSync(
      join(ws, 'write_huge.py'),
      [
        'import os',
        'os.makedirs("reports", exist_ok=True)',
        'mib = "k" * (1 << 20)',
        'with open("reports/huge.xml", "w") as f:',
        '    f.write(\'<testsuites><testsuite name="s"><testcase classname="\')',
        '    for _ in range(300): f.write(mib)',
        '    f.write(\'" name="\')',
        '    for _ in range(20): f.write(mib)',
        '    f.write(\'"><failure message="boom">trace</failure></testcase></testsuite></testsuites>\')',
        '',
      ].join('\n'),
    );
    try {
      const r = await runAction('smoke-suite', {
        workspace: ws,
        inputs: {
          suites: stringify([{ name: 'huge', run: 'python3 write_huge.py', junit: 'reports/huge.xml' }]),
        },
        env: { PATH, NODE_OPTIONS: '--max-old-space-size=256' },
        timeoutMs: 180_000,
      });
      expect(r.stderr).not.toMatch(/heap out of memory/);
      expect(r.exitCode).toBe(1);
      const a = r.annotations.find((x) => x.level === 'error' && x.properties.title?.startsWith('huge: '))!;
      expect(a.message).toContain(`${'k'.repeat(4096)}…::${'k'.repeat(4096)}…`);
      expect(r.stdout.length).toBeLessThan(200_000);
      expect(Buffer.byteLength(r.summary)).toBeLessThan(200_000);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  }, 240_000);
});
