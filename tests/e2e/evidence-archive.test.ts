import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { machineNetworkEnv, runAction } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { needsServers, requireGitOrigin, requireServer } from '../support/servers.js';
import { verifyEvidence, type Manifest } from '../../src/lib/evidence/manifest.js';
import { HANDOFF_RECORD } from '../../src/lib/evidence/step-results.js';
import { decodePng, looksBlank, pixelStats, pngInfo } from '../../src/lib/evidence/png.js';
import { PLAYWRIGHT_CORE_VERSION } from '../../src/lib/browser/playwright.js';
import { NODE24, ROOT } from '../support/paths.js';
import { parse as parseYaml } from 'yaml';

needsServers('git', 'prometheus');

const DATE = '2026-11-25';
const DASHBOARD_TOKEN = 'dash-token-4f9a1c77e2';
const GITHUB_TOKEN = 'ghs_runnerTokenValue0123456789abcdef';
const ID = {
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.com',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    env: { ...process.env, ...ID },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();

let scratch: string;
beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'cc-evidence-e2e-'));
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

function envelope(action: string, status: 'success' | 'failure', result: unknown) {
  return {
    action,
    schemaVersion: 1,
    status,
    startedAt: '2026-11-25T17:00:00.000Z',
    finishedAt: '2026-11-25T17:04:30.000Z',
    run: {
      repository: 'acme/platform',
      runId: '4242',
      runAttempt: '1',
      job: 'integration-day',
      url: 'https://github.example/acme/platform/actions/runs/4242',
    },
    result,
  };
}

/** The other actions' results, as they leave them in $RUNNER_TEMP/command-center/. */
function writeStepResults(runnerTemp: string) {
  const dir = join(runnerTemp, 'command-center');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'helm-deploy-1.json'),
    JSON.stringify(
      envelope('helm-deploy', 'success', {
        release: 'staging-core',
        namespace: 'staging',
        revision: 14,
        releaseStatus: 'deployed',
        chart: 'platform-2.3.1',
      }),
    ),
  );
  writeFileSync(
    join(dir, 'smoke-suite-1.json'),
    JSON.stringify(
      envelope('smoke-suite', 'failure', {
        headline: '1 of 2 suites failed',
        reportDir: 'smoke-reports',
        suites: [
          {
            name: 'policy',
            attempts: [
              {
                attempt: 1,
                log: 'smoke-reports/policy/attempt-1.log',
                reports: [{ file: 'suites/policy/reports/junit.xml' }],
              },
            ],
            squad: 'Governance Core',
            owner: '@gov-core',
            runbook: 'docs/runbooks/policy.md',
            required: true,
            status: 'failed',
            reason: '1 test failed of 12',
            counts: { tests: 12, passed: 11, failed: 1, errored: 0, skipped: 0 },
            failures: [
              {
                id: 'tests/test_policy.py::test_deny_header',
                classname: 'tests.test_policy',
                name: 'test_deny_header',
                status: 'failed',
                message: `assert 'allow' == 'deny' (sent with Authorization: Bearer ${DASHBOARD_TOKEN})`,
                location: { file: 'suites/policy/tests/test_policy.py', line: 42 },
              },
            ],
          },
          {
            name: 'console',
            attempts: [{ attempt: 1, log: 'smoke-reports/console/attempt-1.log', reports: [] }],
            squad: 'Experience & Ecosystem',
            owner: '@exp',
            required: true,
            status: 'passed',
            counts: { tests: 30, passed: 29, failed: 0, errored: 0, skipped: 1 },
            failures: [],
          },
        ],
      }),
    ),
  );
  writeFileSync(
    join(dir, 'kafka-topic-check-1.json'),
    JSON.stringify(
      envelope('kafka-topic-check', 'success', {
        healthy: true,
        topics: [
          {
            name: 'policy.decisions',
            status: 'ok',
            ratePerMinute: 118.5,
            messagesInWindow: 237,
            newestAgeMs: 800,
            owner: 'Governance Core',
            findings: [],
            traceIds: [],
          },
          {
            name: 'training.audit',
            status: 'warning',
            ratePerMinute: 0.5,
            messagesInWindow: 1,
            newestAgeMs: 95_000,
            owner: 'Runtime & Training',
            runbook: 'docs/runbooks/kafka-outage.md',
            findings: [{ level: 'warning', code: 'slow', message: 'only 1 message in the window' }],
            traceIds: ['4bf92f3577b34da6a3ce929d0e0e4736'],
          },
        ],
        groups: [
          { name: 'policy-engine', status: 'OK', level: 'ok', totalLag: 0, maxTimeLagMs: 0, findings: [] },
        ],
      }),
    ),
  );
  writeFileSync(
    join(dir, 'contract-record-1.json'),
    JSON.stringify(
      envelope('contract-record', 'success', {
        headline: '3 services, 12 endpoints recorded',
        somethingNew: { nested: true },
      }),
    ),
  );
  // Not a result: a log an earlier step left, with the runner token in it.
  writeFileSync(join(dir, 'notes.json'), JSON.stringify({ note: `token was ${GITHUB_TOKEN}` }));
}

