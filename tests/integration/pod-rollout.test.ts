import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { KubeClient } from '../../src/lib/kube/client.js';
import { deploymentStatusFromPods, type DeploymentObject } from '../../src/lib/kube/pod-rollout.js';
import { PodView } from '../../src/lib/kube/pod-view.js';
import { rolloutStatus, workloadPath } from '../../src/lib/kube/rollout.js';
import { kubectl, requireKube, type KubeStack } from '../support/kube.js';
import { needsServers } from '../support/servers.js';

needsServers('kube');

// The pod rule reads real objects as the API server defaults them: the ReplicaSet's template must
// compare equal to the Deployment's (hash label aside), or the rule would never fire.

let k: KubeStack;
let client: KubeClient;
let view: PodView;
const ns = `pod-rollout-${randomUUID().slice(0, 8)}`;

function deployment(
  name: string,
  opts: { replicas?: number; image?: string; simulate?: string; minReadySeconds?: number } = {},
): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas: opts.replicas ?? 2,
      ...(opts.minReadySeconds ? { minReadySeconds: opts.minReadySeconds } : {}),
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: { app: name, ...(opts.simulate ? { 'command-center.dev/simulate': opts.simulate } : {}) },
        },
        spec: { containers: [{ name: 'app', image: opts.image ?? 'registry.local/app:1' }] },
      },
    },
  });
}

function applyManifest(manifest: string): void {
  execFileSync(k.kubectl, ['--kubeconfig', k.kubeconfig, 'apply', '-f', '-'], {
    input: manifest,
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 60_000,
  });
}

async function read(name: string): Promise<DeploymentObject & Parameters<typeof rolloutStatus>[1]> {
  return (await client.get(workloadPath('Deployment', ns, name))) as DeploymentObject &
    Parameters<typeof rolloutStatus>[1];
}

/** Polls until the Deployment's own status says complete (then its pods are certainly Ready). */
async function statusComplete(name: string, timeoutMs = 60_000): Promise<DeploymentObject> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const d = await read(name);
    if (rolloutStatus('Deployment', d).state === 'ready') return d;
    if (Date.now() > until)
      throw new Error(
        `${name} did not complete within ${timeoutMs} ms: ${rolloutStatus('Deployment', d).message}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits until the view has caught up with the cluster (it is fed by watches). */
async function settle(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('the pod view did not catch up');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  k = requireKube();
  kubectl(k, 'create', 'namespace', ns);
  client = new KubeClient({ kubeconfigPath: k.kubeconfig });
  view = new PodView(client, ns);
  view.start();
});

afterAll(async () => {
  await view?.stop();
  client?.close();
  if (k) kubectl(k, 'delete', 'namespace', ns, '--wait=false');
});

describe('Deployment readiness read from its pods (real API server, KWOK nodes)', () => {
  it('a finished rollout is ready by its pods, with the real defaulted templates', async () => {
    applyManifest(deployment('web'));
    const d = await statusComplete('web');
    await settle(() => deploymentStatusFromPods(d, view) !== undefined);
    expect(deploymentStatusFromPods(d, view)).toEqual({
      state: 'ready',
      message: expect.stringMatching(/^2 replica\(s\) ready \(read from the pods/),
    });
  });

  it('after an update, the new ReplicaSet is the one counted; a template with no ReplicaSet yet is not judged', async () => {
    applyManifest(deployment('web', { image: 'registry.local/app:2' }));
    const fresh = await read('web');
    // A template the controller has not created a ReplicaSet for: the rule must not answer.
    const unseen = {
      ...fresh,
      spec: {
        ...fresh.spec!,
        template: {
          ...fresh.spec!.template!,
          spec: { containers: [{ name: 'app', image: 'registry.local/app:never' }] },
        },
      },
    };
    expect(deploymentStatusFromPods(unseen, view)).toBeUndefined();
    const d = await statusComplete('web');
    await settle(() => deploymentStatusFromPods(d, view) !== undefined);
    expect(deploymentStatusFromPods(d, view)?.state).toBe('ready');
    // The old template's ReplicaSet is still there (revision history) but has no pods left.
    const sets = [...view.replicaSets()].filter((rs) => rs.metadata?.name?.startsWith('web-'));
    expect(sets.length).toBe(2);
    // Asking about the previous template must not be answered by the new pods.
    const old = {
      ...d,
      spec: {
        ...d.spec!,
        template: {
          ...d.spec!.template!,
          spec: { containers: [{ name: 'app', image: 'registry.local/app:1' }] },
        },
      },
    };
    expect(deploymentStatusFromPods(old, view)).toBeUndefined();
  });

  it('pods that never become Ready are never ready by this rule', async () => {
    applyManifest(deployment('crashing', { simulate: 'crashloop' }));
    await settle(() => [...view.replicaSets()].some((rs) => rs.metadata?.name?.startsWith('crashing-')));
    const until = Date.now() + 6_000;
    while (Date.now() < until) {
      expect(deploymentStatusFromPods(await read('crashing'), view)).toBeUndefined();
      await new Promise((r) => setTimeout(r, 500));
    }
  });

  it('minReadySeconds > 0 and a paused Deployment are left to the status', async () => {
    applyManifest(deployment('slow', { minReadySeconds: 1 }));
    const d = await statusComplete('slow');
    expect(deploymentStatusFromPods(d, view)).toBeUndefined();
    const web = await read('web');
    expect(deploymentStatusFromPods({ ...web, spec: { ...web.spec!, paused: true } }, view)).toBeUndefined();
    expect(deploymentStatusFromPods(web, view)?.state).toBe('ready');
  });
});
