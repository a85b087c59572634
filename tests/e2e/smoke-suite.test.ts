import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { NODE24, ROOT } from '../support/paths.js';
import { processAlive } from '../../src/lib/process/index.js';
import { needsServers } from '../support/servers.js';

needsServers();

const FIXTURE = join(ROOT, 'tests/fixtures/smoke/workspace');
// pnpm and vitest from the project, python3 -m pytest from the machine.
const PATH = `${join(ROOT, 'node_modules/.bin')}:${dirname(NODE24)}:${process.env.PATH ?? '/usr/bin:/bin'}`;

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cc-smoke-ws-'));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/** The 1-based line of the fixture line that carries `marker`, so expectations follow the fixture. */
function lineOf(file: string, marker = 'smoke-fixture: fails here'): number {
  const lines = readFileSync(join(FIXTURE, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`${file} has no line with ${marker}`);
  return i + 1;
}

const pytest = (dir: string, report: string) =>
  `python3 -m pytest ${dir} -q --junitxml=reports/${report}.xml`;

async function run(ws: string, suites: object[], inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction('smoke-suite', {
    workspace: ws,
    inputs: { suites: stringify(suites), ...inputs },
    env: { PATH, PYTHONDONTWRITEBYTECODE: '1', GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' },
    timeoutMs: 180_000,
  });
}

/** Text printed between `::group::<title…>` and the next `::endgroup::`. */
function groupText(stdout: string, titleStart: string): string {
  const start = stdout.indexOf(`::group::${titleStart}`);
  if (start < 0) throw new Error(`no group starting with ${titleStart}`);
  const end = stdout.indexOf('::endgroup::', start);
  return stdout.slice(start, end);
}

describe('smoke-suite through its real bundle, on real pytest and pnpm suites', () => {
  beforeAll(() => ensureBuilt(), 180_000);

  describe('a day with every kind of outcome', () => {
    let ws: string;
    let r: ActionRun;
    const hangPid = () => Number(readFileSync(join(ws, 'hang.pid'), 'utf8'));

    beforeAll(async () => {
      ws = workspace();
      r = await run(
        ws,
        [
          {
            name: 'policy',
            squad: 'Governance Core',
            owner: '@gov-oncall',
            runbook: 'docs/runbooks/policy.md',
            run: pytest('suites/passing', 'policy'),
            junit: 'reports/policy.xml',
          },
          {
            name: 'decisions',
            squad: 'Governance Core',
            runbook: 'docs/runbooks/policy.md',
            run: pytest('suites/failing', 'decisions'),
            junit: 'reports/decisions.xml',
          },
          {
            name: 'orchestrator',
            squad: 'Runtime & Training',
            run: pytest('suites/flaky', 'orchestrator'),
            junit: 'reports/orchestrator.xml',
            retries: 1,
            env: { FLAKY_MARKER: join(ws, 'flaky.marker') },
          },
          {
            name: 'admin-console',
            squad: 'Experience & Ecosystem',
            run: 'pnpm --filter admin-console test',
            'working-directory': 'web',
            junit: 'packages/admin-console/reports/*.xml',
          },
          {
            name: 'hanging',
            squad: 'Runtime & Training',
            run: pytest('suites/hanging', 'hanging'),
            junit: 'reports/hanging.xml',
            timeout: '10s',
            required: false,
            env: { HANG_PID_FILE: join(ws, 'hang.pid') },
          },
          {
            name: 'empty',
            run: pytest('suites/empty', 'empty'),
            junit: 'reports/empty.xml',
            required: false,
          },
          {
            name: 'malformed',
            run: 'python3 write_report.py',
            'working-directory': 'suites/malformed',
            junit: 'reports/*.xml',
            required: false,
          },
          {
            name: 'bomb',
            run: 'python3 write_report.py',
            'working-directory': 'suites/bomb',
            junit: 'reports/*.xml',
            required: false,
          },
        ],
        { concurrency: '3', 'kill-grace': '1s' },
      );
    }, 200_000);

    it('fails the step because a required suite failed, naming it and its owner', () => {
      expect(r.exitCode).toBe(1);
      const last = r.annotations.filter((a) => a.level === 'error').pop()!;
      expect(last.message).toMatch(
        /smoke-suite: 1 of 4 required suite\(s\) failed: decisions \(Governance Core\)/,
      );
      expect(JSON.parse(r.outputs['failed-suites']!)).toEqual([
        'decisions',
        'hanging',
        'empty',
        'malformed',
        'bomb',
      ]);
    });

    it('counts the final attempt of each suite', () => {
      // policy 2 passed + 1 skipped; decisions 1 passed + 1 failed; orchestrator 2 passed (after a retry); admin-console 2 passed.
      expect(r.outputs).toMatchObject({
        tests: '9',
        passed: '7',
        failed: '1',
        errored: '0',
        skipped: '1',
        flaky: '1',
      });
    });

    it('annotates the pytest failure on the innermost repository frame, at the right line', () => {
      const decision = r.annotations.find(
        (a) => a.properties.title === 'decisions: test_denies_unknown_tenant failed',
      )!;
      expect(decision.level).toBe('error');
      expect(decision.properties.file).toBe('suites/failing/checks.py');
      expect(decision.properties.line).toBe(String(lineOf('suites/failing/checks.py')));
      expect(decision.message).toContain("AssertionError: decision 'allow' != 'deny'");
      expect(decision.message).toContain('Owner: Governance Core');
      expect(decision.message).toContain('Runbook: https://github.example/acme/command-center-test/blob/');
    });

    it('a hanging suite is timed out and its child process is killed with it', async () => {
      const hanging = r.annotations.find((a) => a.properties.title === 'hanging: suite failed')!;
      expect(hanging.level).toBe('warning');
      expect(hanging.message).toMatch(/timed out after 10\.0s; its whole process group was killed/);
      expect(existsSync(join(ws, 'hang.pid'))).toBe(true);
      expect(processAlive(hangPid())).toBe(false);
    });

    it('zero tests, a malformed report and an XML bomb each fail their suite with the reason', () => {
      const msg = (title: string) => r.annotations.find((a) => a.properties.title === title);
      expect(msg('empty: suite failed')!.message).toMatch(
        /its reports contain zero tests and it exited with code 5/,
      );
      const malformed = msg('malformed: suite failed')!;
      expect(malformed.message).toMatch(
        /report suites\/malformed\/reports\/malformed\.xml:5:\d+: not well-formed XML: unexpected close tag/,
      );
      expect(malformed.properties).toMatchObject({
        file: 'suites/malformed/reports/malformed.xml',
        line: '5',
      });
      expect(msg('bomb: suite failed')!.message).toMatch(
        /report suites\/bomb\/reports\/bomb\.xml:2:0: refused: the report declares a DTD/,
      );
    });

    it('a flaky suite passes on retry and is reported as flaky', () => {
      const notice = r.annotations.find((a) => a.level === 'notice')!;
      expect(notice.properties.title).toBe('orchestrator: flaky');
      expect(notice.message).toContain('flaky: suites.flaky.test_flaky::test_fails_first_time');
      expect(r.summary).toMatch(
        /### Flaky \(failed, then passed on a rerun or retry\)\n\n- \*\*orchestrator\*\* \(Runtime & Training\), passed on attempt 2: `suites\.flaky\.test_flaky::test_fails_first_time`/,
      );
    });

    it('prints each suite as one group when it ends, its output never interleaved or obeyed', () => {
      const malformed = groupText(r.stdout, '✖ malformed');
      expect(malformed).toContain('wrote reports/malformed.xml');
      expect(malformed).toMatch(/::stop-commands::cc-[0-9a-f-]+\n/);
      const admin = groupText(r.stdout, '✔ admin-console');
      expect(admin).toContain('$ pnpm --filter admin-console test');
      expect(admin).toContain('JUnit reports: web/packages/admin-console/reports/junit.xml');
      expect(admin).not.toContain('wrote reports/');
      expect(r.stdout.match(/::group::/g)).toHaveLength(8);
      expect(r.stdout).toMatch(/▶ policy started · 1 running, 0\/8 done, 7 waiting/);
      expect(r.stdout).toMatch(/✔ policy passed in [\d.]+m?s · 2 passed, 1 skipped/);
      expect(r.stdout).toMatch(/✖ orchestrator failed, retrying in /);
    });

    it('writes the summary tables, failures with owners and log locations, and the full report', () => {
      expect(r.summary).toContain('## Smoke suites: ❌ 1 of 4 required suite(s) failed');
      expect(r.summary).toContain('| Governance Core | 2 | ❌ decisions | 5 | 3 | 1 | 0 | 1 | 0 |');
      expect(r.summary).toMatch(/\| decisions \| Governance Core \| yes \| ❌ failed: 1 test failed of 2 \|/);
      expect(r.summary).toContain(
        'Owner: **Governance Core** · runbook: [docs/runbooks/policy.md](https://github.example/acme/command-center-test/blob/',
      );
      const line = lineOf('suites/failing/checks.py');
      expect(r.summary).toContain(
        `**suites.failing.test_failing::test_denies_unknown_tenant** failed at [\`suites/failing/checks.py:${line}\`](https://github.example/acme/command-center-test/blob/0123456789abcdef0123456789abcdef01234567/suites/failing/checks.py#L${line})`,
      );
      expect(r.summary).toContain("```text\nAssertionError: decision 'allow' != 'deny'\n");
      expect(r.summary).toContain('log `smoke-reports/decisions/attempt-1.log`');
      expect(readFileSync(r.outputs['report-path']!, 'utf8')).toContain('## Smoke suites');
      expect(readFileSync(join(ws, 'smoke-reports/admin-console/attempt-1.log'), 'utf8')).toContain(
        'navigation.test.js',
      );
    });

    it('writes the JSON result with every suite, attempt and failure', () => {
      const doc = JSON.parse(readFileSync(r.outputs['result-path']!, 'utf8'));
      expect(doc).toMatchObject({
        action: 'smoke-suite',
        schemaVersion: 1,
        status: 'failure',
        run: { runId: '4242' },
      });
      expect(doc.result.suites.map((s: { name: string; status: string }) => `${s.name}:${s.status}`)).toEqual(
        [
          'policy:passed',
          'decisions:failed',
          'orchestrator:flaky',
          'admin-console:passed',
          'hanging:failed',
          'empty:failed',
          'malformed:failed',
          'bomb:failed',
        ],
      );
      const decisions = doc.result.suites[1];
      expect(decisions.failures[0]).toMatchObject({
        id: 'suites.failing.test_failing::test_denies_unknown_tenant',
        location: { file: 'suites/failing/checks.py', line: lineOf('suites/failing/checks.py') },
      });
      expect(doc.result.suites[2].attempts).toHaveLength(2);
      expect(doc.result.suites[4].attempts[0]).toMatchObject({ timedOut: true });
    });
  });

  it('a pnpm/vitest failure is annotated in the package file at the right line', async () => {
    const ws = workspace();
    const r = await run(ws, [
      {
        name: 'admin-console',
        squad: 'Experience & Ecosystem',
        run: 'pnpm --filter admin-console test',
        'working-directory': 'web',
        junit: 'packages/admin-console/reports/*.xml',
        env: { ADMIN_CONSOLE_FAIL: '1' },
      },
    ]);
    expect(r.exitCode).toBe(1);
    const a = r.annotations.find(
      (x) => x.properties.title === 'admin-console: navigation > links each squad to its runbook failed',
    )!;
    expect(a.properties).toMatchObject({
      file: 'web/packages/admin-console/src/navigation.test.js',
      line: String(lineOf('web/packages/admin-console/src/navigation.test.js')),
    });
  });

  it('an optional suite failing is reported, and the step still passes', async () => {
    const ws = workspace();
    const r = await run(ws, [
      {
        name: 'policy',
        squad: 'Governance Core',
        run: pytest('suites/passing', 'policy'),
        junit: 'reports/policy.xml',
      },
      {
        name: 'decisions',
        squad: 'Governance Core',
        run: pytest('suites/failing', 'decisions'),
        junit: 'reports/decisions.xml',
        required: false,
      },
    ]);
    expect(r.exitCode).toBe(0);
    expect(r.summary).toContain('## Smoke suites: ✅ all required suites passed; 1 optional suite(s) failed');
    expect(JSON.parse(r.outputs['failed-suites']!)).toEqual(['decisions']);
    const w = r.annotations.filter((a) => a.level === 'warning');
    expect(w).toHaveLength(1);
    expect(w[0]!.properties.file).toBe('suites/failing/checks.py');
    expect(r.annotations.filter((a) => a.level === 'error')).toHaveLength(0);
  });

  it('fail-fast stops starting suites after a required failure; a report from an earlier run is not counted', async () => {
    const ws = workspace();
    // A passing report left from an earlier run: the suite below writes none, so it must fail, not pass on stale evidence.
    mkdirSync(join(ws, 'reports'), { recursive: true });
    writeFileSync(join(ws, 'reports/old.xml'), '<testsuite><testcase name="old"/></testsuite>');
    utimesSync(
      join(ws, 'reports/old.xml'),
      new Date(Date.now() - 86_400_000),
      new Date(Date.now() - 86_400_000),
    );
    const r = await run(
      ws,
      [
        { name: 'silent', run: 'python3 -c "import sys; sys.exit(2)"', junit: 'reports/*.xml' },
        { name: 'never', run: pytest('suites/passing', 'never'), junit: 'reports/never.xml' },
      ],
      { concurrency: '1', 'fail-fast': 'true' },
    );
    expect(r.exitCode).toBe(1);
    const doc = JSON.parse(readFileSync(r.outputs['result-path']!, 'utf8'));
    expect(doc.result.suites[0]).toMatchObject({
      status: 'failed',
      reason:
        'exited with code 2 and wrote no JUnit report matching `reports/*.xml`; 1 older report(s) from an earlier run were ignored',
    });
    expect(doc.result.suites[0].attempts[0].staleReports).toEqual(['reports/old.xml']);
    expect(doc.result.suites[1]).toMatchObject({
      status: 'not-run',
      reason: 'not started: fail-fast stopped the run after a required suite failed',
    });
    expect(existsSync(join(ws, 'reports/never.xml'))).toBe(false);
  });

  it('a run line that needs a shell is refused before anything runs, unless shell: true', async () => {
    const ws = workspace();
    const bad = await run(ws, [{ name: 'p', run: 'SMOKE_FAIL=1 pytest | tee out', junit: 'r.xml' }]);
    expect(bad.exitCode).toBe(1);
    expect(bad.annotations[0]!.message).toMatch(
      /input 'suites' is invalid at \/0\/run \(value "SMOKE_FAIL=1 pytest \| tee out"\): `SMOKE_FAIL=…` before the command sets an environment variable/,
    );
    expect(existsSync(join(ws, 'smoke-reports'))).toBe(false);
    const ok = await run(ws, [
      {
        name: 'p',
        shell: true,
        run: `export SUITE=policy; ${pytest('suites/passing', '"$SUITE"')} | tail -n 3`,
        junit: 'reports/policy.xml',
      },
    ]);
    expect(ok.exitCode, ok.stdout).toBe(0);
    expect(ok.outputs.passed).toBe('2');
  });
});
