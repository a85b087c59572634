import { beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { needsServers } from '../support/servers.js';

needsServers();

// Each action, run from its real bundle as the runner runs it, with one bad input:
// the step fails, the error names the input, the bad value and what is allowed, and nothing else runs.
const CASES: { action: string; inputs: Record<string, string>; expect: RegExp[] }[] = [
  {
    action: 'helm-deploy',
    inputs: { release: 'Bad_Release!', chart: 'x' },
    expect: [/input 'release'/, /"Bad_Release!"/, /lowercase letters, digits and dashes/],
  },
  {
    action: 'helm-deploy',
    inputs: { release: 'ok', timeout: '5 minutes' },
    expect: [/input 'timeout'/, /"5 minutes"/, /duration such as/],
  },
  {
    action: 'smoke-suite',
    inputs: { suites: '- name: a\n  run: pytest\n  retries: 9' },
    expect: [/input 'suites' is invalid/, /\/0\/retries/, /must be <= 5/],
  },
  {
    action: 'smoke-suite',
    inputs: { suites: '- run: x', concurrency: '0' },
    expect: [/input 'suites' is invalid|input 'concurrency'/],
  },
  {
    action: 'kafka-topic-check',
    inputs: { brokers: 'localhost', topics: '- name: t' },
    expect: [/input 'brokers'/, /"localhost"/, /host:port/],
  },
  {
    action: 'kafka-topic-check',
    inputs: { brokers: 'localhost:9092', topics: '- name: t\n  max-age: 15 minutes' },
    expect: [/input 'topics' is invalid/, /\/0\/max-age/],
  },
  {
    action: 'kafka-topic-check',
    inputs: { brokers: 'localhost:9092', topics: '- name: t', 'fail-on': 'fatal' },
    expect: [/input 'fail-on'/, /"fatal"/, /error, warning/],
  },
  {
    action: 'kafka-topic-check',
    inputs: { brokers: 'localhost:9092', topics: '- name: t', 'silence-probability': '0' },
    expect: [/input 'silence-probability'/, /"0"/, /strictly between 0 and 1/],
  },
  {
    action: 'kafka-topic-check',
    inputs: { brokers: 'localhost:9092', topics: '- name: t', 'silence-probability': '1.5' },
    expect: [/input 'silence-probability'/, /"1\.5"/, /probability between 0 and 1/],
  },
  {
    action: 'evidence-archive',
    inputs: { date: '../2026-11-25' },
    expect: [/input 'date'/, /"\.\.\/2026-11-25"/, /YYYY-MM-DD/],
  },
  {
    action: 'evidence-archive',
    inputs: { timezone: 'Mars/Olympus' },
    expect: [/input 'timezone'/, /IANA time zone/],
  },
  {
    action: 'contract-record',
    inputs: { endpoints: 'services: []' },
    expect: [/input 'endpoints' is invalid/, /\/services/],
  },
  {
    action: 'design-drift',
    inputs: { declared: 'specs/*.yaml', 'fail-on': 'sometimes' },
    expect: [/input 'fail-on'/, /"sometimes"/, /breaking, any-drift, none/],
  },
  { action: 'design-drift', inputs: {}, expect: [/input 'declared'/, /required/] },
  {
    action: 'escalate',
    inputs: { token: 't', 'stale-after': 'four hours' },
    expect: [/input 'stale-after'/, /"four hours"/, /duration such as/],
  },
  {
    action: 'escalate',
    inputs: { token: 't', 'escalation-label': 'blocker' },
    expect: [/input 'escalation-label'/, /"blocker"/, /a label other than the blocker label/],
  },
  {
    action: 'backlog-grid',
    inputs: { token: 't', squads: 'Governance Core', path: '.github/backlog.md' },
    expect: [/input 'path'/, /"\.github\/backlog\.md"/, /outside \.git and \.github/],
  },
  { action: 'backlog-grid', inputs: { token: 't' }, expect: [/input 'squads'/, /required/] },
  {
    action: 'infra-pulse',
    inputs: { redis: '- name: sessions\n  address: 127.0.0.1:99999' },
    expect: [/input 'redis'/, /"entry 0 \(sessions\) address 127\.0\.0\.1:99999"/, /port from 1 to 65535/],
  },
  {
    action: 'infra-pulse',
    inputs: { postgres: '- name: audit\n  url: postgres://cc_app:hunter2@db:5432/x?sslmode=sometimes' },
    expect: [
      /input 'postgres'/,
      /"entry 0 \(audit\) url sslmode=sometimes"/,
      /expected sslmode disable, allow/,
      /^(?!.*hunter2)/s,
    ],
  },
];

describe('bad input through the real bundle', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  for (const c of CASES) {
    it(`${c.action}: ${Object.keys(c.inputs).join(', ') || 'missing input'}`, async () => {
      const run = await runAction(c.action, { inputs: c.inputs });
      expect(run.exitCode).toBe(1);
      const errors = run.annotations.filter((a) => a.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message.startsWith(`${c.action}: `)).toBe(true);
      for (const re of c.expect) expect(errors[0]!.message).toMatch(re);
      // A user's mistake is not reported as a bug.
      expect(run.stdout).not.toContain('not about your inputs');
      expect(run.outputs).toEqual({});
    });
  }

  it('a secret input is masked before anything else is printed', async () => {
    const run = await runAction('kafka-topic-check', {
      inputs: {
        brokers: 'localhost:9092',
        topics: '- name: t',
        password: 'pa55-w0rd-very-secret',
        'fail-on': 'nope',
      },
    });
    expect(run.exitCode).toBe(1);
    const maskAt = run.stdout.indexOf('::add-mask::pa55-w0rd-very-secret');
    expect(maskAt).toBeGreaterThanOrEqual(0);
    expect(run.stdout.indexOf('::error')).toBeGreaterThan(maskAt);
  });
});
