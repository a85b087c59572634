import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { KubeClient } from '../../src/lib/kube/client.js';
import { diagnose } from '../../src/lib/kube/diagnostics.js';
import type { WorkloadRef } from '../../src/lib/kube/manifest.js';
import { kubectl, kubectlJson, requireKube, type KubeStack } from '../support/kube.js';
import { needsServers } from '../support/servers.js';

needsServers('kube');

// Diagnostics tell one story about one object. A Job name comes back (a revision-named Job in a
// rollback, a hook run again): the events of the earlier Job by that name must not be reported as
// this one's, and a Job that does not exist is not described by the events of one that did.

let k: KubeStack;
let client: KubeClient;
const ns = `diag-${randomUUID().slice(0, 8)}`;
const ref: WorkloadRef = { kind: 'Job', name: 'migrate', namespace: ns };

function job(fail: boolean): string {
  return JSON.stringify({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: ns },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: fail ? { 'command-center.dev/simulate': 'fail' } : {} },
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'migrate', image: 'registry.local/migrate:1' }],
        },
      },
    },
  });
}

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const condition = (type: string) => () => {
  const j = kubectlJson<{ status?: { conditions?: { type: string; status: string }[] } }>(
    k,
    'get',
    'job',
    'migrate',
    '-n',
    ns,
  );
  return j.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
};
const eventReasons = () =>
  kubectlJson<{ items: { reason: string; involvedObject: { name: string } }[] }>(k, 'get', 'events', '-n', ns)
    .items.filter((e) => e.involvedObject.name === 'migrate')
    .map((e) => e.reason);

beforeAll(() => {
  k = requireKube();
  try {
    kubectl(k, 'get', 'stages.kwok.x-k8s.io', 'command-center-fail');
  } catch {
    throw new Error(
      'the kwok stage command-center-fail is not loaded: restart the stack (`npm run stack:down && npm run stack:up`) or apply stack/kube/stages/20-command-center-fail.yaml with kubectl',
    );
  }
  kubectl(k, 'create', 'namespace', ns);
  client = new KubeClient({ kubeconfigPath: k.kubeconfig });
});

afterAll(() => {
  client?.close();
  if (k) kubectl(k, 'delete', 'namespace', ns, '--wait=false');
});

describe('diagnostics of a Job whose name comes back (real API server, KWOK nodes)', () => {
  it('a Job that no longer exists is "not found", and the events of the earlier one are said to be of an earlier Job', async () => {
    execFileSync(k.kubectl, ['--kubeconfig', k.kubeconfig, 'apply', '-f', '-'], {
      input: job(false),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    await until('the Job completing', condition('Complete'));
    await until('its Completed event', () => eventReasons().includes('Completed'));
    kubectl(k, 'delete', 'job', 'migrate', '-n', ns, '--wait=true');
    const [d] = await diagnose(client, [{ ref }]);
    expect(d!.status).toMatch(
      /^not found; an earlier Job with this name existed \(its last event: Completed: /,
    );
    expect(d!.events).toEqual([]);
  });

  it("a failed Job with the same name shows its own failure and events, not the earlier Job's completion", async () => {
    execFileSync(k.kubectl, ['--kubeconfig', k.kubeconfig, 'apply', '-f', '-'], {
      input: job(true),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    await until('the Job failing', condition('Failed'));
    await until('its BackoffLimitExceeded event', () => eventReasons().includes('BackoffLimitExceeded'));
    // The earlier Job's Completed event is still in the namespace.
    expect(eventReasons()).toContain('Completed');
    const [d] = await diagnose(client, [{ ref }]);
    expect(d!.status).toMatch(/^job failed: BackoffLimitExceeded/);
    expect(d!.events.map((e) => e.reason)).toContain('BackoffLimitExceeded');
    expect(d!.events.map((e) => e.reason)).not.toContain('Completed');
    expect(d!.pods).toEqual([
      expect.objectContaining({
        phase: 'Failed',
        reasons: expect.arrayContaining([expect.stringMatching(/^migrate: terminated Error \(exit 1\)/)]),
      }),
    ]);
  });
});
