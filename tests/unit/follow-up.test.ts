// Follow-up issues for a failed Integration Day, decided on plain data shaped like the steps' results.
import { describe, expect, it } from 'vitest';
import { buildManifest } from '../../src/lib/evidence/manifest.js';
import { dayItems, type DayItem } from '../../src/lib/evidence/items.js';
import { renderStatusReport, type ReportResult } from '../../src/lib/evidence/report.js';
import type { AnyEnvelope } from '../../src/lib/evidence/results.js';
import { forgeFileUrl } from '../../src/lib/forge/index.js';
import { parseInputs } from '../../src/lib/inputs/spec.js';
import {
  decideFollowUps,
  parseMarker,
  renderMarker,
  type FollowUpAction,
  type FollowUpLinks,
  type KnownIssue,
} from '../../src/actions/evidence-archive/follow-up.js';
import { planArchive } from '../../src/actions/evidence-archive/inputs.js';
import { metadata } from '../../src/actions/evidence-archive/metadata.js';

const INCIDENT_RUNBOOKS = ['docs/runbooks/kill-switch.md', 'docs/runbooks/disaster-recovery.md'];

function result(action: string, status: string, r: unknown, overruled = false): ReportResult {
  return {
    envelope: {
      action,
      schemaVersion: 1,
      status,
      startedAt: '2026-11-25T17:00:00Z',
      finishedAt: '2026-11-25T17:02:00Z',
      run: {},
      result: r,
    } as AnyEnvelope,
    ...(overruled ? { overruled: true, note: 'its job failed' } : {}),
  };
}

const SMOKE = result('smoke-suite', 'failure', {
  suites: [
    {
      name: 'policy',
      squad: 'Governance Core',
      owner: '@gov-core',
      runbook: 'docs/runbooks/integration-day.md#a-smoke-suite-failed',
      required: true,
      status: 'failed',
      reason: '1 test failed of 12',
      counts: { tests: 12, passed: 11, failed: 1 },
      failures: [
        {
          id: 'tests/test_policy.py::test_deny_header',
          message: "assert 'allow' == 'deny'",
          location: { file: 'tests/test_policy.py', line: 42 },
        },
      ],
    },
    {
      name: 'console',
      squad: 'Experience & Ecosystem',
      status: 'passed',
      counts: { tests: 3, passed: 3 },
      failures: [],
    },
  ],
});

const KAFKA = (failOn: 'error' | 'warning') =>
  result('kafka-topic-check', 'failure', {
    healthy: false,
    failOn,
    topics: [
      {
        name: 'policy.decisions',
        status: 'error',
        owner: 'Governance Core',
        runbook: 'docs/runbooks/integration-day.md#a-kafka-topic-is-quiet-or-stale',
        findings: [{ level: 'error', message: 'no record for 10m' }],
        traceIds: ['4bf92f3577b34da6a3ce929d0e0e4736'],
      },
      {
        name: 'training.audit',
        status: 'warning',
        owner: 'Runtime & Training',
        findings: [{ level: 'warning', message: 'one partition is quiet' }],
        traceIds: [],
      },
    ],
    groups: [
      { name: 'policy-engine', status: 'STALLED', level: 'error', owner: 'Governance Core', findings: [] },
    ],
  });

const LINKS: FollowUpLinks = {
  run: 'https://forge.example/acme/platform/actions/runs/7',
  report: 'https://forge.example/acme/platform/src/branch/main/docs/sprints/status/2026-11-25.md',
  evidence:
    'https://forge.example/acme/platform/src/branch/main/docs/sprints/status/2026-11-25/evidence/README.md',
  runbook: (r) => `https://forge.example/acme/platform/src/branch/main/${r}`,
  trace: (id) => `https://tempo.example/trace/${id}`,
};

const byKey = (items: DayItem[], key: string) => items.find((i) => i.key === key)!;

