import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { randomUUID } from 'node:crypto';
import { parse } from 'yaml';
import { runAction } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { kubectl, requireHelm, requireKube, type KubeStack } from '../support/kube.js';
import { ROOT } from '../support/paths.js';
import { needsServers } from '../support/servers.js';

needsServers('kube');

// helm-deploy's kubeconfig given as content (the usual `kubeconfig: ${{ secrets.KUBECONFIG }}`):
// every credential in it is masked on its own and redacted from every file, and the temporary file
// it is written to is private, outside the results folder, and gone however the step ends.

const CHART = join(ROOT, 'tests/fixtures/charts/release-truth');
const STAGING_CHART = join(ROOT, 'examples/staging/chart');

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }[];
}

let k: KubeStack;
const ns = `kcfg-${randomUUID().slice(0, 6)}`;
let token = '';
let content = '';
let keyData = '';

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

beforeAll(() => {
  ensureBuilt();
  k = requireKube();
  kubectl(k, 'create', 'namespace', ns);
  // A deployer that authenticates with a bearer token, allowed to run helm in this namespace only.
  kubectl(k, 'create', 'serviceaccount', 'deployer', '-n', ns);
  kubectl(
    k,
    'create',
    'rolebinding',
    'deployer-admin',
    '-n',
    ns,
    '--clusterrole=admin',
    `--serviceaccount=${ns}:deployer`,
  );
  token = kubectl(k, 'create', 'token', 'deployer', '-n', ns, '--duration=1h').trim();
  const stack = parse(readFileSync(k.kubeconfig, 'utf8')) as Kubeconfig;
  const cluster = stack.clusters[0]!.cluster;
  keyData = stack.users[0]!.user['client-key-data'];
  // The token user is the one in use; a certificate user rides along, as in many real kubeconfigs.
  content = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: stack',
    '  cluster:',
    `    server: ${cluster.server}`,
    `    certificate-authority-data: ${cluster['certificate-authority-data']}`,
    'users:',
    '- name: deployer',
    '  user:',
    `    token: ${token}`,
    '- name: admin',
    '  user:',
    `    client-certificate-data: ${stack.users[0]!.user['client-certificate-data']}`,
    `    client-key-data: ${keyData}`,
    'contexts:',
    '- name: deployer',
    '  context: {cluster: stack, user: deployer, namespace: ' + ns + '}',
    'current-context: deployer',
    '',
  ].join('\n');
}, 120_000);

afterAll(() => {
  try {
    kubectl(k, 'delete', 'namespace', ns, '--wait=false');
  } catch {
    /* already gone */
  }
});

describe('helm-deploy with a kubeconfig given as content', () => {
  it('masks the bare token and key data, and no file or log line it writes contains the token', async () => {
    const run = await runAction('helm-deploy', {
      // The same token also reaches a rendered ConfigMap, which the diff shows in the summary.
      inputs: {
        release: 'tok',
        chart: CHART,
        namespace: ns,
        kubeconfig: content,
        helm: requireHelm(k, 'helm3'),
        timeout: '90s',
        diff: 'true',
        set: `settings.apiToken=${token}`,
      },
      timeoutMs: 240_000,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.status).toBe('deployed');
    expect(run.masks).toEqual(expect.arrayContaining([token, keyData]));
    // The runner takes `::add-mask::` lines out of the log; everything else must be clean.
    const logLines = run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'));
    expect(logLines.filter((l) => l.includes(token))).toEqual([]);
    expect(run.summary).toContain(`added: ConfigMap/${ns}/tok-settings`);
    expect(run.summary).not.toContain(token);
    const written = filesUnder(run.dirs.runnerTemp);
    expect(written.map((f) => relative(run.dirs.runnerTemp, f))).toEqual([
      'command-center/helm-deploy-1.json',
    ]);
    for (const f of written) expect(readFileSync(f, 'utf8')).not.toContain(token);
  });

  it('the temporary kubeconfig is private, outside the results folder, and gone when the step is killed mid-deploy', async () => {
    const seen: { path: string; mode: number; dirMode: number }[] = [];
    const run = await runAction('helm-deploy', {
      // Pods that never become ready: the deploy is still verifying when the runner cancels the step.
      inputs: {
        release: 'killed',
        chart: STAGING_CHART,
        namespace: ns,
        kubeconfig: content,
        helm: requireHelm(k, 'helm3'),
        timeout: '120s',
        atomic: 'false',
        set: 'simulateFailure=true',
      },
      timeoutMs: 180_000,
      during: async (child, live) => {
        const until = Date.now() + 120_000;
        while (
          !/helm recorded revision 1/.test(live.stdout()) &&
          Date.now() < until &&
          child.exitCode === null
        )
          await new Promise((r) => setTimeout(r, 100));
        for (const f of filesUnder(live.dirs.runnerTemp).filter((p) => /kubeconfig/.test(p))) {
          seen.push({
            path: f,
            mode: statSync(f).mode & 0o777,
            dirMode: statSync(join(f, '..')).mode & 0o777,
          });
        }
        child.kill('SIGTERM');
      },
    });
    expect(run.signal ?? run.exitCode).toBe('SIGTERM');
    expect(seen.length).toBe(1);
    expect(seen[0]!.mode).toBe(0o600);
    expect(seen[0]!.dirMode).toBe(0o700);
    expect(relative(join(run.dirs.runnerTemp, 'command-center'), seen[0]!.path)).toMatch(/^\.\./);
    expect(existsSync(seen[0]!.path)).toBe(false);
    expect(filesUnder(run.dirs.runnerTemp).filter((p) => /kubeconfig/.test(p))).toEqual([]);
    // helm was told to stop too, so the release is not left pending (which would block the next deploy).
    const helmStatus = () => {
      const out = execFileSync(requireHelm(k, 'helm3'), ['history', 'killed', '-n', ns, '-o', 'json'], {
        env: { ...process.env, KUBECONFIG: k.kubeconfig },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return (JSON.parse(out) as { status: string }[]).at(-1)?.status;
    };
    let status = helmStatus();
    for (let i = 0; i < 120 && status?.startsWith('pending'); i++) {
      await new Promise((r) => setTimeout(r, 500));
      status = helmStatus();
    }
    expect(status).toBe('failed');
  });
});
