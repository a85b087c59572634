import { beforeAll, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { driftRepo, RECORDED, usersApi, type DriftRepo } from './drift-repo.js';
import { needsServers } from '../support/servers.js';

needsServers();

// Documents a pull request declares are bounded: a YAML alias bomb is stopped by the parser's alias
// limit, and a very deep document by the depth limit, each with an error naming the file, instead of
// minutes of work or a stack overflow. (How fast that is belongs to the bench, not to this test; what is
// asserted here is which limit stopped the work.)

/** The classic "billion laughs", 9 levels of 9 aliases: under a KiB, 9^10 values once expanded. */
function billionLaughs(): string {
  const lines = [
    'openapi: 3.0.3',
    'info: { title: Laughs, version: "1" }',
    'paths: {}',
    'x-lol0: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ];
  const names = 'abcdefghi';
  for (let i = 1; i < 9; i++)
    lines.push(
      `x-lol${i}: &${names[i]} [${Array(9)
        .fill(`*${names[i - 1]}`)
        .join(', ')}]`,
    );
  lines.push(`x-laughs: [${Array(9).fill('*i').join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

describe('design-drift on documents built to exhaust it', () => {
  let repo: DriftRepo;
  beforeAll(() => {
    ensureBuilt();
    repo = driftRepo({ [`${RECORDED}/users/openapi.json`]: usersApi(), 'specs/users.json': usersApi() });
  });

  const drift = async (declared: string): Promise<ActionRun> =>
    // Today's bomb spins for minutes; a minute is a generous bound for the child process either way.
    runAction('design-drift', { workspace: repo.dir, inputs: { declared }, timeoutMs: 60_000 });
  const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

  it('an alias bomb of under a KiB fails on the alias limit of the parser, naming the file', async () => {
    const bomb = billionLaughs();
    expect(Buffer.byteLength(bomb)).toBeLessThan(1024);
    repo.write('specs/laughs.yaml', bomb);
    const run = await drift('specs/laughs.yaml');
    expect(run.signal, 'killed at the timeout: the bomb was expanded').toBeNull();
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      expect.stringMatching(
        /^design-drift: specs\/laughs\.yaml uses more than 50 YAML aliases \(aliases exceeded maxAliases \(50\) in "specs\/laughs\.yaml" \(\d+:\d+\)\)/,
      ),
    ]);
  });

  it('a 10,000-deep JSON document fails with an error naming the file, not a stack overflow', async () => {
    const depth = 10_000;
    repo.write(
      'specs/deep.json',
      `{"openapi":"3.0.3","info":{"title":"Deep","version":"1"},"paths":{},"x-deep":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    );
    const run = await drift('specs/deep.json');
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toEqual([
      'design-drift: specs/deep.json nests deeper than 100 levels of mappings and lists; contract documents are limited to that depth',
    ]);
    expect(run.stdout + run.stderr).not.toMatch(/Maximum call stack/);
  });
});
