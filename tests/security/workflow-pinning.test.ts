// A caller that pins a reusable workflow by SHA must run the actions of that same release.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownUses, release } from '../../scripts/release.js';
import { ROOT } from '../support/paths.js';
import { sh } from '../support/git.js';
import { needsServers } from '../support/servers.js';

needsServers();

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'cc-security-pinning-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const workflows = (dir: string) =>
  readdirSync(join(dir, '.github/workflows'))
    .filter((n) => n.endsWith('.yml'))
    .sort();

describe('releases pin the workflows to their own actions', () => {
  it('on main, every own uses: follows the major tag (a release replaces it with a SHA)', () => {
    const refs = workflows(ROOT).flatMap((n) =>
      ownUses(readFileSync(join(ROOT, '.github/workflows', n), 'utf8')),
    );
    expect(refs.length).toBeGreaterThan(10);
    expect([...new Set(refs.map((r) => r.ref))]).toEqual(['v1']);
  });

  it("a release commit calls exactly the tested commit's actions, by SHA, and changes nothing else", () => {
    const clone = mkdtempSync(join(scratch, 'clone-'));
    sh(clone, 'clone', '-q', '--no-local', ROOT, '.');
    const tested = sh(clone, 'rev-parse', 'HEAD');
    const r = release(clone, 'v1.9.0');
    expect(r.tested).toBe(tested);
    expect(sh(clone, 'rev-parse', `${r.release}^`)).toBe(tested);
    // Only the workflows changed: the actions, bundles and sources at the release are the tested ones.
    expect(
      sh(clone, 'diff', '--name-only', tested, r.release)
        .split('\n')
        .every((p) => p.startsWith('.github/workflows/')),
    ).toBe(true);
    expect(sh(clone, 'diff', '--stat', tested, r.release, '--', 'actions', 'dist', 'config', 'src')).toBe('');
    for (const n of workflows(clone)) {
      for (const u of ownUses(sh(clone, 'show', `${r.release}:.github/workflows/${n}`)))
        expect(u.ref, `${n}: ${u.path}`).toBe(tested);
    }
    expect(sh(clone, 'rev-parse', 'v1.9.0^{commit}')).toBe(r.release);
    expect(sh(clone, 'rev-parse', 'v1^{commit}')).toBe(r.release);
    // The pinned path exists at the pinned commit for every uses:.
    for (const n of workflows(clone)) {
      for (const u of ownUses(sh(clone, 'show', `${r.release}:.github/workflows/${n}`))) {
        expect(sh(clone, 'cat-file', '-t', `${u.ref}:${u.path}`), u.path).toBe('tree');
      }
    }
  });

  it('refuses a release from uncommitted changes or with a malformed version', () => {
    const clone = mkdtempSync(join(scratch, 'clone-'));
    sh(clone, 'clone', '-q', '--no-local', ROOT, '.');
    expect(() => release(clone, '1.9')).toThrow(/must look like v1\.4\.0/);
    rmSync(join(clone, 'README.md'));
    expect(() => release(clone, 'v1.9.1')).toThrow(/uncommitted changes/);
  });
});
