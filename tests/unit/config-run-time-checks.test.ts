import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bashSyntaxError } from '../../src/cli/config/bash-syntax.js';
import { ConfigFileError, loadConfig, type ConfigProblem } from '../../src/cli/config/load.js';
import { isLocalChart } from '../../src/cli/config/run-time-checks.js';
import { ACTIONS } from '../../src/registry.js';
import { ROOT } from '../support/paths.js';

let ws: string;

beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), 'config-run-time-'));
  mkdirSync(join(ws, 'chart'));
  writeFileSync(join(ws, 'chart/Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
  writeFileSync(join(ws, 'values.yaml'), 'replicas: 1\n');
  writeFileSync(join(ws, 'topic.json'), '{"type":"object"}\n');
  writeFileSync(join(ws, 'waivers.yml'), '[]\n');
});
afterAll(() => rmSync(ws, { recursive: true, force: true }));

const io = { exists: existsSync, shellSyntaxError: bashSyntaxError };

/** The problems of the text (none when it loads), each as `line: path: message`. */
function problems(text: string, workspace = ws): ConfigProblem[] {
  try {
    loadConfig(text, { file: 'f.yml', workspace, actions: ACTIONS, runTimeChecks: io });
    return [];
  } catch (e) {
    if (e instanceof ConfigFileError) return [...e.problems];
    throw e;
  }
}

const lineOf = (text: string, fragment: string) =>
  text.split('\n').findIndex((l) => l.includes(fragment)) + 1;

describe('bashSyntaxError (the real bash, never executing the line)', () => {
  it('accepts lines that parse, refuses those that do not with bash’s own message', () => {
    expect(bashSyntaxError('pnpm install && pnpm test | tee out.log')).toBeUndefined();
    expect(bashSyntaxError('echo ok |')).toMatch(/syntax error/);
    expect(bashSyntaxError('if true; then echo x')).toMatch(/syntax error: unexpected end of file/);
    expect(bashSyntaxError('echo $((1 + ')).toMatch(/unexpected EOF|syntax error/);
  });

  it('only parses: a line that would write a file writes nothing', () => {
    const marker = join(ws, 'must-not-exist');
    expect(bashSyntaxError(`touch ${marker}`)).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
  });
});

describe('shell syntax of the lines a shell runs', () => {
  const text = [
    'setup:',
    '  - run: pnpm install | ',
    '  - run: echo fine && true',
    'smoke-suite:',
    '  suites:',
    '    - name: a',
    '      shell: true',
    '      run: "pytest tests || (echo failed"',
    '      junit: r.xml',
    '    - name: b',
    '      shell: true',
    '      run: pytest tests > out.log 2>&1',
    '      junit: r.xml',
    '',
  ].join('\n');

  it('reports each bad setup command and shell suite at the line of its run, with bash’s message', () => {
    const found = problems(text);
    expect(found.map((p) => [p.line, p.path])).toEqual([
      [2, 'setup[0].run'],
      [8, 'smoke-suite.suites[0].run'],
    ]);
    expect(found[0]!.message).toMatch(/^is not valid shell syntax \(bash -n: .*syntax error/);
    expect(found[1]!.message).toMatch(
      /^is not valid shell syntax \(bash -n: .*(unexpected EOF|syntax error)/,
    );
  });

  it('a suite without `shell: true` is split into words as smoke-suite will, not given to bash', () => {
    const found = problems(
      [
        'smoke-suite:',
        '  suites:',
        '    - name: a',
        '      run: pytest "(unclosed',
        '      junit: r.xml',
        '',
      ].join('\n'),
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.message).not.toContain('bash -n');
    expect(found[0]).toMatchObject({ line: 4, path: 'smoke-suite.suites[0].run' });
    expect(found[0]!.message).toContain('unterminated double quote');
    const piped = problems(
      [
        'smoke-suite:',
        '  suites:',
        '    - name: a',
        '      run: pytest | tee log',
        '      junit: r.xml',
        '',
      ].join('\n'),
    );
    expect(piped.map((p) => [p.line, p.path])).toEqual([[4, 'smoke-suite.suites[0].run']]);
    expect(piped[0]!.message).toContain('needs a shell: set `shell: true`');
  });
});

describe('kafka-topic-check window and timeout', () => {
  const kafka = (extra: string) =>
    `kafka-topic-check:\n  brokers: 127.0.0.1:9092\n${extra}  topics:\n    - name: t\n`;

  it('a window as long as the timeout is an error at the line of window', () => {
    const text = kafka('  timeout: 90s\n  window: 1m30s\n');
    const found = problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: lineOf(text, 'window:'), path: 'kafka-topic-check.window' });
    expect(found[0]!.message).toBe(
      `window "1m30s" must be shorter than timeout "90s": the timeout bounds the whole check, window included`,
    );
  });

  it('a window longer than the default timeout is measured against that default', () => {
    const text = kafka('  window: 3m\n');
    const found = problems(text);
    expect(found.map((p) => p.path)).toEqual(['kafka-topic-check.window']);
    expect(found[0]!.message).toContain('timeout "2m" (the default)');
  });

  it('a timeout at or under the default window is reported at timeout', () => {
    const text = kafka('  timeout: 30s\n');
    const found = problems(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: lineOf(text, 'timeout:'), path: 'kafka-topic-check.timeout' });
    expect(found[0]!.message).toContain('window "30s" (the default)');
  });

  it('a window shorter than the timeout passes', () => {
    expect(problems(kafka('  window: 89s\n  timeout: 90s\n'))).toEqual([]);
  });
});

