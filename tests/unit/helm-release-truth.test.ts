import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { decideOutcome, type OutcomeFacts } from '../../src/actions/helm-deploy/outcome.js';
import { dryRunArgs, statusArgs } from '../../src/lib/helm/flags.js';
import {
  belongsTo,
  decodeRecord,
  hookPhase,
  madeByInstall,
  parseRecordJson,
  recordDriver,
  recordName,
  releaseWorkloads,
  type ReleaseRecord,
} from '../../src/lib/helm/release-record.js';
import type { ReleaseRevision } from '../../src/lib/helm/release.js';
import { selectEvents, type KubeEvent } from '../../src/lib/kube/diagnostics.js';
import { kubeconfigCredentials } from '../../src/lib/kube/kubeconfig-secrets.js';
import type { WorkloadRef } from '../../src/lib/kube/manifest.js';
import { diffRelease } from '../../src/lib/kube/manifest-diff.js';

// What helm-deploy reads of Helm's records and how it decides a deploy's outcome, on plain data
// (tests/e2e/helm-deploy.test.ts runs the same against real Helm 3 and 4 on the stack's cluster).

const deployment = (name: string, replicas = 1) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
`;
const job = (name: string, annotations = '') => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
${annotations}spec:
  backoffLimit: 0
`;
const hook = (name: string, events: string[], extra: Partial<ReleaseRecord['hooks'][number]> = {}) => ({
  name,
  kind: 'Job',
  path: `app/templates/${name}.yaml`,
  manifest: job(name),
  events,
  ...extra,
});

function record(
  version: number,
  status: string,
  manifest: string,
  hooks: ReleaseRecord['hooks'] = [],
  description?: string,
): ReleaseRecord {
  return {
    name: 'app',
    namespace: 'ns',
    version,
    info: { status, ...(description ? { description } : {}) },
    manifest,
    hooks,
  };
}

/** The `release` entry of a revision's Secret, encoded the way Helm's storage driver encodes it. */
function helmEncoded(json: object): { secret: string; configmap: string } {
  const helmText = gzipSync(Buffer.from(JSON.stringify(json))).toString('base64');
  return { configmap: helmText, secret: Buffer.from(helmText).toString('base64') };
}

describe("Helm's release records", () => {
  const stored = {
    name: 'app',
    namespace: 'ns',
    version: 2,
    info: { status: 'pending-upgrade', description: 'Preparing upgrade' },
    manifest: `---\n# Source: app/templates/a.yaml\n${deployment('app-api', 4)}---\n# Source: app/templates/m.yaml\n${job('app-migrate-2')}`,
    hooks: [
      hook('app-post-upgrade', ['post-upgrade'], {
        delete_policies: ['hook-succeeded'],
        last_run: { phase: 'Running' },
      }),
    ],
    chart: { metadata: { name: 'app' } },
    config: { api: { replicas: 4 } },
  };

  it('decodes a Secret (base64 of base64 of gzip) and a ConfigMap (base64 of gzip) to the same record', () => {
    const enc = helmEncoded(stored);
    const fromSecret = decodeRecord(enc.secret, 'secret');
    expect(fromSecret).toEqual(decodeRecord(enc.configmap, 'configmap'));
    expect(fromSecret).toMatchObject({ name: 'app', version: 2, info: { status: 'pending-upgrade' } });
    expect(fromSecret.manifest).toContain('name: app-migrate-2');
    expect(fromSecret.hooks[0]).toMatchObject({
      name: 'app-post-upgrade',
      events: ['post-upgrade'],
      last_run: { phase: 'Running' },
    });
  });

  it('reads records Helm stored before it compressed them', () => {
    const plain = Buffer.from(JSON.stringify(stored)).toString('base64');
    expect(decodeRecord(plain, 'configmap').version).toBe(2);
  });

  it('refuses what is not a record', () => {
    expect(() => parseRecordJson('{"kind":"Status"}')).toThrow(/not a Helm release record/);
  });

  it('knows where each storage driver keeps the records', () => {
    expect(
      [undefined, '', 'secret', 'Secrets', 'configmap', 'configmaps', 'sql', 'memory'].map(recordDriver),
    ).toEqual(['secret', 'secret', 'secret', 'secret', 'configmap', 'configmap', undefined, undefined]);
    expect(recordName('app', 12)).toBe('sh.helm.release.v1.app.v12');
  });

  it('an install or an upgrade, from the pending status, else from the description', () => {
    expect(madeByInstall(record(1, 'pending-install', ''), false)).toBe(true);
    expect(madeByInstall(record(3, 'pending-upgrade', ''), true)).toBe(false);
    expect(madeByInstall(record(3, 'deployed', '', [], 'Upgrade complete'), true)).toBe(false);
    expect(madeByInstall(record(1, 'deployed', '', [], 'Install complete'), false)).toBe(true);
    expect(madeByInstall(record(4, 'failed', '', [], 'Release "app" failed: boom'), true)).toBe(true);
  });
});

