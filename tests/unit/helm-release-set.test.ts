import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInputs } from '../../src/lib/inputs/spec.js';
import { ConfigurationError } from '../../src/lib/errors.js';
import { metadata } from '../../src/actions/helm-deploy/metadata.js';
import { planStep } from '../../src/actions/helm-deploy/inputs.js';
import { assemble } from '../../src/actions/helm-deploy/deploy-set.js';
import type { DeployResult } from '../../src/actions/helm-deploy/model.js';
import { renderSetSummary, buildSetAnnotations } from '../../src/actions/helm-deploy/render.js';
import { findCycle, needsProblems, runByNeeds, wavesOf } from '../../src/actions/helm-deploy/waves.js';

const tick = () => new Promise<void>((r) => setImmediate(r));

/** A run whose releases end when the test says so, recording the order things happen in. */
function controlled() {
  const events: string[] = [];
  const ends = new Map<string, (ok: boolean) => void>();
  const run = (name: string) =>
    new Promise<boolean>((resolve) => {
      events.push(`start ${name}`);
      ends.set(name, (ok) => {
        events.push(`end ${name}`);
        resolve(ok);
      });
    });
  const end = async (name: string, ok = true) => {
    ends.get(name)!(ok);
    await tick();
    await tick();
  };
  return { events, run, end, started: () => [...ends.keys()] };
}

describe('release set needs', () => {
  it('finds duplicates, unknown needs, a release needing itself, and cycles', () => {
    expect(
      needsProblems([
        { name: 'a', needs: [] },
        { name: 'a', needs: [] },
      ]),
    ).toEqual(['release name "a" is used more than once']);
    expect(needsProblems([{ name: 'a', needs: ['nope'] }])[0]).toBe(
      'release "a" needs "nope", which is not a release of the set (the set has: a)',
    );
    expect(needsProblems([{ name: 'a', needs: ['a'] }])).toEqual(['release "a" needs itself']);
    expect(
      needsProblems([
        { name: 'a', needs: ['c'] },
        { name: 'b', needs: ['a'] },
        { name: 'c', needs: ['b'] },
        { name: 'd', needs: [] },
      ]),
    ).toEqual(['the needs form a cycle: a → c → b → a']);
    expect(
      findCycle([
        { name: 'a', needs: [] },
        { name: 'b', needs: ['a'] },
      ]),
    ).toBeUndefined();
  });

  it('gives each release its dependency level', () => {
    const w = wavesOf([
      { name: 'web', needs: ['api', 'db'] },
      { name: 'api', needs: ['db'] },
      { name: 'db', needs: [] },
      { name: 'cache', needs: [] },
    ]);
    expect(Object.fromEntries(w)).toEqual({ web: 3, api: 2, db: 1, cache: 1 });
  });
});

