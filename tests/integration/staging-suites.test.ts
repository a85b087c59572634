import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { NODE24, ROOT } from '../support/paths.js';
import { needsServers } from '../support/servers.js';

needsServers('kafka', 'staging');

// The three suites Integration Day runs pass against the running staging system and write JUnit;
// SMOKE_FAIL=1 makes exactly one policy test fail, with a traceback pointing at its line.

const STAGING = join(ROOT, 'examples/staging');
const PNPM = join(ROOT, 'node_modules/.bin/pnpm');

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  failed: { name: string; text: string }[];
}

function junit(path: string): Counts {
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  }).parse(readFileSync(path, 'utf8')) as {
    testsuites?: { testsuite: Suite[] };
    testsuite?: Suite[];
  };
  type Suite = {
    tests: string;
    failures: string;
    errors: string;
    skipped?: string;
    testcase?: {
      name: string;
      classname: string;
      failure?: { message?: string; '#text'?: string } | string;
      skipped?: unknown;
    }[];
  };
  const suites = doc.testsuites?.testsuite ?? doc.testsuite ?? [];
  const counts: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, failed: [] };
  for (const s of suites) {
    counts.tests += Number(s.tests);
    counts.failures += Number(s.failures);
    counts.errors += Number(s.errors);
    counts.skipped += Number(s.skipped ?? 0);
    for (const c of s.testcase ?? []) {
      if (c.failure !== undefined)
        counts.failed.push({
          name: `${c.classname}.${c.name}`,
          text:
            typeof c.failure === 'string'
              ? c.failure
              : `${c.failure.message ?? ''}\n${c.failure['#text'] ?? ''}`,
        });
    }
  }
  return counts;
}

function pytest(suite: string, env: Record<string, string> = {}) {
  const report = join(mkdtempSync(join(tmpdir(), 'staging-suite-')), 'junit.xml');
  const r = spawnSync(
    'python3',
    ['-m', 'pytest', `tests/integration/${suite}`, `--junitxml=${report}`, '-q'],
    {
      cwd: STAGING,
      encoding: 'utf8',
      env: { ...process.env, SMOKE_FAIL: '', ...env },
      timeout: 240_000,
    },
  );
  return { code: r.status, out: `${r.stdout}${r.stderr}`, report };
}

beforeAll(async () => {
  for (const port of [
    process.env.POLICY_ENGINE_PORT ?? '18081',
    process.env.CONSTITUTION_PORT ?? '18082',
    process.env.ORCHESTRATOR_PORT ?? '18083',
  ]) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(3000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (!ok)
      throw new Error(
        `a staging service is not ready on 127.0.0.1:${port}. Start the local stack first: \`npm run stack:up\` (or \`bash stack/stack.sh up staging\`).`,
      );
  }
});

describe('the staging suites', () => {
  it.each(['policy', 'orchestrator'])('pytest tests/integration/%s passes and writes JUnit', (suite) => {
    const run = pytest(suite);
    expect(run.code, run.out).toBe(0);
    const counts = junit(run.report);
    expect(counts.tests).toBeGreaterThanOrEqual(suite === 'policy' ? 15 : 12);
    expect(counts).toMatchObject({ failures: 0, errors: 0, skipped: 0 });
    expect(run.out).toMatch(new RegExp(`^${counts.tests} passed in `, 'm'));
  });

  it('SMOKE_FAIL=1 makes exactly one policy test fail with an ordinary assertion traceback', () => {
    const run = pytest('policy', { SMOKE_FAIL: '1' });
    expect(run.code, run.out).toBe(1);
    const counts = junit(run.report);
    expect(counts.failures).toBe(1);
    expect(counts.errors).toBe(0);
    expect(counts.failed).toHaveLength(1);
    expect(counts.failed[0]!.name).toBe(
      'tests.integration.policy.test_evaluate.test_benign_prompt_is_allowed',
    );
    const at = /tests\/integration\/policy\/test_evaluate\.py:(\d+): AssertionError/.exec(
      counts.failed[0]!.text,
    );
    expect(at, counts.failed[0]!.text).not.toBeNull();
    const line = readFileSync(join(STAGING, 'tests/integration/policy/test_evaluate.py'), 'utf8').split('\n')[
      Number(at![1]) - 1
    ];
    expect(line).toContain('assert body["allowed"] is expected_allowed');
    expect(run.out).toMatch(/^1 failed, \d+ passed in /m);
  });

  it("pnpm test --filter admin-console runs the package's own tests and writes JUnit", () => {
    const report = join(mkdtempSync(join(tmpdir(), 'staging-pnpm-')), 'admin-console.xml');
    if (!existsSync(join(STAGING, 'node_modules/.pnpm')))
      throw new Error(
        'the staging pnpm workspace is not installed. Run `npm run stack:up` (it installs it) or `pnpm install` in examples/staging.',
      );
    const r = spawnSync(PNPM, ['test', '--filter', 'admin-console'], {
      cwd: STAGING,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${dirname(NODE24)}:${process.env.PATH}`,
        JUNIT_OUTPUT: report,
        CI: 'true',
      },
      timeout: 240_000,
    });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    const counts = junit(report);
    expect(counts.tests).toBeGreaterThanOrEqual(10);
    expect(counts).toMatchObject({ failures: 0, errors: 0, skipped: 0 });
    // An unknown package is an error, not an empty success.
    const none = spawnSync(PNPM, ['test', '--filter', 'no-such-package'], {
      cwd: STAGING,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dirname(NODE24)}:${process.env.PATH}` },
    });
    expect(none.status).not.toBe(0);
  });
});
