import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { kubectl, kubectlJson, requireHelm, requireKube, type KubeStack } from '../support/kube.js';
import { ROOT } from '../support/paths.js';
import type { DeployResult } from '../../src/actions/helm-deploy/model.js';
import { needsServers } from '../support/servers.js';

needsServers('kube');

const CHART = join(ROOT, 'examples/staging/chart');
const result = (run: ActionRun) =>
  (JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8')) as { result: DeployResult }).result;
const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

interface Deployment {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { replicas: number; template: { metadata: { labels: Record<string, string> } } };
  status: { readyReplicas?: number };
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
}, 120_000);

describe.each([
  ['Helm 3', 'helm3' as const],
  ['Helm 4', 'helm4' as const],
])('helm-deploy with %s on the real control plane', (label, which) => {
  const ns = `hd-${which}-${randomUUID().slice(0, 6)}`;
  const helm = () => requireHelm(k, which);
  const deployInputs = (extra: Record<string, string> = {}) => ({
    release: 'staging',
    chart: CHART,
    namespace: ns,
    'create-namespace': 'true',
    kubeconfig: k.kubeconfig,
    helm: helm(),
    timeout: '45s',
    ...extra,
  });
  const helmHistory = (release = 'staging') =>
    JSON.parse(
      execFileSync(helm(), ['history', release, '-n', ns, '-o', 'json'], {
        env: { ...process.env, KUBECONFIG: k.kubeconfig },
        encoding: 'utf8',
      }),
    ) as History[];
  afterAll(() => {
    try {
      kubectl(k, 'delete', 'namespace', ns, '--wait=false');
    } catch {
      /* already gone */
    }
  });

  it('a fresh install becomes ready with correct outputs', async () => {
    const run = await runAction('helm-deploy', {
      inputs: deployInputs({ diff: 'true' }),
      timeoutMs: 120_000,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      status: 'deployed',
      revision: '1',
      'previous-revision': '',
      'rolled-back': 'false',
      'diagnostics-path': '',
    });
    expect(Number(run.outputs.duration)).toBeGreaterThanOrEqual(0);
    const r = result(run);
    expect(r.helmVersion).toMatch(which === 'helm3' ? /^v3\.22\.0$/ : /^v4\.3\.1$/);
    expect(r.verification!.workloads.map((w) => `${w.name}:${w.state}`).sort()).toEqual([
      'staging-constitution:ready',
      'staging-orchestrator:ready',
      'staging-policy-engine:ready',
    ]);
    expect(r.diff!.filter((c) => c.change === 'added')).toHaveLength(6);
    const deps = kubectlJson<{ items: Deployment[] }>(k, 'get', 'deployments', '-n', ns);
    expect(deps.items.map((d) => [d.metadata.name, d.status.readyReplicas]).sort()).toEqual([
      ['staging-constitution', 1],
      ['staging-orchestrator', 2],
      ['staging-policy-engine', 2],
    ]);
    expect(run.summary).toContain(`helm-deploy: ✅ staging deployed revision 1`);
    // The flags of the detected major were used.
    expect(run.stdout).toContain(`(Helm ${which === 'helm3' ? 3 : 4} flags)`);
  });

  it('an upgrade with new values makes a new revision', async () => {
    // The chart in the checkout, named as the configuration names it: the way a workflow deploys.
    const run = await runAction('helm-deploy', {
      inputs: deployInputs({
        chart: 'examples/staging/chart',
        set: 'services.policyEngine.replicas=3\nimage.tag=2026.11.25',
      }),
      workspaceSetup: (ws) => cpSync(CHART, join(ws, 'examples/staging/chart'), { recursive: true }),
      timeoutMs: 120_000,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    // The result and the summary name it by its repository path, not the runner's path of the checkout.
    expect(result(run).chart).toBe('examples/staging/chart');
    expect(run.summary).toContain('| examples/staging/chart |');
    expect(run.summary).not.toContain(run.dirs.workspace);
    expect(run.outputs).toMatchObject({
      status: 'deployed',
      revision: '2',
      'previous-revision': '1',
      'rolled-back': 'false',
    });
    const pe = kubectlJson<Deployment>(k, 'get', 'deployment', 'staging-policy-engine', '-n', ns);
    expect(pe.spec.replicas).toBe(3);
    expect(pe.status.readyReplicas).toBe(3);
  });

  it('a release that never becomes ready fails within its timeout, names the pod and reason, and rolls back', async () => {
    const started = Date.now();
    const run = await runAction('helm-deploy', {
      inputs: deployInputs({ set: 'simulateFailure=true', timeout: '25s' }),
      timeoutMs: 180_000,
    });
    expect(run.exitCode).toBe(1);
    // Helm's timeout, its rollback and our reads: bounded, not a hang.
    expect(Date.now() - started).toBeLessThan(25_000 + 60_000);
    expect(run.outputs).toMatchObject({
      status: 'rolled-back',
      'previous-revision': '2',
      'rolled-back': 'true',
    });
    const diag = JSON.parse(readFileSync(run.outputs['diagnostics-path']!, 'utf8')) as {
      workloads: {
        name: string;
        pods: { name: string; ready: boolean; reasons: string[] }[];
        events: { reason: string }[];
      }[];
    };
    const failing = diag.workloads.flatMap((w) => w.pods.filter((p) => !p.ready));
    expect(failing.length).toBeGreaterThan(0);
    expect(failing[0]!.name).toMatch(/^staging-/);
    expect(failing.some((p) => p.reasons.some((r) => r.includes('CrashLoopBackOff')))).toBe(true);
    expect(diag.workloads.some((w) => w.events.some((e) => e.reason === 'BackOff'))).toBe(true);
    const annotation = errors(run).find(
      (m) => m.includes('did not become ready') || m.includes('CrashLoopBackOff'),
    );
    expect(annotation).toMatch(/pod staging-[a-z-]+-[a-z0-9]+-[a-z0-9]+: [a-z-]+: CrashLoopBackOff/);
    // The previous revision is what runs now.
    const history = helmHistory();
    expect(history.at(-1)).toMatchObject({ status: 'deployed' });
    expect(history.at(-1)!.description).toMatch(/Rollback to 2/);
    const pe = kubectlJson<Deployment>(k, 'get', 'deployment', 'staging-policy-engine', '-n', ns);
    expect(pe.spec.template.metadata.labels['command-center.dev/simulate']).toBeUndefined();
    expect(pe.spec.replicas).toBe(3);
  });

  it('rollback mode after a success returns to the previous revision', async () => {
    const before = helmHistory().at(-1)!.revision;
    const run = await runAction('helm-deploy', {
      inputs: {
        mode: 'rollback',
        release: 'staging',
        namespace: ns,
        kubeconfig: k.kubeconfig,
        helm: helm(),
        timeout: '45s',
        revision: '1',
      },
      timeoutMs: 120_000,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({
      status: 'rolled-back',
      revision: String(before + 1),
      'previous-revision': String(before),
      'rolled-back': 'true',
    });
    const pe = kubectlJson<Deployment>(k, 'get', 'deployment', 'staging-policy-engine', '-n', ns);
    expect(pe.spec.replicas).toBe(2);
  });

  it('a release left in pending-upgrade by a killed helm is recovered', async () => {
    const release = 'stuck';
    const first = await runAction('helm-deploy', {
      inputs: { ...deployInputs(), release },
      timeoutMs: 120_000,
    });
    expect(first.exitCode, first.stdout).toBe(0);
    // Start an upgrade that waits, then kill helm the way a runner does at its timeout.
    const child = spawn(
      helm(),
      [
        'upgrade',
        release,
        CHART,
        '-n',
        ns,
        '--set',
        'simulateFailure=true',
        '--timeout',
        '5m',
        ...(which === 'helm4' ? ['--wait=watcher'] : ['--wait']),
      ],
      { env: { ...process.env, KUBECONFIG: k.kubeconfig }, stdio: 'ignore' },
    );
    for (let i = 0; i < 60 && helmHistory(release).at(-1)!.status !== 'pending-upgrade'; i++)
      await new Promise((r) => setTimeout(r, 250));
    child.kill('SIGKILL');
    expect(helmHistory(release).at(-1)!.status).toBe('pending-upgrade');
    const run = await runAction('helm-deploy', {
      inputs: { ...deployInputs(), release },
      timeoutMs: 180_000,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const r = result(run);
    expect(r.recovered).toMatchObject({ from: 'pending-upgrade', revision: 2, action: 'rollback', to: 1 });
    expect(r.status).toBe('deployed');
    expect(helmHistory(release).at(-1)).toMatchObject({ status: 'deployed', revision: 4 });
    expect(
      run.annotations.some((a) => a.level === 'notice' && a.message.includes('stuck in pending-upgrade')),
    ).toBe(true);
  });

  it(`${label}: recover-stuck: false fails with guidance instead`, async () => {
    const release = 'stuck2';
    await runAction('helm-deploy', { inputs: { ...deployInputs(), release }, timeoutMs: 120_000 });
    const child = spawn(
      helm(),
      [
        'upgrade',
        release,
        CHART,
        '-n',
        ns,
        '--set',
        'simulateFailure=true',
        '--timeout',
        '5m',
        ...(which === 'helm4' ? ['--wait=watcher'] : ['--wait']),
      ],
      { env: { ...process.env, KUBECONFIG: k.kubeconfig }, stdio: 'ignore' },
    );
    for (let i = 0; i < 60 && helmHistory(release).at(-1)!.status !== 'pending-upgrade'; i++)
      await new Promise((r) => setTimeout(r, 250));
    child.kill('SIGKILL');
    const run = await runAction('helm-deploy', {
      inputs: { ...deployInputs(), release, 'recover-stuck': 'false' },
      timeoutMs: 60_000,
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run).at(-1)).toContain(`release ${release} is stuck in pending-upgrade (revision 2`);
    expect(errors(run).at(-1)).toContain(`helm rollback ${release} 1 -n ${ns}`);
  });
});

describe('helm-deploy configuration and outage errors', () => {
  it('a bad chart path is a clear configuration error', async () => {
    const run = await runAction('helm-deploy', {
      inputs: { release: 'x', chart: './charts/missing', kubeconfig: k.kubeconfig, helm: k.helm3 },
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run).at(-1)).toMatch(
      /^helm-deploy: input 'chart' has value "\.\/charts\/missing": no such chart directory or archive/,
    );
  });

  it('bad values YAML is a clear error naming the problem', async () => {
    const run = await runAction('helm-deploy', {
      inputs: {
        release: 'x',
        chart: CHART,
        namespace: 'default',
        values: 'bad-values.yaml',
        kubeconfig: k.kubeconfig,
        helm: k.helm3,
      },
      workspaceSetup: (ws) =>
        writeFileSync(join(ws, 'bad-values.yaml'), 'services:\n  policyEngine: [unclosed\n'),
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run).at(-1)).toMatch(
      /^helm-deploy: the chart did not render: .*bad-values\.yaml.*(yaml|YAML)/,
    );
    expect(run.stdout).not.toContain('not about your inputs');
  });

  it('an unreachable API server is a clear error, not a hang', async () => {
    const run = await runAction('helm-deploy', {
      inputs: { release: 'x', chart: CHART, kubeconfig: 'kubeconfig.yaml', helm: k.helm3, timeout: '30s' },
      workspaceSetup: (ws) =>
        writeFileSync(
          join(ws, 'kubeconfig.yaml'),
          'apiVersion: v1\nkind: Config\nclusters:\n- name: gone\n  cluster:\n    server: https://127.0.0.1:1\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: not-a-real-token-123456\ncontexts:\n- name: gone\n  context: {cluster: gone, user: u}\ncurrent-context: gone\n',
        ),
      timeoutMs: 60_000,
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run).at(-1)).toMatch(
      /^helm-deploy: the Kubernetes API at https:\/\/127\.0\.0\.1:1 does not answer: .*(ECONNREFUSED|cannot reach)/,
    );
    expect(run.durationMs).toBeLessThan(30_000);
  });
});
