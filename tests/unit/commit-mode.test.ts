// Commit-back's plan (push or pull request), shared by evidence-archive and contract-record, and the
// pure parts of pull-request mode: the leased push's outcome, the pull request's text, the summary.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/lib/errors.js';
import {
  classifyPush,
  commitSummaryLines,
  planCommit,
  pullRequestBranch,
  renderPullRequestBody,
  type CommitOutcome,
} from '../../src/lib/git/index.js';
import { parseInputs } from '../../src/lib/inputs/spec.js';
import { planArchive } from '../../src/actions/evidence-archive/inputs.js';
import { metadata as archiveMetadata } from '../../src/actions/evidence-archive/metadata.js';
import { planRecording } from '../../src/actions/contract-record/inputs.js';
import { metadata as recordMetadata } from '../../src/actions/contract-record/metadata.js';

const WS = '/work/ws';
const ENV = { RUNNER_TEMP: '/work/rt', GITHUB_REF: 'refs/heads/main' };
const DAY = new Date('2026-12-02T20:00:00Z');

const archive = (raw: Record<string, string>) => {
  const defaults = Object.fromEntries(Object.entries(archiveMetadata.inputs).map(([k, v]) => [k, v.default]));
  const inputs = parseInputs(archiveMetadata.inputs, (n) => raw[n] ?? defaults[n], { workspace: WS });
  return planArchive(inputs, WS, ENV, DAY);
};
const record = (raw: Record<string, string>) => {
  const defaults = Object.fromEntries(Object.entries(recordMetadata.inputs).map(([k, v]) => [k, v.default]));
  const endpoints = 'services:\n  - name: policy-engine\n    url: http://127.0.0.1:18081\n';
  const inputs = parseInputs(recordMetadata.inputs, (n) => ({ endpoints, ...raw })[n] ?? defaults[n], {
    workspace: WS,
  });
  return planRecording(inputs, WS, ENV, DAY);
};

