import { string } from './spec.js';

/** Inputs several actions share, described once so their docs agree. */
export const resultPathInput = string({
  description:
    'Where to write the JSON result file (default: a file under $RUNNER_TEMP/command-center/). Its path is the `result-path` output.',
});

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
