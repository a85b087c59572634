import { cpSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { driftRepo, RECORDED, recording, usersApi, type DriftRepo } from './drift-repo.js';
import { needsServers } from '../support/servers.js';

needsServers();

// The pull request cannot choose what it is compared with: with a base ref, the recording (the newest
// dated folder, its index.json, its files and their $refs) is read as committed on the base branch.
// A recording the pull request adds or edits is listed and counts from the merge on.

const BASE_DATE = '2026-11-20';
const NEWER = 'docs/design/contracts/2026-12-01';

interface DriftResult {
  result: {
    recorded: string;
    recording: {
      folder: string;
      readFrom: string;
      pendingAfterMerge: { path: string; change: string }[] | null;
    };
    documents: { declared: string; recorded?: string; baseRef?: string }[];
    changes: { rule: string; operation?: string; against: string }[];
  };
}

const withoutNickname = () => {
  const api = usersApi();
  delete api.components.schemas.User.properties.nickname;
  return api;
};

async function drift(
  repo: DriftRepo,
  inputs: Record<string, string>,
): Promise<{ run: ActionRun; result: DriftResult }> {
  const run = await runAction('design-drift', {
    workspace: repo.dir,
    inputs: { declared: 'specs/**/*.json', ...inputs },
  });
  const path = run.outputs['result-path'];
  const result = path ? (JSON.parse(readFileSync(path, 'utf8')) as DriftResult) : ({} as DriftResult);
  return { run, result };
}

const errors = (run: ActionRun) =>
  run.annotations
    .filter((a) => a.level === 'error')
    .map((a) => a.message)
    .join('\n');

describe('design-drift on a pull request that adds a newer recording matching its breaking change', () => {
  let repo: DriftRepo;

  beforeAll(() => {
    ensureBuilt();
    repo = driftRepo({
      ...recording(BASE_DATE, { 'users/openapi.json': usersApi() }),
      'specs/users.json': usersApi(),
    });
    // The pull request drops the nickname, moves the declared file (so that the base branch has no
    // copy of it to compare with), and records the new contract itself, index.json and all.
    repo.git('rm', '-q', 'specs/users.json');
    repo.write('specs/api/users.json', withoutNickname());
    for (const [path, content] of Object.entries(
      recording('2026-12-01', { 'users/openapi.json': withoutNickname() }),
    )) {
      repo.write(path, content);
    }
    repo.commit('users: drop the nickname; record the contract without it');
  });

  it('still fails: the recording compared with is the base branch’s, the new one is listed as taking effect after merge', async () => {
    const { run, result } = await drift(repo, { 'base-ref': 'origin/main' });
    expect(run.exitCode, run.stdout.slice(-3000)).toBe(1);
    expect(run.outputs).toMatchObject({ breaking: '1', failed: 'true' });
    expect(result.result.recorded).toBe(RECORDED);
    expect(result.result.documents).toEqual([
      expect.objectContaining({
        declared: 'specs/api/users.json',
        recorded: `${RECORDED}/users/openapi.json`,
        baseRef: 'absent',
      }),
    ]);
    expect(result.result.changes).toEqual([
      expect.objectContaining({
        rule: 'openapi.response.property.removed',
        operation: 'GET /users/{id}',
        against: 'recorded',
      }),
    ]);
    expect(result.result.recording).toEqual({
      folder: RECORDED,
      readFrom: 'origin/main',
      pendingAfterMerge: [
        { path: `${NEWER}/index.json`, change: 'added' },
        { path: `${NEWER}/users/openapi.json`, change: 'added' },
      ],
    });
    expect(run.summary).toContain(
      `compared with the recording in \`${RECORDED}\` and with themselves, both as on the base ref \`origin/main\``,
    );
    expect(run.summary).toContain('### Recording changes in this pull request: take effect after merge');
    expect(run.summary).toContain(`| ➕ added | \`${NEWER}/users/openapi.json\` |`);
    expect(run.annotations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          level: 'notice',
          message: expect.stringContaining('changes 2 recorded file(s) (2 added, 0 changed, 0 removed)'),
        }),
      ]),
    );
  });

  it('without a base ref (a push, a run by hand) the working tree’s newest recording is the one compared with', async () => {
    const { run, result } = await drift(repo, {});
    expect(run.exitCode, run.stdout.slice(-3000)).toBe(0);
    expect(result.result.recording).toEqual({
      folder: NEWER,
      readFrom: 'workspace',
      pendingAfterMerge: null,
    });
    expect(run.summary).not.toContain('Recording changes in this pull request');
  });

  it('a base branch without any recording is an error that names the pull request’s own, uncommitted ones too', async () => {
    cpSync(join(repo.dir, NEWER), join(repo.dir, 'docs/other-contracts/2026-12-01'), { recursive: true });
    try {
      const { run } = await drift(repo, {
        'base-ref': 'origin/main',
        'contracts-root': 'docs/other-contracts',
      });
      expect(run.exitCode).toBe(1);
      expect(errors(run)).toContain(
        "no recording under docs/other-contracts/<yyyy-mm-dd>/ on the base ref origin/main (input 'contracts-root'); " +
          "this pull request's own changes there (2 file(s)) take effect after merge",
      );
    } finally {
      rmSync(join(repo.dir, 'docs/other-contracts'), { recursive: true, force: true });
    }
  });
});

