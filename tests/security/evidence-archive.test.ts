// What a result file, a path template, a symbolic link or a file name may make evidence-archive do.
// Every test runs the real bundle the way the runner does, against real git repositories.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { bareOrigin, checkout, remoteTip, seed, sh, write } from '../support/git.js';
import type { Manifest } from '../../src/lib/evidence/manifest.js';
import { HANDOFF_RECORD } from '../../src/lib/evidence/step-results.js';
import { needsServers } from '../support/servers.js';

needsServers();

const DATE = '2026-12-02';
let scratch: string;
beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), 'cc-security-evidence-'));
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function envelope(action: string, status: 'success' | 'failure', job: string, result: unknown = {}) {
  const run = { repository: 'acme/platform', runId: '77', runAttempt: '1', job };
  return {
    action,
    schemaVersion: 1,
    status,
    startedAt: '2026-12-02T17:00:00.000Z',
    finishedAt: '2026-12-02T17:01:00.000Z',
    run,
    result,
  };
}

interface Day {
  ws: string;
  runnerTemp: string;
}

/** A workspace and runner temp folder; `results` are files in the results folder, by name. */
function day(results: Record<string, unknown> = {}): Day {
  const temp = mkdtempSync(join(scratch, 'day-'));
  const ws = join(temp, 'workspace');
  const runnerTemp = join(temp, 'runner-temp');
  mkdirSync(join(runnerTemp, 'command-center'), { recursive: true });
  mkdirSync(ws);
  for (const [name, value] of Object.entries(results))
    writeFileSync(join(runnerTemp, 'command-center', name), JSON.stringify(value));
  return { ws, runnerTemp };
}

function archive(d: Day, inputs: Record<string, string>): Promise<ActionRun> {
  return runAction('evidence-archive', {
    workspace: d.ws,
    env: { RUNNER_TEMP: d.runnerTemp, GITHUB_REF: 'refs/heads/main' },
    inputs: { date: DATE, commit: 'false', artifact: 'false', ...inputs },
    timeoutMs: 120_000,
  });
}

const statusReport = (d: Day) => readFileSync(join(d.ws, 'docs/sprints/status', `${DATE}.md`), 'utf8');
const evidence = (d: Day) => join(d.ws, 'docs/sprints/status', DATE, 'evidence');
const manifestOf = (d: Day) =>
  JSON.parse(readFileSync(join(evidence(d), 'manifest.json'), 'utf8')) as Manifest;
const warnings = (run: ActionRun) =>
  run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