describe("the day's items, from the steps' results", () => {
  it('one item per suite, topic, consumer group and deploy, failed or passed, with squads and owners', () => {
    const deploy = result('helm-deploy', 'failure', {
      release: 'core',
      namespace: 'staging',
      status: 'failed',
      failure: 'deployment/core-api did not become ready: CrashLoopBackOff',
    });
    const items = dayItems([deploy, SMOKE, KAFKA('error')], INCIDENT_RUNBOOKS);
    expect(items.map((i) => [i.key, i.failed])).toEqual([
      ['deploy:staging/core', true],
      ['suite:policy', true],
      ['suite:console', false],
      ['incident:kafka-unreachable', false],
      ['topic:policy.decisions', true],
      ['topic:training.audit', false],
      ['group:policy-engine', true],
    ]);
    const policy = byKey(items, 'suite:policy');
    expect(policy.squads).toEqual(['Governance Core']);
    expect(policy.owners).toEqual(['Governance Core', '@gov-core']);
    expect(policy.failure).toEqual([
      'failed: 1 test failed of 12',
      "`tests/test_policy.py::test_deny_header`: assert 'allow' == 'deny' (`tests/test_policy.py:42`)",
    ]);
    expect(byKey(items, 'topic:policy.decisions').traceIds).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736']);
    // A failed deploy leaves every squad without staging.
    expect(byKey(items, 'deploy:staging/core').squads).toEqual([
      'Experience & Ecosystem',
      'Governance Core',
      'Runtime & Training',
    ]);
    expect(byKey(items, 'deploy:staging/core').failure).toContain(
      'deployment/core-api did not become ready: CrashLoopBackOff',
    );
  });

  it('a topic warning is a failure only when the check failed on warnings', () => {
    expect(byKey(dayItems([KAFKA('warning')], []), 'topic:training.audit').failed).toBe(true);
  });

  it('unreachable brokers are one incident, and no topic is said to have failed or passed', () => {
    const outage = result('kafka-topic-check', 'failure', {
      healthy: false,
      outage: { brokers: ['10.0.0.1:9092'], message: 'cannot reach Kafka at 10.0.0.1:9092: ECONNREFUSED' },
      topics: [],
      groups: [],
    });
    const items = dayItems([outage], INCIDENT_RUNBOOKS);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      key: 'incident:kafka-unreachable',
      kind: 'incident',
      failed: true,
      runbooks: INCIDENT_RUNBOOKS,
    });
    expect(items[0]!.failure[0]).toContain('cannot reach Kafka at 10.0.0.1:9092: ECONNREFUSED');
  });

  it('with several Kafka clusters, the same topic failing on two clusters is two items, each named with its cluster', () => {
    const on = (cluster: string) =>
      result('kafka-topic-check', 'failure', {
        ...(KAFKA('error').envelope.result as object),
        cluster,
      });
    const outage = result('kafka-topic-check', 'failure', {
      cluster: 'legacy',
      outage: { brokers: ['k:9092'], message: 'down' },
      topics: [],
      groups: [],
    });
    const items = dayItems([on('main'), on('eu-west'), outage], []);
    expect(items.filter((i) => i.failed).map((i) => [i.key, i.cluster])).toEqual([
      ['topic:policy.decisions@main', 'main'],
      ['group:policy-engine@main', 'main'],
      ['topic:policy.decisions@eu-west', 'eu-west'],
      ['group:policy-engine@eu-west', 'eu-west'],
      ['incident:kafka-unreachable@legacy', 'legacy'],
    ]);
    const opened = decide('2026-11-25', items, []).filter((a) => a.kind === 'open');
    expect(opened.map((a) => (a as Extract<FollowUpAction, { kind: 'open' }>).title)).toEqual([
      'Integration Day: topic policy.decisions on cluster main failed',
      'Integration Day: consumer group policy-engine on cluster main failed',
      'Integration Day: topic policy.decisions on cluster eu-west failed',
      'Integration Day: consumer group policy-engine on cluster eu-west failed',
      'Incident: Kafka unreachable on cluster legacy during Integration Day',
    ]);
    // The next day, eu-west passes: only its issue closes; main's goes on.
    const issues: KnownIssue[] = opened.map((a, i) => ({
      number: 20 + i,
      state: 'open',
      url: `https://f.example/a/b/issues/${20 + i}`,
      body: (a as Extract<FollowUpAction, { kind: 'open' }>).body,
    }));
    const passed = result('kafka-topic-check', 'success', {
      cluster: 'eu-west',
      healthy: true,
      topics: [{ name: 'policy.decisions', status: 'ok', findings: [], traceIds: [] }],
      groups: [{ name: 'policy-engine', status: 'OK', level: 'ok', findings: [] }],
    });
    const next = decide('2026-12-02', dayItems([on('main'), passed], []), issues);
    expect(next.map((a) => [a.kind, 'issue' in a ? a.issue.number : undefined])).toEqual([
      ['repeat', 20],
      ['repeat', 21],
      ['close', 22],
      ['close', 23],
    ]);
  });

  it('a result its job overruled does not count its passing items as passed', () => {
    const items = dayItems([{ ...SMOKE, overruled: true }], []);
    expect(items.map((i) => i.key)).toEqual(['suite:policy']);
  });
});

