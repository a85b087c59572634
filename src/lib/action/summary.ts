import { appendFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { fitToBudget } from '../markdown.js';
import { redactor } from '../redact.js';

/**
 * Writes the step summary, budgeted under GitHub's 1 MiB limit (a larger one is rejected whole).
 * Outside a runner (no GITHUB_STEP_SUMMARY) the summary goes to the log instead.
 */
export async function writeSummary(markdown: string, fullContentAt?: string): Promise<void> {
  const text = fitToBudget(redactor.redact(markdown), undefined, fullContentAt);
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) {
    await appendFile(file, `${text}\n`, 'utf8');
  } else {
    core.info(text);
  }
}
