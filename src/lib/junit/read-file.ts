import { parseJUnitFileSequential, type JUnitEngineOptions } from './engine.js';
import { parseJUnitFileParallel } from './parallel.js';
import type { JUnitFileSummary } from './types.js';

/**
 * Streams a report file through the engine: memory stays bounded whatever the file's size. A large
 * report is read in parts on several threads (parallel.ts) unless `parallel: false` or `onCase` is
 * given; the summary, and any error, are the same as reading it on one thread.
 */
export async function parseJUnitFile(
  path: string,
  options: JUnitEngineOptions = {},
): Promise<JUnitFileSummary> {
  if (options.parallel !== false && options.onCase === undefined)
    return (await parseJUnitFileParallel(path, options)).summary;
  return parseJUnitFileSequential(path, options);
}