describe('runByNeeds', () => {
  it('starts independent releases together and a dependent only once its need succeeded', async () => {
    const c = controlled();
    const done = runByNeeds(
      [
        { name: 'db', needs: [] },
        { name: 'api', needs: ['db'] },
        { name: 'cache', needs: [] },
      ],
      4,
      c.run,
    );
    await tick();
    expect(c.started()).toEqual(['db', 'cache']);
    await c.end('cache');
    expect(c.started()).toEqual(['db', 'cache']);
    await c.end('db');
    expect(c.started()).toEqual(['db', 'cache', 'api']);
    await c.end('api');
    const out = await done;
    expect(out.map((s) => [s.name, s.status, s.wave])).toEqual([
      ['db', 'succeeded', 1],
      ['api', 'succeeded', 2],
      ['cache', 'succeeded', 1],
    ]);
    expect(c.events).toEqual(['start db', 'start cache', 'end cache', 'end db', 'start api', 'end api']);
  });

  it('keeps at most max-parallel running, starting the next as soon as one ends', async () => {
    const c = controlled();
    const done = runByNeeds(
      ['a', 'b', 'c', 'd'].map((name) => ({ name, needs: [] })),
      2,
      c.run,
    );
    await tick();
    expect(c.started()).toEqual(['a', 'b']);
    await c.end('b');
    expect(c.started()).toEqual(['a', 'b', 'c']);
    await c.end('a');
    expect(c.started()).toEqual(['a', 'b', 'c', 'd']);
    await c.end('c');
    await c.end('d');
    expect((await done).every((s) => s.status === 'succeeded')).toBe(true);
  });

  it('skips the dependents of a failure (transitively) and lets the rest go on', async () => {
    const c = controlled();
    const done = runByNeeds(
      [
        { name: 'db', needs: [] },
        { name: 'api', needs: ['db'] },
        { name: 'web', needs: ['api'] },
        { name: 'cache', needs: [] },
        { name: 'worker', needs: ['cache'] },
      ],
      4,
      c.run,
    );
    await tick();
    await c.end('db', false);
    await c.end('cache');
    await c.end('worker');
    const out = await done;
    expect(out.map((s) => [s.name, s.status, s.blockedBy])).toEqual([
      ['db', 'failed', undefined],
      ['api', 'skipped', ['db']],
      ['web', 'skipped', ['api']],
      ['cache', 'succeeded', undefined],
      ['worker', 'succeeded', undefined],
    ]);
    expect(c.started()).toEqual(['db', 'cache', 'worker']);
    expect(out.find((s) => s.name === 'api')!.startedAt).toBeUndefined();
  });

  it('counts a run that throws as failed', async () => {
    const out = await runByNeeds(
      [
        { name: 'a', needs: [] },
        { name: 'b', needs: ['a'] },
      ],
      1,
      async (name) => {
        if (name === 'a') throw new Error('boom');
        return true;
      },
    );
    expect(out.map((s) => s.status)).toEqual(['failed', 'skipped']);
  });

  it('refuses a set it cannot run', async () => {
    await expect(runByNeeds([{ name: 'a', needs: ['a'] }], 1, async () => true)).rejects.toThrow(
      'release "a" needs itself',
    );
    await expect(runByNeeds([{ name: 'a', needs: [] }], 0, async () => true)).rejects.toThrow(
      'maxParallel must be at least 1',
    );
  });
});

