import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigFileError, loadConfig, type LoadOptions } from '../../src/cli/config/load.js';
import { DEFAULT_TIMEZONE } from '../../src/cli/config/schema.js';
import { configurableInputs, WORKFLOW_OWNED } from '../../src/cli/config/sections.js';
import { ConfigurationError } from '../../src/lib/errors.js';
import { parseInputs } from '../../src/lib/inputs/spec.js';
import { ACTIONS } from '../../src/registry.js';
import { ROOT } from '../support/paths.js';

const REPO_CONFIG = 'integration-day.config.yml';
const repoText = readFileSync(join(ROOT, REPO_CONFIG), 'utf8');
const repoDoc = parseYaml(repoText) as Record<string, Record<string, unknown>> & {
  setup: { name?: string; run: string; 'working-directory'?: string }[];
  timezone: string;
};

const opts = (extra: Partial<LoadOptions> = {}): LoadOptions => ({
  file: 'f.yml',
  workspace: ROOT,
  actions: ACTIONS,
  ...extra,
});

function problemsOf(text: string, extra: Partial<LoadOptions> = {}): ConfigFileError {
  try {
    loadConfig(text, opts(extra));
  } catch (e) {
    if (e instanceof ConfigFileError) return e;
    throw e;
  }
  throw new Error('expected the configuration to be refused');
}

/** 1-based line and column of the first line after line `after` that starts (past its indentation) with `start`. */
function where(text: string, start: string, after = 0): { line: number; column: number } {
  const lines = text.split('\n');
  for (let i = after; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.trimStart().startsWith(start)) return { line: i + 1, column: l.length - l.trimStart().length + 1 };
  }
  throw new Error(`no line of the test's own text starts with ${JSON.stringify(start)}`);
}

/** Position of a sequence item's first key: the item's node starts after `- `. */
function item(text: string, start: string, after = 0): { line: number; column: number } {
  const w = where(text, `- ${start}`, after);
  return { line: w.line, column: w.column + 2 };
}

describe("the repository's integration-day.config.yml", () => {
  const loaded = loadConfig(
    repoText,
    opts({
      file: REPO_CONFIG,
      require: ACTIONS.map((m) => m.name),
      date: '2026-11-25',
      deployStepTimeoutMs: 15 * 60_000,
    }),
  );

  it('loads with every section, the date override and its time zone', () => {
    expect(Object.keys(loaded.inputs)).toEqual(ACTIONS.map((m) => m.name));
    expect(loaded.file).toBe(REPO_CONFIG);
    expect(loaded.date).toBe('2026-11-25');
    expect(loaded.timezone).toBe(repoDoc.timezone);
    expect(loaded.timezone).toBe('America/Los_Angeles');
  });

  it("turns helm-deploy's `set` mapping into key=value lines", () => {
    const expected = Object.entries(repoDoc['helm-deploy']!.set as Record<string, unknown>)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join('\n');
    expect(loaded.inputs['helm-deploy']!.set).toBe(expected);
    expect(loaded.inputs['helm-deploy']!.set!.split('\n')).toContain('kafka.brokers=127.0.0.1:19092');
    // Booleans and durations are handed over as the strings the runner would pass.
    expect(loaded.inputs['helm-deploy']!['create-namespace']).toBe('true');
    expect(loaded.inputs['helm-deploy']!.timeout).toBe(String(repoDoc['helm-deploy']!.timeout));
  });

  it("turns smoke-suite's `suites` into YAML that parses back to the same list", () => {
    const suites = loaded.inputs['smoke-suite']!.suites!;
    expect(typeof suites).toBe('string');
    expect(parseYaml(suites)).toEqual(repoDoc['smoke-suite']!.suites);
    expect((parseYaml(suites) as { name: string }[]).map((s) => s.name)).toEqual([
      'policy',
      'orchestrator',
      'admin-console',
    ]);
    // The same holds for every structured input of every section.
    for (const m of ACTIONS) {
      for (const [input, value] of Object.entries(repoDoc[m.name] ?? {})) {
        if (m.inputs[input]?.kind === 'yaml')
          expect(parseYaml(loaded.inputs[m.name]![input]!), `${m.name}.${input}`).toEqual(value);
      }
    }
  });

  it('returns the setup steps with working-directory renamed', () => {
    expect(loaded.setup).toEqual(
      repoDoc.setup.map((s) => ({
        ...(s.name ? { name: s.name } : {}),
        run: s.run,
        ...(s['working-directory'] ? { workingDirectory: s['working-directory'] } : {}),
      })),
    );
    expect(loaded.setup).toEqual([
      {
        name: 'admin-console workspace (pnpm)',
        run: 'pnpm install --frozen-lockfile --prefer-offline --reporter=silent',
        workingDirectory: 'examples/staging',
      },
    ]);
  });

  it('hands each action the time zone, and the date where the workflow owns it, but never an owned input otherwise', () => {
    for (const m of ACTIONS) {
      const section = loaded.inputs[m.name]!;
      expect(section.timezone, `${m.name}.timezone`).toBe(
        'timezone' in m.inputs ? loaded.timezone : undefined,
      );
      expect(section.date, `${m.name}.date`).toBe('date' in m.inputs ? '2026-11-25' : undefined);
      const allowed = new Set([...configurableInputs(m), 'timezone', 'date']);
      for (const key of Object.keys(section)) expect(allowed.has(key), `${m.name}.${key}`).toBe(true);
      expect(section['result-path'], `${m.name}.result-path`).toBeUndefined();
    }
    expect(loaded.inputs['evidence-archive']!.commit).toBeUndefined();
  });

  it('every section parses as its action parses its inputs at run time', () => {
    for (const m of ACTIONS) {
      const section = loaded.inputs[m.name]!;
      expect(() => parseInputs(m.inputs, (name) => section[name], { workspace: ROOT }), m.name).not.toThrow();
    }
    const kafka = parseInputs(
      ACTIONS.find((m) => m.name === 'kafka-topic-check')!.inputs,
      (name) => loaded.inputs['kafka-topic-check']![name],
      { workspace: ROOT },
    ) as Record<string, unknown>;
    expect(kafka.window).toBe(15_000);
    expect(kafka.sample).toBe(3);
  });
});

