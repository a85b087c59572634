import * as core from '@actions/core';
import { CheckFailedError, isConfigurationError, toError, NotImplementedError } from '../errors.js';
import { redactor } from '../redact.js';

export type ActionMain = () => Promise<void>;

/**
 * Runs an action's main and turns every way it can end into the right step result:
 * a ConfigurationError is the user's to fix and is reported as-is; anything else is a bug
 * or an outage and says so, with the stack in the log. Never calls process.exit, so open
 * sockets close in their own finally blocks.
 */
export async function runAction(name: string, main: ActionMain): Promise<void> {
  const onRejection = (reason: unknown) => reportFailure(name, reason);
  process.on('unhandledRejection', onRejection);
  try {
    await main();
  } catch (thrown) {
    reportFailure(name, thrown);
  } finally {
    process.off('unhandledRejection', onRejection);
  }
}

export function reportFailure(name: string, thrown: unknown): void {
  const err = toError(thrown);
  const message = redactor.redact(err.message);
  if (isConfigurationError(thrown) || thrown instanceof CheckFailedError) {
    core.setFailed(`${name}: ${message}`);
  } else if (thrown instanceof NotImplementedError) {
    core.setFailed(`${name}: not implemented yet: ${message}`);
  } else {
    core.setFailed(`${name}: ${message}`);
    core.info(
      `${name}: this failure is not about your inputs: it is a bug in the action or an outage of something it talks to. Details:`,
    );
    core.info(redactor.redact(err.stack ?? String(err)));
  }
}
