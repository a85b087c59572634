import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from '../support/paths.js';
import { needsServers } from '../support/servers.js';

needsServers();

// The staging Helm chart lints clean and renders what helm-deploy relies on, with both Helm majors:
// a Deployment and a Service per enabled service, /health probes, image tag and replicas from values,
// and `simulateFailure` marking the pods that the cluster keeps from ever becoming Ready.

const CHART = join(ROOT, 'examples/staging/chart');
const SIMULATE = 'command-center.dev/simulate';

/** The Helm binaries stack/kube/env.sh points at (built by stack/kube/build.sh). */
function helmBinaries(): { major: string; bin: string }[] {
  const env = join(ROOT, 'stack/kube/env.sh');
  if (!existsSync(env))
    throw new Error(
      'stack/kube/env.sh is missing, so there is no Helm to lint the chart with. Build the Kubernetes tools: `bash stack/kube/build.sh`.',
    );
  const r = spawnSync(
    'bash',
    ['-c', 'source stack/kube/env.sh >/dev/null 2>&1 && printf "%s\\n%s\\n" "$HELM3_BIN" "$HELM4_BIN"'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  const [helm3, helm4] = r.stdout.trim().split('\n');
  return [
    { major: '3', bin: helm3 ?? '' },
    { major: '4', bin: helm4 ?? '' },
  ];
}

function requireHelm(bin: string, major: string): string {
  if (!bin || !existsSync(bin))
    throw new Error(
      `Helm ${major} is not built${bin ? ` at ${bin}` : ''}. Build it (from the Go module proxy): \`bash stack/kube/build.sh\`.`,
    );
  return bin;
}

interface Manifest {
  kind: string;
  metadata: { name: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
}
interface Container {
  name: string;
  image: string;
  args: string[];
  ports: { name: string; containerPort: number }[];
  env: { name: string; value: string }[];
  readinessProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
}
interface DeploymentSpec {
  replicas: number;
  selector: { matchLabels: Record<string, string> };
  template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[] } };
}

const helms = helmBinaries();

describe.each(helms)('staging chart with Helm $major', ({ major, bin }) => {
  const helm = (...args: string[]) => {
    const r = spawnSync(requireHelm(bin, major), args, {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        HELM_CACHE_HOME: join(ROOT, '.stack/helm-cache'),
        HELM_CONFIG_HOME: join(ROOT, '.stack/helm-config'),
      },
    });
    return { code: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
  };
  const render = (...sets: string[]): Manifest[] => {
    const r = helm('template', 'integration-day', CHART, ...sets.flatMap((s) => ['--set', s]));
    expect(r.code, r.out).toBe(0);
    return parseAllDocuments(r.stdout)
      .map((d) => d.toJSON() as Manifest)
      .filter(Boolean);
  };
  const deployments = (ms: Manifest[]) =>
    ms
      .filter((m) => m.kind === 'Deployment')
      .map((m) => ({ name: m.metadata.name, spec: m.spec as unknown as DeploymentSpec }));

  it('lints clean (strict), also with simulateFailure on', () => {
    for (const extra of [[], ['--set', 'simulateFailure=true']]) {
      const r = helm('lint', '--strict', CHART, ...extra);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toContain('1 chart(s) linted, 0 chart(s) failed');
    }
  });

  it('refuses values the schema does not allow', () => {
    const r = helm('lint', '--strict', CHART, '--set', 'services.orchestrator.replicas=-1');
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/replicas/);
    const tag = helm('template', 'x', CHART, '--set', 'image.tag=not a tag');
    expect(tag.code).not.toBe(0);
    expect(tag.out).toMatch(/tag/);
  });

  it('renders a Deployment and a Service per service, probed on /health', () => {
    const ms = render();
    const deps = deployments(ms);
    expect(deps.map((d) => d.name).sort()).toEqual([
      'integration-day-staging-constitution',
      'integration-day-staging-orchestrator',
      'integration-day-staging-policy-engine',
    ]);
    expect(
      ms
        .filter((m) => m.kind === 'Service')
        .map((m) => m.metadata.name)
        .sort(),
    ).toEqual(deps.map((d) => d.name).sort());
    expect(
      Object.fromEntries(deps.map((d) => [d.name.replace('integration-day-staging-', ''), d.spec.replicas])),
    ).toEqual({ 'policy-engine': 2, constitution: 1, orchestrator: 2 });
    for (const d of deps) {
      const c = d.spec.template.spec.containers[0]!;
      expect(c.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(c.image).toBe('registry.local/command-center/staging:0.1.0');
      expect(c.args).toEqual([`services/${c.name}.mjs`]);
      // The Service selects exactly this Deployment's pods and targets the probed port.
      const svc = ms.find((m) => m.kind === 'Service' && m.metadata.name === d.name)!;
      expect((svc.spec as { selector: Record<string, string> }).selector).toEqual(
        d.spec.selector.matchLabels,
      );
      for (const [k, v] of Object.entries(d.spec.selector.matchLabels))
        expect(d.spec.template.metadata.labels[k]).toBe(v);
      expect(c.ports.map((p) => p.name)).toEqual(['http']);
      expect(d.spec.template.metadata.labels[SIMULATE]).toBeUndefined();
    }
    const orchestrator = deps.find((d) => d.name.endsWith('orchestrator'))!.spec.template.spec.containers[0]!;
    expect(orchestrator.env).toContainEqual({
      name: 'POLICY_ENGINE_URL',
      value: 'http://integration-day-staging-policy-engine:18081',
    });
    expect(orchestrator.env).toContainEqual({ name: 'ORCHESTRATOR_PORT', value: '18083' });
  });

  it('takes the image tag and replicas from values, and leaves out disabled services', () => {
    const deps = deployments(
      render(
        'image.tag=2026.05.06',
        'services.orchestrator.replicas=5',
        'services.constitution.enabled=false',
      ),
    );
    expect(deps.map((d) => d.name).sort()).toEqual([
      'integration-day-staging-orchestrator',
      'integration-day-staging-policy-engine',
    ]);
    for (const d of deps)
      expect(d.spec.template.spec.containers[0]!.image).toBe(
        'registry.local/command-center/staging:2026.05.06',
      );
    expect(deps.find((d) => d.name.endsWith('orchestrator'))!.spec.replicas).toBe(5);
    expect(deps.flatMap((d) => d.spec.template.spec.containers[0]!.env.map((e) => e.name))).not.toContain(
      'CONSTITUTION_URL',
    );
  });

  it('simulateFailure labels every pod (never Ready); per service it labels only that one', () => {
    const all = deployments(render('simulateFailure=true'));
    expect(all).toHaveLength(3);
    for (const d of all) {
      expect(d.spec.template.metadata.labels[SIMULATE]).toBe('crashloop');
      // Selectors stay as they were, so the same release can be fixed by an upgrade.
      expect(d.spec.selector.matchLabels[SIMULATE]).toBeUndefined();
    }
    const one = deployments(render('services.orchestrator.simulateFailure=true'));
    expect(
      one.filter((d) => d.spec.template.metadata.labels[SIMULATE] === 'crashloop').map((d) => d.name),
    ).toEqual(['integration-day-staging-orchestrator']);
  });
});
