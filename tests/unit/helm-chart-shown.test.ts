import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shownChart } from '../../src/lib/helm/chart-shown.js';
import { planDeploy, type Inputs } from '../../src/actions/helm-deploy/inputs.js';
import { metadata } from '../../src/actions/helm-deploy/metadata.js';
import { parseInputs } from '../../src/lib/inputs/spec.js';

// What act and hosted runners really use: the checkout in act's cache, the runner's temp and tool cache.
const ACT_WS = '/root/.cache/act/4f1c2a9be07d3e51/hostexecutor';
const RUNNERS = [
  { placeholder: '{runner-temp}', path: '/root/.cache/act/4f1c2a9be07d3e51/tmp' },
  { placeholder: '{tool-cache}', path: '/root/.cache/act/tool_cache' },
];

describe('shownChart: how results and reports name the chart', () => {
  it('a chart in the workspace is its repository path, whatever absolute path the runner gave it', () => {
    const at = (path: string, given: string) =>
      shownChart({ given, local: { path }, workspace: { path: ACT_WS }, runnerFolders: RUNNERS });
    expect(at(`${ACT_WS}/examples/staging/chart`, 'examples/staging/chart')).toBe('examples/staging/chart');
    expect(at(`${ACT_WS}/examples/staging/chart`, './examples/staging/chart/')).toBe(
      'examples/staging/chart',
    );
    // Given absolute (`${{ github.workspace }}/...`): still the repository path.
    expect(at(`${ACT_WS}/charts/app-1.2.0.tgz`, `${ACT_WS}/charts/app-1.2.0.tgz`)).toBe(
      'charts/app-1.2.0.tgz',
    );
    expect(at(ACT_WS, '.')).toBe('.');
    // A sibling folder whose name starts like the workspace is not inside it.
    expect(at(`${ACT_WS}-other/chart`, `${ACT_WS}-other/chart`)).toBe(`${ACT_WS}-other/chart`);
  });

  it('a link on the way is seen through: the real paths are compared too', () => {
    expect(
      shownChart({
        given: '/srv/link/chart',
        local: { path: '/srv/link/chart', realPath: '/home/runner/work/app/app/deploy/chart' },
        workspace: { path: '/home/runner/work/app/app', realPath: '/home/runner/work/app/app' },
      }),
    ).toBe('deploy/chart');
  });

  it("a chart in a runner folder is named by the folder's placeholder, never by the runner's path", () => {
    const at = (path: string) =>
      shownChart({ given: path, local: { path }, workspace: { path: ACT_WS }, runnerFolders: RUNNERS });
    expect(at('/root/.cache/act/4f1c2a9be07d3e51/tmp/charts/app')).toBe('{runner-temp}/charts/app');
    expect(at('/root/.cache/act/tool_cache/charts/app-1.0.0.tgz')).toBe('{tool-cache}/charts/app-1.0.0.tgz');
    expect(at('/root/.cache/act/4f1c2a9be07d3e51/tmp')).toBe('{runner-temp}');
  });

  it('a path outside the workspace and the runner folders is shown as given', () => {
    const outside = (given: string, path: string) =>
      shownChart({ given, local: { path }, workspace: { path: ACT_WS }, runnerFolders: RUNNERS });
    expect(outside('/opt/charts/app', '/opt/charts/app')).toBe('/opt/charts/app');
    expect(outside('../platform/chart', '/root/.cache/act/4f1c2a9be07d3e51/platform/chart')).toBe(
      '../platform/chart',
    );
  });

  it('a chart reference is shown as given', () => {
    for (const given of [
      'bitnami/nginx',
      'oci://registry.example/charts/app',
      'https://charts.example/app-1.0.0.tgz',
    ])
      expect(shownChart({ given: ` ${given} `, workspace: { path: ACT_WS }, runnerFolders: RUNNERS })).toBe(
        given,
      );
  });
});

describe('planDeploy names the chart by shownChart', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'cc-chart-shown-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const ws = join(scratch, 'ws');
  const runnerTemp = join(scratch, 'runner-temp');
  for (const dir of [
    join(ws, 'examples/staging/chart'),
    join(runnerTemp, 'chart'),
    join(scratch, 'other/chart'),
  ]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: staging\nversion: 0.1.0\n');
  }
  writeFileSync(join(ws, 'kubeconfig.yaml'), 'apiVersion: v1\nkind: Config\n');
  symlinkSync(ws, join(scratch, 'ws-link'));
  const plan = (raw: Record<string, string>, workspace = ws) => {
    const inputs = parseInputs(
      metadata.inputs,
      (n) => raw[n] ?? metadata.inputs[n as keyof typeof metadata.inputs].default,
      {
        workspace,
      },
    ) as Inputs;
    return planDeploy(inputs, workspace, { RUNNER_TEMP: runnerTemp });
  };
  const base = { release: 'staging', kubeconfig: 'kubeconfig.yaml' };

  it('helm gets the absolute path; the result gets the repository path', () => {
    const p = plan({ ...base, chart: 'examples/staging/chart' });
    expect(p.upgrade.chart).toBe(join(ws, 'examples/staging/chart'));
    expect(p.chartShown).toBe('examples/staging/chart');
    // The workspace reached through a link, the chart given by its real absolute path.
    const linked = plan({ ...base, chart: join(ws, 'examples/staging/chart') }, join(scratch, 'ws-link'));
    expect(linked.chartShown).toBe('examples/staging/chart');
  });

  it('a chart in the runner temp folder, a reference, a path outside', () => {
    expect(plan({ ...base, chart: join(runnerTemp, 'chart') }).chartShown).toBe('{runner-temp}/chart');
    expect(plan({ ...base, chart: 'nginx', repository: 'https://charts.example' }).chartShown).toBe('nginx');
    expect(plan({ ...base, chart: 'oci://registry.example/app' }).upgrade.chart).toBe(
      'oci://registry.example/app',
    );
    expect(plan({ ...base, chart: '../runner-temp/chart' }).chartShown).toBe('{runner-temp}/chart');
    expect(plan({ ...base, chart: '../other/chart' }).chartShown).toBe('../other/chart');
    expect(plan({ ...base, chart: join(scratch, 'other/chart') }).chartShown).toBe(
      join(scratch, 'other/chart'),
    );
  });
});
