import { describe, expect, it } from 'vitest';
import { buildManifest, type ManifestEntry } from '../../src/lib/evidence/manifest.js';
import { renderStatusReport, type ReportInput } from '../../src/lib/evidence/report.js';
import { renderEvidenceIndex } from '../../src/lib/evidence/index-readme.js';
import {
  failuresOf,
  glance,
  isEnvelope,
  summarizeHelm,
  summarizeKafka,
  summarizeSmoke,
  type AnyEnvelope,
} from '../../src/lib/evidence/results.js';

const RUN = {
  runId: '99',
  runAttempt: '2',
  workflow: 'Integration Day',
  url: 'https://github.com/acme/platform/actions/runs/99',
  sha: '0123456789abcdef0123',
};

function env(action: string, status: string, result: unknown): AnyEnvelope {
  return {
    action,
    schemaVersion: 1,
    status,
    startedAt: '2026-11-25T17:00:00Z',
    finishedAt: '2026-11-25T17:02:05Z',
    run: RUN,
    result,
  } as AnyEnvelope;
}

function entry(
  path: string,
  stored: 'repository' | 'artifact' = 'repository',
  kind: ManifestEntry['kind'] = 'result',
): ManifestEntry {
  return {
    path,
    sha256: 'a'.repeat(64),
    size: 10,
    kind,
    mediaType: 'application/json',
    source: `runner-temp:${path}`,
    capturedAt: '2026-11-25T17:02:05.000Z',
    stored,
  };
}

function input(over: Partial<ReportInput>): ReportInput {
  const files = over.manifest?.files ?? [];
  return {
    date: '2026-11-25',
    timeZone: 'America/Los_Angeles',
    generatedAt: new Date('2026-11-25T18:00:00Z'),
    run: RUN,
    statusFileRel: 'docs/sprints/status/2026-11-25.md',
    evidenceDirRel: 'docs/sprints/status/2026-11-25/evidence',
    results: [],
    unreadable: [],
    metrics: [],
    dashboards: [],
    captureProblems: [],
    manifest: buildManifest({
      date: '2026-11-25',
      createdAt: '2026-11-25T18:00:00Z',
      run: RUN,
      limits: { maxFileSize: 100, maxTotalSize: 1000 },
      files,
    }),
    ...over,
  };
}