/**
 * What `collect` leaves of the smoke job's hand-off: its files under their workspace paths in
 * $RUNNER_TEMP/command-center-files/smoke/, and its record of which job handed over what.
 */
function writeHandedOverFiles(runnerTemp: string) {
  const dir = join(runnerTemp, 'command-center-files', 'smoke');
  const handed: Record<string, string> = {
    // Over max-file-size, so it is not committed; with no artifact service here, it is listed and
    // hashed but not kept.
    'smoke-reports/policy/attempt-1.log': 'line of a long smoke log\n'.repeat(12_000),
    'smoke-reports/console/attempt-1.log': '30 passed\n',
    'smoke-reports/summary.md': '# Smoke suites\n',
    'suites/policy/reports/junit.xml': '<testsuite tests="1"><testcase name="t"/></testsuite>\n',
  };
  const files: Record<string, { job: string; artifact: string; path: string }> = {};
  for (const [path, text] of Object.entries(handed)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
    files[join(dir, path)] = { job: 'smoke', artifact: 'command-center-handoff-smoke-1', path };
  }
  const record = HANDOFF_RECORD(runnerTemp);
  mkdirSync(join(record, '..'), { recursive: true });
  // The smoke job handed over its result too: its files are matched with it.
  const results = {
    [join(runnerTemp, 'command-center', 'smoke-suite-1.json')]: {
      job: 'smoke',
      artifact: 'command-center-handoff-smoke-1',
    },
  };
  writeFileSync(record, JSON.stringify({ results, files }));
}

