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

/** Where and how a status-file writer commits back: the branch, the message, how often to retry. */
export interface StatusCommit {
  branch: string;
  message: string;
  pushAttempts: number;
}

/**
 * The commit of a writer of the day's status file (the pulse, the wrap): the named branch or the
 * run's own; a run with neither (a pull request, a tag) is the user's error before anything is written.
 */
export function statusCommitPlan(
  inputs: { branch?: string; commitMessage: string; pushAttempts: number },
  date: string,
  env: NodeJS.ProcessEnv,
): StatusCommit {
  const branch = inputs.branch ? branchInput('branch', inputs.branch) : branchFromEnv(env);
  if (!branch)
    throw new InputError(
      'branch',
      '',
      `this run is not on a branch (GITHUB_REF=${env.GITHUB_REF ?? 'unset'}), so name the branch to commit the status file to, or set commit: false`,
    );
  return {
    branch,
    message: inputs.commitMessage.replaceAll('{date}', date),
    pushAttempts: inputs.pushAttempts,
  };
}