describe('the date of the day', () => {
  // 03:00 UTC on the 25th is still the evening of the 24th in Los Angeles.
  const now = new Date('2026-11-25T03:00:00Z');

  it('defaults to today in the default time zone (Los Angeles)', () => {
    expect(DEFAULT_TIMEZONE).toBe('America/Los_Angeles');
    const c = loadConfig('helm-deploy:\n  release: staging\n', opts({ now }));
    expect(c.timezone).toBe('America/Los_Angeles');
    expect(c.date).toBe('2026-11-24');
  });

  it('is today in the time zone the file names', () => {
    expect(loadConfig('timezone: UTC\n', opts({ now })).date).toBe('2026-11-25');
    expect(loadConfig('timezone: America/Los_Angeles\n', opts({ now })).date).toBe('2026-11-24');
    expect(loadConfig('timezone: Asia/Tokyo\n', opts({ now: new Date('2026-11-24T20:00:00Z') })).date).toBe(
      '2026-11-25',
    );
  });

  it('an override wins over the clock, and reaches the actions that take a date', () => {
    const c = loadConfig(
      'timezone: UTC\nevidence-archive:\n  metrics-range: 30m\n',
      opts({ now, date: '2026-12-02' }),
    );
    expect(c.date).toBe('2026-12-02');
    expect(c.inputs['evidence-archive']).toEqual({
      'metrics-range': '30m',
      timezone: 'UTC',
      date: '2026-12-02',
    });
  });

  it('an empty file is a valid configuration with no sections', () => {
    expect(loadConfig('# nothing yet\n', opts({ now }))).toEqual({
      file: 'f.yml',
      timezone: 'America/Los_Angeles',
      date: '2026-11-24',
      setup: [],
      setupByJob: { deploy: [], smoke: [], kafka: [], evidence: [], rollback: [], record: [], drift: [] },
      inputs: {},
      fanOut: {},
    });
  });
});