describe('the hidden marker', () => {
  it('round-trips any item name, and nothing in a name can end the comment early', () => {
    const m = { item: 'suite:a --> b <!-- c', days: ['2026-11-18', '2026-11-25'], passed: '2026-12-02' };
    const text = renderMarker(m);
    expect(text.match(/-->/g)).toHaveLength(1);
    expect(parseMarker(`Some words\n${text}\nmore`)).toEqual(m);
    expect(parseMarker('an issue a person wrote')).toBeUndefined();
  });
});

function issue(
  number: number,
  state: 'open' | 'closed',
  marker: Parameters<typeof renderMarker>[0],
): KnownIssue {
  return {
    number,
    state,
    url: `https://forge.example/acme/platform/issues/${number}`,
    body: `${renderMarker(marker)}\n\ntext`,
  };
}

function decide(date: string, items: DayItem[], issues: KnownIssue[]): FollowUpAction[] {
  return decideFollowUps({
    date,
    items,
    issues,
    links: LINKS,
    assignees: { 'Governance Core': ['ada'], '@gov-core': ['grace', 'ada'], 'Runtime & Training': ['linus'] },
  });
}

describe('deciding the follow-up issues', () => {
  const items = dayItems([SMOKE, KAFKA('error')], INCIDENT_RUNBOOKS);
  const policy = byKey(items, 'suite:policy');

  it('opens one issue per failed item, labelled by squad, assigned to the owners, with everything a person needs', () => {
    const actions = decide('2026-11-25', items, []);
    expect(actions.map((a) => [a.kind, a.item.key])).toEqual([
      ['open', 'suite:policy'],
      ['open', 'topic:policy.decisions'],
      ['open', 'group:policy-engine'],
    ]);
    const open = actions[0] as Extract<FollowUpAction, { kind: 'open' }>;
    expect(open.labels).toEqual(['integration-day', 'Governance Core']);
    expect(open.assignees).toEqual(['ada', 'grace']);
    expect(open.title).toBe('Integration Day: suite policy failed');
    expect(parseMarker(open.body)).toEqual({ item: 'suite:policy', days: ['2026-11-25'] });
    expect(open.body).toContain("assert 'allow' == 'deny'");
    expect(open.body).toContain(
      '(https://forge.example/acme/platform/src/branch/main/docs/runbooks/integration-day.md#a-smoke-suite-failed)',
    );
    expect(open.body).toContain(`[status report](${LINKS.report})`);
    expect(open.body).toContain(`[evidence](${LINKS.evidence})`);
    expect(open.body).toContain(`[run](${LINKS.run})`);
    const topic = actions[1] as Extract<FollowUpAction, { kind: 'open' }>;
    expect(topic.body).toContain(
      '[`4bf92f3577b34da6a3ce929d0e0e4736`](https://tempo.example/trace/4bf92f3577b34da6a3ce929d0e0e4736)',
    );
  });

  it('an item of more than one squad is labelled cross-squad; the Kafka incident is labelled incident', () => {
    const deploy = dayItems(
      [result('helm-deploy', 'failure', { release: 'core', failure: 'timed out' }), SMOKE, KAFKA('error')],
      [],
    )[0]!;
    const [open] = decide('2026-11-25', [deploy], []) as Extract<FollowUpAction, { kind: 'open' }>[];
    expect(open!.labels).toEqual([
      'integration-day',
      'Experience & Ecosystem',
      'Governance Core',
      'Runtime & Training',
      'cross-squad',
    ]);
    expect(open!.assignees).toEqual(['ada', 'linus']);
    const outage = dayItems(
      [result('kafka-topic-check', 'failure', { outage: { brokers: ['k:9092'], message: 'down' } })],
      INCIDENT_RUNBOOKS,
    );
    const [incident] = decide('2026-11-25', outage, []) as Extract<FollowUpAction, { kind: 'open' }>[];
    expect(incident!.labels).toEqual(['incident', 'integration-day']);
    expect(incident!.title).toBe('Incident: Kafka unreachable during Integration Day');
    expect(incident!.body).toContain('docs/runbooks/kill-switch.md)');
    expect(incident!.body).toContain('docs/runbooks/disaster-recovery.md)');
  });

  it('a repeat failure on a later day is one comment with the streak, counted from the issue', () => {
    const known = issue(12, 'open', { item: 'suite:policy', days: ['2026-11-11', '2026-11-18'] });
    const [a] = decide('2026-11-25', [policy], [known]);
    expect(a!.kind).toBe('repeat');
    const repeat = a as Extract<FollowUpAction, { kind: 'repeat' }>;
    expect(repeat.issue.number).toBe(12);
    expect(repeat.reopen).toBe(false);
    expect(repeat.streak).toBe(3);
    expect(repeat.comment).toContain('failing 3 Integration Days in a row');
    expect(parseMarker(repeat.body)).toEqual({
      item: 'suite:policy',
      days: ['2026-11-11', '2026-11-18', '2026-11-25'],
    });
  });

  it('the same day archived again adds nothing, and an older day is never applied over a newer one', () => {
    const known = issue(12, 'open', { item: 'suite:policy', days: ['2026-11-18', '2026-11-25'] });
    expect(decide('2026-11-25', [policy], [known]).map((a) => a.kind)).toEqual(['seen']);
    expect(decide('2026-11-18', [policy], [known]).map((a) => a.kind)).toEqual(['seen']);
  });

  it('a passing item closes its open issue with a comment that links the passing day', () => {
    const passed = { ...policy, failed: false, failure: [] };
    const known = issue(12, 'open', { item: 'suite:policy', days: ['2026-11-18', '2026-11-25'] });
    const [a] = decide('2026-12-02', [passed], [known]);
    const close = a as Extract<FollowUpAction, { kind: 'close' }>;
    expect(close.kind).toBe('close');
    expect(close.comment).toContain('passed on Integration Day **2026-12-02**');
    expect(close.comment).toContain(`[status report](${LINKS.report})`);
    expect(parseMarker(close.body)).toEqual({
      item: 'suite:policy',
      days: ['2026-11-18', '2026-11-25'],
      passed: '2026-12-02',
    });
    // Passing again, or with no issue at all: nothing to do.
    expect(decide('2026-12-09', [passed], [{ ...known, state: 'closed', body: close.body }])).toEqual([]);
    expect(decide('2026-12-02', [passed], [])).toEqual([]);
  });

  it('failing again after a pass reopens the issue and the streak starts again; closed by a person, it goes on', () => {
    const afterPass = issue(12, 'closed', {
      item: 'suite:policy',
      days: ['2026-11-18'],
      passed: '2026-11-25',
    });
    const [again] = decide('2026-12-02', [policy], [afterPass]) as Extract<
      FollowUpAction,
      { kind: 'repeat' }
    >[];
    expect(again).toMatchObject({ kind: 'repeat', reopen: true, streak: 1 });
    expect(again!.comment).toContain('it had passed on 2026-11-25');
    const byPerson = issue(12, 'closed', { item: 'suite:policy', days: ['2026-11-18', '2026-11-25'] });
    const [still] = decide('2026-12-02', [policy], [byPerson]) as Extract<
      FollowUpAction,
      { kind: 'repeat' }
    >[];
    expect(still).toMatchObject({ kind: 'repeat', reopen: true, streak: 3 });
  });

  it('finds the issue by its marker, never by its title; the open one wins over a closed copy', () => {
    const renamed = { ...issue(30, 'open', { item: 'suite:policy', days: ['2026-11-18'] }) };
    const old = issue(40, 'closed', { item: 'suite:policy', days: ['2026-11-04'], passed: '2026-11-11' });
    const noMarker: KnownIssue = {
      number: 50,
      state: 'open',
      url: 'u',
      body: 'Integration Day: suite policy failed',
    };
    const [a] = decide('2026-11-25', [policy], [old, noMarker, renamed]);
    expect(a).toMatchObject({ kind: 'repeat', issue: { number: 30 }, streak: 2 });
  });
});

