import { describe, expect, it } from 'vitest';
import {
  parseFailedSuites,
  renderRollbackSection,
  statusFileWithRollback,
  ROLLBACK_SECTION,
} from '../../src/lib/evidence/rollback.js';
import { sectionsOf, withSection } from '../../src/lib/evidence/sections.js';
import { reportBranch, rollbackFacts } from '../../src/cli/workflow-action/rollback-note.js';
import { planRollbackNote } from '../../src/cli/workflow-action/main.js';
import { ConfigurationError } from '../../src/lib/errors.js';

const AT = new Date('2026-11-25T17:42:10Z');
const envelope = (result: Record<string, unknown>) => JSON.stringify({ action: 'helm-deploy', result });

describe('the rollback section of the status report', () => {
  it('says from which revision to which, the revision now, and the suites that caused it', () => {
    const facts = rollbackFacts(
      envelope({
        mode: 'rollback',
        release: 'staging',
        namespace: 'wf-1',
        previousRevision: 2,
        rolledBackTo: 1,
        revision: 3,
        status: 'rolled-back',
        rolledBack: true,
      }),
      ['policy', 'admin-console'],
      AT,
    );
    const text = renderRollbackSection(facts);
    expect(text).toContain(
      '✅ **Rolled back** release `staging` in namespace `wf-1`: from revision **2** to revision **1** (now revision 3, rolled-back).',
    );
    expect(text).toContain('- Why: the smoke suites failed after the deploy: `policy`, `admin-console`');
    expect(text).toContain('- When: 2026-11-25 17:42 UTC');
  });

  it("a release set's rollback: the set's verdict, then each release's own line, one left unchanged", () => {
    const release = (name: string, extra: Record<string, unknown>) => ({
      mode: 'rollback',
      release: name,
      namespace: 'staging',
      ...extra,
    });
    const facts = rollbackFacts(
      envelope({
        mode: 'rollback',
        status: 'deployed',
        rolledBack: true,
        releases: [
          release('db', {
            previousRevision: 4,
            rolledBackTo: 3,
            revision: 5,
            status: 'deployed',
            rolledBack: true,
          }),
          release('api', { previousRevision: 1, status: 'uninstalled', rolledBack: true }),
          release('cache', { status: 'unchanged', rolledBack: false, detail: 'the deploy step skipped it' }),
        ],
      }),
      ['policy'],
      AT,
    );
    const text = renderRollbackSection(facts);
    expect(text).toContain('✅ **Rolled back** the release set: 2 of 3 release(s), dependents first.');
    expect(text).toContain(
      '- ✅ **Rolled back** release `db` in namespace `staging`: from revision **4** to revision **3** (now revision 5, deployed).',
    );
    expect(text).toContain(
      '- ✅ **Rolled back** release `api` in namespace `staging`: from revision **1** to nothing (the first install was uninstalled).',
    );
    expect(text).toContain('- ➖ release `cache`: left as it is (the deploy step skipped it).');

    const failed = renderRollbackSection(
      rollbackFacts(
        envelope({
          mode: 'rollback',
          status: 'failed',
          rolledBack: false,
          failure: '1 of 1 release(s) did not roll back: db failed',
          releases: [
            release('db', { previousRevision: 4, status: 'failed', rolledBack: false, failure: 'timed out' }),
          ],
        }),
        [],
        AT,
      ),
    );
    expect(failed).toContain(
      "❌ **The release set's rollback failed**: 1 of 1 release(s) did not roll back: db failed. Staging may still run the day’s deploy.",
    );
    expect(failed).toContain(
      '- ❌ **The rollback failed**: release `db` in namespace `staging` was to go from revision **4**',
    );
  });

  it('a failed rollback says so and what it was to do', () => {
    const text = renderRollbackSection(
      rollbackFacts(
        envelope({
          release: 'staging',
          previousRevision: 2,
          rolledBack: false,
          failure: 'rollback to revision 1 failed: timed out',
        }),
        ['policy'],
        AT,
      ),
    );
    expect(text).toContain('❌ **The rollback failed**: release `staging` was to go from revision **2**');
    expect(text).toContain('rollback to revision 1 failed: timed out');
    expect(text).not.toContain('✅');
  });

  it('a rollback that left no result is recorded as not finished', () => {
    const text = renderRollbackSection(rollbackFacts(undefined, ['orchestrator'], AT));
    expect(text).toContain('❌ **The rollback did not finish**');
    expect(text).toContain('`orchestrator`');
  });

  it('after a first install, a rollback uninstalls: "to nothing"', () => {
    const text = renderRollbackSection(
      rollbackFacts(
        envelope({ release: 'staging', previousRevision: 1, status: 'uninstalled', rolledBack: true }),
        [],
        AT,
      ),
    );
    expect(text).toContain('from revision **1** to nothing (the first install was uninstalled).');
  });

  it('is its own section after the day report, which stays as it was; a second run replaces it', () => {
    const day = withSection(undefined, 'integration-day', '# Integration Day 2026-11-25\n\nreport', {
      file: 's.md',
    });
    const once = statusFileWithRollback(`${day}\nA person's note.\n`, '## Rollback\n\nfirst', 's.md');
    const twice = statusFileWithRollback(once, '## Rollback\n\nsecond', 's.md');
    const sections = sectionsOf(twice);
    expect(sections['integration-day']).toBe('# Integration Day 2026-11-25\n\nreport');
    expect(sections[ROLLBACK_SECTION]).toBe('## Rollback\n\nsecond');
    expect(twice).toContain("A person's note.");
    expect(twice.indexOf('integration-day -->')).toBeLessThan(twice.indexOf('begin rollback'));
  });
});

