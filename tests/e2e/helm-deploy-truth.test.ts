import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { kubectl, kubectlJson, requireHelm, requireKube, type KubeStack } from '../support/kube.js';
import { ROOT } from '../support/paths.js';
import type { DeployResult } from '../../src/actions/helm-deploy/model.js';
import type { WorkloadDiagnosis } from '../../src/lib/kube/diagnostics.js';
import { needsServers } from '../support/servers.js';

needsServers('kube');

// helm-deploy verifies what Helm actually deployed: a chart whose rendering depends on what only an
// install or upgrade against the cluster knows (the revision in a Job's name, .Release.IsUpgrade,
// lookup, the cluster's API versions, a post-upgrade hook), deployed install → upgrade → upgrade →
// a failing hook, with each Helm major on the stack's control plane.

const CHART = join(ROOT, 'tests/fixtures/charts/release-truth');
const result = (run: ActionRun) =>
  (JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8')) as { result: DeployResult }).result;
const verified = (run: ActionRun) =>
  result(run)
    .verification!.workloads.map(
      (w) => `${w.kind}/${w.name}${w.hook ? ` (${w.hook.join(',')} hook)` : ''}: ${w.state}`,
    )
    .sort();
const changes = (run: ActionRun) =>
  result(run)
    .diff!.map((c) => `${c.change}${c.hook ? ' hook' : ''} ${c.from ? `${c.from} → ` : ''}${c.object}`)
    .sort();

interface Named {
  metadata: { name: string; uid: string };
}
interface History {
  revision: number;
  status: string;
  description: string;
}

let k: KubeStack;
beforeAll(() => {
  ensureBuilt();
  k = requireKube();
  // The failing hook needs the stack's kwok stage for command-center.dev/simulate=fail.
  try {
    kubectl(k, 'get', 'stages.kwok.x-k8s.io', 'command-center-fail');
  } catch {
    throw new Error(
      'the kwok stage command-center-fail is not loaded: restart the stack (`npm run stack:down && npm run stack:up`) or apply stack/kube/stages/20-command-center-fail.yaml with kubectl',
    );
  }
}, 120_000);

describe.each([
  ['Helm 3', 'helm3' as const],
  ['Helm 4', 'helm4' as const],
])('helm-deploy verifies what %s deployed', (_label, which) => {
  const id = randomUUID().slice(0, 6);
  const ns = `truth-${which}-${id}`;
  // An API only this cluster serves (Helm's built-in list, which `helm template` uses, never has it).
  const group = `cc${id}${which}.command-center.dev`;
  const helm = () => requireHelm(k, which);
  const inputs = (set: string[] = []) => ({
    release: 'app',
    chart: CHART,
    namespace: ns,
    kubeconfig: k.kubeconfig,
    helm: helm(),
    timeout: '90s',
    diff: 'true',
    set: [`capabilityApi=${group}/v1`, ...set].join('\n'),
  });
  const jobs = () =>
    kubectlJson<{ items: Named[] }>(k, 'get', 'jobs', '-n', ns)
      .items.map((j) => j.metadata.name)
      .sort();
  const history = () =>
    JSON.parse(
      execFileSync(helm(), ['history', 'app', '-n', ns, '-o', 'json'], {
        env: { ...process.env, KUBECONFIG: k.kubeconfig },
        encoding: 'utf8',
      }),
    ) as History[];

  beforeAll(() => {
    kubectl(k, 'create', 'namespace', ns);
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [
          { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
        ],
      },
    };
    execFileSync(k.kubectl, ['--kubeconfig', k.kubeconfig, 'apply', '-f', '-'], {
      input: JSON.stringify(crd),
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    kubectl(k, 'wait', '--for', 'condition=established', '--timeout=60s', `crd/widgets.${group}`);
  }, 120_000);
  afterAll(() => {
    for (const args of [
      ['delete', 'namespace', ns, '--wait=false'],
      ['delete', 'crd', `widgets.${group}`, '--wait=false'],
    ]) {
      try {
        kubectl(k, ...args);
      } catch {
        /* already gone */
      }
    }
  });

  it('install: the workloads of revision 1, including the Deployment gated on an API only the cluster serves', async () => {
    const run = await runAction('helm-deploy', { inputs: inputs(), timeoutMs: 240_000 });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'deployed', revision: '1', 'rolled-back': 'false' });
    expect(verified(run)).toEqual([
      'Deployment/app-api: ready',
      'Deployment/app-capability: ready',
      'Deployment/app-worker: ready',
      'Job/app-migrate-1: ready',
      'StatefulSet/app-db: ready',
    ]);
    expect(changes(run)).toEqual([
      'added Deployment/' + ns + '/app-api',
      'added Deployment/' + ns + '/app-capability',
      'added Deployment/' + ns + '/app-worker',
      'added Job/' + ns + '/app-migrate-1',
      'added Service/' + ns + '/app-db',
      'added StatefulSet/' + ns + '/app-db',
      'added hook Job/' + ns + '/app-post-upgrade',
    ]);
    expect(kubectlJson<Named>(k, 'get', 'deployment', 'app-capability', '-n', ns).metadata.name).toBe(
      'app-capability',
    );
  });

  it('upgrade: the revision-named Job is replaced, the IsUpgrade and lookup Deployments appear, the post-upgrade hook runs', async () => {
    kubectl(k, 'create', 'configmap', 'feature-flags', '-n', ns, '--from-literal=checkout=on');
    const run = await runAction('helm-deploy', { inputs: inputs(['api.replicas=4']), timeoutMs: 240_000 });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      status: 'deployed',
      revision: '2',
      'previous-revision': '1',
      'rolled-back': 'false',
      'diagnostics-path': '',
    });
    expect(verified(run)).toEqual([
      'Deployment/app-api: ready',
      'Deployment/app-capability: ready',
      'Deployment/app-flagged: ready',
      'Deployment/app-upgrade-only: ready',
      'Deployment/app-worker: ready',
      'Job/app-migrate-2: ready',
      'Job/app-post-upgrade (post-upgrade hook): ready',
      'StatefulSet/app-db: ready',
    ]);
    expect(changes(run)).toEqual([
      `added Deployment/${ns}/app-flagged`,
      `added Deployment/${ns}/app-upgrade-only`,
      `changed Deployment/${ns}/app-api`,
      `renamed Job/${ns}/app-migrate-1 → Job/${ns}/app-migrate-2`,
      `runs hook Job/${ns}/app-post-upgrade`,
    ]);
    expect(result(run).diff!.find((c) => c.object.endsWith('/app-api'))!.patch).toMatch(
      /-\s+replicas: 3\n\+\s+replicas: 4/,
    );
    expect(run.summary).toContain(`renamed: Job/${ns}/app-migrate-1 → Job/${ns}/app-migrate-2`);
    // What the cluster has: the revision's Job only; helm deleted the hook once it succeeded.
    expect(jobs()).toEqual(['app-migrate-2']);
    expect(
      kubectlJson<{ spec: { replicas: number } }>(k, 'get', 'deployment', 'app-api', '-n', ns).spec.replicas,
    ).toBe(4);
  });

  it('a second upgrade: again exactly the workloads of the new revision', async () => {
    const run = await runAction('helm-deploy', {
      inputs: inputs(['api.replicas=4', 'worker.replicas=2']),
      timeoutMs: 240_000,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      status: 'deployed',
      revision: '3',
      'previous-revision': '2',
      'rolled-back': 'false',
    });
    expect(verified(run)).toEqual([
      'Deployment/app-api: ready',
      'Deployment/app-capability: ready',
      'Deployment/app-flagged: ready',
      'Deployment/app-upgrade-only: ready',
      'Deployment/app-worker: ready',
      'Job/app-migrate-3: ready',
      'Job/app-post-upgrade (post-upgrade hook): ready',
      'StatefulSet/app-db: ready',
    ]);
    expect(changes(run)).toEqual([
      `changed Deployment/${ns}/app-worker`,
      `renamed Job/${ns}/app-migrate-2 → Job/${ns}/app-migrate-3`,
      `runs hook Job/${ns}/app-post-upgrade`,
    ]);
    expect(jobs()).toEqual(['app-migrate-3']);
  });

  it('a failing post-upgrade hook fails the step with its pods, events and logs, and the release is rolled back', async () => {
    const run = await runAction('helm-deploy', {
      inputs: inputs(['api.replicas=4', 'worker.replicas=2', 'postUpgradeHook.fail=true']),
      timeoutMs: 300_000,
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({
      status: 'rolled-back',
      'previous-revision': '3',
      'rolled-back': 'true',
    });
    const r = result(run);
    expect(r.failure).toMatch(/^helm upgrade failed: .*post-upgrade hooks failed/);
    expect(r.verification!.workloads.find((w) => w.hook)).toMatchObject({
      name: 'app-post-upgrade',
      state: 'failed',
    });
    const diag = JSON.parse(readFileSync(run.outputs['diagnostics-path']!, 'utf8')) as {
      workloads: WorkloadDiagnosis[];
    };
    const hook = diag.workloads.find((w) => w.name === 'app-post-upgrade')!;
    expect(hook).toMatchObject({ kind: 'Job', hook: ['post-upgrade'] });
    // One story: the Job failed, its pod failed, the events are this Job's (no "not found", no "Completed").
    expect(hook.status).toMatch(/^job failed: BackoffLimitExceeded/);
    expect(hook.pods).toEqual([
      expect.objectContaining({
        phase: 'Failed',
        ready: false,
        reasons: expect.arrayContaining([
          expect.stringMatching(/^post-upgrade: terminated Error \(exit 1\): simulated failure/),
        ]),
      }),
    ]);
    expect(hook.events.map((e) => e.reason)).toEqual(expect.arrayContaining(['BackoffLimitExceeded']));
    expect(hook.events.some((e) => e.reason === 'Completed')).toBe(false);
    expect(hook.logs).toEqual([
      expect.objectContaining({ pod: hook.pods[0]!.name, container: 'post-upgrade' }),
    ]);
    expect(run.summary).toContain(
      '#### Job/app-post-upgrade (post-upgrade hook) — job failed: BackoffLimitExceeded',
    );
    const annotation = run.annotations.find(
      (a) =>
        a.level === 'error' &&
        a.properties.title === 'helm-deploy: post-upgrade hook Job/app-post-upgrade failed',
    );
    expect(annotation?.message).toMatch(
      new RegExp(
        `^Job/app-post-upgrade in ${ns}: pod app-post-upgrade-[a-z0-9]+: post-upgrade: terminated Error \\(exit 1\\)`,
      ),
    );
    expect(history().at(-1)).toMatchObject({ status: 'deployed', description: 'Rollback to 3' });
  });
});

