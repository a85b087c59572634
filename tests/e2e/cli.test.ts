import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/cli/config/load.js';
import { setupScript } from '../../src/cli/workflow-action/setup-script.js';
import { ACTIONS } from '../../src/registry.js';
import type { CheckReport } from '../../src/actions/kafka-topic-check/model.js';
import { ensureBuilt } from '../support/build.js';
import { KafkaFixture } from '../support/kafka.js';
import { NODE24, ROOT } from '../support/paths.js';
import { machineNetworkEnv, parseAnnotations, parseKeyValueFile } from '../support/run-action.js';
import { STACK, needsServers, requireServer } from '../support/servers.js';

needsServers('kafka');

const BIN = join(ROOT, 'bin/command-center.js');

interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A clean environment: nothing of an Actions runner the tests themselves may run in. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...machineNetworkEnv(),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    ...extra,
  };
}

function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(NODE24, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: env(opts.env),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the CLI without blocking, so the test can act on what it prints while it runs. */
function cliAsync(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; onLine?: (line: string) => void },
): Promise<CliRun> {
  const child = spawn(NODE24, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: env(opts.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop()!;
    for (const l of lines) opts.onLine?.(l);
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) => {
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const explain = (r: CliRun) => `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
const todayIn = (zone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());

/** 1-based line and column of the first line that starts (past its indentation) with `start`. */
function where(text: string, start: string): { line: number; column: number } {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.trimStart().startsWith(start));
  if (i < 0) throw new Error(`no line of the test's own text starts with ${JSON.stringify(start)}`);
  return { line: i + 1, column: lines[i]!.length - lines[i]!.trimStart().length + 1 };
}

const repoText = readFileSync(join(ROOT, 'integration-day.config.yml'), 'utf8');

beforeAll(() => ensureBuilt(), 300_000);

describe('command-center: help and usage', () => {
  it('--help lists the eight actions and the config commands', () => {
    const r = cli(['--help']);
    expect(r.status, explain(r)).toBe(0);
    expect(r.stdout).toContain(`actions: ${ACTIONS.map((m) => m.name).join(', ')}`);
    expect(ACTIONS).toHaveLength(10);
    for (const sub of ['config check [file]', 'config inputs <action> [file]', 'config schema'])
      expect(r.stdout).toContain(`command-center ${sub}`);
    expect(r.stderr).toBe('');
  });

  it('an unknown command exits 2 with the usage on stderr', () => {
    const r = cli(['frobnicate', '--now']);
    expect(r.status, explain(r)).toBe(2);
    expect(r.stderr).toContain('command-center: unknown command "frobnicate"');
    expect(r.stderr).toContain('command-center <command> [options]');
    expect(r.stdout).toBe('');
  });

  it('no command at all exits 2 with the usage', () => {
    const r = cli([]);
    expect(r.status, explain(r)).toBe(2);
    expect(r.stdout).toContain('command-center <command> [options]');
  });

  it('<action> --help lists every input of the action, with defaults and choices', () => {
    const m = ACTIONS.find((a) => a.name === 'kafka-topic-check')!;
    const r = cli(['kafka-topic-check', '--help']);
    expect(r.status, explain(r)).toBe(0);
    for (const [name, spec] of Object.entries(m.inputs)) {
      expect(r.stdout, name).toContain(spec.kind === 'boolean' ? `--${name} / --no-${name}` : `--${name} <`);
      expect(r.stdout, name).toContain(spec.description);
    }
    expect(r.stdout).toContain('--brokers <string>  (required)');
    expect(r.stdout).toContain('--window <duration>  (default 30s)');
    expect(r.stdout).toContain(
      '--sasl-mechanism <enum>  (default none; one of none, plain, scram-sha-256, scram-sha-512)',
    );
    for (const output of Object.keys(m.outputs)) expect(r.stdout).toContain(`  ${output}: `);
  });

  it('an unknown flag or a bad input value exits 1 with the reason, before touching anything', () => {
    const flag = cli(['kafka-topic-check', '--brokerz', 'a:1']);
    expect(flag.status, explain(flag)).toBe(1);
    expect(flag.stderr).toContain(
      'kafka-topic-check: unknown flag --brokerz; the inputs are --brokers, --topics',
    );
    const runnerTemp = mkdtempSync(join(tmpdir(), 'cc-cli-bad-'));
    const value = cli(['kafka-topic-check', '--brokers', 'not a broker list', '--topics', '- name: a'], {
      env: { RUNNER_TEMP: runnerTemp },
    });
    expect(value.status, explain(value)).toBe(1);
    expect(value.stdout).toContain(`input 'brokers' has value "not a broker list"`);
    expect(value.stdout).toContain('kafka-topic-check: failed');
  });
});

describe('command-center config', () => {
  it("check: the repository's file is valid, with its date and sections", () => {
    const before = todayIn('America/Los_Angeles');
    const r = cli(['config', 'check']);
    const after = todayIn('America/Los_Angeles');
    expect(r.status, explain(r)).toBe(0);
    const m =
      /^integration-day\.config\.yml: valid\. Date (\d{4}-\d{2}-\d{2}) \(America\/Los_Angeles\); sections: (.*); 1 setup command\(s\)\.\n$/.exec(
        r.stdout,
      );
    expect(m, r.stdout).not.toBeNull();
    expect([before, after]).toContain(m![1]);
    expect(m![2]).toBe(ACTIONS.map((a) => a.name).join(', '));
  });

  it('check: a broken file exits 1 and lists every problem as file:line:column on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-cli-config-'));
    const text = [
      'timezone: America/Los_Angeles',
      'smoke-suite:',
      '  concurency: 3',
      '  suites:',
      '    - name: api',
      '      run: echo ok',
      '      junit: reports/api.xml',
      'kafka-topic-check:',
      '  brokers: 127.0.0.1:19092',
      '  password: not-in-this-file',
      '  topics:',
      '    - name: policy.decisions',
      '    - name: conversation.events',
      '      max-age: two minutes',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'broken.yml'), text);
    const r = cli(['config', 'check', 'broken.yml'], { cwd: dir });
    expect(r.status, explain(r)).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'command-center: broken.yml is not a valid Integration Day configuration (3 problems):',
    );
    const at = (start: string) => {
      const w = where(text, start);
      return `broken.yml:${w.line}:${w.column}`;
    };
    expect(r.stderr).toContain(
      `  ${at('concurency:')}: smoke-suite.concurency: is not a known input of smoke-suite; did you mean 'concurrency'?\n`,
    );
    expect(r.stderr).toContain(
      `  ${at('password:')}: kafka-topic-check.password: is not set in this file: it is a secret`,
    );
    expect(r.stderr).toContain(`  ${at('max-age:')}: kafka-topic-check.topics[1].max-age: `);
    expect(r.stderr).not.toContain('not-in-this-file');
    expect(r.stderr).not.toContain('    at '); // a person's mistake, not a crash: no stack trace
  });

  it('inputs <action>: the JSON of strings the action gets', () => {
    const r = cli(['config', 'inputs', 'kafka-topic-check']);
    expect(r.status, explain(r)).toBe(0);
    const inputs = JSON.parse(r.stdout) as Record<string, string>;
    expect(inputs.brokers).toBe('127.0.0.1:19092');
    const doc = parseYaml(repoText) as Record<string, Record<string, unknown>>;
    expect(parseYaml(inputs.topics!)).toEqual(doc['kafka-topic-check']!.topics);
    expect(inputs).toEqual(
      loadConfig(repoText, { file: 'integration-day.config.yml', workspace: ROOT, actions: ACTIONS }).inputs[
        'kafka-topic-check'
      ],
    );
  });

  it('a file that cannot be read, or an unknown action, is a clear user error: exit 1, no stack trace', () => {
    const missing = cli(['config', 'check', 'no-such-config.yml']);
    expect(missing.status, explain(missing)).toBe(1);
    expect(missing.stderr).toBe(
      'command-center: no-such-config.yml: cannot read the configuration file (ENOENT)\n',
    );
    const unknown = cli(['config', 'inputs', 'helm-deploi']);
    expect(unknown.status, explain(unknown)).toBe(1);
    expect(unknown.stderr).toMatch(
      /^command-center: config inputs: unknown action "helm-deploi"; one of helm-deploy, /,
    );
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
  });

  it('inputs setup: the setup commands as the bash script the smoke job runs', () => {
    const r = cli(['config', 'inputs', 'setup']);
    expect(r.status, explain(r)).toBe(0);
    expect(r.stdout).toBe(
      setupScript(
        loadConfig(repoText, { file: 'integration-day.config.yml', workspace: ROOT, actions: ACTIONS }).setup,
      ),
    );
    expect(r.stdout).toContain("cd -- 'examples/staging'");
  });

  it('schema: exactly the committed config/integration-day.schema.json', () => {
    const r = cli(['config', 'schema']);
    expect(r.status, explain(r)).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(ROOT, 'config/integration-day.schema.json'), 'utf8'));
  });
});