describe('a forged result cannot turn a failed day green', () => {
  it('a result-shaped file a suite wrote into its reports is archived as a plain file, not counted', async () => {
    const d = day({ 'smoke-suite-1.json': envelope('smoke-suite', 'success', 'smoke') });
    write(
      d.ws,
      'smoke-reports/helm-deploy.json',
      JSON.stringify(
        envelope('helm-deploy', 'success', 'deploy', { release: 'staging', status: 'deployed' }),
      ),
    );
    const run = await archive(d, {
      results: 'smoke-reports/**',
      'expected-steps': 'helm-deploy: failure\nsmoke-suite: success',
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const report = statusReport(d);
    expect(report).not.toContain('All 2 step(s) succeeded');
    expect(report).toContain('❌ **1 of 2 step(s) failed');
    expect(report).toMatch(
      /\| helm-deploy \| ❌ failure \| no result file: the step failed before writing one/,
    );
    const paths = manifestOf(d).files.map((f) => `${f.kind}:${f.path}`);
    expect(paths).toContain('file:files/smoke-reports/helm-deploy.json');
    expect(paths).not.toContain('result:results/helm-deploy.json');
    expect(warnings(run)).toContain(
      'workspace:smoke-reports/helm-deploy.json looks like a helm-deploy result but is not in step-results: archived as a plain file, not counted',
    );
  });

  it("a deploy result handed over by the smoke job is refused; the deploy job's own result counts", async () => {
    const d = day({
      'helm-deploy-1.json': envelope('helm-deploy', 'success', 'deploy', {
        release: 'staging',
        status: 'deployed',
        revision: 3,
      }),
      'smoke-helm-deploy-1.json': envelope('helm-deploy', 'success', 'deploy', {
        release: 'staging',
        status: 'deployed',
        revision: 9,
      }),
    });
    // What `collect` records: which job's hand-off artifact each result came from.
    const record = HANDOFF_RECORD(d.runnerTemp);
    mkdirSync(join(record, '..'), { recursive: true });
    writeFileSync(
      record,
      JSON.stringify({
        results: {
          [join(d.runnerTemp, 'command-center', 'helm-deploy-1.json')]: {
            job: 'deploy',
            artifact: 'command-center-handoff-deploy-1',
          },
          [join(d.runnerTemp, 'command-center', 'smoke-helm-deploy-1.json')]: {
            job: 'smoke',
            artifact: 'command-center-handoff-smoke-1',
          },
        },
      }),
    );
    const run = await archive(d, { 'expected-steps': 'helm-deploy: { job: deploy, result: success }' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(warnings(run)).toContain(
      'runner-temp:command-center/smoke-helm-deploy-1.json: a helm-deploy result arrived from job smoke, but only job deploy runs helm-deploy: not counted',
    );
    const results = manifestOf(d).files.filter((f) => f.kind === 'result');
    expect(results.map((f) => f.source)).toEqual(['runner-temp:command-center/helm-deploy-1.json']);
    // Archived, under the job that handed it over, never among the results.
    expect(manifestOf(d).files.find((f) => f.path === 'files/smoke/smoke-helm-deploy-1.json')).toMatchObject({
      kind: 'file',
      source: 'runner-temp:command-center/smoke-helm-deploy-1.json',
    });
    expect(statusReport(d)).toContain('at revision **3**');
    expect(statusReport(d)).not.toContain('at revision **9**');
  });

  it('a job that failed overrules its result file that says success, and the report says so', async () => {
    const d = day({
      'helm-deploy-1.json': envelope('helm-deploy', 'success', 'deploy', {
        release: 'staging',
        status: 'deployed',
      }),
    });
    const run = await archive(d, { 'expected-steps': 'helm-deploy: { job: deploy, result: failure }' });
    expect(run.exitCode, run.stdout).toBe(0);
    const report = statusReport(d);
    expect(report).toContain('❌ **1 of 1 step(s) failed');
    expect(report).toContain(
      "job deploy ended failure although its result file says success: the job's result counts",
    );
    expect(manifestOf(d).files.find((f) => f.kind === 'result')).toMatchObject({
      action: 'helm-deploy',
      status: 'failure',
    });
  });
});

describe('path templates and links cannot leave the owned paths', () => {
  it('`..` in a template is refused before anything is written, and the files it aimed at are untouched', async () => {
    const templates: Record<string, string>[] = [
      { 'status-file': '{date}/../README.md' },
      { 'evidence-dir': 'status/{date}/../../src' },
      { 'evidence-dir': '.github/workflows/{date}' },
    ];
    for (const inputs of templates) {
      const d = day({ 'smoke-suite-1.json': envelope('smoke-suite', 'success', 'smoke') });
      write(d.ws, 'README.md', '# ours\n');
      write(d.ws, 'src/main.ts', 'export {};\n');
      const run = await archive(d, inputs);
      expect(run.exitCode).toBe(1);
      const key = Object.keys(inputs)[0]!;
      expect(errors(run).at(-1)).toMatch(new RegExp(`^evidence-archive: input '${key}' has value`));
      expect(readFileSync(join(d.ws, 'README.md'), 'utf8')).toBe('# ours\n');
      expect(readFileSync(join(d.ws, 'src/main.ts'), 'utf8')).toBe('export {};\n');
      expect(readdirSync(d.ws).sort()).toEqual(['README.md', 'src']);
    }
  });

  it('a linked docs folder (inside or outside the repository) is refused: nothing is written, deleted or committed', async () => {
    for (const target of ['inside', 'outside']) {
      const origin = bareOrigin(scratch);
      const outside = mkdtempSync(join(scratch, 'outside-'));
      write(outside, `sprints/status/${DATE}/evidence/keep.txt`, 'not yours\n');
      const seeded = seed(
        scratch,
        origin,
        'main',
        { 'documentation/sprints/status/README.md': 'status\n' },
        (dir) => {
          symlinkSync(target === 'inside' ? 'documentation' : outside, join(dir, 'docs'));
        },
      );
      const d = day({ 'smoke-suite-1.json': envelope('smoke-suite', 'success', 'smoke') });
      rmSync(d.ws, { recursive: true });
      checkout(scratch, origin, 'main', d.ws);
      const run = await archive(d, { commit: 'true', branch: 'main' });
      expect(run.exitCode).toBe(1);
      expect(errors(run).at(-1)).toMatch(
        /input 'status-file': "docs\/sprints\/status\/2026-12-02\.md" goes through "docs", a symbolic link/,
      );
      expect(lstatSync(join(d.ws, 'docs')).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(outside, `sprints/status/${DATE}/evidence/keep.txt`), 'utf8')).toBe(
        'not yours\n',
      );
      expect(existsSync(join(d.ws, 'documentation/sprints/status', DATE))).toBe(false);
      expect(remoteTip(origin, 'main')).toBe(seeded);
    }
  });

  it('a link into .git is not followed: .git/config is never archived', async () => {
    const origin = bareOrigin(scratch);
    seed(scratch, origin, 'main');
    const d = day();
    rmSync(d.ws, { recursive: true });
    checkout(scratch, origin, 'main', d.ws);
    mkdirSync(join(d.ws, 'out'));
    symlinkSync('../.git', join(d.ws, 'out/gitdir'));
    write(d.ws, 'out/report.txt', 'a report\n');
    const run = await archive(d, { results: 'out/gitdir/*\nout/*' });
    expect(run.exitCode, run.stdout).toBe(0);
    const paths = manifestOf(d).files.map((f) => f.path);
    expect(paths).toContain('files/out/report.txt');
    expect(paths.filter((p) => p.includes('gitdir') || p.endsWith('/config') || p.includes('HEAD'))).toEqual(
      [],
    );
  });
});

describe('a hand-off record cannot send a file out of the evidence folder', () => {
  it('a path in the record that climbs out or into .git is archived inside, escaped', async () => {
    const d = day();
    const handed = join(d.runnerTemp, 'command-center-files', 'smoke');
    mkdirSync(handed, { recursive: true });
    writeFileSync(join(handed, 'a.log'), 'a\n');
    writeFileSync(join(handed, 'b.log'), 'b\n');
    const record = HANDOFF_RECORD(d.runnerTemp);
    mkdirSync(join(record, '..'), { recursive: true });
    writeFileSync(
      record,
      JSON.stringify({
        results: {},
        files: {
          [join(handed, 'a.log')]: { job: 'smoke', path: '../../../../escaped.log' },
          [join(handed, 'b.log')]: { job: '../..', path: '.git/hooks/post-checkout' },
        },
      }),
    );
    const run = await archive(d, { results: '{runner-temp}/command-center-files/**' });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(
      manifestOf(d)
        .files.map((f) => f.path)
        .sort(),
    ).toEqual([
      'files/smoke/%2E%2E/%2E%2E/%2E%2E/%2E%2E/escaped.log',
      'files/unnamed/%2Egit/hooks/post-checkout',
    ]);
    expect(
      readFileSync(join(evidence(d), 'files/smoke/%2E%2E/%2E%2E/%2E%2E/%2E%2E/escaped.log'), 'utf8'),
    ).toBe('a\n');
    expect(existsSync(join(d.ws, 'docs/sprints/escaped.log'))).toBe(false);
    expect(existsSync(join(evidence(d), '.git'))).toBe(false);
  });
});

describe('secrets and file names', () => {
  it('a secret input is redacted from every file even when the input it goes with is unset', async () => {
    const token = 'prom-tok-5c0d1e2f3a4b';
    const d = day({
      'smoke-suite-1.json': envelope('smoke-suite', 'success', 'smoke', { note: `called with ${token}` }),
    });
    write(d.ws, 'logs/run.log', `curl -H 'x: ${token}'\n`);
    const run = await archive(d, {
      results: 'logs/*',
      'prometheus-auth-header': `Authorization: Bearer ${token}`,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.masks).toContain(token);
    for (const f of readdirSync(evidence(d), { recursive: true, withFileTypes: true }).filter((e) =>
      e.isFile(),
    )) {
      expect(readFileSync(join(f.parentPath, f.name), 'utf8'), f.name).not.toContain(token);
    }
    expect(readFileSync(join(evidence(d), 'files/logs/run.log'), 'utf8')).toBe("curl -H 'x: ***'\n");
  });

  it('names with line breaks or bytes that are not UTF-8 are archived under escaped names with a note; names never become links', async () => {
    const d = day();
    const dir = join(d.ws, 'reports');
    mkdirSync(dir);
    writeFileSync(join(dir, 'two\nlines.txt'), 'a\n');
    writeFileSync(join(dir, 'carriage\rreturn.txt'), 'b\n');
    writeFileSync(
      Buffer.concat([Buffer.from(`${dir}/latin1-`), Buffer.from([0xe9]), Buffer.from('.txt')]),
      'c\n',
    );
    writeFileSync(join(dir, '[x](https:evil.com).txt'), 'd\n');
    writeFileSync(join(dir, '50%.txt'), 'e\n');
    const run = await archive(d, { results: 'reports/*' });
    expect(run.exitCode, run.stdout).toBe(0);
    const paths = manifestOf(d)
      .files.map((f) => f.path)
      .sort();
    expect(paths).toEqual([
      'files/reports/50%25.txt',
      'files/reports/[x](https:evil.com).txt',
      'files/reports/carriage%0Dreturn.txt',
      'files/reports/latin1-%E9.txt',
      'files/reports/two%0Alines.txt',
    ]);
    expect(readFileSync(join(evidence(d), 'files/reports/latin1-%E9.txt'), 'utf8')).toBe('c\n');
    expect(warnings(run)).toEqual(
      expect.arrayContaining([
        'workspace:reports/two%0Alines.txt: archived as "reports/two%0Alines.txt": its name has a line break or another control character',
        'workspace:reports/latin1-%E9.txt: archived as "reports/latin1-%E9.txt": its name is not valid UTF-8',
      ]),
    );
    const index = readFileSync(join(evidence(d), 'README.md'), 'utf8');
    expect(index).toContain(
      '[files/reports/&#91;x&#93;&#40;https:evil.com&#41;.txt](files/reports/%5Bx%5D%28https%3Aevil.com%29.txt)',
    );
    expect(index).toContain('workspace:reports/&#91;x&#93;&#40;https:evil.com&#41;.txt');
    expect(index).not.toContain('(https:evil.com)');
  });

  it('with artifact: false, files too large to commit are reported as not kept', async () => {
    const d = day();
    write(d.ws, 'logs/big.log', 'x'.repeat(4096));
    write(d.ws, 'logs/small.log', 'y\n');
    const run = await archive(d, { results: 'logs/*', 'max-file-size': '1KiB' });
    expect(run.exitCode, run.stdout).toBe(0);
    const m = manifestOf(d);
    expect(m.files.find((f) => f.path === 'files/logs/big.log')).toMatchObject({
      stored: 'not-kept',
      size: 4096,
    });
    expect(m.totals).toMatchObject({ notKeptFiles: 1, notKeptBytes: 4096, artifactOnlyFiles: 0 });
    const index = readFileSync(join(evidence(d), 'README.md'), 'utf8');
    expect(index).toContain('files/logs/big.log (not kept: too large, and no artifact)');
    expect(index).not.toContain('artifact only');
    expect(statusReport(d)).toContain(
      '1 (4.0 KiB) not kept because they exceed the size limits and there is no artifact',
    );
    expect(warnings(run)).toContain(
      '1 file(s) (4.0 KiB) exceed max-file-size/max-total-size and were not kept (artifact: false); their hashes are in the manifest',
    );
  });
});

describe('a file it did not write is never overwritten', () => {
  it('a status report a person wrote on the branch is left alone and the step fails, saying which', async () => {
    const origin = bareOrigin(scratch);
    const human = '# 2 December\n\nNotes from the on-call.\n';
    const seeded = seed(scratch, origin, 'main', { [`docs/sprints/status/${DATE}.md`]: human });
    const d = day({ 'smoke-suite-1.json': envelope('smoke-suite', 'success', 'smoke') });
    rmSync(d.ws, { recursive: true });
    checkout(scratch, origin, 'main', d.ws);
    const run = await archive(d, { commit: 'true', branch: 'main' });
    expect(run.exitCode).toBe(1);
    expect(errors(run).at(-1)).toContain(
      `docs/sprints/status/${DATE}.md already exists and was not written by the command center`,
    );
    expect(readFileSync(join(d.ws, `docs/sprints/status/${DATE}.md`), 'utf8')).toBe(human);
    expect(existsSync(evidence(d))).toBe(false);
    expect(remoteTip(origin, 'main')).toBe(seeded);
  });

  it('text a person wrote outside the generated section is kept, on the branch and in the checkout', async () => {
    const origin = bareOrigin(scratch);
    const notes =
      '# 2 December\n\nNotes from the on-call.\n\n<!-- command-center:begin integration-day -->\nold\n<!-- command-center:end integration-day -->\n\nSigned: ops\n';
    seed(scratch, origin, 'main', { [`docs/sprints/status/${DATE}.md`]: notes });
    const d = day({ 'smoke-suite-1.json': envelope('smoke-suite', 'success', 'smoke') });
    rmSync(d.ws, { recursive: true });
    checkout(scratch, origin, 'main', d.ws);
    const run = await archive(d, { commit: 'true', branch: 'main' });
    expect(run.exitCode, run.stdout).toBe(0);
    const onBranch = sh(origin, 'show', `main:docs/sprints/status/${DATE}.md`);
    expect(onBranch).toMatch(
      /^# 2 December\n\nNotes from the on-call\.\n\n<!-- command-center:begin integration-day -->\n# Integration Day 2026-12-02\n/,
    );
    expect(onBranch).toMatch(/<!-- command-center:end integration-day -->\n\nSigned: ops$/);
    expect(onBranch).not.toContain('\nold\n');
    expect(readFileSync(join(d.ws, `docs/sprints/status/${DATE}.md`), 'utf8')).toBe(`${onBranch}\n`);
  });
});