describe('the workloads of a revision', () => {
  const hooks = [
    hook('app-pre-install', ['pre-install']),
    hook('app-post-upgrade', ['post-upgrade'], { delete_policies: ['hook-succeeded'], weight: 5 }),
    hook('app-both', ['post-install', 'post-upgrade'], { weight: -1 }),
    {
      name: 'app-hook-config',
      kind: 'ConfigMap',
      manifest: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-hook-config\n',
      events: ['post-upgrade'],
    },
    hook('app-test', ['test']),
  ];
  const manifest = `${deployment('app-api', 4)}---\n${job('app-migrate-3')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app\n`;

  it('an upgrade verifies the manifest and the Job hooks it runs, in Helm order, with default delete policy', () => {
    const refs = releaseWorkloads(record(3, 'pending-upgrade', manifest, hooks), false, 'ns');
    expect(refs).toEqual<WorkloadRef[]>([
      { kind: 'Deployment', name: 'app-api', namespace: 'ns' },
      { kind: 'Job', name: 'app-migrate-3', namespace: 'ns' },
      {
        kind: 'Job',
        name: 'app-both',
        namespace: 'ns',
        hook: { events: ['post-install', 'post-upgrade'], deletePolicies: ['before-hook-creation'] },
      },
      {
        kind: 'Job',
        name: 'app-post-upgrade',
        namespace: 'ns',
        hook: { events: ['post-upgrade'], deletePolicies: ['hook-succeeded'] },
      },
    ]);
  });

  it('an install runs the install hooks only', () => {
    const names = releaseWorkloads(record(1, 'pending-install', manifest, hooks), true, 'ns')
      .filter((r) => r.hook)
      .map((r) => r.name);
    expect(names).toEqual(['app-both', 'app-pre-install']);
  });

  it('a hook names its own namespace when its manifest does', () => {
    const elsewhere = {
      ...hook('app-post-upgrade', ['post-upgrade']),
      manifest: job('app-post-upgrade').replace('metadata:\n', 'metadata:\n  namespace: jobs\n'),
    };
    expect(releaseWorkloads(record(2, 'pending-upgrade', '', [elsewhere]), false, 'ns')[0]).toMatchObject({
      namespace: 'jobs',
    });
  });

  it('membership: in the manifest, or one of the hooks; and the phase Helm recorded', () => {
    const r = record(3, 'deployed', manifest, [
      hook('app-post-upgrade', ['post-upgrade'], { last_run: { phase: 'Succeeded' } }),
    ]);
    expect(belongsTo(r, { kind: 'Job', name: 'app-migrate-3', namespace: 'ns' }, 'ns')).toBe(true);
    expect(belongsTo(r, { kind: 'Job', name: 'app-migrate-1', namespace: 'ns' }, 'ns')).toBe(false);
    expect(belongsTo(r, { kind: 'Job', name: 'app-migrate-3', namespace: 'other' }, 'ns')).toBe(false);
    expect(
      belongsTo(
        r,
        {
          kind: 'Job',
          name: 'app-post-upgrade',
          namespace: 'ns',
          hook: { events: ['post-upgrade'], deletePolicies: [] },
        },
        'ns',
      ),
    ).toBe(true);
    expect(hookPhase(r, { kind: 'Job', name: 'app-post-upgrade' })).toBe('Succeeded');
    expect(hookPhase(r, { kind: 'Job', name: 'app-other' })).toBeUndefined();
  });
});