describe('the status report links each issue next to its failed item', () => {
  it('an issue column in "What failed" and a section listing every issue the day touched', () => {
    const report = renderStatusReport({
      date: '2026-11-25',
      timeZone: 'UTC',
      generatedAt: new Date('2026-11-25T18:00:00Z'),
      run: {},
      statusFileRel: 'docs/sprints/status/2026-11-25.md',
      evidenceDirRel: 'docs/sprints/status/2026-11-25/evidence',
      results: [SMOKE, KAFKA('error')],
      unreadable: [],
      metrics: [],
      dashboards: [],
      captureProblems: [],
      manifest: buildManifest({
        date: '2026-11-25',
        createdAt: '2026-11-25T18:00:00Z',
        run: {},
        limits: { maxFileSize: 100, maxTotalSize: 1000 },
        files: [],
      }),
      followUps: [
        {
          item: 'suite:policy',
          failed: true,
          number: 12,
          url: 'https://f.example/a/b/issues/12',
          action: 'commented',
          streak: 3,
        },
        {
          item: 'topic:policy.decisions',
          failed: true,
          number: 13,
          url: 'https://f.example/a/b/issues/13',
          action: 'opened',
          streak: 1,
        },
        {
          item: 'suite:console',
          failed: false,
          number: 9,
          url: 'https://f.example/a/b/issues/9',
          action: 'closed',
        },
      ],
    });
    const row = (what: string) => report.split('\n').find((l) => l.startsWith(`| ${what} `))!;
    expect(row('policy: tests/test_policy.py::test_deny_header')).toMatch(
      /\| \[#12\]\(https:\/\/f\.example\/a\/b\/issues\/12\) \|$/,
    );
    expect(row('topic policy.decisions (error)')).toMatch(
      /\| \[#13\]\(https:\/\/f\.example\/a\/b\/issues\/13\) \|$/,
    );
    // A failure without an issue has an empty cell.
    expect(row('consumer group policy-engine (STALLED)')).toMatch(/\|  \|$/);
    expect(report).toContain('## Follow-up issues');
    expect(report).toContain(
      '- [#12](https://f.example/a/b/issues/12) `suite:policy`: commented, failing 3 Integration Day(s) in a row',
    );
    expect(report).toContain(
      '- [#9](https://f.example/a/b/issues/9) `suite:console`: closed: it passed today',
    );
  });
});

describe('links to files on the forge', () => {
  it('GitHub and GHES show a file under /blob/, Gitea and Forgejo under /src/branch/', () => {
    const o = { serverUrl: 'https://github.com/', repository: 'acme/platform', branch: 'main' };
    expect(forgeFileUrl({ ...o, kind: 'github', path: 'docs/runbooks/kill-switch.md' })).toBe(
      'https://github.com/acme/platform/blob/main/docs/runbooks/kill-switch.md',
    );
    expect(
      forgeFileUrl({
        ...o,
        serverUrl: 'http://127.0.0.1:13000',
        kind: 'gitea',
        branch: 'release/1',
        path: './docs/runbooks/integration-day.md#a-smoke-suite-failed',
      }),
    ).toBe(
      'http://127.0.0.1:13000/acme/platform/src/branch/release/1/docs/runbooks/integration-day.md#a-smoke-suite-failed',
    );
  });
});

describe('the follow-up inputs', () => {
  const plan = (raw: Record<string, string>, env: NodeJS.ProcessEnv = { GITHUB_REF: 'refs/heads/main' }) =>
    planArchive(
      parseInputs(metadata.inputs, (n) => raw[n], { workspace: '/ws' }),
      '/ws',
      { RUNNER_TEMP: '/rt', ...env },
      new Date('2026-11-25T18:00:00Z'),
    );

  it('off by default: existing users see no change', () => {
    expect(plan({}).followUp).toBeUndefined();
  });

  it('assignees map owners and squads to usernames (one or a list, `@` optional)', () => {
    const p = plan(
      {
        'follow-up-issues': 'true',
        token: 't0ken',
        assignees: 'Governance Core: [ada, "@grace"]\n"@rt": linus',
        'trace-url': 'https://tempo.example/trace/{trace_id}',
      },
      { GITHUB_REF: 'refs/heads/main', GITHUB_SERVER_URL: 'https://ghe.example' },
    );
    expect(p.followUp).toEqual({
      assignees: { 'Governance Core': ['ada', 'grace'], '@rt': ['linus'] },
      traceUrl: 'https://tempo.example/trace/{trace_id}',
      incidentRunbooks: INCIDENT_RUNBOOKS,
      serverUrl: 'https://ghe.example',
      branch: 'main',
    });
  });

  it('refuses a bad username, a trace URL without {trace_id}, a runbook outside the repository', () => {
    const on = { 'follow-up-issues': 'true', token: 't' };
    expect(() => plan({ ...on, assignees: 'Governance Core: "ada lovelace"' })).toThrow(
      /input 'assignees' is invalid: .*at \/Governance%20Core \(value "ada lovelace"\) must match the pattern/,
    );
    expect(() => plan({ ...on, 'trace-url': 'https://tempo.example/trace/' })).toThrow(
      /input 'trace-url' has value "https:\/\/tempo.example\/trace\/": expected an http\(s\) URL with \{trace_id\}/,
    );
    expect(() => plan({ ...on, 'incident-runbooks': '../elsewhere.md' })).toThrow(
      /input 'incident-runbooks' has value "..\/elsewhere.md": expected an http\(s\) URL or a path in the repository/,
    );
  });
});

describe('the status report of a day when Kafka was unreachable', () => {
  it('says it is an outage, not a quiet topic', () => {
    const outage = result('kafka-topic-check', 'failure', {
      healthy: false,
      outage: { brokers: ['10.0.0.1:9092'], message: 'cannot reach Kafka at 10.0.0.1:9092: ECONNREFUSED' },
      topics: [],
      groups: [],
    });
    const report = renderStatusReport({
      date: '2026-11-25',
      timeZone: 'UTC',
      generatedAt: new Date('2026-11-25T18:00:00Z'),
      run: {},
      statusFileRel: 'docs/sprints/status/2026-11-25.md',
      evidenceDirRel: 'docs/sprints/status/2026-11-25/evidence',
      results: [outage],
      unreadable: [],
      metrics: [],
      dashboards: [],
      captureProblems: [],
      manifest: buildManifest({
        date: '2026-11-25',
        createdAt: '2026-11-25T18:00:00Z',
        run: {},
        limits: { maxFileSize: 100, maxTotalSize: 1000 },
        files: [],
      }),
    });
    expect(report).toContain(
      '❌ failure: **Kafka could not be reached** (10.0.0.1:9092): cannot reach Kafka at 10.0.0.1:9092: ECONNREFUSED. No topic or consumer group was checked',
    );
    expect(report).toContain(
      '| kafka-topic-check | ❌ failure | Kafka unreachable: no topic or group was checked |',
    );
    // The failure is listed with what kafka-topic-check said, not "ended with status failure".
    expect(report).toMatch(
      /\| kafka-topic-check \| kafka-topic-check \| unowned \|  \| cannot reach Kafka at 10\.0\.0\.1:9092/,
    );
  });
});