describe('record-rollback inputs', () => {
  it('failed-suites must be a JSON list of names, and the message names the input and value', () => {
    expect(parseFailedSuites('failed-suites', '["policy"]')).toEqual(['policy']);
    expect(parseFailedSuites('failed-suites', '')).toEqual([]);
    expect(() => parseFailedSuites('failed-suites', 'policy')).toThrow(
      /input 'failed-suites' has value "policy": expected a JSON list of suite names/,
    );
    expect(() => parseFailedSuites('failed-suites', '[1]')).toThrow(ConfigurationError);
  });

  const base = { commitMode: 'push' as const };

  it('goes to the branch of the run, or to the evidence pull request branch', () => {
    const plan = planRollbackNote(
      {
        ...base,
        date: '2026-11-25',
        statusFile: 'docs/sprints/status/2026-11-25.md',
        failedSuites: '["policy"]',
        rollbackResult: '/tmp/r.json',
      },
      { GITHUB_REF: 'refs/heads/main' },
    );
    expect(plan).toMatchObject({
      branch: 'main',
      resultPath: '/tmp/r.json',
      failedSuites: ['policy'],
      message: 'chore: Integration Day rollback for 2026-11-25 [skip ci]',
    });
    expect(reportBranch('pull-request', 'main', '2026-11-25')).toBe('command-center/evidence-2026-11-25');
  });

  it('refuses a missing status file, date or branch, naming the input', () => {
    const env = { GITHUB_REF: 'refs/heads/main' };
    expect(() => planRollbackNote({ ...base, date: '2026-11-25' }, env)).toThrow(/input 'status-file'/);
    expect(() => planRollbackNote({ ...base, statusFile: 's.md' }, env)).toThrow(/input 'date'/);
    expect(() =>
      planRollbackNote({ ...base, statusFile: 's.md', date: '2026-11-25' }, { GITHUB_REF: 'refs/tags/v1' }),
    ).toThrow(/input 'branch'/);
    expect(() =>
      planRollbackNote({ ...base, statusFile: 's.md', date: '2026-11-25', branch: 'a..b' }, env),
    ).toThrow(/input 'branch' has value "a..b"/);
  });
});