describe('the CLI started by the runner as config/action.yml', () => {
  function asAction(workspace: string, inputs: Record<string, string>) {
    const temp = mkdtempSync(join(tmpdir(), 'cc-config-action-'));
    const files = { GITHUB_OUTPUT: join(temp, 'output'), GITHUB_STEP_SUMMARY: join(temp, 'summary') };
    for (const f of Object.values(files)) writeFileSync(f, '');
    const vars: Record<string, string> = {
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      RUNNER_TEMP: temp,
      ...files,
    };
    for (const [k, v] of Object.entries(inputs)) vars[`INPUT_${k.toUpperCase()}`] = v;
    // The runner starts `node <main>` with no arguments; main is ../dist/cli/index.js from config/.
    const r = spawnSync(NODE24, [join(ROOT, 'config', '../dist/cli/index.js')], {
      cwd: workspace,
      env: env(vars),
      encoding: 'utf8',
      timeout: 60_000,
    });
    return {
      status: r.status,
      stdout: r.stdout,
      stderr: r.stderr,
      outputs: parseKeyValueFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
      summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
    };
  }

  it('load: outputs the date, the setup script and every section as JSON', () => {
    const r = asAction(ROOT, {
      command: 'load',
      file: 'integration-day.config.yml',
      date: '2026-11-25',
      sections: 'smoke-suite\nkafka-topic-check\n',
      'deploy-step-timeout': '15m',
    });
    expect(r.status, explain(r)).toBe(0);
    const loaded = loadConfig(repoText, {
      file: 'integration-day.config.yml',
      workspace: ROOT,
      actions: ACTIONS,
      date: '2026-11-25',
    });
    expect(r.outputs.date).toBe('2026-11-25');
    expect(r.outputs.timezone).toBe('America/Los_Angeles');
    expect(r.outputs.setup).toBe(setupScript(loaded.setup));
    for (const m of ACTIONS) expect(JSON.parse(r.outputs[m.name]!), m.name).toEqual(loaded.inputs[m.name]);
    expect(JSON.parse(r.outputs['evidence-archive']!).date).toBe('2026-11-25');
    expect(r.summary).toContain('Date **2026-11-25** (America/Los_Angeles)');
  });

  it('load: a broken file fails with an error annotation on each problem line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-config-action-ws-'));
    const text = [
      'helm-deploy:',
      '  release: staging',
      '  chart: examples/staging/chart',
      '  timeout: 10m',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'day.yml'), text);
    const r = asAction(dir, {
      command: 'load',
      file: 'day.yml',
      sections: 'smoke-suite',
      'deploy-step-timeout': '15m',
    });
    expect(r.status, explain(r)).toBe(1);
    const errors = parseAnnotations(r.stdout).filter(
      (a) => a.level === 'error' && a.properties.file === 'day.yml',
    );
    expect(errors.map((a) => a.properties.line)).toEqual(['1', String(where(text, 'timeout:').line)]);
    expect(errors[0]!.message).toBe(
      "the section 'smoke-suite' is missing; this workflow needs it (see config/README.md)",
    );
    expect(errors[1]!.message).toContain(
      "helm-deploy.timeout: timeout 10m00s plus an automatic rollback of up to the same plus a minute of margin (21m00s) does not fit in the step's 15m00s",
    );
    expect(r.outputs.date).toBeUndefined();
  });
});