describe("reading the other actions' results", () => {
  it('recognises the envelope and nothing else', () => {
    expect(isEnvelope(env('helm-deploy', 'success', {}))).toBe(true);
    expect(isEnvelope({ action: 'x', status: 'success', result: {} })).toBe(false);
    expect(isEnvelope({ action: '', schemaVersion: 1, status: 'success', result: {} })).toBe(false);
    expect(isEnvelope([1, 2])).toBe(false);
    expect(isEnvelope(null)).toBe(false);
  });

  it('reads helm, smoke and kafka fields it knows, in the shapes those actions write', () => {
    expect(
      summarizeHelm({
        release: { name: 'core', namespace: 'staging', revision: 7, status: 'deployed' },
        chart: 'core-1.0.0',
        rolledBack: true,
        previousRevision: 6,
      }),
    ).toEqual({
      release: 'core',
      namespace: 'staging',
      revision: 7,
      status: 'deployed',
      chart: 'core-1.0.0',
      rolledBack: true,
      previousRevision: 6,
    });
    const smoke = summarizeSmoke({
      suites: [
        {
          name: 's',
          squad: null,
          owner: null,
          runbook: null,
          required: false,
          status: 'not-run',
          reason: 'fail-fast',
          counts: { tests: 0, passed: 0, failed: 0, errored: 0, skipped: 0 },
          failures: [],
        },
      ],
    });
    expect(smoke.suites[0]).toEqual({
      name: 's',
      squad: 'unassigned',
      status: 'not-run',
      required: false,
      tests: 0,
      passed: 0,
      failed: 0,
      errored: 0,
      skipped: 0,
      reason: 'fail-fast',
    });
    const kafka = summarizeKafka({
      topics: [{ name: 't', status: 'error', findings: [{ message: 'no messages' }], traceIds: ['abc'] }],
      groups: [{ name: 'g', status: 'STALLED', level: 'error', totalLag: '12', findings: ['stuck'] }],
    });
    expect(kafka.topics[0]).toEqual({
      name: 't',
      status: 'error',
      findings: ['no messages'],
      traceIds: ['abc'],
    });
    expect(kafka.groups[0]).toEqual({
      name: 'g',
      status: 'STALLED',
      level: 'error',
      totalLag: 12,
      findings: ['stuck'],
    });
  });

  it('tolerates shapes it does not know: a result that is null, a string, an array or odd types', () => {
    for (const result of [null, 'text', [1, 2], { suites: 'nope', topics: { a: 1 } }, { release: 42 }]) {
      for (const action of ['helm-deploy', 'smoke-suite', 'kafka-topic-check', 'brand-new-action']) {
        expect(() => glance(env(action, 'failure', result))).not.toThrow();
        expect(failuresOf(env(action, 'failure', result)).length).toBeGreaterThanOrEqual(1);
        expect(failuresOf(env(action, 'success', result))).toEqual([]);
      }
    }
    expect(glance(env('helm-deploy', 'success', { release: 42 }))).toBe('`42`');
    expect(
      failuresOf(
        env('design-drift', 'failure', {
          error: { message: 'breaking drift in /orders' },
          owner: 'Experience',
        }),
      ),
    ).toEqual([
      {
        step: 'design-drift',
        what: 'design-drift',
        detail: 'breaking drift in /orders',
        owner: 'Experience',
      },
    ]);
  });

  it("a failed deploy is listed with helm-deploy's own failure message", () => {
    const result = {
      mode: 'deploy',
      release: 'core',
      namespace: 'staging',
      chart: 'charts/core',
      helmVersion: 'v4.3.1',
      status: 'failed',
      revision: 8,
      previousRevision: 7,
      rolledBack: true,
      durationMs: 90_000,
      failure: 'deployment/core-api did not become ready: CrashLoopBackOff',
    };
    expect(failuresOf(env('helm-deploy', 'failure', result))).toEqual([
      {
        step: 'helm-deploy',
        item: 'deploy:staging/core',
        what: 'helm-deploy',
        detail: 'deployment/core-api did not become ready: CrashLoopBackOff',
      },
    ]);
    expect(glance(env('helm-deploy', 'failure', result))).toBe(
      '`core` in `staging`, revision 8, failed, rolled back to 7',
    );
  });

  it('a suite that failed without a failing test (timeout, no report) is still listed with its owner', () => {
    const f = failuresOf(
      env('smoke-suite', 'failure', {
        suites: [
          {
            name: 'orch',
            squad: 'Runtime & Training',
            owner: '@rt',
            status: 'failed',
            reason: 'timed out after 15m',
            counts: { passed: 3 },
            failures: [],
          },
        ],
      }),
    );
    expect(f).toEqual([
      {
        step: 'smoke-suite',
        item: 'suite:orch',
        what: 'suite orch',
        detail: 'timed out after 15m',
        owner: '@rt',
      },
    ]);
  });
});

