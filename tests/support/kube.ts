import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths.js';

export interface KubeStack {
  kubeconfig: string;
  kubectl: string;
  helm3: string;
  helm4: string;
}

let cached: KubeStack | undefined;

/** Paths of the stack's cluster and tools (stack/kube/env.sh computes them the same way the scripts do). */
export function kubeStack(): KubeStack {
  if (cached) return cached;
  const out = execFileSync(
    'bash',
    [
      '-c',
      `source ${join(ROOT, 'stack/kube/env.sh')} && printf '%s\\n' "$KUBECONFIG_PATH" "$KUBECTL_BIN" "$HELM3_BIN" "$HELM4_BIN"`,
    ],
    { encoding: 'utf8' },
  )
    .trim()
    .split('\n');
  cached = { kubeconfig: out[0]!, kubectl: out[1]!, helm3: out[2]!, helm4: out[3]! };
  return cached;
}

/** Fails (never skips) with the command that starts what is missing. */
export function requireKube(): KubeStack {
  const k = kubeStack();
  for (const [what, path] of [
    ['kubeconfig', k.kubeconfig],
    ['kubectl', k.kubectl],
  ] as const) {
    if (!existsSync(path))
      throw new Error(
        `${what} is missing at ${path}. Start the local stack first: \`npm run stack:up\` (or \`bash stack/stack.sh up kube\`).`,
      );
  }
  try {
    execFileSync(k.kubectl, ['--kubeconfig', k.kubeconfig, 'get', '--raw', '/readyz'], {
      stdio: 'pipe',
      timeout: 15_000,
    });
  } catch (err) {
    throw new Error(
      `the stack's Kubernetes API does not answer (${(err as Error).message.split('\n')[0]}). Start it: \`npm run stack:up\` (or \`bash stack/stack.sh up kube\`).`,
    );
  }
  return k;
}

export function kubectl(k: KubeStack, ...args: string[]): string {
  return execFileSync(k.kubectl, ['--kubeconfig', k.kubeconfig, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
}

export function kubectlJson<T>(k: KubeStack, ...args: string[]): T {
  return JSON.parse(kubectl(k, ...args, '-o', 'json')) as T;
}

/** The Helm binary of one major, built by the stack (fails with how to build it when missing). */
export function requireHelm(k: KubeStack, which: 'helm3' | 'helm4'): string {
  if (!existsSync(k[which]))
    throw new Error(
      `${which} is missing at ${k[which]}. Build it with the stack: \`npm run stack:up\` (or \`bash stack/kube/build.sh\`).`,
    );
  return k[which];
}
