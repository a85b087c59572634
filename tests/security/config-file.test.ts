import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { driftRepo, type DriftRepo } from './drift-repo.js';
import { needsServers } from '../support/servers.js';

needsServers();

// The config helper reads the configuration file from inside the workspace only, by its real path,
// as design-drift reads its files: a link in the checkout cannot make it load a file from elsewhere.

const SECRET = 'export TOKEN=not-for-any-log';
const config = (setup: string) =>
  stringify({ timezone: 'UTC', setup: [{ run: setup }], 'design-drift': { declared: ['specs/*.json'] } });

describe('the config helper reads no configuration file outside the workspace', () => {
  let repo: DriftRepo;

  beforeAll(() => {
    ensureBuilt();
    repo = driftRepo({ 'integration-day.config.yml': config('echo from the checkout') });
    mkdirSync(join(repo.outside, 'conf'));
    writeFileSync(join(repo.outside, 'conf', 'integration-day.config.yml'), config(SECRET));
  });

  const load = (file: string) =>
    runAction('config', { workspace: repo.dir, inputs: { command: 'load', file, sections: 'design-drift' } });
  const failure = (run: ActionRun) =>
    run.annotations
      .filter((a) => a.level === 'error')
      .map((a) => a.message)
      .join('\n');
  const expectRefused = (run: ActionRun, message: string) => {
    expect(run.exitCode, run.stdout.slice(-2000)).toBe(1);
    expect(failure(run)).toContain(message);
    expect(run.outputs.setup).toBeUndefined();
    expect(`${run.stdout}${run.summary}`).not.toContain(SECRET);
  };

  it('a configuration file that is a link to a file outside', async () => {
    symlinkSync(
      join(repo.outside, 'conf', 'integration-day.config.yml'),
      join(repo.dir, 'linked.config.yml'),
    );
    try {
      expectRefused(
        await load('linked.config.yml'),
        `input 'file' has value "linked.config.yml": the configuration file ` +
          `${join(repo.dir, 'linked.config.yml')} leads through a symbolic link to ${join(repo.outside, 'conf', 'integration-day.config.yml')}, outside `,
      );
    } finally {
      repo.git('clean', '-fdq');
    }
  });

  it('a configuration file in a linked folder that leads outside', async () => {
    symlinkSync(join(repo.outside, 'conf'), join(repo.dir, 'conf'));
    try {
      expectRefused(
        await load('conf/integration-day.config.yml'),
        `input 'file' has value "conf/integration-day.config.yml": ` +
          `the configuration file ${join(repo.dir, 'conf', 'integration-day.config.yml')} leads through a symbolic link to `,
      );
    } finally {
      repo.git('clean', '-fdq');
    }
  });

  it('a path that leaves the workspace, relative or absolute', async () => {
    for (const file of [
      '../outside/conf/integration-day.config.yml',
      join(repo.outside, 'conf', 'integration-day.config.yml'),
    ]) {
      expectRefused(
        await load(file),
        `input 'file' has value ${JSON.stringify(file)}: expected a path inside the workspace`,
      );
    }
  });

  it('a link that stays inside the workspace is read as before', async () => {
    symlinkSync('integration-day.config.yml', join(repo.dir, 'linked.config.yml'));
    try {
      const run = await load('linked.config.yml');
      expect(run.exitCode, run.stdout.slice(-2000)).toBe(0);
      expect(run.outputs.setup).toContain('echo from the checkout');
    } finally {
      repo.git('clean', '-fdq');
    }
  });
});