describe('the commit-back plan', () => {
  it('push mode is the default and is what it always was: straight onto the run branch', () => {
    expect(archive({}).commit).toEqual({
      mode: 'push',
      branch: 'main',
      target: 'main',
      message: 'chore: Integration Day evidence for 2026-12-02 [skip ci]',
      pushAttempts: 5,
    });
    expect(record({ commit: 'true' }).commit).toEqual({
      mode: 'push',
      branch: 'main',
      target: 'main',
      message: 'chore: contract recording for 2026-12-02 [skip ci]',
      pushAttempts: 5,
    });
  });

  it('pull-request mode commits onto command-center/<kind>-<date> and opens the pull request into the target', () => {
    const token = 'gto_0123456789';
    const evidence = archive({ 'commit-mode': 'pull-request', token, branch: 'release' }).commit!;
    expect(evidence).toEqual({
      mode: 'pull-request',
      branch: 'command-center/evidence-2026-12-02',
      target: 'release',
      // [skip ci] on the pull request's head would keep its required checks from running.
      message: 'chore: Integration Day evidence for 2026-12-02',
      pushAttempts: 5,
      pullRequest: {
        title: 'chore: Integration Day evidence for 2026-12-02',
        autoMerge: false,
        token,
      },
    });
    const contracts = record({
      commit: 'true',
      'commit-mode': 'pull-request',
      'auto-merge': 'true',
      token,
      'api-url': 'https://gitea.example/api/v1',
    }).commit!;
    expect(contracts.branch).toBe('command-center/contracts-2026-12-02');
    expect(contracts.target).toBe('main');
    expect(contracts.pullRequest).toEqual({
      title: 'chore: contract recording for 2026-12-02',
      autoMerge: true,
      token,
      apiUrl: 'https://gitea.example/api/v1',
    });
    expect(pullRequestBranch('evidence', '2026-12-02')).toBe('command-center/evidence-2026-12-02');
  });

  it('a message the workflow chose is kept as written, [skip ci] included', () => {
    const plan = archive({
      'commit-mode': 'pull-request',
      token: 't',
      'commit-message': 'evidence {date} [skip ci]',
    }).commit!;
    expect(plan.message).toBe('evidence 2026-12-02 [skip ci]');
  });

  it('pull-request mode without a token, or with the expression nobody expanded, is an InputError naming token', () => {
    for (const token of ['', '${{ github.token }}']) {
      const err = (() => {
        try {
          archive({ 'commit-mode': 'pull-request', token });
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(/input 'token'.*pull-requests: write/s);
    }
    // Push mode needs no token: the checkout's credentials push.
    expect(archive({ token: '' }).commit?.mode).toBe('push');
  });

  it('auto-merge without a pull request, and an unknown mode, are refused before anything runs', () => {
    expect(() => archive({ 'auto-merge': 'true' })).toThrow(/input 'auto-merge'.*commit-mode: pull-request/s);
    expect(() => record({ commit: 'true', 'auto-merge': 'true' })).toThrow(/input 'auto-merge'/);
    expect(() => archive({ 'commit-mode': 'merge-request' })).toThrow(
      /input 'commit-mode'.*expected one of push, pull-request/s,
    );
    // Not committing at all: the mode has nothing to do.
    expect(archive({ commit: 'false', 'commit-mode': 'pull-request', token: '' }).commit).toBeUndefined();
  });

  it('planCommit alone: the date lands in the message and the branch', () => {
    const plan = planCommit({
      mode: 'pull-request',
      kind: 'contracts',
      date: '2027-01-06',
      target: 'main',
      message: 'contracts for {date}\n\nbody',
      defaultMessage: 'x',
      pushAttempts: 3,
      autoMerge: false,
      token: 't',
      apiUrl: undefined,
    });
    expect(plan.branch).toBe('command-center/contracts-2027-01-06');
    expect(plan.message).toBe('contracts for 2027-01-06\n\nbody');
    expect(plan.pullRequest?.title).toBe('contracts for 2027-01-06');
  });
});

describe("pull-request mode's push, text and summary", () => {
  const REF = 'refs/heads/command-center/evidence-2026-12-02';
  const OUT = (flag: string, summary: string) => `To /tmp/o.git\n${flag}\tHEAD:${REF}\t${summary}\nDone\n`;

  it('a forced update is what a leased push asked for, and only then', () => {
    expect(classifyPush(REF, 0, OUT('+', 'ab12cd3...ef45ab6 (forced update)'), '', { leased: true })).toEqual(
      {
        kind: 'pushed',
        summary: 'ab12cd3...ef45ab6 (forced update)',
      },
    );
    expect(classifyPush(REF, 0, OUT('+', 'ab12cd3...ef45ab6 (forced update)'), '').kind).toBe('refused');
    // Another run replaced the branch since we looked: a stale lease means "fetch and look again".
    expect(classifyPush(REF, 1, OUT('!', '[rejected] (stale info)'), '', { leased: true }).kind).toBe(
      'behind',
    );
  });

  it('the body lists the files, links the run and says the branch is the step’s own', () => {
    const files = Array.from({ length: 33 }, (_, i) => `docs/sprints/status/2026-12-02/evidence/f${i}.json`);
    files[1] = 'docs/sprints/status/2026-12-02/evidence/a`[x](http://evil)`.txt';
    const body = renderPullRequestBody({
      what: 'Integration Day evidence',
      action: 'evidence-archive',
      date: '2026-12-02',
      head: 'command-center/evidence-2026-12-02',
      files,
      runUrl: 'https://github.example/acme/cc/actions/runs/9',
    });
    expect(body).toContain('<!-- command-center:evidence-archive:pull-request -->');
    expect(body).toContain('in [this run](https://github.example/acme/cc/actions/runs/9)');
    expect(body).toContain('33 file(s) changed:');
    expect(body).toContain('- `docs/sprints/status/2026-12-02/evidence/f29.json`');
    expect(body).not.toContain('f30.json');
    expect(body).toContain('- … and 3 more');
    expect(body).toContain('- `docs/sprints/status/2026-12-02/evidence/a%60[x](http://evil)%60.txt`');
    expect(body).toContain('`command-center/evidence-2026-12-02` belongs to the step');
  });

  it('the summary names the pull request and a refused auto-merge', () => {
    const outcome: CommitOutcome = {
      commit: {
        commitSha: '0123456789abcdef0123456789abcdef01234567',
        pushed: true,
        attempts: 1,
        rebases: 0,
        branch: 'command-center/evidence-2026-12-02',
        files: ['a'],
        upToDate: false,
        warnings: [],
        replaced: true,
      },
      target: 'main',
      pullRequest: {
        number: 7,
        url: 'http://127.0.0.1:13000/o/r/pulls/7',
        action: 'updated',
        head: 'command-center/evidence-2026-12-02',
        base: 'main',
        merged: false,
        mergeRefused: 'HTTP 405: Not all required status checks successful',
      },
      warnings: [],
    };
    expect(commitSummaryLines('evidence', outcome)).toEqual([
      'Committed `0123456789ab` to `command-center/evidence-2026-12-02` (1 push attempt(s), 0 rebase(s), replacing the branch).',
      'Pull request [#7](http://127.0.0.1:13000/o/r/pulls/7) updated from `command-center/evidence-2026-12-02` into `main`.',
      'Auto-merge was refused (HTTP 405: Not all required status checks successful); the pull request stays open: http://127.0.0.1:13000/o/r/pulls/7',
    ]);
    const nothing: CommitOutcome = {
      commit: { ...outcome.commit, commitSha: '', pushed: false, files: [], upToDate: true },
      target: 'main',
      warnings: [],
    };
    expect(commitSummaryLines('evidence', nothing)).toEqual([
      '`main` already had this evidence; nothing was committed.',
    ]);
  });
});