describe('evidence-archive, the real bundle', () => {
  it('archives results, a metric snapshot and a screenshot, writes the report and commits exactly its paths', async () => {
    const origin = requireGitOrigin();
    const prometheus = await requireServer('prometheus');
    const branch = `test/evidence-archive/${randomUUID()}`;
    // A repository on the origin, checked out the way actions/checkout does for a scheduled run.
    const seed = mkdtempSync(join(scratch, 'seed-'));
    git(seed, 'init', '-q', '-b', 'main');
    writeFileSync(join(seed, 'README.md'), '# platform\n');
    git(seed, 'add', '.');
    git(seed, 'commit', '-q', '-m', 'seed');
    git(seed, 'push', '-q', origin, `HEAD:refs/heads/${branch}`);
    const temp = mkdtempSync(join(scratch, 'run-'));
    const ws = join(temp, 'workspace');
    mkdirSync(ws);
    git(ws, 'init', '-q');
    git(ws, 'remote', 'add', 'origin', origin);
    git(ws, 'fetch', '-q', '--depth=1', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`);
    git(ws, 'checkout', '-q', '--detach', `origin/${branch}`);
    const runnerTemp = join(temp, 'runner-temp');
    writeStepResults(runnerTemp);
    writeHandedOverFiles(runnerTemp);
    mkdirSync(join(ws, 'out'));
    writeFileSync(join(ws, 'out', 'extra.txt'), 'a file of this job\n');

    const run = await runAction('evidence-archive', {
      workspace: ws,
      env: { RUNNER_TEMP: runnerTemp, GITHUB_REF: `refs/heads/${branch}`, GITHUB_TOKEN },
      inputs: {
        date: DATE,
        results: '{runner-temp}/command-center/*.json\n{runner-temp}/command-center-files/**\nout/*',
        'prometheus-url': prometheus,
        queries: `- name: prometheus-up\n  query: up{job="prometheus"}\n  range: 10m\n  step: 15s\n  panel: Prometheus up\n  squad: Platform\n- name: broken\n  query: "sum(rate(x[5m]"\n`,
        dashboards: `- name: prometheus\n  url: ${prometheus}/graph\n  wait-for: nav\n  width: 1024\n  height: 700\n`,
        'dashboard-auth-header': `Authorization: Bearer ${DASHBOARD_TOKEN}`,
        'max-file-size': '200KiB',
        branch,
      },
      timeoutMs: 240_000,
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const evidence = join(ws, 'docs/sprints/status', DATE, 'evidence');
    const statusFile = join(ws, 'docs/sprints/status', `${DATE}.md`);
    expect(run.outputs).toMatchObject({
      date: DATE,
      'status-file': `docs/sprints/status/${DATE}.md`,
      'evidence-dir': `docs/sprints/status/${DATE}/evidence`,
      'manifest-path': `docs/sprints/status/${DATE}/evidence/manifest.json`,
      pushed: 'true',
      'push-attempts': '1',
      'artifact-id': '',
    });

    // The manifest covers every file, and every committed file re-hashes to it from disk.
    const manifest = JSON.parse(readFileSync(join(evidence, 'manifest.json'), 'utf8')) as Manifest;
    const paths = manifest.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'results/helm-deploy.json',
        'results/smoke-suite.json',
        'results/kafka-topic-check.json',
        'results/contract-record.json',
        'files/notes.json',
        'files/out/extra.txt',
        'logs/smoke/policy/attempt-1.log',
        'logs/smoke/console/attempt-1.log',
        'reports/smoke/summary.md',
        'junit/policy.xml',
        'metrics/prometheus-up.json',
        'metrics/prometheus-up.svg',
        'metrics/broken.json',
        'dashboards/prometheus.png',
      ]),
    );
    expect(paths).not.toContain('metrics/broken.svg');
    // Short paths that say what a file is; where it lay on a runner is only its source.
    expect(paths.filter((p) => /runner-temp|command-center|workspace/.test(p))).toEqual([]);
    expect(manifest.files.find((f) => f.path === 'logs/smoke/console/attempt-1.log')!.source).toBe(
      'job smoke:smoke-reports/console/attempt-1.log',
    );
    expect(run.outputs.files).toBe(String(manifest.files.length));
    for (const f of manifest.files) {
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(f).toMatchObject({
        runId: expect.any(String),
        runUrl: expect.stringMatching(/actions\/runs\//),
        capturedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
    }
    const check = await verifyEvidence(evidence);
    expect(check.mismatched).toEqual([]);
    expect(check.missing).toEqual([]);
    expect(check.notHere).toEqual(['logs/smoke/policy/attempt-1.log']);
    expect(check.verified.length).toBe(manifest.files.length - 1);
    expect(manifest.files.find((f) => f.path === 'logs/smoke/policy/attempt-1.log')).toMatchObject({
      stored: 'not-kept',
      size: 300_000,
    });

    // The metric snapshot is Prometheus' own answer; the broken query is recorded, not fatal.
    const snap = JSON.parse(readFileSync(join(evidence, 'metrics/prometheus-up.json'), 'utf8')) as {
      result: { metric: Record<string, string>; values: [number, string][] }[];
      stepSeconds: number;
    };
    expect(snap.stepSeconds).toBe(15);
    expect(snap.result[0]!.metric.job).toBe('prometheus');
    expect(snap.result[0]!.values.length).toBeGreaterThan(0);
    expect(readFileSync(join(evidence, 'metrics/prometheus-up.svg'), 'utf8')).toMatch(
      /^<svg[\s\S]*Prometheus up[\s\S]*<\/svg>\n$/,
    );
    expect(JSON.parse(readFileSync(join(evidence, 'metrics/broken.json'), 'utf8')).error).toMatch(/bad_data/);
    const png = readFileSync(join(evidence, 'dashboards/prometheus.png'));
    expect(pngInfo(png).width).toBe(1024);
    expect(looksBlank(pixelStats(decodePng(png)))).toBe(false);

    // The status report: deploy, smoke per squad with owners, Kafka health, metrics, links.
    const report = readFileSync(statusFile, 'utf8');
    expect(report).toMatch(/^<!-- command-center:begin integration-day -->\n# Integration Day 2026-11-25\n/);
    expect(report).toContain('❌ **1 of 4 step(s) failed');
    expect(report).toContain(
      'Release `staging-core` in namespace `staging` is **deployed** at revision **14** (chart `platform-2.3.1`)',
    );
    expect(report).toMatch(/\| Governance Core \| policy \| 11 \| 1 \| 0 \| 0 \| ❌ 1 suite\(s\) failed \|/);
    expect(report).toContain('`tests/test_policy.py::test_deny_header`');
    expect(report).toContain('owner: @gov-core');
    expect(report).toContain(
      'Logs: `policy` attempt 1 (not kept) · `console` [attempt 1](2026-11-25/evidence/logs/smoke/console/attempt-1.log)',
    );
    expect(report).toMatch(
      /\| training\.audit \| ⚠️ warning \| 0\.5 \| 1m35s ago \| Runtime & Training \| only 1 message in the window \|/,
    );
    expect(report).toContain(
      '**contract-record**: ✅ success — 3 services, 12 endpoints recorded [result](2026-11-25/evidence/results/contract-record.json)',
    );
    expect(report).toContain('[chart](2026-11-25/evidence/metrics/prometheus-up.svg)');
    expect(report).toContain('metric broken not captured');
    expect(report).toContain('[index](2026-11-25/evidence/README.md)');
    expect(report).toContain('[screenshot](2026-11-25/evidence/dashboards/prometheus.png)');
    expect(report).toContain(
      'Run: [test #4242](https://github.example/acme/command-center-test/actions/runs/4242)',
    );
    const index = readFileSync(join(evidence, 'README.md'), 'utf8');
    expect(index).toContain('[status report](../../2026-11-25.md)');
    expect(index).toContain('logs/smoke/policy/attempt-1.log (not kept: too large, and no artifact)');
    expect(index).toContain('| [reports/smoke/summary.md](reports/smoke/summary.md) | 15 B | `');
    expect(index).toContain('| job smoke:smoke-reports/summary.md |');

    // No secret reached any file written: evidence, report, result file, summary.
    const written = [...files(evidence), statusFile, run.outputs['result-path']!];
    for (const f of written) {
      const text = readFileSync(f).toString('latin1');
      expect(text, relative(ws, f)).not.toContain(DASHBOARD_TOKEN);
      expect(text, relative(ws, f)).not.toContain(GITHUB_TOKEN);
    }
    expect(run.summary).not.toContain(DASHBOARD_TOKEN);
    expect(readFileSync(join(evidence, 'results/smoke-suite.json'), 'utf8')).toContain('(sent with ***)');
    expect(
      manifest.files.find((f) => f.path === 'results/smoke-suite.json')!.redactions,
    ).toBeGreaterThanOrEqual(1);
    expect(run.masks).toContain(DASHBOARD_TOKEN);

    // Committed: exactly the report and the evidence folder, on top of the branch, never forced.
    const sha = run.outputs['commit-sha']!;
    expect(git(origin, 'rev-parse', `refs/heads/${branch}`)).toBe(sha);
    const committed = git(origin, 'show', '--name-only', '--format=', sha).split('\n').sort();
    expect(committed).toContain(`docs/sprints/status/${DATE}.md`);
    expect(
      committed.every(
        (p) =>
          p === `docs/sprints/status/${DATE}.md` || p.startsWith(`docs/sprints/status/${DATE}/evidence/`),
      ),
    ).toBe(true);
    expect(committed).not.toContain(`docs/sprints/status/${DATE}/evidence/logs/smoke/policy/attempt-1.log`);
    expect(committed).toContain(`docs/sprints/status/${DATE}/evidence/logs/smoke/console/attempt-1.log`);
    expect(git(origin, 'log', '-1', '--format=%an|%s', sha)).toBe(
      'github-actions[bot]|chore: Integration Day evidence for 2026-11-25 [skip ci]',
    );
    expect(git(origin, 'show', `${sha}:docs/sprints/status/${DATE}.md`)).toBe(report.trimEnd());

    // The result envelope for whoever reads results next.
    const result = JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8')) as {
      action: string;
      status: string;
      result: { commit: { commitSha: string }; problems: string[] };
    };
    expect(result).toMatchObject({ action: 'evidence-archive', status: 'success' });
    expect(result.result.commit.commitSha).toBe(sha);
    expect(
      result.result.problems.some((p) =>
        /artifact not uploaded: the artifact service is not available here/.test(p),
      ),
    ).toBe(true);
    expect(run.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/metric broken not captured/)]),
    );
    // The staging folder is cleaned up.
    expect(existsSync(join(runnerTemp, 'evidence-archive'))).toBe(true);
    expect(readdirSync(join(runnerTemp, 'evidence-archive'))).toEqual([]);
  }, 300_000);

  it('a second run for the same date replaces the folder and commits on top', async () => {
    const origin = requireGitOrigin();
    const branch = `test/evidence-archive/${randomUUID()}`;
    const seed = mkdtempSync(join(scratch, 'seed-'));
    git(seed, 'init', '-q', '-b', 'main');
    writeFileSync(join(seed, 'README.md'), '# platform\n');
    git(seed, 'add', '.');
    git(seed, 'commit', '-q', '-m', 'seed');
    git(seed, 'push', '-q', origin, `HEAD:refs/heads/${branch}`);
    const shas: string[] = [];
    for (const action of ['helm-deploy', 'smoke-suite']) {
      const temp = mkdtempSync(join(scratch, 'run-'));
      const ws = join(temp, 'workspace');
      execFileSync('git', ['clone', '-q', '--branch', branch, origin, ws]);
      const rt = join(temp, 'runner-temp');
      mkdirSync(join(rt, 'command-center'), { recursive: true });
      writeFileSync(
        join(rt, 'command-center', `${action}.json`),
        JSON.stringify(envelope(action, 'success', {})),
      );
      const run = await runAction('evidence-archive', {
        workspace: ws,
        env: { RUNNER_TEMP: rt, GITHUB_REF: `refs/heads/${branch}` },
        inputs: { date: DATE },
      });
      expect(run.exitCode, run.stdout).toBe(0);
      shas.push(run.outputs['commit-sha']!);
    }
    const tree = git(origin, 'ls-tree', '-r', '--name-only', `refs/heads/${branch}`).split('\n');
    expect(tree).toContain(`docs/sprints/status/${DATE}/evidence/results/smoke-suite.json`);
    expect(tree).not.toContain(`docs/sprints/status/${DATE}/evidence/results/helm-deploy.json`);
    expect(git(origin, 'rev-parse', `${shas[1]}^`)).toBe(shas[0]);
  }, 300_000);

  it("away from this repository's node_modules (a runner using the action remotely), playwright-core is installed into an empty tool cache from an empty npm cache, then loaded from there", async () => {
    const prometheus = await requireServer('prometheus');
    // The action's folder alone, as a runner downloads it: no node_modules anywhere above it.
    const temp = mkdtempSync(join(scratch, 'remote-'));
    const actionDir = join(temp, '_actions/acme/command-center/v1');
    mkdirSync(join(actionDir, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'dist/evidence-archive'), join(actionDir, 'dist/evidence-archive'), {
      recursive: true,
    });
    const bundle = join(actionDir, 'dist/evidence-archive/index.js');
    // A brand-new runner: nothing in its tool cache, nothing in npm's cache. Installed once per version
    // from the registry with the machine's own CA and proxy settings; the next run loads it from there.
    const toolCache = join(temp, 'tool-cache');
    const npmCache = join(temp, 'npm-cache');
    mkdirSync(npmCache);
    const ws = join(temp, 'workspace');
    mkdirSync(ws);
    const inputs: Record<string, string> = {};
    const yml = parseYaml(readFileSync(join(ROOT, 'actions/evidence-archive/action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>;
    };
    for (const [k, v] of Object.entries(yml.inputs))
      if (v.default !== undefined) inputs[k] = String(v.default);
    Object.assign(inputs, {
      date: DATE,
      commit: 'false',
      artifact: 'false',
      dashboards: `- name: prometheus\n  url: ${prometheus}/graph\n  wait-for: nav\n  width: 800\n  height: 600\n`,
    });
    const output = join(temp, 'github_output');
    writeFileSync(output, '');
    const env: Record<string, string> = {
      ...machineNetworkEnv(),
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? temp,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: ws,
      RUNNER_TEMP: join(temp, 'runner-temp'),
      RUNNER_TOOL_CACHE: toolCache,
      npm_config_cache: npmCache,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: join(temp, 'summary'),
    };
    for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
    const runBundle = () =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(NODE24, [bundle], { cwd: ws, env, stdio: ['ignore', 'pipe', 'ignore'] });
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout });
        });
      });
    const installing = `playwright-core ${PLAYWRIGHT_CORE_VERSION} is not next to the action; installing it`;
    const first = await runBundle();
    expect(first.code, first.stdout.slice(-2000)).toBe(0);
    expect(first.stdout).toContain(installing);
    // npm really fetched it: its cache, empty before, now holds the package.
    expect(readdirSync(npmCache).length).toBeGreaterThan(0);
    const second = await runBundle();
    expect(second.code, second.stdout.slice(-2000)).toBe(0);
    expect(second.stdout).not.toContain(installing);
    expect(
      existsSync(
        join(
          toolCache,
          'command-center/playwright-core',
          PLAYWRIGHT_CORE_VERSION,
          'node_modules/playwright-core/package.json',
        ),
      ),
    ).toBe(true);
    const png = readFileSync(join(ws, 'docs/sprints/status', DATE, 'evidence/dashboards/prometheus.png'));
    expect(pngInfo(png).width).toBe(800);
    expect(looksBlank(pixelStats(decodePng(png)))).toBe(false);
  }, 700_000);

  it('a path that leaves the repository or a bad date is refused before anything is written', async () => {
    const refused: Record<string, string>[] = [
      { date: '../2026-11-25' },
      { date: '2026-11-25', 'evidence-dir': '../outside/{date}' },
      { date: '2026-11-25', 'status-file': '/tmp/{date}.md' },
      { date: '2026-11-25', results: '../../etc/*' },
    ];
    for (const inputs of refused) {
      const temp = mkdtempSync(join(scratch, 'refuse-'));
      const ws = join(temp, 'workspace');
      const rt = join(temp, 'runner-temp');
      mkdirSync(ws);
      mkdirSync(rt);
      const before = files(temp).map((f) => `${f}:${statSync(f).size}`);
      const run = await runAction('evidence-archive', {
        workspace: ws,
        env: { RUNNER_TEMP: rt, GITHUB_REF: 'refs/heads/main' },
        inputs,
      });
      expect(run.exitCode).toBe(1);
      const errors = run.annotations.filter((a) => a.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toMatch(
        /^evidence-archive: input '(date|evidence-dir|status-file|results)'/,
      );
      expect(run.outputs).toEqual({});
      // Only the harness's own files (outputs, summary) exist; the action wrote nothing.
      const after = files(temp)
        .filter((f) => !/github_(output|env|state|path)|step_summary/.test(f))
        .map((f) => `${f}:${statSync(f).size}`);
      expect(after).toEqual(before.filter((b) => !/github_(output|env|state|path)|step_summary/.test(b)));
      expect(readdirSync(ws)).toEqual([]);
      expect(readdirSync(rt)).toEqual([]);
    }
  }, 120_000);
});
