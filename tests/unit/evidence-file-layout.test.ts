import { describe, expect, it } from 'vitest';
import {
  describeCollected,
  layOutFiles,
  smokeFilesOf,
  type LayoutFile,
  type SmokeFiles,
} from '../../src/lib/evidence/file-layout.js';
import type { CollectedFile } from '../../src/lib/evidence/collect.js';
import type { HandoffRecord } from '../../src/lib/evidence/step-results.js';

/** A smoke-suite result as the action writes it (the fields the layout reads, and some it does not). */
const smokeResult = {
  headline: '1 of 2 required suite(s) failed',
  reportDir: 'smoke-reports',
  suites: [
    {
      name: 'policy',
      squad: 'Governance Core',
      attempts: [
        {
          attempt: 1,
          log: 'smoke-reports/policy/attempt-1.log',
          reports: [{ file: 'examples/staging/reports/policy.xml', counts: { tests: 2 } }],
        },
        {
          attempt: 2,
          log: 'smoke-reports/policy/attempt-2.log',
          reports: [{ file: 'examples/staging/reports/policy.xml', counts: { tests: 2 } }],
        },
      ],
    },
    {
      name: 'admin-console',
      attempts: [
        {
          attempt: 1,
          log: 'smoke-reports/admin-console/attempt-1.log',
          reports: [
            { file: 'examples/staging/packages/admin-console/reports/unit.xml' },
            { file: 'examples/staging/packages/admin-console/reports/e2e.xml' },
          ],
        },
      ],
    },
  ],
};

/** A file another job handed over from its workspace. */
const handed = (job: string, path: string): LayoutFile => ({
  source: `job ${job}:${path}`,
  job,
  workspacePath: path,
  path,
});
/** A file of this job's workspace. */
const own = (path: string): LayoutFile => ({ source: `workspace:${path}`, workspacePath: path, path });

/** Every path unique without case, inside the folder, and never a file where another has a folder. */
function expectSound(paths: string[]): void {
  const lower = paths.map((p) => p.toLowerCase());
  expect(new Set(lower).size).toBe(paths.length);
  for (const p of paths) {
    expect(p.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && s.toLowerCase() !== '.git')).toBe(
      true,
    );
    expect(lower.some((q) => q.startsWith(`${p.toLowerCase()}/`))).toBe(false);
  }
}

