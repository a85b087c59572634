import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadConfig } from '../../src/cli/config/load.js';
import { CONFIG_SCHEMA_ID, configSchema } from '../../src/cli/config/schema.js';
import { configurableInputs } from '../../src/cli/config/sections.js';
import { handoffName, HANDOFF_PREFIX, latestPerJob } from '../../src/cli/workflow-action/handoff.js';
import { workflowActionMetadata } from '../../src/cli/workflow-action/metadata.js';
import { setupScript, shellQuote } from '../../src/cli/workflow-action/setup-script.js';
import { SETUP_JOBS } from '../../src/cli/config/setup.js';
import { renderActionYml } from '../../src/lib/docs/action-docs.js';
import { parseDurationMs } from '../../src/lib/duration.js';
import { validateAgainst } from '../../src/lib/schema.js';
import { ACTIONS } from '../../src/registry.js';
import { ROOT } from '../support/paths.js';

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
  'timeout-minutes'?: number;
}
interface Job {
  uses?: string;
  outputs?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  jobs: Record<string, Job>;
}

const WORKFLOW_DIR = join(ROOT, '.github/workflows');
const workflowFiles = readdirSync(WORKFLOW_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const workflows = workflowFiles.map((f) => ({
  file: f,
  text: readFileSync(join(WORKFLOW_DIR, f), 'utf8'),
  wf: parseYaml(readFileSync(join(WORKFLOW_DIR, f), 'utf8')) as Workflow,
}));
const byName = new Map(ACTIONS.map((m) => [m.name, m]));
const ACTION_USES = /^command-center\/command-center\/actions\/([a-z-]+)@v1$/;
const CONFIG_USES = 'command-center/command-center/config@v1';

function* steps(): Generator<{ file: string; job: string; jobDef: Job; step: Step; where: string }> {
  for (const { file, wf } of workflows) {
    for (const [job, jobDef] of Object.entries(wf.jobs)) {
      for (const [i, step] of (jobDef.steps ?? []).entries())
        yield {
          file,
          job,
          jobDef,
          step,
          where: `${file} jobs.${job}.steps[${i}]${step.id ? ` (${step.id})` : ''}`,
        };
    }
  }
}

/** Every string in a parsed YAML value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('config/action.yml', () => {
  const yml = parseYaml(readFileSync(join(ROOT, 'config/action.yml'), 'utf8')) as {
    runs: { using: string; main: string };
  };

  it('is the metadata in src/cli/workflow-action/metadata.ts, rendered like the actions', () => {
    const rendered = parseYaml(renderActionYml(workflowActionMetadata)) as Record<string, unknown>;
    expect(yml).toEqual({ ...rendered, runs: { using: 'node24', main: '../dist/cli/index.js' } });
  });

  it('runs the bundled CLI, the same file bin/command-center.js starts', () => {
    expect(resolve(ROOT, 'config', yml.runs.main)).toBe(join(ROOT, 'dist/cli/index.js'));
    expect(readFileSync(join(ROOT, 'bin/command-center.js'), 'utf8')).toContain(
      "new URL('../dist/cli/index.js', import.meta.url)",
    );
  });

  it('has an output per action, and kebab-case inputs', () => {
    for (const m of ACTIONS) expect(workflowActionMetadata.outputs[m.name], m.name).toBeTruthy();
    for (const name of Object.keys(workflowActionMetadata.inputs))
      expect(name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });
});

describe('config/integration-day.schema.json', () => {
  const committed = readFileSync(join(ROOT, 'config/integration-day.schema.json'), 'utf8');

  it('is exactly what `command-center config schema` prints', () => {
    expect(committed).toBe(`${JSON.stringify(configSchema(ACTIONS), null, 2)}\n`);
    expect((JSON.parse(committed) as { $id: string }).$id).toBe(CONFIG_SCHEMA_ID);
  });

  it("has one section per action holding exactly the inputs the file may set, and is the one the repository's file names", () => {
    const schema = JSON.parse(committed) as {
      properties: Record<string, { properties?: Record<string, unknown> }>;
    };
    expect(Object.keys(schema.properties)).toEqual([
      '$schema',
      'timezone',
      'setup',
      ...ACTIONS.map((m) => m.name),
    ]);
    // The smoke section also holds how its job fans out (for the workflow, not the action).
    for (const m of ACTIONS)
      expect(Object.keys(schema.properties[m.name]!.properties!), m.name).toEqual([
        ...configurableInputs(m),
        ...(m.name === 'smoke-suite' ? ['shards', 'shard-target', 'max-shards', 'max-parallel'] : []),
        ...(m.name === 'kafka-topic-check' ? ['clusters'] : []),
      ]);
    expect(configurableInputs(ACTIONS.find((m) => m.name === 'smoke-suite')!)).not.toContain('shard');
    expect(readFileSync(join(ROOT, 'integration-day.config.yml'), 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./config/integration-day.schema.json',
    );
  });

  it("accepts the repository's configuration and refuses a broken one (what an editor shows)", () => {
    const schema = JSON.parse(committed) as Parameters<typeof validateAgainst>[0];
    expect(
      validateAgainst(schema, parseYaml(readFileSync(join(ROOT, 'integration-day.config.yml'), 'utf8'))),
    ).toEqual([]);
    const broken = validateAgainst(schema, {
      'kafka-topic-check': { brokers: 'a:1', topics: [{ name: 'a', 'min-messages': 'many' }] },
      'smoke-suite': { concurrncy: 2 },
    });
    expect(broken.map((v) => v.pointer).sort()).toEqual(
      expect.arrayContaining(['/kafka-topic-check/topics/0/min-messages']),
    );
    expect(broken.some((v) => v.pointer.startsWith('/smoke-suite') && v.message.includes('concurrncy'))).toBe(
      true,
    );
  });
});

describe('the workflows use the actions as declared', () => {
  const repoConfig = loadConfig(readFileSync(join(ROOT, 'integration-day.config.yml'), 'utf8'), {
    file: 'integration-day.config.yml',
    workspace: ROOT,
    actions: ACTIONS,
    date: '2026-11-25',
  });

  it('there are workflows, and they call every action and the configuration helper', () => {
    expect(workflowFiles).toEqual(
      expect.arrayContaining(['integration-day.yml', 'design-drift.yml', 'record-contracts.yml']),
    );
    const used = new Set([...steps()].map((s) => s.step.uses).filter((u): u is string => !!u));
    for (const m of ACTIONS)
      expect(used.has(`command-center/command-center/actions/${m.name}@v1`), m.name).toBe(true);
    expect(used.has(CONFIG_USES)).toBe(true);
  });

  it('each command-center step passes only inputs its action declares, and every required one', () => {
    let checked = 0;
    for (const { step, where } of steps()) {
      if (!step.uses?.startsWith('command-center/command-center/')) continue;
      const name = ACTION_USES.exec(step.uses)?.[1];
      const m = step.uses === CONFIG_USES ? workflowActionMetadata : name ? byName.get(name) : undefined;
      expect(
        m,
        `${where}: ${step.uses} is neither one of the actions nor the configuration helper`,
      ).toBeDefined();
      const dir = step.uses === CONFIG_USES ? 'config' : `actions/${name}`;
      expect(existsSync(join(ROOT, dir, 'action.yml')), `${where}: ${dir}/action.yml`).toBe(true);
      for (const input of Object.keys(step.with ?? {}))
        expect(Object.keys(m!.inputs), `${where}: input '${input}'`).toContain(input);
      for (const [input, spec] of Object.entries(m!.inputs))
        if (spec.required)
          expect(Object.keys(step.with ?? {}), `${where}: required input '${input}'`).toContain(input);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  /** The ids of the jobs of `wf` whose text contains `needle`'s expression. */
  const jobsUsing = (wf: (typeof workflows)[number]['wf'], where: string): string[] => {
    const expr = where.slice(where.indexOf(': ') + 2);
    return Object.entries(wf.jobs)
      .filter(([, job]) => strings(job).some((t) => t.includes(expr)))
      .map(([id]) => id);
  };

  it('every fromJSON(<config>.outputs.<action>).<input> names an input the configuration hands that action', () => {
    const refs: string[] = [];
    for (const { file, wf } of workflows) {
      for (const s of strings(wf)) {
        for (const [, source, action, input] of s.matchAll(
          /fromJSON\((needs|steps)\.config\.outputs\.([A-Za-z0-9_-]+)\)\.([A-Za-z0-9_-]+)/g,
        )) {
          const where = `${file}: fromJSON(${source}.config.outputs.${action}).${input}`;
          refs.push(where);
          // The setup scripts by job: the key is a job that runs setup commands, and the job it is in.
          if (action === 'setup-jobs') {
            expect(SETUP_JOBS, where).toContain(input);
            expect(jobsUsing(wf, where), where).toEqual([input]);
            continue;
          }
          const m = byName.get(action!);
          expect(m, `${where}: no action named ${action}`).toBeDefined();
          expect(Object.keys(m!.inputs), `${where}: not an input of ${action}`).toContain(input);
          // What the file may set, or what the loader always adds (the time zone, an owned date).
          const handed = configurableInputs(m!).includes(input!) || input! in repoConfig.inputs[action!]!;
          expect(handed, `${where}: the configuration never sets it (workflow-owned or secret)`).toBe(true);
        }
      }
    }
    expect(refs.length).toBeGreaterThan(50);
  });

  it('needs.config.outputs.* are outputs of the config job, and steps.<config helper>.outputs.* are outputs of config/action.yml', () => {
    for (const { file, wf } of workflows) {
      const helperSteps = new Set<string>();
      for (const job of Object.values(wf.jobs))
        for (const s of job.steps ?? []) if (s.uses === CONFIG_USES && s.id) helperSteps.add(s.id);
      const configJob = wf.jobs.config;
      for (const [name, value] of Object.entries(configJob?.outputs ?? {})) {
        const m = /^\$\{\{ steps\.([a-z-]+)\.outputs\.([a-z-]+) \}\}$/.exec(value);
        expect(m && helperSteps.has(m[1]!), `${file}: jobs.config.outputs.${name}`).toBe(true);
        expect(Object.keys(workflowActionMetadata.outputs), `${file}: jobs.config.outputs.${name}`).toContain(
          m![2],
        );
      }
      for (const s of strings(wf)) {
        for (const [, output] of s.matchAll(/needs\.config\.outputs\.([A-Za-z0-9_-]+)/g))
          expect(Object.keys(configJob?.outputs ?? {}), `${file}: needs.config.outputs.${output}`).toContain(
            output,
          );
        for (const [, id, output] of s.matchAll(/steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g)) {
          if (helperSteps.has(id!))
            expect(
              Object.keys(workflowActionMetadata.outputs),
              `${file}: steps.${id}.outputs.${output}`,
            ).toContain(output);
        }
      }
    }
  });

  it("the deploy step's timeout is the one the configuration's Helm timeout is checked against", () => {
    const wf = workflows.find((w) => w.file === 'integration-day.yml')!.wf;
    const load = wf.jobs.config!.steps!.find((s) => s.uses === CONFIG_USES)!;
    const budget = parseDurationMs(String(load.with!['deploy-step-timeout']));
    expect(budget).toBeGreaterThan(0);
    const helmSteps = [...steps()].filter(
      (s) =>
        s.file === 'integration-day.yml' &&
        s.step.uses === 'command-center/command-center/actions/helm-deploy@v1',
    );
    expect(helmSteps.length).toBe(2);
    for (const { step, where } of helmSteps) {
      expect(step['timeout-minutes']! * 60_000, where).toBe(budget);
      expect(parseDurationMs(String(step.with!['step-timeout'])), where).toBe(budget);
    }
  });

  it('every third-party action and reusable workflow is pinned to a full commit SHA', () => {
    const uses: string[] = [];
    for (const { file, wf } of workflows) {
      for (const [job, def] of Object.entries(wf.jobs)) {
        if (def.uses) uses.push(`${file} jobs.${job}: ${def.uses}`);
        for (const s of def.steps ?? []) if (s.uses) uses.push(`${file} jobs.${job}: ${s.uses}`);
      }
    }
    const thirdParty = uses.filter((u) => !/: (command-center\/command-center\/|\.\/)/.test(u));
    expect(thirdParty.length).toBeGreaterThan(0);
    for (const u of thirdParty) expect(u).toMatch(/: [A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+@[0-9a-f]{40}$/);
  });
});

