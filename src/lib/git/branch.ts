import { InputError } from '../errors.js';

// git check-ref-format's rules for a branch name, checked up front so a bad name is the user's
// error before anything is written (git would only say "invalid refspec" at push time).
const FORBIDDEN = /[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\/|^\/|\/$|\.$|\.lock$|\.lock\/|\/\.|^\.|^-|^@$/;

export function isBranchName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && !FORBIDDEN.test(name) && !name.startsWith('refs/');
}

export function branchInput(input: string, name: string): string {
  if (!isBranchName(name))
    throw new InputError(
      input,
      name,
      'expected a git branch name such as main or status/integration-day (no spaces, "..", "~", "^", ":", "?", "*", "[" or leading "refs/")',
    );
  return name;
}

/**
 * The branch a run commits back to when none is given: the branch the workflow ran on
 * (push, schedule and workflow_dispatch events carry refs/heads/<name>). Pull requests and tags
 * have no branch to push to, so the caller must name one.
 */
export function branchFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const ref = env.GITHUB_REF ?? '';
  if (ref.startsWith('refs/heads/')) return ref.slice('refs/heads/'.length);
  return undefined;
}
