import { string } from './spec.js';

/** Inputs several actions share, described once so their docs agree. */
export const resultPathInput = string({
  description: 'Where to write the JSON result file (default: a file under $RUNNER_TEMP/command-center/). Its path is the `result-path` output.',
});

export const commitMessageInput = (what: string) =>
  string({ description: `Commit message for the ${what} commit-back. {date} is replaced by the day's date.`, default: `chore: ${what} for {date} [skip ci]` });