describe('the releases input', () => {
  const ws = mkdtempSync(join(tmpdir(), 'cc-rs-'));
  for (const c of ['db', 'api']) {
    mkdirSync(join(ws, 'charts', c), { recursive: true });
    writeFileSync(join(ws, 'charts', c, 'Chart.yaml'), `apiVersion: v2\nname: ${c}\nversion: 1.0.0\n`);
  }
  writeFileSync(join(ws, 'kubeconfig'), 'apiVersion: v1\nkind: Config\n');
  const parse = (values: Record<string, string>) =>
    parseInputs(metadata.inputs, (n) => ({ kubeconfig: 'kubeconfig', ...values })[n], { workspace: ws });

  it('plans each release with its own settings over the step inputs', () => {
    const inputs = parse({
      namespace: 'staging',
      timeout: '2m',
      'max-parallel': '2',
      releases: [
        '- name: db',
        '  chart: charts/db',
        '  atomic: false',
        '- name: api',
        '  chart: ./charts/api',
        '  namespace: apps',
        '  needs: [db]',
        '  set: ["replicas=2,3"]',
        '  timeout: 30s',
      ].join('\n'),
    });
    const step = planStep(inputs, ws, {});
    expect(step.kind).toBe('set');
    if (step.kind !== 'set') return;
    expect(step.set.maxParallel).toBe(2);
    const [db, api] = step.set.releases;
    expect(db!.plan.upgrade).toMatchObject({
      release: 'db',
      namespace: 'staging',
      atomic: false,
      timeoutMs: 120_000,
    });
    expect(db!.plan.chartShown).toBe('charts/db');
    expect(db!.needs).toEqual([]);
    expect(api!.plan.upgrade).toMatchObject({
      release: 'api',
      namespace: 'apps',
      atomic: true,
      timeoutMs: 30_000,
      set: ['replicas=2\\,3'],
    });
    expect(api!.needs).toEqual(['db']);
  });

  it('keeps a single release as it was when releases is empty, and asks for a release name', () => {
    const step = planStep(parse({ release: 'one', chart: 'charts/db' }), ws, {});
    expect(step.kind).toBe('single');
    expect(() => planStep(parse({ chart: 'charts/db' }), ws, {})).toThrow(
      'input \'release\' has value "": a Helm release name is required unless `releases` lists a release set',
    );
  });

  it('refuses unknown needs, cycles and duplicates, naming the input', () => {
    const bad = (releases: string) => () => parse({ releases });
    expect(bad('- {name: a, chart: charts/db, needs: [b]}')).toThrow(
      /^input 'releases' is invalid: release "a" needs "b", which is not a release of the set \(the set has: a\)/,
    );
    expect(
      bad('- {name: a, chart: charts/db, needs: [b]}\n- {name: b, chart: charts/db, needs: [a]}'),
    ).toThrow('the needs form a cycle: a → b → a');
    expect(bad('- {name: a, chart: charts/db}\n- {name: a, chart: charts/api}')).toThrow(
      'release name "a" is used more than once',
    );
    expect(bad('- {name: A, chart: charts/db}')).toThrow(ConfigurationError);
    expect(bad('- {name: a, chart: charts/db, wait-for: x}')).toThrow(/input 'releases' is invalid/);
  });

  it('refuses a release set mixed with release/chart/revision, revisions outside a rollback, and a missing chart', () => {
    const releases = '- {name: a, chart: charts/db}';
    expect(() => planStep(parse({ releases, release: 'x' }), ws, {})).toThrow(
      /input 'release' has value "x": must be empty when `releases` is given/,
    );
    expect(() => planStep(parse({ releases, mode: 'rollback', revision: '3' }), ws, {})).toThrow(
      /input 'revision' has value "3": must be empty when `releases` is given/,
    );
    expect(() => planStep(parse({ releases, revisions: '[]' }), ws, {})).toThrow(
      /input 'revisions' has value "\[\]": is only used with mode: rollback/,
    );
    expect(() => planStep(parse({ releases: '- {name: a, chart: ./charts/none}' }), ws, {})).toThrow(
      /^input 'releases': release "a" has chart "\.\/charts\/none": no such chart directory/,
    );
  });

  it('a rollback undoes what the deploy step changed, to the revisions its releases output gives', () => {
    const releases = [
      '- {name: db, chart: charts/db}',
      '- {name: api, chart: charts/api, needs: [db]}',
      '- {name: cache, chart: charts/db}',
      '- {name: jobs, chart: charts/db}',
      '- {name: web, chart: charts/api, needs: [api]}',
    ].join('\n');
    // As the deploy step's `releases` output lists them.
    const revisions = JSON.stringify([
      { name: 'db', status: 'deployed', revision: 4, 'previous-revision': 3, 'rolled-back': false },
      { name: 'api', status: 'deployed', revision: 1, 'previous-revision': null, 'rolled-back': false },
      { name: 'cache', status: 'failed', revision: 7, 'previous-revision': 6, 'rolled-back': false },
      { name: 'jobs', status: 'deployed', revision: 5, 'previous-revision': 3, 'rolled-back': true },
    ]);
    const step = planStep(parse({ releases, mode: 'rollback', revisions }), ws, {});
    if (step.kind !== 'set') throw new Error('not a set');
    expect(step.set.mode).toBe('rollback');
    const byName = Object.fromEntries(
      step.set.releases.map((r) => [r.plan.release, [r.plan.mode, r.plan.revision, r.rollback]]),
    );
    expect(byName).toEqual({
      db: ['rollback', 3, { undo: true, to: 3 }],
      // A first install has no revision to return to: the rollback uninstalls it.
      api: ['rollback', undefined, { undo: true }],
      // A failed upgrade that was not undone is returned to where it was.
      cache: ['rollback', 6, { undo: true, to: 6 }],
      jobs: [
        'rollback',
        undefined,
        { undo: false, why: 'the deploy step left it deployed (it undid its own change)' },
      ],
      web: ['rollback', undefined, { undo: false, why: 'the deploy step did not list it' }],
    });
    // Without the output: every release returns to its previous revision.
    const plain = planStep(parse({ releases, mode: 'rollback' }), ws, {});
    expect(plain.kind === 'set' && plain.set.releases.every((r) => r.rollback?.undo)).toBe(true);
  });

  it("refuses revisions that are not the deploy step's releases output, naming the input", () => {
    const releases = '- {name: a, chart: charts/db}';
    const bad = (revisions: string) => () =>
      planStep(parse({ releases, mode: 'rollback', revisions }), ws, {});
    expect(bad('deployed')).toThrow(
      /^input 'revisions' has value "deployed": expected the deploy step's `releases` output/,
    );
    expect(bad('[{"name": "a"}]')).toThrow(/each entry needs a name and a status/);
    expect(bad('[{"name": "a", "status": "deployed", "previous-revision": "2"}]')).toThrow(
      /release "a" has previous-revision "\\"2\\"": expected a revision number or null/,
    );
    expect(bad('[{"name": "b", "status": "deployed"}]')).toThrow(
      /it lists release "b", which is not in 'releases' \(a\)/,
    );
  });

  it('warns when the longest chain of needs does not fit in the step timeout', () => {
    const inputs = parse({
      timeout: '4m',
      'step-timeout': '10m',
      releases: '- {name: a, chart: charts/db}\n- {name: b, chart: charts/api, needs: [a], atomic: false}',
    });
    const step = planStep(inputs, ws, {});
    // a: 4m doubled for its rollback, then b: 4m, plus a minute: 13m > 10m.
    expect(step.kind === 'set' && step.set.budgetWarning).toMatch(/^the longest chain of needs .*13m/);
  });
});