describe('the diff against the deployed revision', () => {
  const rev1 = {
    manifest: `${deployment('app-api', 3)}---\n${job('app-migrate-1')}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ndata:\n  password: c2VjcmV0\n`,
    hooks: [{ manifest: job('app-post-upgrade'), events: ['post-upgrade'] }],
  };
  const rev2 = {
    manifest: `${deployment('app-api', 4)}---\n${job('app-migrate-2')}---\n${deployment('app-upgrade-only')}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ndata:\n  password: b3RoZXI=\n`,
    hooks: [{ manifest: job('app-post-upgrade'), events: ['post-upgrade'] }],
  };

  it('names the real changes: changed, renamed (a revision-named Job), added, the hook that runs again', () => {
    const diff = diffRelease(rev1, rev2, ['pre-upgrade', 'post-upgrade'], 'ns');
    expect(diff.map((c) => [c.change, c.from ?? '', c.object, c.hook?.join(',') ?? ''])).toEqual([
      ['changed', '', 'Deployment/ns/app-api', ''],
      ['added', '', 'Deployment/ns/app-upgrade-only', ''],
      ['renamed', 'Job/ns/app-migrate-1', 'Job/ns/app-migrate-2', ''],
      ['changed', '', 'Secret/ns/creds', ''],
      ['runs', '', 'Job/ns/app-post-upgrade', 'post-upgrade'],
    ]);
    expect(diff[0]!.patch).toMatch(/-\s+replicas: 3\n\+\s+replicas: 4/);
    expect(diff[2]!.patch).toMatch(/-\s+name: app-migrate-1\n\+\s+name: app-migrate-2/);
  });

  it('a Secret whose value changed is listed as changed, without its values', () => {
    const diff = diffRelease(
      rev1,
      { ...rev1, manifest: rev1.manifest.replace('c2VjcmV0', 'b3RoZXI=') },
      [],
      'ns',
    );
    expect(diff.map((c) => `${c.change} ${c.object}`)).toEqual(['changed Secret/ns/creds']);
    expect(diff[0]!.patch).toContain(
      '-  password: "*** (secret value not shown)"\n+  password: "*** (secret value not shown; changed)"',
    );
    expect(JSON.stringify(diff)).not.toMatch(/c2VjcmV0|b3RoZXI=/);
    expect(diffRelease(rev1, rev1, [], 'ns')).toEqual([]);
  });

  it('a first install adds everything; a hook that does not run now is listed as added', () => {
    const diff = diffRelease(undefined, rev1, ['pre-install', 'post-install'], 'ns');
    expect(diff.map((c) => `${c.change} ${c.object}`)).toEqual([
      'added Deployment/ns/app-api',
      'added Job/ns/app-migrate-1',
      'added Secret/ns/creds',
      'added Job/ns/app-post-upgrade',
    ]);
    expect(JSON.stringify(diff)).not.toContain('c2VjcmV0');
  });

  it('two objects of one shape renamed at once are not guessed into pairs', () => {
    const before = { manifest: `${job('a-1')}---\n${job('b-1')}`, hooks: [] };
    const after = { manifest: `${job('a-2')}---\n${job('b-2')}`, hooks: [] };
    expect(diffRelease(before, after, [], 'ns').map((c) => c.change)).toEqual(['renamed', 'renamed']);
    const clash = { manifest: `${job('x-1')}---\n${job('x-22')}`, hooks: [] };
    expect(
      diffRelease({ manifest: job('x-3'), hooks: [] }, clash, [], 'ns')
        .map((c) => c.change)
        .sort(),
    ).toEqual(['added', 'added', 'removed']);
  });
});

