import { lstat, readlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigurationError, InputError } from './errors.js';

/**
 * The one rule for the paths an action writes into the repository (the status report, the
 * evidence folder, a contract recording). A template is filled with the day's date and must stay
 * a plain path under the repository root: no `..` segment (even one that would come back inside),
 * no absolute path, nothing under `.git/` or `.github/`, and the date must survive into the
 * resolved path, so one day's run can never write over another day's files or the repository's
 * own. Pure: nothing is read from disk.
 */
export function ownedPath(root: string, template: string, date: string, input: string): OwnedPath {
  const filled = template.replaceAll('{date}', date).replace(/\/+$/, '');
  const segments = filled.split(/[\\/]+/);
  if (filled.startsWith('/') || /^[A-Za-z]:/.test(filled)) {
    throw new InputError(
      input,
      template,
      'expected a path relative to the repository root, not an absolute one',
    );
  }
  if (segments.some((s) => s === '..' || s === '.')) {
    throw new InputError(input, template, "expected a plain path: '..' and '.' segments are refused");
  }
  const rel = segments.filter(Boolean).join('/');
  if (rel === '')
    throw new InputError(input, template, 'expected a path inside the repository, not its root');
  const first = rel.split('/')[0]!;
  if (rel.split('/').includes('.git') || first === '.github') {
    throw new InputError(
      input,
      template,
      "expected a path outside .git/ and .github/ (the repository's own machinery)",
    );
  }
  if (!rel.includes(date)) {
    throw new InputError(input, template, `expected a path that contains {date} (${date}) once filled in`);
  }
  return { abs: resolve(root, ...rel.split('/')), rel };
}

export interface OwnedPath {
  abs: string;
  /** Repository-relative, forward slashes. */
  rel: string;
}

/**
 * Refuses an owned path when one of its folders (or itself) is a symbolic link. A link would send
 * writes and deletions somewhere the action does not own (outside the repository, or into another
 * tracked folder), and a commit of the path would replace the tracked link. Checked on disk
 * before anything is written.
 */
export async function refuseSymlinks(root: string, rel: string, what: string): Promise<void> {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    const st = await lstat(join(root, ...parts.slice(0, i))).catch(() => undefined);
    if (!st) return; // nothing below a missing folder exists yet
    if (st.isSymbolicLink()) {
      const target = await readlink(join(root, ...parts.slice(0, i))).catch(() => '?');
      throw new ConfigurationError(
        `${what} ${JSON.stringify(rel)} goes through ${JSON.stringify(prefix)}, a symbolic link (to ${JSON.stringify(target)}): ` +
          'writing there would change files this step does not own, so nothing was written. ' +
          'Make it a real folder, or choose a path without links.',
      );
    }
  }
}