describe('every problem at once, each at its line', () => {
  const text = [
    'timezone: Mars/Olympus',
    'helm-deploy:',
    '  release: staging',
    '  chart: examples/staging/chart',
    '  timeout: 15 seconds',
    'smoke-suite:',
    '  concurrncy: 3',
    '  suites:',
    '    - name: api',
    '      run: echo ok',
    '      junit: reports/api.xml',
    '      retires: 2',
    'kafka-topic-check:',
    '  brokers: 127.0.0.1:19092',
    '  password: hunter2-do-not-echo',
    '  topics:',
    '    - name: policy.decisions',
    '    - name: conversation.events',
    '      min-messages: many',
    'evidence-archive:',
    '  prometheus-url: http://127.0.0.1:19090',
    '  commit: false',
    'desing-drift:',
    '  declared: [docs/design/declared/**/*.json]',
    '',
  ].join('\n');
  const err = problemsOf(text, {
    file: 'broken.yml',
    require: ['smoke-suite', 'design-drift'],
    date: '2026-02-30',
  });
  const kafkaAt = where(text, 'kafka-topic-check:').line;
  const suitesAt = where(text, 'suites:').line;

  it('is a ConfigurationError that lists all of them, sorted by line', () => {
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err.file).toBe('broken.yml');
    const expected = [
      { path: 'date' },
      { line: 1, path: '' },
      { ...where(text, 'timezone:'), path: 'timezone' },
      { ...where(text, 'timeout: 15 seconds'), path: 'helm-deploy.timeout' },
      { ...where(text, 'concurrncy:'), path: 'smoke-suite.concurrncy' },
      { ...where(text, 'retires:', suitesAt), path: 'smoke-suite.suites[0].retires' },
      { ...where(text, 'password:', kafkaAt), path: 'kafka-topic-check.password' },
      { ...where(text, 'min-messages:', kafkaAt), path: 'kafka-topic-check.topics[1].min-messages' },
      { ...where(text, 'commit:'), path: 'evidence-archive.commit' },
      { ...where(text, 'desing-drift:'), path: 'desing-drift' },
    ];
    expect(
      err.problems.map((p) => ({
        ...(p.line !== undefined ? { line: p.line } : {}),
        ...(p.column !== undefined ? { column: p.column } : {}),
        path: p.path,
      })),
    ).toEqual(expected);
    expect(err.message).toContain('(10 problems)');
  });

  const problem = (path: string) => {
    const p = err.problems.find((x) => x.path === path);
    if (!p) throw new Error(`no problem at ${path}: ${err.message}`);
    return p;
  };

  it('a typo in a section or an input names the closest known name', () => {
    expect(problem('desing-drift').message).toBe("is not a known section; did you mean 'design-drift'?");
    expect(problem('smoke-suite.concurrncy').message).toBe(
      "is not a known input of smoke-suite; did you mean 'concurrency'?",
    );
    expect(problem('smoke-suite.suites[0].retires').message).toBe('is not a known key');
  });

  it('a workflow-owned input and a secret are refused with the reason, and the secret is never echoed', () => {
    expect(problem('evidence-archive.commit').message).toBe(
      `is not set in this file: ${WORKFLOW_OWNED['evidence-archive']!.commit}`,
    );
    expect(problem('evidence-archive.commit').message).toContain('always commits its evidence back');
    expect(problem('kafka-topic-check.password').message).toContain(
      'it is a secret: store it in the repository or environment secrets',
    );
    expect(err.message).not.toContain('hunter2-do-not-echo');
  });

  it('a bad field inside a structured input is reported at its own line, with the value', () => {
    const p = problem('kafka-topic-check.topics[1].min-messages');
    expect(p.message).toBe('must be of type integer (value "many")');
    const { line, column } = where(text, 'min-messages:', kafkaAt);
    expect(err.message).toContain(
      `  broken.yml:${line}:${column}: kafka-topic-check.topics[1].min-messages: must be of type integer`,
    );
  });

  it('a bad duration, a bad time zone, a missing section and a bad date override', () => {
    expect(problem('helm-deploy.timeout').message).toBe(
      `input 'timeout' has value "15 seconds": expected a duration such as 500ms, 90s, 5m, 1h30m or 2d`,
    );
    expect(problem('timezone').message).toBe(
      '"Mars/Olympus" is not an IANA time zone (such as America/Los_Angeles or UTC)',
    );
    const missing = err.problems.filter((p) => p.path === '');
    expect(missing.map((p) => p.message)).toEqual([
      "the section 'design-drift' is missing; this workflow needs it (see config/README.md)",
    ]);
    expect(problem('date').message).toBe(
      'the date override "2026-02-30" is not a calendar date written exactly as YYYY-MM-DD',
    );
  });
});