describe('the evidence folder layout', () => {
  const smoke = [smokeFilesOf(smokeResult, 'smoke')];

  it('what the smoke job handed over: logs by suite and attempt, JUnit by suite, the report folder under reports/', () => {
    const files = [
      handed('smoke', 'smoke-reports/policy/attempt-1.log'),
      handed('smoke', 'smoke-reports/policy/attempt-2.log'),
      handed('smoke', 'smoke-reports/admin-console/attempt-1.log'),
      handed('smoke', 'smoke-reports/summary.md'),
      handed('smoke', 'smoke-reports/admin-console/coverage/index.html'),
      handed('smoke', 'examples/staging/reports/policy.xml'),
      handed('smoke', 'examples/staging/packages/admin-console/reports/unit.xml'),
      handed('smoke', 'examples/staging/packages/admin-console/reports/e2e.xml'),
    ];
    const placed = layOutFiles(files, smoke, ['results/smoke-suite.json']);
    expect(placed.map((p) => p.path)).toEqual([
      'logs/smoke/policy/attempt-1.log',
      'logs/smoke/policy/attempt-2.log',
      'logs/smoke/admin-console/attempt-1.log',
      'reports/smoke/summary.md',
      'reports/smoke/admin-console/coverage/index.html',
      'junit/policy.xml',
      'junit/admin-console/unit.xml',
      'junit/admin-console/e2e.xml',
    ]);
    // The report links each suite's logs: the placement says whose log it is.
    expect(placed.slice(0, 3).map((p) => p.log)).toEqual([
      { result: 0, suite: 'policy', attempt: 1 },
      { result: 0, suite: 'policy', attempt: 2 },
      { result: 0, suite: 'admin-console', attempt: 1 },
    ]);
    expect(placed[3]!.log).toBeUndefined();
  });

  it('the same smoke files in one job (no hand-off) are placed the same way', () => {
    const placed = layOutFiles(
      [own('smoke-reports/policy/attempt-1.log'), own('smoke-reports/summary.md')],
      [smokeFilesOf(smokeResult)],
      [],
    );
    expect(placed.map((p) => p.path)).toEqual([
      'logs/smoke/policy/attempt-1.log',
      'reports/smoke/summary.md',
    ]);
  });

  it('anything else keeps a short path: the job and its workspace path, or its path below the glob', () => {
    const placed = layOutFiles(
      [
        handed('kafka', 'smoke-reports/policy/attempt-1.log'), // not the smoke job's: not its log
        handed('deploy', 'notes/deploy.txt'),
        {
          source: 'job deploy:helm-deploy-diagnostics-staging.json',
          job: 'deploy',
          path: 'helm-deploy-diagnostics-staging.json',
        },
        own('out/report.txt'),
        { source: 'runner-temp:command-center/notes.json', path: 'notes.json' },
      ],
      smoke,
      [],
    );
    expect(placed.map((p) => p.path)).toEqual([
      'files/kafka/smoke-reports/policy/attempt-1.log',
      'files/deploy/notes/deploy.txt',
      'files/deploy/helm-deploy-diagnostics-staging.json',
      'files/out/report.txt',
      'files/notes.json',
    ]);
  });

  it('two files never share a path: a counter on the clashing name, by (path, source), whatever the order', () => {
    const files = [
      { source: 'runner-temp:b/notes.json', path: 'notes.json' },
      { source: 'runner-temp:a/notes.json', path: 'notes.json' },
      { source: 'runner-temp:a/NOTES.json', path: 'NOTES.json' }, // one file on a case-folding checkout
      own('files-and-folders'),
      { source: 'runner-temp:x/files-and-folders/inner.txt', path: 'files-and-folders/inner.txt' },
      { source: 'runner-temp:smoke-suite.json', path: '../results/smoke-suite.json' },
    ];
    const expected = [
      'files/notes-3.json', // sorted: NOTES.json < notes.json; then a/ < b/ by source
      'files/notes-2.json',
      'files/NOTES.json',
      'files/files-and-folders',
      'files/files-and-folders-2/inner.txt', // the folder would sit where a file is
      'files/%2E%2E/results/smoke-suite.json',
    ];
    const placed = layOutFiles(files, [], ['results/smoke-suite.json']).map((p) => p.path);
    expect(placed).toEqual(expected);
    expectSound(placed);
    const reversed = layOutFiles([...files].reverse(), [], ['results/smoke-suite.json']).map((p) => p.path);
    expect(reversed).toEqual([...expected].reverse());
  });

  it('a reserved path is never given to a file', () => {
    const placed = layOutFiles(
      [{ source: 'workspace:x', path: 'x', job: 'smoke', workspacePath: 'junit.xml' }],
      [],
      ['files/smoke/junit.xml', 'README.md', 'manifest.json'],
    );
    expect(placed[0]!.path).toBe('files/smoke/junit-2.xml');
  });

  it('never leaves the folder, never writes into .git', () => {
    const placed = layOutFiles(
      [
        handed('smoke', '../../../etc/passwd'),
        handed('smoke', 'a/./b//.git/config'),
        handed('../..', 'x.txt'),
        { source: 'runner-temp:y', path: '/abs/y' },
      ],
      [],
      [],
    ).map((p) => p.path);
    expect(placed).toEqual([
      'files/smoke/%2E%2E/%2E%2E/%2E%2E/etc/passwd',
      'files/smoke/a/b/%2Egit/config',
      'files/unnamed/x.txt',
      'files/abs/y',
    ]);
    expectSound(placed);
  });

  it('a suite folder is unique across suites and results; paths a result names outside the workspace match nothing', () => {
    const two: SmokeFiles[] = [
      smokeFilesOf({
        reportDir: '/tmp/reports',
        suites: [
          { name: 'a b', attempts: [{ attempt: 1, log: 'r/a b/attempt-1.log' }] },
          { name: 'a-b', attempts: [{ attempt: 1, log: 'r/a-b/attempt-1.log' }] },
          { name: 'abs', attempts: [{ attempt: 1, log: '/work/ws/abs/attempt-1.log' }] },
        ],
      }),
      smokeFilesOf(
        { suites: [{ name: 'A B', attempts: [{ attempt: 1, log: 'q/attempt-1.log' }] }] },
        'smoke-2',
      ),
    ];
    const placed = layOutFiles(
      [
        own('r/a b/attempt-1.log'),
        own('r/a-b/attempt-1.log'),
        own('work/ws/abs/attempt-1.log'),
        handed('smoke-2', 'q/attempt-1.log'),
        own('tmp/reports/summary.md'),
      ],
      two,
      [],
    ).map((p) => p.path);
    expect(placed).toEqual([
      'logs/smoke/a-b/attempt-1.log',
      'logs/smoke/a-b-2/attempt-1.log',
      'files/work/ws/abs/attempt-1.log',
      'logs/smoke/A-B-3/attempt-1.log',
      'files/tmp/reports/summary.md',
    ]);
  });

  it('reads any result shape without failing', () => {
    expect(smokeFilesOf(undefined)).toEqual({ suites: [] });
    expect(smokeFilesOf({ reportDir: 3, suites: [null, { attempts: [{ log: 5 }, 'x'] }] })).toEqual({
      suites: [
        { name: 'unnamed', logs: [], reports: [] },
        { name: 'unnamed', logs: [], reports: [] },
      ],
    });
    expect(smokeFilesOf({ reportDir: '.', suites: [] }, 'smoke')).toEqual({
      job: 'smoke',
      reportDir: '.',
      suites: [],
    });
  });

  it('many files from many places: every path sound', () => {
    const names = ['a', 'A', 'a.txt', 'A.TXT', 'a/b', 'a/b/c', 'a.txt/x', '.git/x', '..', 'b/../c'];
    const files: LayoutFile[] = [];
    for (const job of [undefined, 'smoke', 'Smoke', 'deploy'])
      for (const n of names)
        files.push(job ? handed(job, n) : { source: `runner-temp:${n}`, path: n }, own(n));
    const placed = layOutFiles(files, smoke, ['results/a.json']).map((p) => p.path);
    expect(placed).toHaveLength(files.length);
    expectSound(placed);
  });
});