describe('setup script', () => {
  const bash = (script: string, cwd: string) => spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8' });

  it('shellQuote survives anything bash could misread', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-quote-'));
    for (const s of [
      "it's",
      "''",
      "a'b'c",
      '$HOME `id` $(id) "x" \\n',
      'two\nlines',
      '!event *.json ~',
      '',
    ]) {
      const r = bash(`printf '%s' ${shellQuote(s)}`, dir);
      expect(r.status, s).toBe(0);
      expect(r.stdout, JSON.stringify(s)).toBe(s);
    }
  });

  it('runs each step in its own subshell and folder, with quotes intact, and stops at the first failure', () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'cc-setup-')));
    const quoted = "dir with 'quotes'";
    mkdirSync(join(root, quoted));
    writeFileSync(join(root, quoted, 'marker.txt'), 'found it\n');
    const script = setupScript([
      { name: "greet 'everyone'", run: `echo 'single quotes' "it's" && printf '%s\\n' 'a'\\''b'` },
      { workingDirectory: quoted, run: 'pwd\ncat marker.txt\ncd ..\n' },
      { name: 'two\nlines', run: 'pwd' },
      { run: "echo before; false; echo 'never printed'" },
      { run: "echo 'not reached'" },
    ]);
    const r = bash(script, root);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      "::group::setup 1/5: greet 'everyone'",
      "single quotes it's",
      "a'b",
      '::endgroup::',
      '::group::setup 2/5: pwd',
      join(root, quoted),
      'found it',
      '::endgroup::',
      '::group::setup 3/5: two lines',
      root,
      '::endgroup::',
      "::group::setup 4/5: echo before; false; echo 'never printed'",
      'before',
      '',
    ]);
  });

  it("the repository's setup step is a script bash accepts, and no steps is no script", () => {
    const { setup } = loadConfig(readFileSync(join(ROOT, 'integration-day.config.yml'), 'utf8'), {
      file: 'integration-day.config.yml',
      workspace: ROOT,
      actions: ACTIONS,
    });
    const script = setupScript(setup);
    expect(script).toContain(`cd -- 'examples/staging'\n${setup[0]!.run}\n`);
    expect(bash(`bash -n <<'EOF'\n${script}EOF`, ROOT).status).toBe(0);
    expect(setupScript([])).toBe('');
  });
});