describe('renderStatusReport', () => {
  it('lists each squad’s failing tests, also after a squad without any', () => {
    const suites = [
      { name: 'console', squad: 'Experience', status: 'passed', counts: { passed: 4 }, failures: [] },
      {
        name: 'policy',
        squad: 'Governance Core',
        status: 'failed',
        counts: { passed: 1, failed: 1 },
        failures: [{ id: 'tests/test_policy.py::test_deny_header', message: "assert 'allow' == 'deny'" }],
      },
    ];
    const md = renderStatusReport(
      input({
        results: [
          { envelope: env('smoke-suite', 'failure', { suites }), entry: entry('results/smoke-suite.json') },
        ],
      }),
    );
    expect(md).toContain('**Governance Core**: failing tests');
    expect(md).toContain("- `policy` · `tests/test_policy.py::test_deny_header` — assert 'allow' == 'deny'");
    expect(md).not.toContain('**Experience**: failing tests');
  });

  it("a helm-deploy release set is listed release by release, with each one's wave", () => {
    const result = {
      mode: 'deploy',
      status: 'failed',
      rolledBack: true,
      helmVersion: 'v3.22.0',
      namespace: 'staging',
      failure: '2 of 3 release(s) did not deploy',
      waves: [
        { wave: 1, releases: ['db', 'cache'] },
        { wave: 2, releases: ['api'] },
      ],
      releases: [
        {
          release: 'db',
          namespace: 'staging',
          chart: 'charts/db',
          status: 'rolled-back',
          revision: 3,
          previousRevision: 1,
          rolledBack: true,
          wave: 1,
        },
        {
          release: 'api',
          namespace: 'staging',
          chart: 'charts/api',
          status: 'skipped',
          rolledBack: false,
          wave: 2,
        },
        {
          release: 'cache',
          namespace: 'staging',
          chart: 'charts/cache',
          status: 'deployed',
          revision: 2,
          previousRevision: 1,
          rolledBack: false,
          wave: 1,
        },
      ],
    };
    const h = summarizeHelm(result);
    expect(h.status).toBe('failed');
    expect(h.releases!.map((x) => [x.release, x.status, x.revision, x.wave])).toEqual([
      ['db', 'rolled-back', 3, 1],
      ['api', 'skipped', undefined, 2],
      ['cache', 'deployed', 2, 1],
    ]);
    expect(glance(env('helm-deploy', 'failure', result))).toBe(
      'release set: `db` rolled-back (revision 3), `api` skipped, `cache` deployed (revision 2)',
    );
    const md = renderStatusReport(
      input({
        results: [
          { envelope: env('helm-deploy', 'failure', result), entry: entry('results/helm-deploy.json') },
        ],
      }),
    );
    expect(md).toContain('a release set of 3 release(s) is **failed**:');
    expect(md).toContain(
      '- wave 1: `db` in `staging` is **rolled-back** at revision **3** (chart `charts/db`); rolled back to revision 1',
    );
    expect(md).toContain('- wave 2: `api` in `staging` is **skipped** (chart `charts/api`)');
  });

  it('with no results says so plainly', () => {
    const md = renderStatusReport(input({}));
    expect(md).toContain('❔ **No step results were found**');
    expect(md).toContain('No result files were collected.');
    expect(md).toContain('Nothing failed.');
    expect(md).toContain(
      'Run: [Integration Day #99 (attempt 2)](https://github.com/acme/platform/actions/runs/99)',
    );
    expect(md).toContain('Generated 2026-11-25 10:00 (America/Los_Angeles) at `0123456789ab`');
  });

  it('all green', () => {
    const md = renderStatusReport(
      input({
        results: [
          {
            envelope: env('helm-deploy', 'success', { release: 'core', revision: 3 }),
            entry: entry('results/helm-deploy.json'),
          },
        ],
        manifest: buildManifest({
          date: 'd',
          createdAt: 'c',
          run: RUN,
          limits: { maxFileSize: 1, maxTotalSize: 1 },
          files: [entry('results/helm-deploy.json')],
        }),
      }),
    );
    expect(md).toContain('✅ **All 1 step(s) succeeded.**');
    expect(md).toContain(
      '| helm-deploy | ✅ success | `core`, revision 3 | 09:02 (2m05s) | [json](2026-11-25/evidence/results/helm-deploy.json) |',
    );
  });

  it('all steps succeeded but one found a warning: amber, not red, and the warning is listed with its owner', () => {
    const results = [
      {
        envelope: env('kafka-topic-check', 'success', {
          topics: [
            {
              name: 'policy.decisions',
              status: 'warning',
              owner: 'Governance Core',
              findings: [{ message: '1 of 12 partition(s) received none: 6' }],
              traceIds: [],
            },
          ],
        }),
      },
    ];
    const md = renderStatusReport(input({ results }));
    expect(md).toContain("⚠️ **All 1 step(s) succeeded; 1 warning(s) need an owner's attention.**");
    expect(md).not.toContain('❌');
    expect(md).toMatch(/\| topic policy\.decisions \(warning\) \| kafka-topic-check \| Governance Core \|/);
  });

  it('the Kafka section shows each group’s lag direction: trend, catch-up and both rates', () => {
    const direction = (over: Record<string, unknown>) => ({
      windowMs: 8_000,
      samples: 5,
      lagSamples: [100, 160, 220, 280, 340],
      lagAtStart: 100,
      lagAtEnd: 340,
      produced: 320,
      consumed: 80,
      productionPerSecond: 40,
      consumptionPerSecond: 10,
      steadyWithin: 80,
      trend: 'growing',
      catchUpMs: 'never',
      fallingBehind: true,
      ...over,
    });
    const results = [
      {
        envelope: env('kafka-topic-check', 'success', {
          topics: [],
          groups: [
            {
              name: 'orchestrator-training',
              status: 'WARN',
              level: 'warning',
              totalLag: 340,
              maxTimeLagMs: 9_000,
              owner: 'Runtime & Training',
              direction: direction({}),
              findings: [{ message: 'consumer group orchestrator-training is falling behind on t/0' }],
            },
            {
              name: 'policy-engine',
              status: 'OK',
              level: 'ok',
              totalLag: 1_560,
              maxTimeLagMs: 2_000,
              direction: direction({
                trend: 'shrinking',
                catchUpMs: 8_667,
                fallingBehind: false,
                productionPerSecond: 10,
                consumptionPerSecond: 190.25,
              }),
              findings: [],
            },
            { name: 'audit-sink', status: 'OK', level: 'ok', totalLag: 0, findings: [] },
          ],
        }),
      },
    ];
    const md = renderStatusReport(input({ results }));
    expect(md).toContain(
      '| consumer group | status | lag (messages) | time lag | lag direction | owner | findings |',
    );
    expect(md).toContain(
      '| orchestrator-training | ⚠️ WARN | 340 | 9.0s | growing, falling behind: never catches up (40/s written, 10/s consumed) | Runtime & Training |',
    );
    expect(md).toContain(
      '| policy-engine | ✅ OK | 1560 | 2.0s | shrinking: catches up in 8.7s (10/s written, 190.3/s consumed) |  |',
    );
    // A result without a direction (no window, or an older result) leaves the cell empty.
    expect(md).toContain('| audit-sink | ✅ OK | 0 |  |  |  |  |');
  });

  it('a smoke suite that skipped every test is not shown as passed', () => {
    const suites = [
      {
        name: 'needs-db',
        squad: 'Governance Core',
        status: 'skipped',
        reason: 'every test was skipped (3): no evidence that it works',
        counts: { tests: 3, skipped: 3 },
        failures: [],
      },
      {
        name: 'policy',
        squad: 'Runtime & Training',
        status: 'passed',
        counts: { tests: 2, passed: 2 },
        failures: [],
      },
    ];
    const md = renderStatusReport(
      input({
        results: [
          { envelope: env('smoke-suite', 'success', { suites }), entry: entry('results/smoke-suite.json') },
        ],
      }),
    );
    expect(md).toContain('| Governance Core | needs-db | 0 | 0 | 0 | 3 | ⚠️ every test skipped |');
    expect(md).toContain('| Runtime & Training | policy | 2 | 0 | 0 | 0 | ✅ passed |');
  });

  it('a step that failed before writing its result still has its row, and the day is red', () => {
    const results = [
      { envelope: env('smoke-suite', 'success', { suites: [] }), entry: entry('results/smoke-suite.json') },
    ];
    const md = renderStatusReport(
      input({
        results,
        expectedSteps: {
          'helm-deploy': 'failure',
          'smoke-suite': 'success',
          'kafka-topic-check': 'cancelled',
        },
      }),
    );
    expect(md).toContain("❌ **2 of 3 step(s) failed; 2 problem(s) need an owner's attention.**");
    expect(md).toContain(
      '| helm-deploy | ❌ failure | no result file: the step failed before writing one (see its job log) |  |  |',
    );
    expect(md).toContain('| kafka-topic-check | ⛔ cancelled | cancelled before it wrote a result |  |  |');
    expect(md).toContain(
      '| step helm-deploy | helm-deploy | unowned |  | no result file: the step failed before writing one (see its job log) |',
    );
    // The rows keep the day's order: deploy, suites, topics.
    expect(md.indexOf('| helm-deploy |')).toBeLessThan(md.indexOf('| smoke-suite |'));
    expect(md.indexOf('| smoke-suite |')).toBeLessThan(md.indexOf('| kafka-topic-check |'));
  });

  it('a skipped step is shown but is not a failure; a listed step with a result adds nothing', () => {
    const results = [
      { envelope: env('smoke-suite', 'success', { suites: [] }), entry: entry('results/smoke-suite.json') },
    ];
    const md = renderStatusReport(
      input({ results, expectedSteps: { 'helm-deploy': 'skipped', 'smoke-suite': 'success' } }),
    );
    expect(md).toContain('✅ **All 1 step(s) succeeded.**');
    expect(md).toContain('| helm-deploy | ⏭️ skipped | skipped: the job did not run |  |  |');
    expect(md.match(/\| smoke-suite \|/g)).toHaveLength(1);
  });

  it('a day whose pulse found a dependency down says why the deploy and the suites were skipped, with owner and runbook', () => {
    const results = [
      {
        envelope: env('infra-pulse', 'failure', {
          verdict: 'FAIL',
          ready: false,
          blocking: ['redis:sessions-primary'],
          headline: 'FAIL: redis:sessions-primary FAIL (connection refused)',
          checks: [
            {
              id: 'redis:sessions-primary',
              kind: 'redis',
              name: 'sessions-primary',
              status: 'FAIL',
              required: true,
              summary: 'not reachable',
              owner: 'Runtime & Training',
              runbooks: ['docs/runbooks/kill-switch.md#redis'],
              findings: [{ status: 'FAIL', message: 'connection refused at 127.0.0.1:16379' }],
            },
            {
              id: 'kafka',
              kind: 'kafka',
              name: 'kafka',
              status: 'OK',
              required: true,
              summary: '1 broker',
              runbooks: [],
              findings: [],
            },
          ],
        }),
        entry: entry('results/infra-pulse.json'),
      },
    ];
    const md = renderStatusReport(
      input({
        results,
        expectedSteps: {
          'helm-deploy': 'skipped',
          'smoke-suite': 'skipped',
          'kafka-topic-check': 'success',
          'contract-record': 'skipped',
        },
      }),
    );
    const why =
      "skipped: the morning's Infra Pulse found a required dependency down (redis:sessions-primary)";
    expect(md).toContain(`| helm-deploy | ⏭️ skipped | ${why}, so the day did not deploy into an outage |`);
    expect(md).toContain(
      `| smoke-suite | ⏭️ skipped | ${why}, so the day did not judge staging during an outage |`,
    );
    expect(md).toContain(
      `| contract-record | ⏭️ skipped | ${why}, so the day did not judge staging during an outage |`,
    );
    // A step that did not run for another reason keeps its own words.
    expect(md).toContain(
      '| kafka-topic-check | ❔ no result | no result file was collected although its job succeeded |',
    );
    expect(md).toMatch(/❌ \*\*2 of 2 step\(s\) failed/);
    expect(md).toContain('connection refused at 127.0.0.1:16379');
    expect(md).toContain('Runtime & Training');
    expect(md).toContain('kill-switch.md#redis');
    // The pulse comes first: the day starts with it.
    expect(md.indexOf('| infra-pulse |')).toBeLessThan(md.indexOf('| helm-deploy |'));
  });

  it('an unknown step shows its status and a link; a failed one is listed with what it said', () => {
    const results = [
      {
        envelope: env('contract-record', 'failure', {
          error: 'staging /openapi.json answered 503',
          owner: 'Experience & Ecosystem',
          runbook: 'https://runbooks.example/contracts',
        }),
        entry: entry('results/contract-record.json'),
      },
      { envelope: env('new-thing', 'success', [1, 2, 3]), entry: entry('results/new-thing.json') },
    ];
    const md = renderStatusReport(
      input({
        results,
        manifest: buildManifest({
          date: 'd',
          createdAt: 'c',
          run: RUN,
          limits: { maxFileSize: 1, maxTotalSize: 1 },
          files: results.map((r) => r.entry),
        }),
      }),
    );
    expect(md).toContain("❌ **1 of 2 step(s) failed; 1 problem(s) need an owner's attention.**");
    expect(md).toContain(
      '| contract-record | contract-record | Experience & Ecosystem | [runbook](https://runbooks.example/contracts) | staging /openapi.json answered 503 |',
    );
    expect(md).toContain(
      '- **new-thing**: ✅ success — success [result](2026-11-25/evidence/results/new-thing.json)',
    );
  });

  it("links runbooks given as repository paths from the report's folder", () => {
    const results = [
      {
        envelope: env('kafka-topic-check', 'failure', {
          topics: [
            {
              name: 'training.audit',
              status: 'error',
              runbook: 'docs/runbooks/kafka-outage.md',
              owner: 'Runtime & Training',
              findings: [{ message: 'silent for 20m' }],
              traceIds: [],
            },
          ],
        }),
      },
    ];
    const md = renderStatusReport(input({ results }));
    expect(md).toContain(
      '| topic training.audit (error) | kafka-topic-check | Runtime & Training | [runbook](../../runbooks/kafka-outage.md) | silent for 20m |',
    );
  });

  it('files kept only in the artifact link to the artifact; custom locations link correctly', () => {
    const files = [
      entry('results/smoke-suite.json', 'artifact'),
      entry('metrics/m.svg', 'repository', 'chart'),
      entry('metrics/m.json', 'repository', 'metric'),
    ];
    const md = renderStatusReport(
      input({
        statusFileRel: 'status/2026-11-25.md',
        evidenceDirRel: 'archive/2026/11-25',
        results: [
          {
            envelope: env('smoke-suite', 'success', { suites: [] }),
            entry: { path: 'results/smoke-suite.json' },
          },
        ],
        metrics: [
          {
            name: 'm',
            panel: 'API latency',
            squad: 'Experience & Ecosystem',
            unit: 's',
            stats: [{ label: 'x', samples: 3, last: 0.2, min: 0.1, max: 0.3, mean: 0.2 }],
            chart: { path: 'metrics/m.svg' },
            json: { path: 'metrics/m.json' },
            caption: [
              'Log scale: the values above zero span 4.0 orders of magnitude.',
              'Legend: {route="[a](b)"}.',
            ],
          },
        ],
        dashboards: [
          {
            name: 'grafana',
            url: 'https://grafana.example/d/abc?orgId=1&token=x',
            error: 'net::ERR_NAME_NOT_RESOLVED',
          },
        ],
        artifact: {
          name: 'integration-day-2026-11-25-99-2',
          id: '5',
          url: 'https://github.com/acme/platform/actions/runs/99/artifacts/5',
        },
        manifest: buildManifest({
          date: 'd',
          createdAt: 'c',
          run: RUN,
          limits: { maxFileSize: 1, maxTotalSize: 1 },
          files,
        }),
      }),
    );
    expect(md).toContain(
      '[json](https://github.com/acme/platform/actions/runs/99/artifacts/5) (artifact only)',
    );
    expect(md).toContain(
      '| API latency | Experience & Ecosystem | last 200 ms (min 100 ms, max 300 ms) | [chart](../archive/2026/11-25/metrics/m.svg) | [json](../archive/2026/11-25/metrics/m.json) |',
    );
    // Under the table, each chart's caption; label values stay text, never links.
    expect(md).toContain(
      '- **API latency**: Log scale: the values above zero span 4.0 orders of magnitude. Legend: {route="&#91;a&#93;&#40;b&#41;"}.',
    );
    expect(md).toContain(
      'Artifact: [`integration-day-2026-11-25-99-2`](https://github.com/acme/platform/actions/runs/99/artifacts/5)',
    );
    // The dashboard URL is shown without its query string (which may carry a token).
    expect(md).toContain(
      '- **grafana** (https://grafana.example/d/abc): ❌ not captured: net::ERR_NAME_NOT_RESOLVED',
    );
    expect(md).not.toContain('token=x');
  });

  it('escapes table cells so a message with pipes cannot break a row', () => {
    const results = [
      {
        envelope: env('smoke-suite', 'failure', {
          suites: [
            {
              name: 's',
              squad: 'A',
              status: 'failed',
              counts: { failed: 1 },
              failures: [{ id: 'a|b', message: 'x | y\nz' }],
            },
          ],
        }),
      },
    ];
    const md = renderStatusReport(input({ results }));
    expect(md).toContain('| s: a\\|b | smoke-suite | A |  | x \\| y<br>z |');
  });
});

