import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { kubectl, kubectlJson, requireHelm, requireKube, type KubeStack } from '../support/kube.js';
import type { ReleaseSetResult, SetReleaseResult } from '../../src/actions/helm-deploy/model.js';
import { needsServers } from '../support/servers.js';

needsServers('kube');

interface History {
  revision: number;
  status: string;
  description: string;
}
interface Deployment {
  spec: { template: { metadata: { labels: Record<string, string> } } };
  status: { readyReplicas?: number };
}

/** Three small charts in the workspace, each one Deployment; `fail: true` makes its pods never Ready. */
function writeCharts(ws: string): void {
  for (const name of ['db', 'api', 'cache']) {
    const dir = join(ws, 'charts', name);
    mkdirSync(join(dir, 'templates'), { recursive: true });
    writeFileSync(join(dir, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 1.0.0\n`);
    writeFileSync(join(dir, 'values.yaml'), 'replicas: 2\ntag: "1"\nfail: false\n');
    writeFileSync(
      join(dir, 'templates/deployment.yaml'),
      `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {app: {{ .Release.Name }}}
  template:
    metadata:
      labels:
        app: {{ .Release.Name }}
        tag: "{{ .Values.tag }}"
        {{- if .Values.fail }}
        command-center.dev/simulate: crashloop
        {{- end }}
    spec:
      containers:
      - name: app
        image: registry.local/{{ .Chart.Name }}:{{ .Values.tag }}
`,
    );
  }
}

const resultOf = (run: ActionRun) =>
  (JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8')) as { result: ReleaseSetResult }).result;
const byName = (r: ReleaseSetResult) =>
  Object.fromEntries(r.releases.map((x) => [x.release, x])) as Record<string, SetReleaseResult>;

let k: KubeStack;
beforeAll(() => {
  ensureBuilt();
  k = requireKube();
}, 120_000);

describe.each([
  ['Helm 3', 'helm3' as const],
  ['Helm 4', 'helm4' as const],
])('helm-deploy release set with %s on the real control plane', (_label, which) => {
  const ns = `hdset-${which}-${randomUUID().slice(0, 6)}`;
  const helm = () => requireHelm(k, which);
  const history = (release: string) => {
    try {
      return JSON.parse(
        execFileSync(helm(), ['history', release, '-n', ns, '-o', 'json'], {
          env: { ...process.env, KUBECONFIG: k.kubeconfig },
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      ) as History[];
    } catch (err) {
      if (/not found/.test(String((err as { stderr?: string }).stderr))) return [];
      throw err;
    }
  };
  const deploySet = (releases: string, extra: Record<string, string> = {}) =>
    runAction('helm-deploy', {
      inputs: {
        releases,
        namespace: ns,
        'create-namespace': 'true',
        kubeconfig: k.kubeconfig,
        helm: helm(),
        timeout: '45s',
        ...extra,
      },
      workspaceSetup: writeCharts,
      timeoutMs: 240_000,
    });
  afterAll(() => {
    try {
      kubectl(k, 'delete', 'namespace', ns, '--wait=false');
    } catch {
      /* already gone */
    }
  });

  it('installs three charts: the dependent after its need, the independent ones at the same time', async () => {
    const run = await deploySet(
      [
        '- {name: db, chart: charts/db}',
        '- {name: api, chart: charts/api, needs: [db]}',
        '- {name: cache, chart: charts/cache}',
      ].join('\n'),
    );
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      status: 'deployed',
      'rolled-back': 'false',
      revision: '',
      'previous-revision': '',
    });
    const listed = JSON.parse(run.outputs.releases!) as { name: string; status: string; wave: number }[];
    expect(listed.map((x) => [x.name, x.status, x.wave])).toEqual([
      ['db', 'deployed', 1],
      ['api', 'deployed', 2],
      ['cache', 'deployed', 1],
    ]);
    const r = resultOf(run);
    expect(r.waves).toEqual([
      { wave: 1, releases: ['db', 'cache'] },
      { wave: 2, releases: ['api'] },
    ]);
    const { db, api, cache } = byName(r);
    for (const x of [db!, api!, cache!]) {
      expect(x.revision).toBe(1);
      expect(x.previousRevision).toBeUndefined();
      expect(x.verification!.workloads.map((w) => `${w.kind}/${w.name}:${w.state}`)).toEqual([
        `Deployment/${x.release}:ready`,
      ]);
    }
    // The independent releases overlapped: each started before the other ended.
    expect(db!.startedAt!).toBeLessThan(cache!.endedAt!);
    expect(cache!.startedAt!).toBeLessThan(db!.endedAt!);
    // The dependent started only after its need was deployed and verified.
    expect(api!.startedAt!).toBeGreaterThanOrEqual(db!.endedAt!);
    expect(api!.verification!.workloads[0]!.readyAt!).toBeGreaterThan(
      db!.verification!.workloads[0]!.readyAt!,
    );
    for (const name of ['db', 'api', 'cache']) {
      const d = kubectlJson<Deployment>(k, 'get', 'deployment', name, '-n', ns);
      expect(d.status.readyReplicas).toBe(2);
      expect(history(name).map((h) => h.status)).toEqual(['deployed']);
    }
    expect(run.summary).toContain(
      '## helm-deploy: ✅ release set deployed: 3 of 3 release(s) deployed in 2 wave(s)',
    );
    expect(run.summary).toMatch(/\| 2 \| ✅ \| api \| [^|]+ \| charts\/api \| db \| deployed \| — → 1 \|/);
  });

  it('a failing dependency stops its dependent and is rolled back; a failed first install is removed; the rest deploys', async () => {
    const run = await deploySet(
      [
        '- {name: db, chart: charts/db, set: [fail=true, tag=2]}',
        '- {name: api, chart: charts/api, needs: [db], set: [tag=2]}',
        '- {name: cache, chart: charts/cache, set: [tag=2]}',
        '- {name: fresh, chart: charts/cache, set: [fail=true]}',
      ].join('\n'),
      { timeout: '20s' },
    );
    expect(run.exitCode, run.stdout).toBe(1);
    expect(run.outputs).toMatchObject({ status: 'failed', 'rolled-back': 'true' });
    const r = resultOf(run);
    const { db, api, cache, fresh } = byName(r);
    expect(db).toMatchObject({ status: 'rolled-back', rolledBack: true, previousRevision: 1, wave: 1 });
    expect(api).toMatchObject({ status: 'skipped', rolledBack: false, blockedBy: ['db'], wave: 2 });
    expect(api!.startedAt).toBeUndefined();
    expect(cache).toMatchObject({ status: 'deployed', rolledBack: false, previousRevision: 1, revision: 2 });
    expect(fresh).toMatchObject({ status: 'uninstalled', rolledBack: true, wave: 1 });
    expect(fresh!.previousRevision).toBeUndefined();
    expect(r.failure).toMatch(
      /^3 of 4 release\(s\) did not deploy: db rolled-back \(.+\); api skipped \(needs db failed\); fresh uninstalled/,
    );

    // In the cluster: db is back on what it ran before, by a rollback this step made.
    const dbHistory = history('db');
    expect(dbHistory.at(-1)).toMatchObject({ status: 'deployed' });
    expect(dbHistory.at(-1)!.description).toMatch(/rollback/i);
    expect(dbHistory.some((h) => h.revision === 2 && h.status === 'failed')).toBe(true);
    const dbNow = kubectlJson<Deployment>(k, 'get', 'deployment', 'db', '-n', ns);
    expect(dbNow.spec.template.metadata.labels.tag).toBe('1');
    expect(dbNow.spec.template.metadata.labels['command-center.dev/simulate']).toBeUndefined();
    // api was not touched at all: still its one revision, still tag 1.
    expect(history('api').map((h) => [h.revision, h.status])).toEqual([[1, 'deployed']]);
    expect(
      kubectlJson<Deployment>(k, 'get', 'deployment', 'api', '-n', ns).spec.template.metadata.labels.tag,
    ).toBe('1');
    // cache went on: it does not depend on db.
    expect(history('cache').at(-1)).toMatchObject({ revision: 2, status: 'deployed' });
    // fresh was installed by this step and failed: removed.
    expect(history('fresh')).toEqual([]);

    expect(r.releases.find((x) => x.release === 'db')!.diagnostics!.length).toBeGreaterThan(0);
    expect(run.outputs['diagnostics-path']).toMatch(/helm-deploy-diagnostics-release-set\.json$/);
    expect(run.summary).toContain(
      '## helm-deploy: ❌ release set failed: 1 of 4 release(s) deployed in 2 wave(s)',
    );
    expect(run.summary).toContain('needs db, which did not deploy');
    const warnings = run.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toContain(`release api in ${ns} was not deployed: it needs db, which did not deploy`);
  });

  it("rolls a set back after a later step failed: to the revisions the deploy's output gives, dependents first", async () => {
    const releases = [
      '- {name: db, chart: charts/db, set: [tag=3]}',
      '- {name: api, chart: charts/api, needs: [db], set: [tag=3]}',
      '- {name: cache, chart: charts/cache, set: [tag=3]}',
    ].join('\n');
    const deployed = await deploySet(releases);
    expect(deployed.exitCode, deployed.stdout).toBe(0);
    const before = Object.fromEntries(
      (JSON.parse(deployed.outputs.releases!) as { name: string; 'previous-revision': number }[]).map((x) => [
        x.name,
        x['previous-revision'],
      ]),
    );
    const run = await deploySet(releases, { mode: 'rollback', revisions: deployed.outputs.releases! });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'deployed', 'rolled-back': 'true' });
    const r = resultOf(run);
    expect(r.mode).toBe('rollback');
    const { db, api, cache } = byName(r);
    for (const x of [db!, api!, cache!]) {
      expect(x).toMatchObject({ mode: 'rollback', rolledBack: true, rolledBackTo: before[x.release] });
      // Helm records a rollback as a new revision, described as one, with the old one's values.
      const h = history(x.release);
      expect(h.at(-1)).toMatchObject({ revision: x.revision, status: 'deployed' });
      expect(h.at(-1)!.description).toBe(`Rollback to ${before[x.release]}`);
    }
    // The waves run in reverse: api (which needs db) is undone before db is touched.
    expect(r.waves).toEqual([
      { wave: 1, releases: ['api', 'cache'] },
      { wave: 2, releases: ['db'] },
    ]);
    expect(db!.startedAt!).toBeGreaterThanOrEqual(api!.endedAt!);
    const tag = (name: string) =>
      kubectlJson<Deployment>(k, 'get', 'deployment', name, '-n', ns).spec.template.metadata.labels.tag;
    // What each ran before the deploy: db and api tag 1, cache tag 2.
    expect([tag('db'), tag('api'), tag('cache')]).toEqual(['1', '1', '2']);
    expect(run.summary).toContain(
      '## helm-deploy: ✅ release set rolled back: 3 of 3 release(s) rolled back in 2 wave(s)',
    );
  });

  it('refuses a set with an unknown need before touching the cluster', async () => {
    const run = await deploySet('- {name: web, chart: charts/api, needs: [nope]}');
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `input 'releases' is invalid: release "web" needs "nope", which is not a release of the set (the set has: web)`,
    );
    expect(history('web')).toEqual([]);
  });
});
