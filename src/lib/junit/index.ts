export { JUnitStreamParser, parseJUnitFile, parseJUnitString, DEFAULT_MAX_FAILURE_CHARS, DEFAULT_MAX_OUTPUT_CHARS, DEFAULT_MAX_FAILURES, type JUnitEngineOptions } from './engine.js';
export { JUnitParseError, JUnitRefusedError } from './errors.js';
export { locateFailure, extractFrames, type SourceLocation, type LocateContext, type Frame } from './locate.js';
export { emptyCounts, addCounts, type CaseStatus, type CaseProperty, type JUnitCase, type JUnitCounts, type JUnitFileSummary } from './types.js';