describe('the smoke logs in the report', () => {
  it("links each suite's attempt logs where they are kept, in the result's order of suites and attempts", () => {
    const files = [
      entry('results/smoke-suite.json'),
      entry('logs/smoke/policy/attempt-1.log', 'repository', 'file'),
      entry('logs/smoke/policy/attempt-2.log', 'artifact', 'file'),
      entry('logs/smoke/console/attempt-1.log', 'repository', 'file'),
    ];
    const suites = [
      { name: 'policy', squad: 'Governance Core', status: 'flaky', counts: { passed: 2 }, failures: [] },
      { name: 'console', squad: 'Experience', status: 'passed', counts: { passed: 4 }, failures: [] },
    ];
    const md = renderStatusReport(
      input({
        manifest: buildManifest({
          date: '2026-11-25',
          createdAt: '2026-11-25T18:00:00Z',
          run: RUN,
          limits: { maxFileSize: 100, maxTotalSize: 1000 },
          files,
        }),
        artifact: { name: 'art', url: 'https://x/artifacts/1' },
        results: [
          {
            envelope: env('smoke-suite', 'success', { suites }),
            entry: { path: 'results/smoke-suite.json' },
            // In the order the files were archived; the report follows the result's order of suites.
            logs: [
              { suite: 'console', attempt: 1, entry: { path: 'logs/smoke/console/attempt-1.log' } },
              { suite: 'policy', attempt: 2, entry: { path: 'logs/smoke/policy/attempt-2.log' } },
              { suite: 'policy', attempt: 1, entry: { path: 'logs/smoke/policy/attempt-1.log' } },
            ],
          },
        ],
      }),
    );
    expect(md).toContain(
      'Logs: `policy` [attempt 1](2026-11-25/evidence/logs/smoke/policy/attempt-1.log), ' +
        '[attempt 2](https://x/artifacts/1) (artifact only) · ' +
        '`console` [attempt 1](2026-11-25/evidence/logs/smoke/console/attempt-1.log)',
    );
    // Without archived logs there is no such line.
    const bare = renderStatusReport(
      input({ results: [{ envelope: env('smoke-suite', 'success', { suites }) }] }),
    );
    expect(bare).not.toContain('Logs:');
  });
});

