import { ConfigurationError } from '../errors.js';
import { git, gitOut, type GitOptions } from './run.js';

/** A file's content at a commit, or undefined when the commit has no such file. */
export async function showAt(commit: string, path: string, opts: GitOptions): Promise<string | undefined> {
  const r = await git(['cat-file', 'blob', `${commit}:${path}`], { ...opts, allowFailure: true });
  return r.code === 0 ? r.stdout : undefined;
}

/** `a/b/c` -> `a`, `a/b`, `a/b/c`. */
function prefixes(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * Refuses owned paths that go through a tracked symbolic link or submodule on the branch: writing
 * below it would replace the link (a change to a path this run does not own), or land somewhere
 * else entirely.
 */
export async function refuseTrackedLinks(
  commit: string,
  paths: readonly string[],
  opts: GitOptions,
): Promise<void> {
  const wanted = [...new Set(paths.flatMap(prefixes))];
  const listing = await gitOut(['ls-tree', '-z', commit, '--', ...wanted], opts);
  for (const entry of listing.split('\0').filter(Boolean)) {
    const m = /^(\d{6}) \S+ \S+\t(.*)$/s.exec(entry);
    if (!m || !wanted.includes(m[2]!)) continue;
    const [, mode, path] = m;
    if (mode === '120000' || mode === '160000') {
      const what = mode === '120000' ? 'a symbolic link' : 'a submodule';
      throw new ConfigurationError(
        `commit-back: ${JSON.stringify(path)} is ${what} on the branch, and this run's output would go through it; ` +
          'nothing was committed. Choose an output path that is a real folder on the branch.',
      );
    }
  }
}

/**
 * Owned files that go through a `.gitattributes` filter (such as `filter=lfs`) whose driver is not
 * configured here: git then commits the raw content where the repository expects the filter's
 * output (an LFS pointer). Returned as warnings, one per filter.
 */
export async function missingFilterDrivers(files: readonly string[], opts: GitOptions): Promise<string[]> {
  if (files.length === 0) return [];
  const out = await git(['check-attr', '--cached', '-z', 'filter', '--', ...files], {
    ...opts,
    allowFailure: true,
  });
  if (out.code !== 0) return [];
  const fields = out.stdout.split('\0');
  const byFilter = new Map<string, string[]>();
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const [file, , value] = [fields[i]!, fields[i + 1]!, fields[i + 2]!];
    if (value === 'unspecified' || value === 'unset' || value === 'set') continue;
    byFilter.set(value, [...(byFilter.get(value) ?? []), file]);
  }
  const warnings: string[] = [];
  for (const [filter, matched] of byFilter) {
    const driver = await git(
      [
        'config',
        '--get-regexp',
        `^filter\\.${filter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(clean|process)$`,
      ],
      {
        ...opts,
        allowFailure: true,
      },
    );
    if (driver.code === 0 && driver.stdout.trim()) continue;
    const shown =
      matched.slice(0, 3).join(', ') + (matched.length > 3 ? ` and ${matched.length - 3} more` : '');
    const install = filter === 'lfs' ? ' (install git-lfs and run `git lfs install`)' : '';
    warnings.push(
      `${shown} ${matched.length === 1 ? 'goes' : 'go'} through the .gitattributes filter '${filter}', whose driver is not configured on this runner${install}: ` +
        'the raw content was committed where the repository expects the filtered form',
    );
  }
  return warnings;
}
