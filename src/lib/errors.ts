/**
 * The user's mistake (bad input, a missing file they named, a chart that does not exist).
 * Reported as-is; everything else is treated as a bug or an outage.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/**
 * Raised for an input that fails validation. The message always names the input, the bad value
 * and what is allowed, so the step log alone tells the user how to fix it.
 */
export class InputError extends ConfigurationError {
  constructor(
    readonly input: string,
    readonly value: string,
    readonly allowed: string,
  ) {
    super(`input '${input}' has value ${quote(value)}: ${allowed}`);
  }
}

/**
 * What the action checks is not healthy (a topic went quiet, a suite failed, drift is breaking).
 * The step fails with this message; it is neither the user's input mistake nor a bug.
 */
export class CheckFailedError extends Error {
  override readonly name = 'CheckFailedError';
}

/** A capability that is declared but not built; it must fail loudly rather than pretend. */
export class NotImplementedError extends Error {
  override readonly name = 'NotImplementedError';
}

export function isConfigurationError(err: unknown): err is ConfigurationError {
  return err instanceof ConfigurationError;
}

/** Turns anything thrown (including strings and plain objects) into an Error. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(`non-Error thrown: ${JSON.stringify(thrown)}`);
  } catch {
    return new Error(`non-Error thrown: ${String(thrown)}`);
  }
}

/** Shows a value in a message: quoted, single line, bounded. */
export function quote(value: string, max = 200): string {
  const oneLine = value.replace(/\r?\n/g, '\\n');
  const shown = oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
  return JSON.stringify(shown);
}