describe('single problems', () => {
  it('`window: 15 seconds` in kafka-topic-check is refused at its line', () => {
    const text = [
      'kafka-topic-check:',
      '  brokers: 127.0.0.1:19092',
      '  topics:',
      '    - name: policy.decisions',
      '  window: 15 seconds',
      '  sample: 3',
      '',
    ].join('\n');
    const err = problemsOf(text);
    expect(err.problems).toEqual([
      {
        ...where(text, 'window:'),
        path: 'kafka-topic-check.window',
        message: `input 'window' has value "15 seconds": expected a duration such as 500ms, 90s, 5m, 1h30m or 2d`,
      },
    ]);
  });

  it('a missing required key of a topic points at the list item', () => {
    const text = [
      'kafka-topic-check:',
      '  brokers: 127.0.0.1:19092',
      '  topics:',
      '    - name: a',
      '    - min-messages: 1',
      '',
    ].join('\n');
    const err = problemsOf(text);
    expect(err.problems).toEqual([
      {
        ...item(text, 'min-messages:'),
        path: 'kafka-topic-check.topics[1]',
        message: 'is missing required key "name"',
      },
    ]);
  });

  it('a setup step without `run`', () => {
    const text = ['setup:', '  - name: install', '  - run: make', '    name: build', ''].join('\n');
    const err = problemsOf(text);
    expect(err.problems).toEqual([
      { ...item(text, 'name: install'), path: 'setup[0]', message: 'is missing required key "run"' },
    ]);
  });

  it('an unknown section that resembles nothing lists the sections', () => {
    const err = problemsOf('timezone: UTC\nzzzzzzzzzzzz: 1\n');
    expect(err.problems).toEqual([
      {
        line: 2,
        column: 1,
        path: 'zzzzzzzzzzzz',
        message: `is not a known section; the sections are timezone, setup, ${ACTIONS.map((m) => m.name).join(', ')}`,
      },
    ]);
  });

  it('invalid YAML is refused before anything else is checked, at its line', () => {
    const text = 'helm-deploy:\n  release: [staging\nsmoke-suit: {}\n';
    const err = problemsOf(text);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.path).toBe('');
    expect(err.problems[0]!.message).toMatch(/^not valid YAML: /);
    // The parser reports an unclosed flow sequence where it gave up: on a line of the file, never none.
    expect(err.problems[0]!.line).toBeGreaterThanOrEqual(where(text, 'release:').line);
    expect(err.problems[0]!.line).toBeLessThanOrEqual(text.split('\n').length);
  });

  it('duplicate keys are refused at the second one', () => {
    const text = 'helm-deploy:\n  release: a\n  chart: c\n  release: b\n';
    const err = problemsOf(text);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]!.message).toBe('not valid YAML: Map keys must be unique');
    expect(err.problems[0]!.line).toBe(where(text, 'release: b').line);
  });

  it('a refused input does not hide the other problems of its section', () => {
    const text = [
      'kafka-topic-check:',
      '  brokers: 127.0.0.1:19092',
      '  password: pw',
      '  topics:',
      '    - name: a',
      '  window: 15 seconds',
      '',
    ].join('\n');
    const err = problemsOf(text);
    expect(err.problems.map((p) => [p.line, p.path])).toEqual([
      [where(text, 'password:').line, 'kafka-topic-check.password'],
      [where(text, 'window:').line, 'kafka-topic-check.window'],
    ]);
  });

  it('every bad value of a section is reported, not only the first', () => {
    const text = [
      'kafka-topic-check:',
      '  brokers: 127.0.0.1:19092',
      '  topics:',
      '    - name: a',
      '  window: 15 seconds',
      '  timeout: 2 minutes',
      '  fail-on: sometimes',
      '',
    ].join('\n');
    const err = problemsOf(text);
    expect(err.problems.map((p) => [p.line, p.path])).toEqual([
      [where(text, 'window:').line, 'kafka-topic-check.window'],
      [where(text, 'timeout:').line, 'kafka-topic-check.timeout'],
      [where(text, 'fail-on:').line, 'kafka-topic-check.fail-on'],
    ]);
    expect(err.problems[2]!.message).toContain('sometimes');
  });

  it('an unknown input beside a bad value: both reported, the section still checked', () => {
    const text = [
      'kafka-topic-check:',
      '  brokers: 127.0.0.1:19092',
      '  topics:',
      '    - name: a',
      '  windw: 15s',
      '  timeout: forever',
      '',
    ].join('\n');
    const err = problemsOf(text);
    expect(err.problems.map((p) => [p.line, p.path])).toEqual([
      [where(text, 'windw:').line, 'kafka-topic-check.windw'],
      [where(text, 'timeout:').line, 'kafka-topic-check.timeout'],
    ]);
    expect(err.problems[0]!.message).toBe(
      "is not a known input of kafka-topic-check; did you mean 'window'?",
    );
  });

  it('a file that is not a mapping of sections', () => {
    for (const text of ['- helm-deploy\n- smoke-suite\n', 'just a sentence\n']) {
      expect(problemsOf(text).problems, text).toEqual([
        {
          line: 1,
          path: '',
          message: 'the file must be a mapping of sections (helm-deploy:, smoke-suite:, ...)',
        },
      ]);
    }
  });

  it('a section that is not a mapping', () => {
    const text = 'timezone: UTC\nhelm-deploy:\n';
    expect(problemsOf(text).problems).toEqual([
      { line: 2, column: 1, path: 'helm-deploy', message: 'must be of type object' },
    ]);
  });

  it('bad date overrides', () => {
    for (const date of ['2026-13-01', '2026-11-5', '25/11/2026', '2026-11-25T00:00']) {
      const err = problemsOf('timezone: UTC\n', { date });
      expect(err.problems, date).toEqual([
        {
          path: 'date',
          message: `the date override "${date}" is not a calendar date written exactly as YYYY-MM-DD`,
        },
      ]);
    }
  });
});