describe('from where a file lay on the runner to its evidence path', () => {
  // act's folders for one job: the checkout and RUNNER_TEMP.
  const RT = '/root/.cache/act/4f1c2a9be07d3e51/tmp';
  const WS = '/root/.cache/act/4f1c2a9be07d3e51/hostexecutor';
  const inTemp = (rel: string, base: string): CollectedFile => ({
    abs: `${RT}/${rel}`,
    root: 'runner-temp',
    rel,
    base,
    size: 1,
  });
  const inWorkspace = (rel: string): CollectedFile => ({
    abs: `${WS}/${rel}`,
    root: 'workspace',
    rel,
    base: '',
    size: 1,
  });
  // What collect records for the smoke job's hand-off (and a deploy result the smoke job handed over).
  const record: HandoffRecord = {
    results: {
      [`${RT}/command-center/smoke-suite-1.json`]: { job: 'smoke' },
      [`${RT}/command-center/smoke-helm-deploy-1.json`]: { job: 'smoke', name: 'helm-deploy-1.json' },
    },
    files: Object.fromEntries(
      ['smoke-reports/policy/attempt-1.log', 'smoke-reports/summary.md', 'smoke-reports/50%.log'].map(
        (path) => [
          `${RT}/command-center-files/smoke/${path}`,
          { job: 'smoke', artifact: 'command-center-handoff-smoke-1', path },
        ],
      ),
    ),
  };
  const collected = [
    inTemp('command-center-files/smoke/smoke-reports/policy/attempt-1.log', 'command-center-files'),
    inTemp('command-center-files/smoke/smoke-reports/summary.md', 'command-center-files'),
    inTemp('command-center-files/smoke/smoke-reports/50%.log', 'command-center-files'),
    inTemp('command-center-files/deploy/out/x.txt', 'command-center-files'), // not in the record
    inTemp('command-center/smoke-helm-deploy-1.json', 'command-center'),
    inTemp('command-center/notes.json', 'command-center'),
    inWorkspace('smoke-reports/local.log'),
  ];

  it('names each by what it is, and its source by the job and path it came from', () => {
    const described = collected.map((f) => describeCollected(f, record));
    expect(described.map((d) => d.source)).toEqual([
      'job smoke:smoke-reports/policy/attempt-1.log',
      'job smoke:smoke-reports/summary.md',
      'job smoke:smoke-reports/50%25.log',
      'runner-temp:command-center-files/deploy/out/x.txt',
      'runner-temp:command-center/smoke-helm-deploy-1.json',
      'runner-temp:command-center/notes.json',
      'workspace:smoke-reports/local.log',
    ]);
    const placed = layOutFiles(
      described.map((d) => d.layout),
      [smokeFilesOf(smokeResult, 'smoke')],
      ['results/smoke-suite.json'],
    ).map((p) => p.path);
    expect(placed).toEqual([
      'logs/smoke/policy/attempt-1.log',
      'reports/smoke/summary.md',
      'reports/smoke/50%25.log',
      'files/deploy/out/x.txt',
      'files/smoke/helm-deploy-1.json',
      'files/notes.json',
      'reports/smoke/local.log',
    ]);
    expect(placed.filter((p) => /runner-temp|command-center|cache|hostexecutor/.test(p))).toEqual([]);
  });

  it('without a record, a file is still named by its path below the folder its glob named', () => {
    const placed = layOutFiles(
      collected.map((f) => describeCollected(f, undefined).layout),
      [smokeFilesOf(smokeResult, 'smoke')],
      [],
    ).map((p) => p.path);
    expect(placed.slice(0, 3)).toEqual([
      'files/smoke/smoke-reports/policy/attempt-1.log',
      'files/smoke/smoke-reports/summary.md',
      'files/smoke/smoke-reports/50%25.log',
    ]);
  });
});
