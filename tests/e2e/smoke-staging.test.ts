import { beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { NODE24, ROOT } from '../support/paths.js';
import { needsServers, requireServer } from '../support/servers.js';

needsServers('kafka', 'staging');

// The Integration Day suites of the staging stand-in, run by the real bundle against the running
// services and Kafka: green as they are, red with SMOKE_FAIL=1 (exactly one policy test fails).
const STAGING = 'examples/staging';
const SERVICES: Record<string, string> = {
  'policy-engine': process.env.POLICY_ENGINE_PORT ?? '18081',
  constitution: process.env.CONSTITUTION_PORT ?? '18082',
  orchestrator: process.env.ORCHESTRATOR_PORT ?? '18083',
};
const PATH = `${join(ROOT, 'node_modules/.bin')}:${dirname(NODE24)}:${process.env.PATH ?? '/usr/bin:/bin'}`;

function portOpen(port: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port: Number(port) });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1_500, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

async function requireStaging(): Promise<void> {
  await requireServer('kafka');
  for (const [name, port] of Object.entries(SERVICES)) {
    if (!(await portOpen(port))) {
      throw new Error(
        `staging service ${name} is not answering on 127.0.0.1:${port}. Start it first: \`npm run stack:up\` (or \`bash stack/stack.sh up kafka staging\`).`,
      );
    }
  }
}

/** The three suites as the Integration Day workflow declares them; reports go to an ignored folder of their own. */
function suites(id: string, env: Record<string, string> = {}) {
  const out = `reports/smoke-e2e-${id}`;
  return [
    {
      name: 'policy',
      squad: 'Governance Core',
      runbook: 'docs/runbooks/policy-engine.md',
      run: `pytest tests/integration/policy --junitxml=${out}/policy.xml`,
      'working-directory': STAGING,
      junit: `${out}/policy.xml`,
      timeout: '5m',
      env,
    },
    {
      name: 'orchestrator',
      squad: 'Runtime & Training',
      run: `pytest tests/integration/orchestrator --junitxml=${out}/orchestrator.xml`,
      'working-directory': STAGING,
      junit: `${out}/orchestrator.xml`,
      timeout: '5m',
      env,
    },
    {
      name: 'admin-console',
      squad: 'Experience & Ecosystem',
      run: 'pnpm test --filter admin-console',
      'working-directory': STAGING,
      junit: `packages/admin-console/${out}.xml`,
      timeout: '5m',
      env: { ...env, JUNIT_OUTPUT: `${out}.xml` },
    },
  ];
}

async function runStaging(id: string, env: Record<string, string> = {}): Promise<ActionRun> {
  try {
    return await runAction('smoke-suite', {
      workspace: ROOT,
      inputs: {
        suites: stringify(suites(id, env)),
        concurrency: '2',
        'report-dir': `.vitest/smoke-staging-${id}`,
      },
      env: { PATH, PYTHONDONTWRITEBYTECODE: '1', GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' },
      timeoutMs: 600_000,
    });
  } finally {
    for (const p of [
      `${STAGING}/reports/smoke-e2e-${id}`,
      `${STAGING}/packages/admin-console/reports/smoke-e2e-${id}.xml`,
      `.vitest/smoke-staging-${id}`,
    ])
      rmSync(join(ROOT, p), { recursive: true, force: true });
  }
}

describe('smoke-suite on the staging suites (real services, real Kafka)', () => {
  beforeAll(async () => {
    ensureBuilt();
    await requireStaging();
  }, 180_000);

  it('the three suites pass against a healthy staging', async () => {
    const r = await runStaging(randomUUID().slice(0, 8));
    expect(r.exitCode, r.stdout).toBe(0);
    expect(JSON.parse(r.outputs['failed-suites']!)).toEqual([]);
    expect(Number(r.outputs.tests)).toBeGreaterThan(10);
    expect(r.outputs.failed).toBe('0');
    expect(r.outputs.errored).toBe('0');
    const doc = JSON.parse(readFileSync(r.outputs['result-path']!, 'utf8'));
    expect(
      doc.result.suites.map((s: { name: string; status: string; counts: { tests: number } }) => [
        s.name,
        s.status,
        s.counts.tests > 0,
      ]),
    ).toEqual([
      ['policy', 'passed', true],
      ['orchestrator', 'passed', true],
      ['admin-console', 'passed', true],
    ]);
    expect(r.summary).toContain('## Smoke suites: ✅ all 3 suite(s) passed');
  }, 600_000);

  it('SMOKE_FAIL=1 makes exactly one policy test fail, annotated at its file and line', async () => {
    const r = await runStaging(randomUUID().slice(0, 8), { SMOKE_FAIL: '1' });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.outputs['failed-suites']!)).toEqual(['policy']);
    expect(r.outputs.failed).toBe('1');
    const file = `${STAGING}/tests/integration/policy/test_evaluate.py`;
    const line =
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('assert body["allowed"] is expected_allowed')) + 1;
    expect(line).toBeGreaterThan(0);
    const errors = r.annotations.filter((a) => a.level === 'error' && a.properties.file);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.properties).toMatchObject({
      file,
      line: String(line),
      title: 'policy: test_benign_prompt_is_allowed failed',
    });
    expect(errors[0]!.message).toContain('Owner: Governance Core');
    expect(r.summary).toContain('#### ❌ policy: 1 test failed of');
  }, 600_000);
});
