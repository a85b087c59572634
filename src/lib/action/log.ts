import * as core from '@actions/core';
import { randomUUID } from 'node:crypto';

/** Logging that the rest of the code can use without importing the toolkit. */
export const log = {
  info: (msg: string) => core.info(msg),
  warning: (msg: string) => core.warning(msg),
  error: (msg: string) => core.error(msg),
  debug: (msg: string) => core.debug(msg),
};

/** A collapsible phase in the log, with its elapsed time printed when it ends. */
export async function group<T>(title: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  return core.group(title, async () => {
    try {
      return await fn();
    } finally {
      core.info(`(${title}: ${((Date.now() - started) / 1000).toFixed(1)}s)`);
    }
  });
}

/**
 * Prints another program's output as one collapsed group. Workflow commands inside it
 * (`::error::`, `::add-mask::`, ...) are shown, not obeyed: a test's output must not steer the runner.
 */
export function printGroup(title: string, text: string): void {
  const token = `cc-${randomUUID()}`;
  core.startGroup(title);
  core.info(`::stop-commands::${token}`);
  core.info(text.endsWith('\n') ? text.slice(0, -1) : text);
  core.info(`::${token}::`);
  core.endGroup();
}