describe('decideOutcome', () => {
  const api: WorkloadRef = { kind: 'Deployment', name: 'app-api', namespace: 'ns' };
  const migrate1: WorkloadRef = { kind: 'Job', name: 'app-migrate-1', namespace: 'ns' };
  const hookRef: WorkloadRef = {
    kind: 'Job',
    name: 'app-post-upgrade',
    namespace: 'ns',
    hook: { events: ['post-upgrade'], deletePolicies: ['hook-succeeded'] },
  };
  const ok = { exitCode: 0, killed: false, message: '' };
  const base: OutcomeFacts = {
    helm: ok,
    atomic: true,
    previousRevision: 1,
    revision: 2,
    workloads: [{ ref: api, state: 'ready', inRevision: true }],
  };
  const rev = (
    revision: number,
    status: ReleaseRevision['status'],
    description: string,
  ): ReleaseRevision => ({ revision, status, description, updated: '', chart: 'app-1.0.0' });

  it('helm succeeded and everything rolled out: deployed', () => {
    expect(decideOutcome(base)).toEqual({ status: 'deployed', rolledBack: false });
  });

  it('a workload the action waited for that is not part of the revision is its own bug: no rollback', () => {
    const o = decideOutcome({
      ...base,
      workloads: [...base.workloads, { ref: migrate1, state: 'missing', inRevision: false }],
    });
    expect(o).toMatchObject({ status: 'deployed', rolledBack: false });
    expect(o.undo).toBeUndefined();
    expect(o.bug).toBe(
      'helm-deploy waited for Job/app-migrate-1, which is not part of revision 2 as helm deployed it: a bug in helm-deploy, not in the release',
    );
    expect(o.failure).toMatch(/the release is left as helm deployed it$/);
  });

  it('a hook helm did not run in this operation is the same kind of bug', () => {
    expect(
      decideOutcome({ ...base, workloads: [{ ref: hookRef, state: 'not-run', inRevision: false }] }),
    ).toMatchObject({ status: 'deployed', bug: expect.stringContaining('Job/app-post-upgrade') });
  });

  it('a missing workload that is part of the revision is really wrong: rolled back to the previous revision', () => {
    const o = decideOutcome({ ...base, workloads: [{ ref: migrate1, state: 'missing', inRevision: true }] });
    expect(o).toEqual({
      status: 'failed',
      rolledBack: false,
      failure: 'helm reported success but 1 workload(s) did not roll out: Job/app-migrate-1',
      undo: { to: 1 },
    });
  });

  it('a failed workload with atomic off is a failure left in place; a first install is undone by uninstalling', () => {
    const failed = { ...base, workloads: [{ ref: api, state: 'failed' as const, inRevision: true }] };
    expect(decideOutcome({ ...failed, atomic: false })).toMatchObject({
      status: 'failed',
      rolledBack: false,
    });
    expect(decideOutcome({ ...failed, atomic: false }).undo).toBeUndefined();
    const { previousRevision: _p, ...firstInstall } = failed;
    expect(decideOutcome(firstInstall).undo).toEqual({ uninstall: true });
  });

  it('a real failure beside an action bug still rolls back, and says both', () => {
    const o = decideOutcome({
      ...base,
      workloads: [
        { ref: api, state: 'timeout', inRevision: true },
        { ref: migrate1, state: 'missing', inRevision: false },
      ],
    });
    expect(o.undo).toEqual({ to: 1 });
    expect(o.failure).toMatch(
      /^helm reported success but 1 workload\(s\) did not roll out: Deployment\/app-api \(also: helm-deploy waited for Job\/app-migrate-1/,
    );
  });

  it('helm failed: its own rollback or removal is read from the history', () => {
    const failed = {
      ...base,
      helm: {
        exitCode: 1,
        killed: false,
        message: 'UPGRADE FAILED: post-upgrade hooks failed: job failed: BackoffLimitExceeded',
      },
    };
    const rolled = decideOutcome({
      ...failed,
      historyAfter: [
        rev(1, 'superseded', 'Install complete'),
        rev(2, 'failed', 'Upgrade failed'),
        rev(3, 'deployed', 'Rollback to 1'),
      ],
    });
    expect(rolled).toEqual({
      status: 'rolled-back',
      rolledBack: true,
      failure:
        'helm upgrade failed: UPGRADE FAILED: post-upgrade hooks failed: job failed: BackoffLimitExceeded',
    });
    expect(
      decideOutcome({
        ...failed,
        historyAfter: [rev(1, 'deployed', 'Install complete'), rev(2, 'failed', 'Upgrade failed')],
      }).status,
    ).toBe('failed');
    const { previousRevision: _p, ...first } = failed;
    expect(decideOutcome({ ...first, revision: 1, historyAfter: [] })).toMatchObject({
      status: 'uninstalled',
      rolledBack: true,
    });
    // helm failed before it recorded anything: nothing was removed.
    const { revision: _r, ...none } = first;
    expect(decideOutcome({ ...none, historyAfter: [] })).toMatchObject({
      status: 'failed',
      rolledBack: false,
    });
    expect(decideOutcome({ ...failed, helm: { exitCode: null, killed: true, message: '' } }).failure).toBe(
      'helm upgrade failed (killed at its deadline): exit null',
    );
  });
});

describe('diagnostics events', () => {
  const event = (
    reason: string,
    name: string,
    uid: string | undefined,
    at: string,
    kind = 'Job',
  ): KubeEvent => ({
    type: 'Normal',
    reason,
    message: `${reason} message`,
    lastTimestamp: at,
    involvedObject: { kind, name, ...(uid ? { uid } : {}) },
  });
  const events = [
    event('Completed', 'app-migrate', 'old-uid', '2026-12-01T10:00:00Z'),
    event('SuccessfulCreate', 'app-migrate', 'new-uid', '2026-12-01T11:00:00Z'),
    event('BackoffLimitExceeded', 'app-migrate', 'new-uid', '2026-12-01T11:00:05Z'),
    event('Failed', 'app-migrate-x1', 'pod-uid', '2026-12-01T11:00:03Z', 'Pod'),
    event('Other', 'unrelated', 'u', '2026-12-01T11:00:09Z'),
  ];
  const pod = {
    metadata: {
      name: 'app-migrate-x1',
      namespace: 'ns',
      uid: 'pod-uid',
      ownerReferences: [{ kind: 'Job', name: 'app-migrate', uid: 'new-uid' }],
    },
  };

  it("keeps only this object's events, not those of an earlier object with the same name", () => {
    const chosen = selectEvents(events, { name: 'app-migrate' }, { uid: 'new-uid', pods: [pod] });
    expect(chosen.events.map((e) => e.reason)).toEqual([
      'BackoffLimitExceeded',
      'Failed',
      'SuccessfulCreate',
    ]);
    expect(chosen.earlier).toBeUndefined();
  });

  it('for an object that does not exist, no events are its own; the earlier one is named apart', () => {
    expect(selectEvents(events.slice(0, 1), { name: 'app-migrate' }, undefined)).toEqual({
      events: [],
      earlier: 'Completed: Completed message',
    });
    expect(selectEvents([], { name: 'app-migrate' }, undefined)).toEqual({ events: [] });
  });
});

describe('kubeconfig credentials', () => {
  const key =
    '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBzJ0e3nN5mR3c1o7k3Qe2l0f1bXy9uA1b2c3d4e5f6goAoGCCqGSM49\nAwEHoUQDQgAE0000000000000000000000000000000000000000000000000000\n-----END EC PRIVATE KEY-----\n';
  const keyData = Buffer.from(key).toString('base64');
  const content = `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: {server: 'https://127.0.0.1:6443', certificate-authority-data: Q0FDRVJU}
users:
- name: sa
  user:
    token: eyJhbGciOiJSUzI1NiJ9.payload.signature-123
- name: cert
  user:
    client-certificate-data: Q0VSVElGSUNBVEUtREFUQS0xMjM=
    client-key-data: ${keyData}
- name: basic
  user: {username: admin, password: hunter2-hunter2}
- name: exec
  user:
    exec:
      command: login
      env:
      - {name: REGION, value: eu-west-1x}
      - {name: LOGIN_TOKEN, value: exec-token-456789}
contexts: []
`;

  it('every credential on its own: token, password, key and certificate data with their PEM lines', () => {
    const found = kubeconfigCredentials(content);
    expect(found).toEqual(
      expect.arrayContaining([
        'eyJhbGciOiJSUzI1NiJ9.payload.signature-123',
        'hunter2-hunter2',
        'Q0VSVElGSUNBVEUtREFUQS0xMjM=',
        keyData,
        'MHcCAQEEIBzJ0e3nN5mR3c1o7k3Qe2l0f1bXy9uA1b2c3d4e5f6goAoGCCqGSM49',
        'exec-token-456789',
      ]),
    );
    // Not secrets: the server, the CA, the user name, a region, the PEM armour.
    for (const plain of [
      'https://127.0.0.1:6443',
      'Q0FDRVJU',
      'admin',
      'eu-west-1x',
      '-----BEGIN EC PRIVATE KEY-----',
    ])
      expect(found).not.toContain(plain);
  });

  it('text that is not YAML has nothing to find', () => {
    expect(kubeconfigCredentials('{{{ not yaml')).toEqual([]);
    expect(kubeconfigCredentials('')).toEqual([]);
  });
});

describe('helm command lines for the true rendering', () => {
  const o = {
    release: 'app',
    chart: '/c',
    namespace: 'ns',
    createNamespace: true,
    valuesFiles: ['/v.yaml'],
    set: ['a=1'],
    setString: [],
    setFile: [],
    timeoutMs: 60_000,
    wait: true,
    atomic: true,
    historyMax: 10,
  };
  it('the dry run renders against the server and prints the record, without waiting or rolling back', () => {
    expect(dryRunArgs(o)).toEqual([
      'upgrade',
      '--install',
      'app',
      '/c',
      '--namespace',
      'ns',
      '--values',
      '/v.yaml',
      '--set',
      'a=1',
      '--dry-run=server',
      '--output',
      'json',
    ]);
    expect(statusArgs('app', 'ns', 3)).toEqual([
      'status',
      'app',
      '--namespace',
      'ns',
      '--revision',
      '3',
      '--output',
      'json',
    ]);
  });
});