describe('files the actions read', () => {
  it('every missing chart, values, schema and waivers file at its line, naming the path', () => {
    const text = [
      'helm-deploy:',
      '  release: r',
      '  chart: ./charts/gone',
      '  values:',
      '    - values.yaml',
      '    - values-missing.yaml',
      'kafka-topic-check:',
      '  brokers: 127.0.0.1:9092',
      '  topics:',
      '    - name: t',
      '      schema: topic.json',
      '    - name: u',
      '      schema: schemas/missing.json',
      'design-drift:',
      '  declared: ["x/*.json"]',
      '  waivers: drift-waivers.yml',
      '',
    ].join('\n');
    const found = problems(text);
    expect(found.map((p) => [p.line, p.path])).toEqual([
      [3, 'helm-deploy.chart'],
      [6, 'helm-deploy.values[1]'],
      [13, 'kafka-topic-check.topics[1].schema'],
      [16, 'design-drift.waivers'],
    ]);
    expect(found[0]!.message).toBe(
      `the chart "./charts/gone" does not exist (looked for ${join(ws, 'charts/gone')})`,
    );
    expect(found[1]!.message).toContain('the values file "values-missing.yaml" does not exist');
    expect(found[2]!.message).toContain(
      `the schema file "schemas/missing.json" does not exist (looked for ${join(ws, 'schemas/missing.json')})`,
    );
    expect(found[3]!.message).toContain('the waivers file "drift-waivers.yml" does not exist');
  });

  it('a release set: each missing chart or values file at its line, and needs that name no release', () => {
    const set = [
      'helm-deploy:',
      '  releases:',
      '    - name: db',
      '      chart: chart',
      '      values: [values.yaml]',
      '    - name: api',
      '      chart: ./charts/gone',
      '      values: [values-missing.yaml]',
      '      needs: [db]',
      '',
    ].join('\n');
    const found = problems(set);
    expect(found.map((p) => [p.line, p.path])).toEqual([
      [7, 'helm-deploy.releases[1].chart'],
      [8, 'helm-deploy.releases[1].values[0]'],
    ]);
    expect(found[0]!.message).toBe(
      `the chart "./charts/gone" does not exist (looked for ${join(ws, 'charts/gone')})`,
    );
    const unknown = problems(set.replace('needs: [db]', 'needs: [dbx]'));
    expect(unknown.map((p) => p.path)).toContain('helm-deploy.releases');
    expect(unknown.find((p) => p.path === 'helm-deploy.releases')!.message).toContain(
      'release "api" needs "dbx", which is not a release of the set (the set has: db, api)',
    );
    const cycle = problems(
      'helm-deploy:\n  releases:\n    - {name: a, chart: chart, needs: [b]}\n    - {name: b, chart: chart, needs: [a]}\n',
    );
    expect(cycle.map((p) => p.message).join('\n')).toContain('the needs form a cycle: a → b → a');
    expect(
      problems('helm-deploy:\n  releases:\n    - {name: a, chart: chart, waits: [b]}\n')[0]!.path,
    ).toMatch(/^helm-deploy\.releases\[0\]/);
    expect(
      problems(set.replace('./charts/gone', 'chart').replace('values-missing.yaml', 'values.yaml')),
    ).toEqual([]);
  });

  it('a chart folder without Chart.yaml, a missing set-file file and a missing working directory', () => {
    mkdirSync(join(ws, 'not-a-chart'), { recursive: true });
    writeFileSync(join(ws, 'ca.pem'), 'x\n');
    const text = [
      'setup:',
      '  - run: pnpm install',
      '    working-directory: apps/gone',
      'helm-deploy:',
      '  release: r',
      '  chart: not-a-chart',
      '  set-file:',
      '    - tls.ca=ca.pem',
      '    - tls.key=secrets/key.pem',
      'smoke-suite:',
      '  suites:',
      '    - name: s',
      '      run: pytest',
      '      junit: r.xml',
      '      working-directory: tests/gone',
      '',
    ].join('\n');
    const found = problems(text);
    expect(found.map((p) => [p.line, p.path])).toEqual([
      [3, 'setup[0].working-directory'],
      [6, 'helm-deploy.chart'],
      [9, 'helm-deploy.set-file[1]'],
      [15, 'smoke-suite.suites[0].working-directory'],
    ]);
    expect(found[2]!.message).toBe(
      `the set-file file of "tls.key" "secrets/key.pem" does not exist (looked for ${join(ws, 'secrets/key.pem')})`,
    );
    expect(found[0]!.message).toContain('the working directory "apps/gone" does not exist');
    expect(found[1]!.message).toBe(
      `the chart folder "not-a-chart" has no Chart.yaml (looked in ${join(ws, 'not-a-chart')})`,
    );
  });

  it('files that exist pass', () => {
    const text = [
      'helm-deploy:',
      '  release: r',
      '  chart: chart',
      '  values: values.yaml',
      'kafka-topic-check:',
      '  brokers: 127.0.0.1:9092',
      '  topics:',
      '    - name: t',
      '      schema: topic.json',
      'design-drift:',
      '  declared: ["x/*.json"]',
      '  waivers: waivers.yml',
      '',
    ].join('\n');
    expect(problems(text)).toEqual([]);
  });

  it('a chart of a repository or registry is not looked for in the workspace', () => {
    expect(isLocalChart('bitnami/redis', undefined)).toBe(false);
    expect(isLocalChart('oci://registry.example/charts/app', undefined)).toBe(false);
    expect(isLocalChart('https://charts.example/app-1.0.0.tgz', undefined)).toBe(false);
    expect(isLocalChart('redis', 'https://charts.example')).toBe(false);
    expect(isLocalChart('examples/staging/chart', undefined)).toBe(true);
    expect(isLocalChart('./chart', undefined)).toBe(true);
    expect(isLocalChart('chart', undefined)).toBe(true);
    expect(isLocalChart('dist/app-1.0.0.tgz', undefined)).toBe(true);
  });

  it('a waivers file read from a base ref is not looked for in the checkout', () => {
    const text = 'design-drift:\n  declared: ["x/*.json"]\n  base-ref: origin/main\n  waivers: gone.yml\n';
    expect(problems(text).filter((p) => p.path === 'design-drift.waivers')).toEqual([]);
  });
});