describe('renderEvidenceIndex', () => {
  it('embeds committed charts and screenshots, lists every file with its hash and says how to check them', () => {
    const files = [
      entry('metrics/m.svg', 'repository', 'chart'),
      entry('dashboards/d.png', 'repository', 'screenshot'),
      entry('logs/smoke/policy/attempt-1.log', 'artifact', 'file'),
    ];
    const manifest = buildManifest({
      date: '2026-11-25',
      createdAt: '2026-11-25T18:00:00Z',
      run: RUN,
      limits: { maxFileSize: 1024, maxTotalSize: 4096 },
      files,
    });
    const md = renderEvidenceIndex({
      manifest,
      statusReportLink: '../../2026-11-25.md',
      titles: { 'metrics/m.svg': 'API latency', 'dashboards/d.png': 'ops' },
      artifact: { name: 'art', url: 'https://x/artifacts/1' },
    });
    expect(md).toContain('![API latency](metrics/m.svg)');
    expect(md).toContain('![ops](dashboards/d.png)');
    expect(md).toContain('| logs/smoke/policy/attempt-1.log (artifact only) | 10 B | `aaaaaaaaaaaaaaaa…` |');
    expect(md).toContain(
      '1 (10 B) exceed the size limits (1.0 KiB per file, 4.0 KiB in all) and are only in the workflow artifact [`art`](https://x/artifacts/1)',
    );
    expect(md).toContain(
      'jq -r \'.files[] | select(.stored == "repository") | "\\(.sha256)  \\(.path)"\' manifest.json | sha256sum -c -',
    );
    expect(manifest.totals).toEqual({
      files: 3,
      bytes: 30,
      repositoryFiles: 2,
      repositoryBytes: 20,
      artifactOnlyFiles: 1,
      artifactOnlyBytes: 10,
      notKeptFiles: 0,
      notKeptBytes: 0,
    });
  });
});

