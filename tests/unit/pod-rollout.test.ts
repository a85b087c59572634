import { describe, expect, it } from 'vitest';
import {
  deploymentStatusFromPods,
  type DeploymentObject,
  type PodIndex,
  type PodObject,
  type ReplicaSetObject,
} from '../../src/lib/kube/pod-rollout.js';

// The rule's clauses one by one, on plain objects shaped as the API server returns them
// (tests/integration/pod-rollout.test.ts runs it on a real cluster).

const template = (image: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } },
  spec: { containers: [{ name: 'app', image }] },
});

const deploy = (image: string, extra: Partial<DeploymentObject['spec']> = {}): DeploymentObject => ({
  metadata: { uid: 'd-1', generation: 2 },
  spec: { replicas: 2, template: template(image), ...extra },
});

const rs = (uid: string, image: string, hash: string): ReplicaSetObject => ({
  metadata: { uid, name: `web-${hash}`, ownerReferences: [{ uid: 'd-1', controller: true }] },
  spec: { template: template(image, hash) },
});

const pod = (name: string, owner: string, ready: boolean, deleting = false): PodObject => ({
  metadata: {
    name,
    ownerReferences: [{ uid: owner, controller: true }],
    ...(deleting ? { deletionTimestamp: '2026-11-24T10:00:00Z' } : {}),
  },
  status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

function index(sets: ReplicaSetObject[], pods: PodObject[]): PodIndex {
  return {
    replicaSets: () => sets,
    podsOwnedBy: (uid) => pods.filter((p) => p.metadata?.ownerReferences?.[0]?.uid === uid),
  };
}

const sets = [rs('rs-old', 'app:1', 'aaa'), rs('rs-new', 'app:2', 'bbb')];

describe('deploymentStatusFromPods', () => {
  it('ready when the new ReplicaSet has all its pods Ready and no old pod runs', () => {
    expect(
      deploymentStatusFromPods(
        deploy('app:2'),
        index(sets, [pod('n1', 'rs-new', true), pod('n2', 'rs-new', true)]),
      )?.state,
    ).toBe('ready');
  });

  it('an old pod still running holds it back; one being deleted does not', () => {
    const newPods = [pod('n1', 'rs-new', true), pod('n2', 'rs-new', true)];
    expect(
      deploymentStatusFromPods(deploy('app:2'), index(sets, [...newPods, pod('o1', 'rs-old', true)])),
    ).toBeUndefined();
    expect(
      deploymentStatusFromPods(deploy('app:2'), index(sets, [...newPods, pod('o1', 'rs-old', true, true)]))
        ?.state,
    ).toBe('ready');
  });

  it('too few Ready pods, or Ready pods that are being deleted, are not enough', () => {
    expect(
      deploymentStatusFromPods(
        deploy('app:2'),
        index(sets, [pod('n1', 'rs-new', true), pod('n2', 'rs-new', false)]),
      ),
    ).toBeUndefined();
    expect(
      deploymentStatusFromPods(
        deploy('app:2'),
        index(sets, [pod('n1', 'rs-new', true), pod('n2', 'rs-new', true, true)]),
      ),
    ).toBeUndefined();
  });

  it('pods of the old template never count for the new one', () => {
    expect(
      deploymentStatusFromPods(
        deploy('app:3'),
        index(sets, [pod('o1', 'rs-old', true), pod('o2', 'rs-old', true)]),
      ),
    ).toBeUndefined();
  });

  it('a rollback to an old template the controller has not acted on yet: its ReplicaSet has no pods, so not ready', () => {
    expect(
      deploymentStatusFromPods(
        deploy('app:1'),
        index(sets, [pod('n1', 'rs-new', true), pod('n2', 'rs-new', true)]),
      ),
    ).toBeUndefined();
  });

  it('more replicas than Ready pods (a scale-up not acted on yet) is not ready', () => {
    expect(
      deploymentStatusFromPods(
        deploy('app:2', { replicas: 3 }),
        index(sets, [pod('n1', 'rs-new', true), pod('n2', 'rs-new', true)]),
      ),
    ).toBeUndefined();
  });

  it('leaves minReadySeconds and a paused rollout to the status', () => {
    const pods = [pod('n1', 'rs-new', true), pod('n2', 'rs-new', true)];
    expect(
      deploymentStatusFromPods(deploy('app:2', { minReadySeconds: 5 }), index(sets, pods)),
    ).toBeUndefined();
    expect(deploymentStatusFromPods(deploy('app:2', { paused: true }), index(sets, pods))).toBeUndefined();
  });

  it('ReplicaSets of another owner are ignored', () => {
    const foreign: ReplicaSetObject = {
      ...rs('rs-x', 'app:2', 'ccc'),
      metadata: { uid: 'rs-x', name: 'other', ownerReferences: [{ uid: 'd-2', controller: true }] },
    };
    expect(
      deploymentStatusFromPods(
        deploy('app:2'),
        index([foreign], [pod('x1', 'rs-x', true), pod('x2', 'rs-x', true)]),
      ),
    ).toBeUndefined();
  });
});
