// record-contracts.yml run by act with `commit-mode: pull-request`, against a repository on the stack's
// Gitea whose main takes no direct push: the workflow input reaches the action, the job's token and the
// forge's API URL reach the forge client, and the recording arrives as a pull request.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Forge } from '../../src/lib/forge/index.js';
import { actBinary, projectRepo, runAct, type TestRepo } from '../support/act.js';
import { ensureBuilt } from '../support/build.js';
import { createForgeRepo, requireForge, type Forge as StackForge, type ForgeRepo } from '../support/forge.js';
import { needsServers } from '../support/servers.js';
import { requireStaging } from '../fixtures/contracts/staging.js';

needsServers('forge', 'staging');

const DATE = '2026-12-01';

let stack: StackForge;
let forgeRepo: ForgeRepo;
let project: TestRepo;
let base: string;

beforeAll(async () => {
  ensureBuilt();
  actBinary();
  await requireStaging();
  stack = await requireForge();
  forgeRepo = await createForgeRepo(stack, 'commit-mode-act');
  base = mkdtempSync(join(tmpdir(), 'cc-commit-mode-act-'));
  project = projectRepo({ origin: forgeRepo.pushUrl, branch: 'main', parent: base });
  await forgeRepo.untilNotEmpty();
  const res = await fetch(`${stack.apiUrl}/repos/${forgeRepo.fullName}/branch_protections`, {
    method: 'POST',
    headers: { authorization: `token ${stack.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ rule_name: 'main', enable_push: false }),
  });
  expect(res.status, await res.text()).toBe(201);
}, 300_000);

afterAll(async () => {
  await forgeRepo?.remove();
});

describe('record-contracts.yml with commit-mode: pull-request, run by act against Gitea', () => {
  it('the recording reaches the protected main as a pull request; main itself is not pushed to', async () => {
    const mainTip = project.git('ls-remote', 'origin', 'refs/heads/main').split('\t')[0]!;
    const run = await runAct({
      repo: project,
      workflow: 'record-contracts.yml',
      event: 'workflow_dispatch',
      inputs: { date: DATE, 'commit-mode': 'pull-request' },
      // What a Gitea runner gives every job: its API and the repository; the job's token as github.token.
      env: {
        GITHUB_API_URL: stack.apiUrl,
        GITHUB_SERVER_URL: stack.url,
        GITHUB_REPOSITORY: forgeRepo.fullName,
      },
      secrets: { GITHUB_TOKEN: stack.token },
      artifactDir: join(base, 'artifacts'),
      timeoutMs: 300_000,
    });
    const tail = run.log.split('\n').slice(-60).join('\n');
    expect(run.exitCode, tail).toBe(0);
    expect([...run.jobs.values()].map((j) => [j.id, j.result])).toEqual([['record', 'success']]);
    const head = `command-center/contracts-${DATE}`;
    const forge = new Forge({ token: stack.token, apiUrl: stack.apiUrl, repository: forgeRepo.fullName });
    const pulls = await forge.listPulls({ state: 'open' });
    expect(pulls.map((p) => [p.head, p.base])).toEqual([[head, 'main']]);
    expect(run.log).toContain(`opened pull request #${pulls[0]!.number} (${head} → main)`);
    expect(project.git('ls-remote', 'origin', 'refs/heads/main').split('\t')[0]).toBe(mainTip);
    project.git('fetch', '-q', 'origin', `${head}:refs/remotes/origin/recording`);
    expect(project.git('rev-parse', 'origin/recording^')).toBe(mainTip);
    expect(project.git('ls-tree', '-r', '--name-only', 'origin/recording')).toContain(
      `docs/design/contracts/${DATE}/index.json`,
    );
    // The token never shows in the log.
    expect(run.log).not.toContain(stack.token);
  }, 360_000);
});
