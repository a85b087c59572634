import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../support/build.js';
import { NODE24, ROOT } from '../support/paths.js';
import { needsServers } from '../support/servers.js';

// `config check` needs no server: only the files of the workspace and the machine's bash.
needsServers();

const BIN = join(ROOT, 'bin/command-center.js');

function cli(args: string[], cwd: string) {
  const r = spawnSync(NODE24, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir() },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const explain = (r: ReturnType<typeof cli>) =>
  `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

/** One of each problem that the actions would otherwise refuse only at run time. */
const CONFIG = [
  'setup:',
  '  - name: deps',
  '    run: pnpm install &&',
  'helm-deploy:',
  '  release: demo',
  '  chart: deploy/charts/missing',
  '  values:',
  '    - values.yaml',
  '    - values-gone.yaml',
  'smoke-suite:',
  '  suites:',
  '    - name: unit',
  '      squad: Governance Core',
  '      shell: true',
  '      run: pytest tests | tee log (',
  '      junit: r.xml',
  '    - name: words',
  '      squad: Governance Core',
  '      run: pytest tests > out.log',
  '      junit: r.xml',
  'kafka-topic-check:',
  '  brokers: 127.0.0.1:9092',
  '  window: 2m',
  '  timeout: 2m',
  '  topics:',
  '    - name: orders',
  '      schema: schemas/orders.json',
  '      owner: Billing',
  'design-drift:',
  '  declared: ["contracts/*.json"]',
  '  waivers: drift-waivers.yml',
  '  owner: Governance Core',
  'backlog-grid:',
  '  squads: [Governance Core, Runtime & Training]',
  '',
].join('\n');

const lineOf = (fragment: string) => CONFIG.split('\n').findIndex((l) => l.includes(fragment)) + 1;

let ws: string;
beforeAll(() => {
  ensureBuilt();
  ws = mkdtempSync(join(tmpdir(), 'config-check-e2e-'));
  mkdirSync(join(ws, 'schemas'));
  writeFileSync(join(ws, 'values.yaml'), 'replicas: 1\n');
  writeFileSync(join(ws, 'day.config.yml'), CONFIG);
}, 300_000);
afterAll(() => rmSync(ws, { recursive: true, force: true }));

describe('command-center config check: what would only fail at run time', () => {
  it('reports every problem at its line and exits non-zero', () => {
    const r = cli(['config', 'check', 'day.config.yml'], ws);
    expect(r.status, explain(r)).not.toBe(0);
    expect(r.stdout).toBe('');
    const expected: [string, string, string][] = [
      ['run: pnpm install &&', 'setup[0].run', 'is not valid shell syntax (bash -n: '],
      [
        'chart: deploy/charts/missing',
        'helm-deploy.chart',
        'the chart "deploy/charts/missing" does not exist',
      ],
      ['- values-gone.yaml', 'helm-deploy.values[1]', 'the values file "values-gone.yaml" does not exist'],
      ['run: pytest tests | tee log (', 'smoke-suite.suites[0].run', 'is not valid shell syntax (bash -n: '],
      [
        'run: pytest tests > out.log',
        'smoke-suite.suites[1].run',
        'the shell operator `>` at position 14 needs a shell: set `shell: true`',
      ],
      ['window: 2m', 'kafka-topic-check.window', 'window "2m" must be shorter than timeout "2m"'],
      [
        'schema: schemas/orders.json',
        'kafka-topic-check.topics[0].schema',
        'the schema file "schemas/orders.json"',
      ],
      ['owner: Billing', 'kafka-topic-check.topics[0].owner', '"Billing" is not a declared squad'],
      [
        'waivers: drift-waivers.yml',
        'design-drift.waivers',
        'the waivers file "drift-waivers.yml" does not exist',
      ],
    ];
    expect(r.stderr, explain(r)).toContain(`(${expected.length} problems)`);
    for (const [fragment, path, message] of expected) {
      const line = lineOf(fragment);
      expect(line, fragment).toBeGreaterThan(0);
      const reported = r.stderr.split('\n').find((l) => l.includes(`day.config.yml:${line}:`));
      expect(reported, `${path} at line ${line}\n${explain(r)}`).toBeDefined();
      expect(reported).toContain(`${path}: ${message}`);
    }
    // The squad that is declared and the values file that exists are not reported.
    expect(r.stderr).not.toContain('design-drift.owner');
    expect(r.stderr).not.toContain('helm-deploy.values[0]');
  });

  it("the project's own integration-day.config.yml passes", () => {
    const r = cli(['config', 'check'], ROOT);
    expect(r.status, explain(r)).toBe(0);
    expect(r.stdout).toContain('integration-day.config.yml: valid.');
    expect(r.stderr).toBe('');
  });
});