describe('helm-deploy reads the revision wherever helm keeps it', () => {
  const id = randomUUID().slice(0, 6);
  const ns = `truth-store-${id}`;
  /** What revision 1 (install) and later revisions (upgrades) of the chart have, capability API unset. */
  const expected = (release: string, revision: number) =>
    [
      `Deployment/${release}-api: ready`,
      `Deployment/${release}-worker: ready`,
      `Job/${release}-migrate-${revision}: ready`,
      `StatefulSet/${release}-db: ready`,
      ...(revision > 1
        ? [
            `Deployment/${release}-upgrade-only: ready`,
            `Job/${release}-post-upgrade (post-upgrade hook): ready`,
          ]
        : []),
    ].sort();

  beforeAll(() => {
    kubectl(k, 'create', 'namespace', ns);
  });
  afterAll(() => {
    try {
      kubectl(k, 'delete', 'namespace', ns, '--wait=false');
    } catch {
      /* already gone */
    }
  });

  it('HELM_DRIVER=configmap (Helm 3): the records are ConfigMaps, watched the same way', async () => {
    for (const revision of [1, 2]) {
      const run = await runAction('helm-deploy', {
        inputs: {
          release: 'cm',
          chart: CHART,
          namespace: ns,
          kubeconfig: k.kubeconfig,
          helm: requireHelm(k, 'helm3'),
          timeout: '90s',
        },
        env: { HELM_DRIVER: 'configmap' },
        timeoutMs: 240_000,
      });
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs).toMatchObject({ status: 'deployed', revision: String(revision) });
      expect(verified(run)).toEqual(expected('cm', revision));
      expect(run.stdout).not.toContain('cannot be');
    }
    expect(
      kubectlJson<Named>(k, 'get', 'configmap', 'sh.helm.release.v1.cm.v2', '-n', ns).metadata.name,
    ).toBe('sh.helm.release.v1.cm.v2');
  });

  it('a deployer that may not watch Secrets (Helm 4): the records are asked for by name, the same workloads verified', async () => {
    // Everything helm needs in the namespace, but Secrets without `watch`: a common least-privilege role.
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'deployer', namespace: ns },
      rules: [
        {
          apiGroups: [''],
          resources: ['secrets'],
          verbs: ['get', 'list', 'create', 'update', 'patch', 'delete'],
        },
        {
          apiGroups: ['', 'apps', 'batch'],
          resources: [
            'configmaps',
            'services',
            'pods',
            'pods/log',
            'events',
            'deployments',
            'statefulsets',
            'replicasets',
            'daemonsets',
            'jobs',
          ],
          verbs: ['*'],
        },
      ],
    };
    execFileSync(k.kubectl, ['--kubeconfig', k.kubeconfig, 'apply', '-f', '-'], {
      input: JSON.stringify(role),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    kubectl(k, 'create', 'serviceaccount', 'deployer', '-n', ns);
    kubectl(
      k,
      'create',
      'rolebinding',
      'deployer',
      '-n',
      ns,
      '--role=deployer',
      `--serviceaccount=${ns}:deployer`,
    );
    const token = kubectl(k, 'create', 'token', 'deployer', '-n', ns, '--duration=1h').trim();
    const stack = JSON.parse(kubectl(k, 'config', 'view', '--raw', '-o', 'json')) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    };
    const { server, 'certificate-authority-data': ca } = stack.clusters[0]!.cluster;
    const kubeconfig = `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: '${server}', certificate-authority-data: ${ca}}\nusers:\n- name: u\n  user: {token: ${token}}\ncontexts:\n- name: c\n  context: {cluster: c, user: u, namespace: ${ns}}\ncurrent-context: c\n`;
    for (const revision of [1, 2]) {
      const run = await runAction('helm-deploy', {
        inputs: {
          release: 'rbac',
          chart: CHART,
          namespace: ns,
          kubeconfig,
          helm: requireHelm(k, 'helm4'),
          timeout: '90s',
        },
        timeoutMs: 240_000,
      });
      expect(run.exitCode, run.stdout).toBe(0);
      expect(run.outputs).toMatchObject({ status: 'deployed', revision: String(revision) });
      expect(run.stdout).toMatch(
        /helm's records of rbac cannot be watched \(Forbidden\): asking for revision \d every second/,
      );
      expect(verified(run)).toEqual(expected('rbac', revision));
    }
  });
});
