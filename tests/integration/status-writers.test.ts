import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PULSE_SECTION, WRAP_SECTION } from '../../src/lib/evidence/pulse.js';
import { begin, end, sectionsOf } from '../../src/lib/evidence/sections.js';
import { writeStatusSection } from '../../src/lib/evidence/status-section.js';
import { bareOrigin, checkout, seed, sh } from '../support/git.js';
import { needsServers } from '../support/servers.js';

// Only local git: a real bare repository as the origin, real checkouts, real pushes.
needsServers();

const FILE = 'docs/sprints/status/2026-12-02.md';
let scratch: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'cc-status-writers-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const show = (origin: string, branch: string) => sh(origin, 'show', `refs/heads/${branch}:${FILE}`);

describe('one status file, several writers', () => {
  it('two writers committing at the same moment both land, each section kept, the day report and a note untouched', async () => {
    const origin = bareOrigin(scratch);
    // The origin holds each push for a moment before it updates the branch, so both pushes are in
    // flight together and the later one must lose the race and be rendered again on the new tip.
    const hook = join(origin, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\ncat >/dev/null\nsleep 1.5\n');
    chmodSync(hook, 0o755);
    const day = [
      '# Notes a person wrote above the generated parts',
      '',
      begin('integration-day'),
      '# Integration Day 2026-12-02',
      '✅ **All 3 step(s) succeeded.**',
      end('integration-day'),
      '',
    ].join('\n');
    seed(scratch, origin, 'main', { [FILE]: day });
    const pulseDir = checkout(scratch, origin, 'main');
    const wrapDir = checkout(scratch, origin, 'main');
    const write = (dir: string, section: string, content: string) =>
      writeStatusSection({
        repoDir: dir,
        file: join(dir, FILE),
        fileRel: FILE,
        section,
        content,
        commit: { branch: 'main', message: `chore: ${section} [skip ci]`, pushAttempts: 5 },
        tempDir: scratch,
      });

    const [pulse, wrap] = await Promise.all([
      write(pulseDir, PULSE_SECTION, '## Infra Pulse 2026-12-02\n\n✅ OK — every required dependency is up.'),
      write(wrapDir, WRAP_SECTION, '## Daily wrap 2026-12-02\n\nNo contract updates.'),
    ]);

    expect(pulse?.pushed).toBe(true);
    expect(wrap?.pushed).toBe(true);
    // Both started from the same tip; the one that landed second was rebuilt on the other's commit.
    expect((pulse?.rebases ?? 0) + (wrap?.rebases ?? 0)).toBeGreaterThanOrEqual(1);
    const tip = sh(origin, 'rev-parse', 'refs/heads/main');
    expect([pulse?.commitSha, wrap?.commitSha]).toContain(tip);
    const subjects = sh(origin, 'log', '--format=%s', 'refs/heads/main').split('\n');
    expect(subjects.slice(0, 2).sort()).toEqual([
      'chore: daily-wrap [skip ci]',
      'chore: infra-pulse [skip ci]',
    ]);

    const text = show(origin, 'main');
    const sections = sectionsOf(text, FILE);
    // The day's report stays first; the two new sections follow in the order they landed.
    expect(Object.keys(sections)[0]).toBe('integration-day');
    expect(Object.keys(sections).sort()).toEqual([WRAP_SECTION, PULSE_SECTION, 'integration-day'].sort());
    expect(sections['integration-day']).toBe('# Integration Day 2026-12-02\n✅ **All 3 step(s) succeeded.**');
    expect(sections[PULSE_SECTION]).toContain('every required dependency is up');
    expect(sections[WRAP_SECTION]).toContain('No contract updates.');
    expect(text.startsWith('# Notes a person wrote above the generated parts\n')).toBe(true);
    // Each commit changed only the status file.
    for (const sha of [pulse!.commitSha, wrap!.commitSha])
      expect(sh(origin, 'diff-tree', '--no-commit-id', '--name-only', '-r', sha)).toBe(FILE);
  }, 60_000);

  it('a writer that runs again replaces only its own section; a file a person wrote is refused and left alone', async () => {
    const origin = bareOrigin(scratch);
    seed(scratch, origin, 'main', {
      [FILE]: `${begin(PULSE_SECTION)}\nmorning\n${end(PULSE_SECTION)}\n\n${begin(WRAP_SECTION)}\nfirst wrap\n${end(WRAP_SECTION)}\n`,
      'docs/sprints/status/2026-12-03.md': '# A person wrote this day by hand\n',
    });
    const dir = checkout(scratch, origin, 'main');
    const again = await writeStatusSection({
      repoDir: dir,
      file: join(dir, FILE),
      fileRel: FILE,
      section: WRAP_SECTION,
      content: 'second wrap',
      commit: { branch: 'main', message: 'wrap again', pushAttempts: 2 },
      tempDir: scratch,
    });
    expect(again?.pushed).toBe(true);
    expect(sectionsOf(show(origin, 'main'), FILE)).toEqual({
      [PULSE_SECTION]: 'morning',
      [WRAP_SECTION]: 'second wrap',
    });

    const before = sh(origin, 'rev-parse', 'refs/heads/main');
    const hand = 'docs/sprints/status/2026-12-03.md';
    await expect(
      writeStatusSection({
        repoDir: dir,
        file: join(dir, hand),
        fileRel: hand,
        section: PULSE_SECTION,
        content: 'would clobber',
        commit: { branch: 'main', message: 'no', pushAttempts: 1 },
        tempDir: scratch,
      }),
    ).rejects.toThrow(/was not written by the command center/);
    expect(sh(origin, 'rev-parse', 'refs/heads/main')).toBe(before);
  }, 60_000);
});