describe('command-center kafka-topic-check against the real local Kafka', () => {
  let kafka: KafkaFixture;
  beforeAll(async () => {
    await requireServer('kafka');
    kafka = await new KafkaFixture(STACK.kafka).connect();
  });
  afterAll(() => kafka?.close());

  const traceId = () => randomUUID().replaceAll('-', '');
  const report = (path: string) =>
    (JSON.parse(readFileSync(path, 'utf8')) as { action: string; status: string; result: CheckReport })
      .result;

  it('with --config and flags: counts exactly the messages produced during the window, and writes its result under RUNNER_TEMP', async () => {
    const topic = await kafka.topic('cc-cli', 2);
    const base = Date.now() - 60_000;
    const old = [
      { partition: 0, value: { n: 0 }, timestamp: base, traceId: traceId() },
      { partition: 0, value: { n: 1 }, timestamp: base + 1_000, traceId: traceId() },
      { partition: 1, value: { n: 2 }, timestamp: base + 2_000, traceId: traceId() },
    ];
    await kafka.send(topic, old);
    const runnerTemp = mkdtempSync(join(tmpdir(), 'cc-cli-kafka-'));
    let inWindow: { partition: number; value: unknown; timestamp: number; traceId: string }[] = [];
    let sent: Promise<void> | undefined;
    const run = await cliAsync(
      [
        'kafka-topic-check',
        '--config',
        'integration-day.config.yml',
        '--brokers',
        STACK.kafka,
        '--topics',
        `- name: ${topic}\n  min-messages: 4\n  min-partitions: 2\n  max-age: 5m\n  owner: CLI test`,
        '--consumer-groups',
        '',
        '--window',
        '5s',
      ],
      {
        env: { RUNNER_TEMP: runnerTemp },
        onLine: (line) => {
          // The window's start offsets are sampled: what is produced now is the window's traffic.
          if (!sent && line.includes('observing traffic for 5s')) {
            const now = Date.now();
            inWindow = [
              { partition: 1, value: { n: 3 }, timestamp: now - 4_000, traceId: traceId() },
              { partition: 0, value: { n: 4 }, timestamp: now - 3_000, traceId: traceId() },
              { partition: 0, value: { n: 5 }, timestamp: now - 2_000, traceId: traceId() },
              { partition: 0, value: { n: 6 }, timestamp: now - 1_000, traceId: traceId() },
            ];
            sent = kafka.send(topic, inWindow);
          }
        },
      },
    );
    await sent;
    expect(sent, explain(run)).toBeDefined();
    expect(run.status, explain(run)).toBe(0);
    expect(run.stdout).toContain(`Observing 1 topic(s) and 0 group(s) on ${STACK.kafka}`);
    expect(run.stdout).toContain('kafka-topic-check: succeeded');
    const resultPath = join(runnerTemp, 'command-center', 'kafka-topic-check.json');
    for (const line of [
      'healthy: true',
      'topics-checked: 1',
      'topics-failed: 0',
      'groups-failed: 0',
      'schema-violations: 0',
      `result-path: ${resultPath}`,
    ])
      expect(run.stdout).toContain(`\n  ${line}\n`);

    const r = report(resultPath);
    expect(r.healthy).toBe(true);
    expect(r.windowMs).toBe(5_000);
    expect(r.groups).toEqual([]);
    const t = r.topics[0]!;
    expect(r.topics).toHaveLength(1);
    expect(t).toMatchObject({
      name: topic,
      status: 'ok',
      exists: true,
      partitions: 2,
      messagesInWindow: 4,
      owner: 'CLI test',
      findings: [],
    });
    const byPartition = new Map(t.partitionDetails.map((p) => [p.partition, p]));
    expect(byPartition.get(0)).toMatchObject({ messagesInWindow: 3, newestOffset: '4' });
    expect(byPartition.get(1)).toMatchObject({ messagesInWindow: 1, newestOffset: '1' });
    const newest = Math.max(...inWindow.map((m) => m.timestamp));
    expect(t.newestTimestamp).toBe(new Date(newest).toISOString());
    // `sample: 3` comes from the configuration file (the default is 5): 3 of partition 0's 5, both of partition 1's.
    expect(t.sampled).toBe(5);
    const expectedTraces = [...inWindow, old[2]!].map((m) => m.traceId).sort();
    expect([...t.traceIds].sort()).toEqual(expectedTraces);

    const summaryPath = /\nsummary: (.+)\n$/.exec(run.stdout)?.[1];
    expect(summaryPath, run.stdout).toBeDefined();
    expect(summaryPath!.startsWith(join(runnerTemp, 'command-center-cli', 'kafka-topic-check-'))).toBe(true);
    expect(readFileSync(summaryPath!, 'utf8')).toContain(`\`${topic}\``);
  });

  it('a topic that does not exist fails the run and names the topic', async () => {
    const topic = `cc-cli-missing-${randomUUID().slice(0, 8)}`;
    const runnerTemp = mkdtempSync(join(tmpdir(), 'cc-cli-kafka-missing-'));
    const run = await cliAsync(
      ['kafka-topic-check', '--brokers', STACK.kafka, '--topics', `- name: ${topic}`, '--window', '1s'],
      { env: { RUNNER_TEMP: runnerTemp } },
    );
    expect(run.status, explain(run)).toBe(1);
    expect(run.stdout).toContain(`topic-missing: topic ${topic} does not exist`);
    expect(run.stdout).toContain(`1 check(s) failed: ${topic}`);
    expect(run.stdout).toContain('kafka-topic-check: failed');
    expect(run.stdout).toContain('\n  topics-failed: 1\n');
    const r = report(join(runnerTemp, 'command-center', 'kafka-topic-check.json'));
    expect(r.healthy).toBe(false);
    expect(r.topics[0]).toMatchObject({ name: topic, exists: false, status: 'error' });
    expect(r.topics[0]!.findings.map((f) => f.code)).toEqual(['topic-missing']);
  });
});