describe('a release set result', () => {
  const base = (release: string, extra: Partial<DeployResult> = {}): DeployResult => ({
    mode: 'deploy',
    release,
    namespace: 'ns',
    chart: `charts/${release}`,
    helmVersion: 'v3.22.0',
    status: 'deployed',
    rolledBack: false,
    durationMs: 1000,
    ...extra,
  });
  const set = {
    mode: 'deploy' as const,
    maxParallel: 4,
    releases: ['db', 'api', 'cache'].map((name) => ({
      plan: { release: name, namespace: 'ns', chartShown: `charts/${name}` } as never,
      needs: name === 'api' ? ['db'] : [],
    })),
  };

  it('lists every release with its wave, and fails when one did not deploy', () => {
    const r = assemble(
      set,
      [
        { name: 'db', status: 'failed', wave: 1, startedAt: 1000, endedAt: 5000 },
        { name: 'api', status: 'skipped', wave: 2, blockedBy: ['db'] },
        { name: 'cache', status: 'succeeded', wave: 1, startedAt: 1001, endedAt: 3000 },
      ],
      new Map([
        [
          'db',
          base('db', {
            status: 'rolled-back',
            rolledBack: true,
            previousRevision: 1,
            revision: 3,
            failure: 'helm upgrade failed',
          }),
        ],
        [
          'cache',
          base('cache', {
            revision: 1,
            diff: [{ change: 'added', object: 'Deployment/cache', patch: '+kind: Deployment' }] as never,
          }),
        ],
      ]),
      'v3.22.0',
      4500,
    );
    expect(r.status).toBe('failed');
    expect(r.rolledBack).toBe(true);
    expect(r.namespace).toBe('ns');
    expect(r.waves).toEqual([
      { wave: 1, releases: ['db', 'cache'] },
      { wave: 2, releases: ['api'] },
    ]);
    expect(r.releases.map((x) => [x.release, x.status, x.wave, x.previousRevision, x.revision])).toEqual([
      ['db', 'rolled-back', 1, 1, 3],
      ['api', 'skipped', 2, undefined, undefined],
      ['cache', 'deployed', 1, undefined, 1],
    ]);
    expect(r.failure).toBe(
      '2 of 3 release(s) did not deploy: db rolled-back (helm upgrade failed); api skipped (needs db failed)',
    );
    const summary = renderSetSummary(r, { result: '/r.json' });
    expect(summary).toContain(
      '## helm-deploy: ❌ release set failed: 1 of 3 release(s) deployed in 2 wave(s)',
    );
    expect(summary).toContain('| 1 | ↩️ | db | ns | charts/db |  | rolled-back | 1 → 3 | +0ms |');
    expect(summary).toContain(
      '| 2 | ⏭️ | api | ns | charts/api | db | skipped |  |  |  | needs db, which did not deploy |',
    );
    // A release's diff (the `diff` input) is shown under it, even when it deployed.
    expect(summary).toContain('### ✅ cache: deployed');
    expect(summary).toContain('#### Changes against the deployed release (1 object(s))');
    expect(summary).toContain('<details><summary>added: Deployment/cache</summary>');
    const notes = buildSetAnnotations(r);
    expect(notes.map((a) => a.title)).toEqual([
      'helm-deploy: release db rolled-back',
      'helm-deploy: release api skipped',
    ]);
  });
});
