/** A report that is not well-formed XML, or not a JUnit report. The message names the file and position. */
export class JUnitParseError extends Error {
  override readonly name: string = 'JUnitParseError';
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line !== undefined ? `:${line}:${column ?? 0}` : ''}: ${reason}`);
  }
}

/**
 * A report refused on sight because it could be an attack on the reader: a DTD (which is how
 * entity-expansion bombs and external entities get in). JUnit writers never emit one.
 */
export class JUnitRefusedError extends JUnitParseError {
  override readonly name = 'JUnitRefusedError';
}