describe('hand-off artifacts', () => {
  it('latestPerJob keeps the highest attempt of each job, compared as numbers', () => {
    const artifacts = [
      { name: handoffName('deploy', '1'), id: 11 },
      { name: handoffName('deploy', '2'), id: 12 },
      { name: handoffName('deploy', '10'), id: 13 },
      { name: handoffName('smoke', '3'), id: 21 },
      { name: handoffName('smoke', '1'), id: 22 },
      { name: handoffName('kafka-check-2', '1'), id: 31 },
      { name: 'evidence-2026-11-25', id: 41 },
      { name: `${HANDOFF_PREFIX}no-attempt`, id: 42 },
    ];
    expect(latestPerJob(artifacts)).toEqual([
      { job: 'deploy', key: 'deploy', name: 'command-center-handoff-deploy-10', id: 13 },
      { job: 'kafka-check-2', key: 'kafka-check-2', name: 'command-center-handoff-kafka-check-2-1', id: 31 },
      { job: 'smoke', key: 'smoke', name: 'command-center-handoff-smoke-3', id: 21 },
    ]);
    expect(latestPerJob([])).toEqual([]);
  });

  it('handoffName makes a safe artifact name that latestPerJob reads back', () => {
    expect(handoffName('deploy', '1')).toBe('command-center-handoff-deploy-1');
    expect(handoffName('my job/x:y', '3')).toBe('command-center-handoff-my-job-x-y-3');
    expect(latestPerJob([{ name: handoffName('my job/x:y', '3'), id: 1 }])).toEqual([
      { job: 'my-job-x-y', key: 'my-job-x-y', name: 'command-center-handoff-my-job-x-y-3', id: 1 },
    ]);
  });

  it('the clusters of one matrix job hand over apart, named by their clusters', () => {
    expect(handoffName('kafka', '1', { cluster: 'eu-2' })).toBe(
      'command-center-handoff-kafka--cluster-eu-2-1',
    );
    expect(
      latestPerJob([
        { name: handoffName('kafka', '1', { cluster: 'eu-2' }), id: 1 },
        { name: handoffName('kafka', '2', { cluster: 'eu-2' }), id: 2 },
        { name: handoffName('kafka', '1', { cluster: 'main' }), id: 3 },
      ]),
    ).toEqual([
      {
        job: 'kafka',
        key: 'kafka--cluster-eu-2',
        cluster: 'eu-2',
        name: 'command-center-handoff-kafka--cluster-eu-2-2',
        id: 2,
      },
      {
        job: 'kafka',
        key: 'kafka--cluster-main',
        cluster: 'main',
        name: 'command-center-handoff-kafka--cluster-main-1',
        id: 3,
      },
    ]);
  });

  it('the shards of one matrix job hand over apart, each its latest attempt, all as the same job', () => {
    const two = { index: 2, count: 3 };
    expect(handoffName('smoke', '1', { shard: two })).toBe('command-center-handoff-smoke--shard-2-of-3-1');
    const artifacts = [
      { name: handoffName('smoke', '1', { shard: { index: 1, count: 3 } }), id: 1 },
      { name: handoffName('smoke', '1', { shard: two }), id: 2 },
      { name: handoffName('smoke', '2', { shard: two }), id: 3 },
      { name: handoffName('smoke', '1', { shard: { index: 3, count: 3 } }), id: 4 },
      { name: handoffName('deploy', '1'), id: 5 },
    ];
    expect(latestPerJob(artifacts)).toEqual([
      { job: 'deploy', key: 'deploy', name: 'command-center-handoff-deploy-1', id: 5 },
      {
        job: 'smoke',
        key: 'smoke--shard-1-of-3',
        shard: { index: 1, count: 3 },
        name: 'command-center-handoff-smoke--shard-1-of-3-1',
        id: 1,
      },
      {
        job: 'smoke',
        key: 'smoke--shard-2-of-3',
        shard: two,
        name: 'command-center-handoff-smoke--shard-2-of-3-2',
        id: 3,
      },
      {
        job: 'smoke',
        key: 'smoke--shard-3-of-3',
        shard: { index: 3, count: 3 },
        name: 'command-center-handoff-smoke--shard-3-of-3-1',
        id: 4,
      },
    ]);
  });
});
