import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { boolean, integer, oneOf, string, type InputSpec } from './spec.js';

/**
 * The one rule for `result-path`, the same in every action: a relative path is in the workspace, an
 * absolute one is used as given (a folder the workflow collects from, such as /var/results), and
 * nothing inside a `.git` folder. The parsed value is absolute. Empty: the action's default file
 * under $RUNNER_TEMP/command-center/.
 */
export function resolveResultPath(raw: string, workspace: string): string {
  const path = isAbsolute(raw) ? resolve(raw) : resolve(workspace, raw);
  if (path.split(/[\\/]/).includes('.git')) {
    throw new InputError('result-path', raw, 'expected a file path outside any .git folder');
  }
  if (raw.endsWith('/') || raw.endsWith('\\'))
    throw new InputError('result-path', raw, 'expected a file path, not a folder');
  return path;
}

/** Inputs several actions share, described once so their docs agree. */
export const resultPathInput: InputSpec<string | undefined> = {
  ...string({
    description:
      'Where to write the JSON result file: a path relative to the workspace, or absolute (default: a file under $RUNNER_TEMP/command-center/). Its path is the `result-path` output.',
  }),
  parse: (_input, raw, ctx) => resolveResultPath(raw, ctx.workspace),
};

export const commitMessageInput = (what: string) =>
  string({
    description: `Commit message for the ${what} commit-back. {date} is replaced by the day's date.`,
    default: `chore: ${what} for {date} [skip ci]`,
  });

/** A git ref or commit for `git show <ref>:<path>`: never an option (`-…`), a range (`a..b`) or a `ref:path`. */
export const GIT_REF_PATTERN = /^(?!-)(?!.*\.\.)[^\s:]+$/;

export const gitRefInput = (description: string) =>
  string({
    description,
    pattern: GIT_REF_PATTERN,
    allowed: 'expected a git ref or commit such as origin/main (no leading "-", no "..", no spaces or ":")',
  });

/** The token the forge's API is called with: the job's own by default (its permissions decide). */
export const forgeTokenInput = (needs: string) =>
  string({
    secret: true,
    default: '${{ github.token }}',
    description: `Token for the forge's API (GitHub, GitHub Enterprise Server, Gitea or Forgejo), masked. Default: the job's token; it needs ${needs}.`,
  });

/** The forge's REST API root, for GitHub Enterprise Server and Gitea/Forgejo. */
export const apiUrlInput = string({
  pattern: /^https?:\/\/\S+$/,
  allowed:
    'expected the http(s) URL of the REST API root, e.g. https://ghe.example/api/v3 or https://gitea.example/api/v1',
  description:
    "The forge's REST API root. Default: the runner's `GITHUB_API_URL` (set by GitHub, GitHub Enterprise Server, Gitea and Forgejo runners).",
});

/** How commit-back reaches the branch: directly, or through a pull request (for protected branches). */
export const commitModeInput = oneOf(['push', 'pull-request'] as const, {
  default: 'push',
  description:
    "`push`: commit straight onto `branch` (never forced). `pull-request`: commit onto the step's own branch `command-center/<kind>-<date>` (replaced on each run for that date, with a lease) and open or update a pull request into `branch`, for branches that refuse direct pushes. Needs `token` with `contents: write` and `pull-requests: write`; the default commit message then leaves out `[skip ci]`, so the pull request's required checks run.",
});

export const autoMergeInput = boolean({
  default: false,
  description:
    'With `commit-mode: pull-request`, try to merge the pull request at once. A merge the forge refuses (required checks pending, protection rules) leaves it open with a warning; the step does not fail for it.',
});

/** `Name: value` → a header; the value is never shown in the error. */
export function parseHeader(input: string, raw: string): { name: string; value: string } {
  const m = /^([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*:\s*(.+)$/s.exec(raw.trim());
  if (!m)
    throw new InputError(
      input,
      '***',
      'expected one header written as `Name: value`, e.g. `Authorization: Bearer <token>`',
    );
  return { name: m[1]!, value: m[2]!.trim() };
}

/** Where a writer of the day's status file commits its section, and how often it retries a push. */
export const statusCommitInputs = (what: string) => ({
  branch: string({
    description:
      'Branch to commit to. Default: the branch the workflow runs on (push, schedule, workflow_dispatch).',
  }),
  'commit-message': commitMessageInput(what),
  'push-attempts': integer({
    default: 5,
    min: 1,
    max: 20,
    description:
      'Push attempts; a rejected push is fetched, the section rendered again on the new tip, and retried.',
  }),
});
