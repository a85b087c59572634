export {
  JUnitStreamParser,
  parseJUnitFileSequential,
  parseJUnitString,
  DEFAULT_MAX_FAILURE_CHARS,
  DEFAULT_MAX_OUTPUT_CHARS,
  DEFAULT_MAX_FAILURES,
  type JUnitEngineOptions,
} from './engine.js';
export { parseJUnitFileParallel, PARALLEL_MIN_BYTES, type ParallelOutcome } from './parallel.js';
export { parseJUnitFile } from './read-file.js';
export { JUnitParseError, JUnitRefusedError } from './errors.js';
export {
  locateFailure,
  extractFrames,
  type SourceLocation,
  type LocateContext,
  type LocatableCase,
  type Frame,
} from './locate.js';
export {
  findGoModules,
  packageDirectory,
  parseGoModPath,
  parseGoWorkUses,
  type GoModule,
} from './go-modules.js';
export {
  emptyCounts,
  addCounts,
  caseId,
  type CaseStatus,
  type CaseProperty,
  type JUnitCase,
  type JUnitCaseIds,
  type JUnitCounts,
  type JUnitFileSummary,
} from './types.js';