describe('owners name declared squads', () => {
  const grid = 'backlog-grid:\n  squads:\n    - Governance Core\n    - Runtime & Training\n';
  const owners = [
    'kafka-topic-check:',
    '  brokers: 127.0.0.1:9092',
    '  topics:',
    '    - name: t',
    '      owner: Governance Core',
    '    - name: u',
    '      owner: Governance Kore',
    '  consumer-groups:',
    '    - name: g',
    '      owner: Platform',
    'design-drift:',
    '  declared: ["x/*.json"]',
    '  owner: Experience & Ecosystem',
    '',
  ].join('\n');

  it('an unknown squad is an error at its line, listing the declared ones', () => {
    const text = grid + owners;
    const found = problems(text);
    expect(found.map((p) => [p.line, p.path])).toEqual([
      [lineOf(text, 'Governance Kore'), 'kafka-topic-check.topics[1].owner'],
      [lineOf(text, 'Platform'), 'kafka-topic-check.consumer-groups[0].owner'],
      [lineOf(text, 'Experience & Ecosystem'), 'design-drift.owner'],
    ]);
    expect(found[0]!.message).toBe(
      `"Governance Kore" is not a declared squad; backlog-grid.squads declares "Governance Core", "Runtime & Training"`,
    );
  });

  it("the pulse's dependencies name declared squads too", () => {
    const text = [
      grid.trimEnd(),
      'infra-pulse:',
      '  kafka: { brokers: "k:9092", owner: Runtime & Training }',
      '  redis:',
      '    - { name: sessions, address: "r:6379", owner: Sessions Team }',
      '  postgres:',
      '    - { name: audit, address: "p:5432", user: u, owner: Governance Core }',
      '    - { name: audit-standby, address: "p:5433", user: u, owner: Audit Crew }',
      '',
    ].join('\n');
    expect(problems(text).map((p) => [p.line, p.path])).toEqual([
      [lineOf(text, 'Sessions Team'), 'infra-pulse.redis[0].owner'],
      [lineOf(text, 'Audit Crew'), 'infra-pulse.postgres[1].owner'],
    ]);
  });

  it("a panel's squad and the owner of its limits name declared squads too", () => {
    const text = [
      grid.trimEnd(),
      'evidence-archive:',
      '  prometheus-url: http://127.0.0.1:9090',
      '  queries:',
      '    - { name: a, query: up, squad: Governance Core, owner: Runtime & Training }',
      '    - { name: b, query: up, squad: Experience Crew }',
      '    - name: c',
      '      query: up',
      '      threshold: { max: 200 }',
      '      owner: Latency Guild',
      '',
    ].join('\n');
    expect(problems(text).map((p) => [p.line, p.path])).toEqual([
      [lineOf(text, 'Experience Crew'), 'evidence-archive.queries[1].squad'],
      [lineOf(text, 'Latency Guild'), 'evidence-archive.queries[2].owner'],
    ]);
  });

  it('without backlog-grid squads nothing is declared and no owner is refused', () => {
    expect(problems(owners)).toEqual([]);
  });
});

describe("the project's own configuration", () => {
  it('passes every run-time check', () => {
    const text = readFileSync(join(ROOT, 'integration-day.config.yml'), 'utf8');
    expect(problems(text, ROOT)).toEqual([]);
  });
});