describe('design-drift on a pull request that edits the recording it is compared with', () => {
  let repo: DriftRepo;
  const recordedUsers = () => {
    const api = usersApi();
    api.components.schemas.User = { $ref: './user.json' };
    return api;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const userSchema = (api: Record<string, any>) => ({
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...api.components.schemas.User,
  });

  beforeAll(() => {
    ensureBuilt();
    // The recorded OpenAPI document takes its User from a file beside it, through a $ref.
    repo = driftRepo(
      recording(BASE_DATE, {
        'users/openapi.json': recordedUsers(),
        'users/user.json': userSchema(usersApi()),
      }),
    );
    // The pull request declares the contract without the nickname, and edits the recorded User to
    // match, rewriting index.json so that every hash matches again.
    repo.write('specs/users.json', withoutNickname());
    const edited = recording(BASE_DATE, {
      'users/openapi.json': recordedUsers(),
      'users/user.json': userSchema(withoutNickname()),
    });
    for (const [path, content] of Object.entries(edited)) repo.write(path, content);
    repo.commit('users: drop the nickname, in the recording too');
  });

  it('still fails: the named folder, its index and the file its $ref names are read as committed on the base', async () => {
    const { run, result } = await drift(repo, { 'base-ref': 'origin/main', recorded: RECORDED });
    expect(run.exitCode, run.stdout.slice(-3000)).toBe(1);
    expect(run.outputs).toMatchObject({ breaking: '1', failed: 'true' });
    expect(result.result.changes).toEqual([
      expect.objectContaining({
        rule: 'openapi.response.property.removed',
        operation: 'GET /users/{id}',
        against: 'recorded',
      }),
    ]);
    expect(result.result.recording.pendingAfterMerge).toEqual([
      { path: `${RECORDED}/index.json`, change: 'changed' },
      { path: `${RECORDED}/users/user.json`, change: 'changed' },
    ]);
    expect(run.summary).toContain(`| ✏️ changed | \`${RECORDED}/users/user.json\` |`);
    // Read from the checkout (no base ref), the edited recording passes its own hash check.
    const { run: fromCheckout } = await drift(repo, { recorded: RECORDED });
    expect(fromCheckout.exitCode, fromCheckout.stdout.slice(-3000)).toBe(0);
  });
});

describe('a recording on the base branch is read as committed', () => {
  it('a committed symbolic link in it is refused, not followed', async () => {
    ensureBuilt();
    const repo = driftRepo({
      'specs/users.json': usersApi(),
      [`${RECORDED}/README.md`]: 'recorded by hand\n',
    });
    symlinkSync('../../../../../specs/users.json', join(repo.dir, RECORDED, 'users.json'));
    repo.commit('record the users contract as a link to the declared one');
    repo.git('push', '-q', 'origin', 'HEAD:main');
    repo.git('fetch', '-q', 'origin');
    const { run } = await drift(repo, { 'base-ref': 'origin/main' });
    expect(run.exitCode).toBe(1);
    expect(errors(run)).toContain(
      `the recorded file ${RECORDED}/users.json is a symbolic link on origin/main; ` +
        'files are read there as committed, without following links',
    );
  });
});