describe("helm-deploy's timeout against the deploy step's timeout", () => {
  const text = [
    'helm-deploy:',
    '  release: staging',
    '  chart: examples/staging/chart',
    '  timeout: 5m',
    '',
  ].join('\n');

  it('refuses a timeout whose rollback and margin do not fit in the step, at the timeout line', () => {
    const err = problemsOf(text, { deployStepTimeoutMs: 10 * 60_000 });
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatchObject({ ...where(text, 'timeout:'), path: 'helm-deploy.timeout' });
    expect(err.problems[0]!.message).toContain(
      'timeout 5m00s plus an automatic rollback of up to the same plus a minute of margin (11m00s)',
    );
    expect(err.problems[0]!.message).toContain("does not fit in the step's 10m00s");
  });

  it('accepts it when it fits exactly, without atomic rollback, or when no step timeout is known', () => {
    expect(loadConfig(text, opts({ deployStepTimeoutMs: 11 * 60_000 })).inputs['helm-deploy']!.timeout).toBe(
      '5m',
    );
    expect(
      loadConfig(`${text}  atomic: false\n`, opts({ deployStepTimeoutMs: 10 * 60_000 })).inputs[
        'helm-deploy'
      ]!.atomic,
    ).toBe('false');
    expect(loadConfig(text, opts()).inputs['helm-deploy']!.timeout).toBe('5m');
  });

  it('the default timeout (5m) is checked too when the file does not set one', () => {
    const bare = 'helm-deploy:\n  release: staging\n  chart: examples/staging/chart\n';
    expect(problemsOf(bare, { deployStepTimeoutMs: 10 * 60_000 }).problems[0]).toMatchObject({
      line: 1,
      column: 1,
      path: 'helm-deploy.timeout',
    });
    expect(() => loadConfig(bare, opts({ deployStepTimeoutMs: 15 * 60_000 }))).not.toThrow();
  });
});
