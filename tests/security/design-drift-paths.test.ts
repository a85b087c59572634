import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { driftRepo, RECORDED, usersApi, type DriftRepo } from './drift-repo.js';
import { needsServers } from '../support/servers.js';

needsServers();

// No file outside the workspace is read: a symbolic link inside it that leads out (a declared file,
// a folder a $ref goes through, the waivers file, a recorded file) is refused by its real path.

const SECRET = 'ssh-ed25519 AAAA-not-for-any-report';

describe('design-drift reads no file outside the workspace', () => {
  let repo: DriftRepo;

  beforeAll(() => {
    ensureBuilt();
    repo = driftRepo({ [`${RECORDED}/users/openapi.json`]: usersApi(), 'specs/users.json': usersApi() });
    // Outside the workspace: a JSON Schema (it would parse, and be compared) holding a secret.
    mkdirSync(join(repo.outside, 'schemas'));
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Key',
      type: 'object',
      properties: { key: { const: SECRET } },
    };
    writeFileSync(join(repo.outside, 'schemas', 'key.json'), JSON.stringify(schema));
    writeFileSync(join(repo.outside, 'waivers.yaml'), `# ${SECRET}\n[]\n`);
  });

  const drift = (inputs: Record<string, string>) =>
    runAction('design-drift', { workspace: repo.dir, inputs: { declared: 'specs/*.json', ...inputs } });
  const declaredIn = (run: ActionRun) => {
    const result = JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8')) as {
      result: { documents: { declared: string }[] };
    };
    return result.result.documents.map((d) => d.declared);
  };
  const failure = (run: ActionRun) =>
    run.annotations
      .filter((a) => a.level === 'error')
      .map((a) => a.message)
      .join('\n');
  const expectRefused = (run: ActionRun, link: string) => {
    expect(run.exitCode, run.stdout.slice(-2000)).toBe(1);
    expect(failure(run)).toContain(
      `${join(repo.dir, link)} leads through a symbolic link to ${join(repo.outside)}`,
    );
    expect(failure(run)).toContain(', outside ');
    expect(`${run.stdout}${run.summary}`).not.toContain(SECRET);
  };

  it('a declared file that is a link to a file outside', async () => {
    symlinkSync(join(repo.outside, 'schemas', 'key.json'), join(repo.dir, 'specs', 'key.json'));
    try {
      const run = await drift({});
      expectRefused(run, 'specs/key.json');
      expect(failure(run)).toMatch(/^design-drift: specs\/key\.json: the file /m);
    } finally {
      repo.git('clean', '-fdq', 'specs');
    }
  });

  it('a $ref through a linked folder that leads outside', async () => {
    symlinkSync(join(repo.outside, 'schemas'), join(repo.dir, 'specs', 'shared'));
    const declared = usersApi();
    declared.components.schemas.User.properties.key = { $ref: './shared/key.json' };
    repo.write('specs/users.json', declared);
    try {
      const run = await drift({});
      expectRefused(run, 'specs/shared/key.json');
      expect(failure(run)).toContain('specs/users.json: $ref "./shared/key.json": the file');
    } finally {
      repo.git('checkout', '-q', '--', 'specs');
      repo.git('clean', '-fdq', 'specs');
    }
  });

  it('a waivers file that is a link outside', async () => {
    symlinkSync(join(repo.outside, 'waivers.yaml'), join(repo.dir, 'waivers.yaml'));
    try {
      const run = await drift({ waivers: 'waivers.yaml' });
      expectRefused(run, 'waivers.yaml');
      expect(failure(run)).toContain("input 'waivers': the file");
    } finally {
      repo.git('clean', '-fdq');
    }
  });

  it('a recorded file that is a link outside', async () => {
    symlinkSync(join(repo.outside, 'schemas', 'key.json'), join(repo.dir, RECORDED, 'key.json'));
    try {
      expectRefused(await drift({}), `${RECORDED}/key.json`);
    } finally {
      repo.git('clean', '-fdq', 'docs');
    }
  });

  it('a link that stays inside the workspace is followed as before', async () => {
    symlinkSync(
      '../docs/design/contracts/2026-11-20/users/openapi.json',
      join(repo.dir, 'specs', 'linked.json'),
    );
    try {
      const run = await drift({});
      expect(run.exitCode, run.stdout.slice(-2000)).toBe(0);
      expect(run.outputs.breaking).toBe('0');
      expect(declaredIn(run)).toEqual(['specs/linked.json', 'specs/users.json']);
    } finally {
      repo.git('clean', '-fdq', 'specs');
    }
  });

  it('the declared globs never walk a linked folder, whether it leads out of the workspace or to /', async () => {
    symlinkSync(join(repo.outside, 'schemas'), join(repo.dir, 'specs', 'shared'));
    symlinkSync('/', join(repo.dir, 'specs', 'root'));
    try {
      const run = await drift({ declared: 'specs/**/*.json' });
      expect(run.exitCode, run.stdout.slice(-2000)).toBe(0);
      // Only the real file: nothing below either link was listed (a listed file would have been
      // refused by its real path, failing the step).
      expect(declaredIn(run)).toEqual(['specs/users.json']);
      expect(run.stdout).not.toContain('specs/shared/');
      expect(run.stdout).not.toContain('specs/root/');
    } finally {
      repo.git('clean', '-fdq', 'specs');
    }
  });

  it('a glob whose fixed folder is a link out of the workspace is refused before anything is walked', async () => {
    symlinkSync(join(repo.outside, 'schemas'), join(repo.dir, 'specs', 'shared'));
    try {
      const run = await drift({ declared: 'specs/shared/**/*.json' });
      expect(run.exitCode, run.stdout.slice(-2000)).toBe(1);
      expect(failure(run)).toContain(
        `input 'declared' has value "specs/shared/**/*.json": the folder ${join(repo.dir, 'specs', 'shared')} ` +
          `leads through a symbolic link to ${join(repo.outside, 'schemas')}, outside `,
      );
      expect(`${run.stdout}${run.summary}`).not.toContain(SECRET);
    } finally {
      repo.git('clean', '-fdq', 'specs');
    }
  });
});