describe('command-center design-drift on the repository contracts', () => {
  /** A workspace holding the repository's declared contracts, a recording of them, and its configuration. */
  function workspace(): string {
    const dir = mkdtempSync(join(tmpdir(), 'cc-cli-drift-'));
    cpSync(join(ROOT, 'docs/design/declared'), join(dir, 'docs/design/declared'), { recursive: true });
    mkdirSync(join(dir, 'docs/design/contracts'), { recursive: true });
    cpSync(join(ROOT, 'docs/design/declared'), join(dir, 'docs/design/contracts/2026-11-20'), {
      recursive: true,
    });
    cpSync(join(ROOT, 'integration-day.config.yml'), join(dir, 'integration-day.config.yml'));
    return dir;
  }
  const declaredCount = (ws: string) =>
    spawnSync('bash', ['-c', 'ls docs/design/declared/*/*.json | wc -l'], {
      cwd: ws,
      encoding: 'utf8',
    }).stdout.trim();

  it('declared contracts equal to the newest recording: no drift', () => {
    const ws = workspace();
    const runnerTemp = mkdtempSync(join(tmpdir(), 'cc-cli-drift-rt-'));
    const r = cli(['design-drift', '--config', 'integration-day.config.yml'], {
      cwd: ws,
      env: { RUNNER_TEMP: runnerTemp },
    });
    expect(r.status, explain(r)).toBe(0);
    expect(r.stdout).toContain('design-drift: succeeded');
    for (const line of ['breaking: 0', 'changes: 0', 'failed: false'])
      expect(r.stdout).toContain(`\n  ${line}\n`);
    const result = JSON.parse(
      readFileSync(join(runnerTemp, 'command-center', 'design-drift.json'), 'utf8'),
    ) as { result: { recorded: string; documents: { declared: string; recorded: string }[]; owner: string } };
    expect(result.result.recorded).toBe('docs/design/contracts/2026-11-20');
    expect(String(result.result.documents.length)).toBe(declaredCount(ws));
    expect(
      result.result.documents.every(
        (d) =>
          d.recorded === d.declared.replace('docs/design/declared/', 'docs/design/contracts/2026-11-20/'),
      ),
    ).toBe(true);
    expect(result.result.owner).toBe(
      (parseYaml(repoText) as { 'design-drift': { owner: string } })['design-drift'].owner,
    );
  });

  it('a required response property removed from a declared contract is breaking drift, at its line, with the owner from the configuration', () => {
    const ws = workspace();
    const file = 'docs/design/declared/policy-engine/openapi.json';
    const doc = JSON.parse(readFileSync(join(ws, file), 'utf8')) as {
      paths: Record<
        string,
        Record<
          string,
          {
            responses: Record<
              string,
              {
                content: Record<
                  string,
                  { schema: { properties: Record<string, unknown>; required: string[] } }
                >;
              }
            >;
          }
        >
      >;
    };
    const schema = doc.paths['/v1/evaluate']!.post!.responses['200']!.content['application/json']!.schema;
    expect(schema.required).toContain('severity');
    delete schema.properties.severity;
    schema.required = schema.required.filter((r) => r !== 'severity');
    const written = `${JSON.stringify(doc, null, 2)}\n`;
    writeFileSync(join(ws, file), written);

    const runnerTemp = mkdtempSync(join(tmpdir(), 'cc-cli-drift-rt-'));
    const r = cli(['design-drift', '--config', 'integration-day.config.yml'], {
      cwd: ws,
      env: { RUNNER_TEMP: runnerTemp },
    });
    expect(r.status, explain(r)).toBe(1);
    expect(r.stdout).toContain('design-drift: failed');
    for (const line of ['breaking: 1', 'changes: 1', 'failed: true'])
      expect(r.stdout).toContain(`\n  ${line}\n`);
    const { owner, runbook } = (
      parseYaml(repoText) as { 'design-drift': { owner: string; runbook: string } }
    )['design-drift'];
    expect(r.stdout).toContain(
      `error: breaking drift: openapi.response.property.removed: response 200 application/json › severity: property removed (it was required) [POST /v1/evaluate]`,
    );
    expect(r.stdout).toContain(`owner: ${owner}, runbook: ${runbook}`);
    const result = JSON.parse(
      readFileSync(join(runnerTemp, 'command-center', 'design-drift.json'), 'utf8'),
    ) as {
      status: string;
      result: { changes: { rule: string; level: string; file: string; line: number; operation: string }[] };
    };
    expect(result.status).toBe('failure');
    expect(result.result.changes).toHaveLength(1);
    const change = result.result.changes[0]!;
    expect(change).toMatchObject({
      rule: 'openapi.response.property.removed',
      level: 'breaking',
      file,
      operation: 'POST /v1/evaluate',
    });
    expect(r.stdout).toContain(`(${file}:${change.line})`);
    // The line is in the file as written: the `properties` of the schema that lost `severity`.
    expect(written.split('\n')[change.line - 1]!.trim()).toBe('"properties": {');
  });
});
