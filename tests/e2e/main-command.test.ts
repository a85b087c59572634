import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Forge } from '../../src/lib/forge/index.js';
import { ROOT } from '../support/paths.js';
import { createForgeRepo, requireForge, type Forge as StackForge, type ForgeRepo } from '../support/forge.js';
import { requireKube } from '../support/kube.js';
import { needsServers, requireServer } from '../support/servers.js';
import { requireStaging } from '../fixtures/contracts/staging.js';

needsServers('kafka', 'prometheus', 'staging', 'kube', 'forge');

// The README's main command, as a person runs it: `npm run integration-day` (scripts/integration-day.sh),
// here pointed at a forge repository of its own so the test sees exactly what the runs committed and
// which issues they filed. After each run the repository is fetched into a local bare mirror, without
// `+`: a run that rewrote the branch instead of adding to it fails the fetch.

const GOOD_DAY = '2026-12-16';
const BAD_DAY = '2026-12-23';
let base: string;
/** A local mirror of the forge repository, fetched after each run. */
let origin: string;
let stack: StackForge;
let forgeRepo: ForgeRepo;

const show = (path: string) =>
  execFileSync('git', ['--git-dir', origin, 'show', `main:${path}`], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
const ls = (dir: string) =>
  execFileSync('git', ['--git-dir', origin, 'ls-tree', '-r', '--name-only', 'main', '--', dir], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
const commits = (prefix: string) =>
  execFileSync('git', ['--git-dir', origin, 'log', '--format=%H %s', 'main'], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter((l) => l.slice(41).startsWith(prefix))
    .map((l) => l.slice(0, 40));
const subjects = () =>
  execFileSync('git', ['--git-dir', origin, 'log', '--format=%s', 'main'], { encoding: 'utf8' })
    .trim()
    .split('\n');

function mainCommand(...args: string[]) {
  const r = spawnSync('npm', ['run', '-s', 'integration-day', '--', ...args], {
    cwd: ROOT,
    env: { ...process.env, FORGE_REPOSITORY: forgeRepo.fullName, INTEGRATION_DAY_DIR: join(base, 'day') },
    encoding: 'utf8',
    timeout: 900_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  execFileSync('git', ['--git-dir', origin, 'fetch', '-q', forgeRepo.cloneUrl, 'refs/heads/*:refs/heads/*']);
  return { code: r.status, out: r.stdout, all: `${r.stdout}\n${r.stderr}` };
}

beforeAll(async () => {
  requireKube();
  await requireServer('kafka');
  await requireServer('prometheus');
  await requireStaging();
  stack = await requireForge();
  forgeRepo = await createForgeRepo(stack, 'main-command');
  base = mkdtempSync(join(tmpdir(), 'cc-main-command-'));
  origin = join(base, 'origin.git');
  execFileSync('git', ['init', '-q', '--bare', '--initial-branch=main', origin]);
});

afterAll(async () => {
  await forgeRepo?.remove();
});

describe('npm run integration-day', () => {
  it('runs the day through act and commits the status report and the evidence to the origin', () => {
    const r = mainCommand('--date', GOOD_DAY);
    expect(r.code, r.all.slice(-6000)).toBe(0);
    // Progress while it ran, then where things are and the day at a glance.
    expect(r.out).toMatch(/Deploy \(helm-deploy\) ▸ Deploy/);
    expect(r.out).toMatch(/✅ Evidence and status report \(evidence-archive\): success/);
    expect(r.out).toContain('== Integration Day passed');
    expect(r.out).toContain(`status report: ${join(base, 'day/repo/docs/sprints/status', `${GOOD_DAY}.md`)}`);
    expect(r.out).toMatch(/\| smoke-suite \| ✅ success \| 3 suite\(s\), 0 failed/);
    expect(r.out).toContain('follow-up issues: none touched by this run');
    expect(r.out).toContain(`forge:         ${stack.url}/${forgeRepo.fullName} (log in as ${stack.admin}`);
    // The job's token reached the actions (act masks it), never the output.
    expect(r.all).not.toContain(stack.token);

    // The origin got the project (one commit) and the day's records on top (one more).
    expect(subjects().slice(0, 2)).toEqual([
      `chore: Integration Day evidence for ${GOOD_DAY} [skip ci]`,
      expect.stringMatching(/^Command Center as of /),
    ]);
    expect(show('.github/workflows/integration-day.yml')).toContain('name: Integration Day');
    const report = show(`docs/sprints/status/${GOOD_DAY}.md`);
    expect(report).toContain(`# Integration Day ${GOOD_DAY}`);
    // The stand-in is healthy: the headline is earned green, with nothing for an owner to look at.
    expect(report).toContain('✅ **All 3 step(s) succeeded.**');
    expect(report).not.toMatch(/need an owner's attention|⚠️/u);
    expect(report).toMatch(/\| helm-deploy \| ✅ success \| `staging` in `staging`, revision \d+, deployed/);
    const evidence = `docs/sprints/status/${GOOD_DAY}/evidence`;
    const manifest = JSON.parse(show(`${evidence}/manifest.json`)) as {
      files: { path: string; sha256: string }[];
    };
    expect(ls(evidence).length).toBe(manifest.files.length + 2); // + manifest.json and the README index
    for (const f of manifest.files) {
      const blob = execFileSync('git', ['--git-dir', origin, 'show', `main:${evidence}/${f.path}`], {
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(createHash('sha256').update(blob).digest('hex'), f.path).toBe(f.sha256);
    }
  }, 900_000);

  it('a failing day exits non-zero, is still committed next to the earlier day, files its follow-up issues and rolls back', async () => {
    const r = mainCommand('--date', BAD_DAY, '--smoke-fail');
    expect(r.code, r.all.slice(-6000)).toBe(1);
    expect(r.out).toContain('== Integration Day FAILED');
    expect(r.out).toMatch(/❌ Smoke suites \(smoke-suite\): failure/);
    expect(r.out).toMatch(/✅ Roll back \(helm-deploy\): success/);
    expect(r.out).toMatch(/\| smoke-suite \| ❌ failure \| 3 suite\(s\), 1 failed/);
    expect(subjects()[0]).toBe(`chore: Integration Day evidence for ${BAD_DAY} [skip ci]`);
    // Bringing the origin up to date with the project never makes an empty commit and never touches
    // the days' records (a second one appears only when the project's files changed in between).
    for (const sha of commits('Command Center as of ')) {
      const changed = execFileSync(
        'git',
        ['--git-dir', origin, 'diff-tree', '--root', '--no-commit-id', '--name-only', '-r', sha],
        { encoding: 'utf8' },
      )
        .split('\n')
        .filter(Boolean);
      expect(changed.length).toBeGreaterThan(0);
      expect(changed.filter((f) => f.startsWith('docs/sprints/status/'))).toEqual([]);
    }
    const badReport = show(`docs/sprints/status/${BAD_DAY}.md`);
    expect(badReport).toContain('test_benign_prompt_is_allowed');
    expect(show(`docs/sprints/status/${GOOD_DAY}.md`)).toContain(`# Integration Day ${GOOD_DAY}`);

    // The failed suite has an issue on the forge: its squad's label, its owner from the configuration,
    // linked from the day's report and printed with its link by the command.
    const forge = new Forge({ token: stack.token, apiUrl: stack.apiUrl, repository: forgeRepo.fullName });
    const open = await forge.listIssues({ state: 'open', labels: ['integration-day'] });
    const policy = open.find((i) => i.title === 'Integration Day: suite policy failed');
    expect(policy, JSON.stringify(open.map((i) => i.title))).toBeDefined();
    expect(policy!.labels).toEqual(expect.arrayContaining(['integration-day', 'Governance Core']));
    expect(policy!.assignees).toEqual(['ada']);
    const link = `${stack.url}/${forgeRepo.fullName}/issues/${policy!.number}`;
    expect(badReport).toContain(link);
    expect(r.out).toContain(`🔴 open   #${policy!.number} Integration Day: suite policy failed (@ada)`);
    expect(r.out).toContain(link);
    expect(r.out).toMatch(/follow-up issues: \d+ touched by this run/);
    expect(r.all).not.toContain(stack.token);
  }, 900_000);
});