describe('a day that checked several Kafka clusters', () => {
  const kafka = (cluster: string, topic: string, status: string) =>
    env('kafka-topic-check', 'success', {
      cluster,
      healthy: true,
      topics: [{ name: topic, status, findings: [], traceIds: [], ratePerMinute: 60 }],
      groups: [],
    });

  it('shows each cluster apart, and a cluster that left no result as missing and failed', () => {
    const md = renderStatusReport(
      input({
        results: [{ envelope: kafka('main', 'policy.decisions', 'ok') }],
        expectedSteps: { 'kafka-topic-check': 'failure' },
        expectedClusters: { 'kafka-topic-check': ['main', 'legacy'] },
      }),
    );
    expect(md).toContain('## Kafka topic health: cluster main');
    expect(md).toMatch(/\| kafka-topic-check \| ✅ success \| cluster main: 1 topic\(s\): 1 healthy/);
    expect(md).toContain(
      '| kafka-topic-check | ❌ failure | cluster legacy: no result file: the step failed before writing one (see its job log) |',
    );
    expect(md).toContain('❌ **1 of 2 step(s) failed');
  });

  it('with every cluster reporting, nothing is missing', () => {
    const md = renderStatusReport(
      input({
        results: [
          { envelope: kafka('main', 'policy.decisions', 'ok') },
          { envelope: kafka('legacy', 'legacy.events', 'ok') },
        ],
        expectedSteps: { 'kafka-topic-check': 'success' },
        expectedClusters: { 'kafka-topic-check': ['main', 'legacy'] },
      }),
    );
    expect(md).toContain('## Kafka topic health: cluster legacy');
    expect(md).not.toContain('no result');
    expect(md).toContain('✅ **All 2 step(s) succeeded');
  });
});
