import { describe, expect, it } from 'vitest';
import { ConfigFileError, loadConfig, type LoadOptions } from '../../src/cli/config/load.js';
import { configSchema } from '../../src/cli/config/schema.js';
import { SETUP_JOBS } from '../../src/cli/config/setup.js';
import { setupScripts } from '../../src/cli/workflow-action/setup-script.js';
import { validateAgainst } from '../../src/lib/schema.js';
import { ACTIONS } from '../../src/registry.js';
import { ROOT } from '../support/paths.js';

const opts: LoadOptions = { file: 'f.yml', workspace: ROOT, actions: ACTIONS };

function problemsOf(text: string): ConfigFileError['problems'] {
  try {
    loadConfig(text, opts);
  } catch (e) {
    if (e instanceof ConfigFileError) return e.problems;
    throw e;
  }
  throw new Error('expected the configuration to be refused');
}

describe('setup commands per job', () => {
  it('a list is the smoke job’s, as before jobs could have their own', () => {
    const loaded = loadConfig('setup:\n  - run: pip install -r requirements.txt\n', opts);
    expect(loaded.setup).toEqual([{ run: 'pip install -r requirements.txt' }]);
    expect(loaded.setupByJob.smoke).toEqual(loaded.setup);
    for (const job of SETUP_JOBS.filter((j) => j !== 'smoke'))
      expect(loaded.setupByJob[job], job).toEqual([]);
  });

  it('a mapping gives each job its own commands; the smoke job’s stay the `setup` output', () => {
    const text = [
      'setup:',
      '  deploy:',
      '    - name: helm',
      '      run: ./tools/install-helm.sh',
      '  smoke:',
      '    - run: pnpm install',
      '      working-directory: web',
      '  drift:',
      '    - run: echo drift',
      '',
    ].join('\n');
    const loaded = loadConfig(text, opts);
    expect(loaded.setupByJob.deploy).toEqual([{ name: 'helm', run: './tools/install-helm.sh' }]);
    expect(loaded.setup).toEqual([{ run: 'pnpm install', workingDirectory: 'web' }]);
    const scripts = setupScripts(loaded.setupByJob);
    expect(Object.keys(scripts).sort()).toEqual([...SETUP_JOBS].sort());
    expect(scripts.deploy).toContain('./tools/install-helm.sh');
    expect(scripts.drift).toContain('echo drift');
    expect(scripts.kafka).toBe('');
    expect(scripts.record).toBe('');
  });

  it('an unknown job is named at its line, with the closest job', () => {
    expect(problemsOf('setup:\n  deplyo:\n    - run: x\n')).toEqual([
      { line: 2, column: 3, path: 'setup.deplyo', message: "is not a known job; did you mean 'deploy'?" },
    ]);
    expect(problemsOf('setup:\n  zzzzzzzzzzzz: []\n')[0]!.message).toBe(
      `is not a known job; the jobs that run setup commands are ${SETUP_JOBS.join(', ')}`,
    );
  });

  it('a step without `run` inside a job, and a setup that is neither list nor mapping', () => {
    expect(problemsOf('setup:\n  kafka:\n    - name: x\n')).toEqual([
      { line: 3, column: 7, path: 'setup.kafka[0]', message: 'is missing required key "run"' },
    ]);
    const [p] = problemsOf('setup: pnpm install\n');
    expect(p).toMatchObject({ line: 1, path: 'setup' });
    expect(p!.message).toMatch(/must be a list of commands .* or a mapping of job to its list of commands/);
  });

  it('the published schema takes both forms and refuses an unknown job', () => {
    const schema = configSchema(ACTIONS);
    expect(validateAgainst(schema, { setup: [{ run: 'x' }] })).toEqual([]);
    expect(validateAgainst(schema, { setup: { evidence: [{ run: 'x' }] } })).toEqual([]);
    expect(validateAgainst(schema, { setup: { nope: [{ run: 'x' }] } })).not.toEqual([]);
  });
});
