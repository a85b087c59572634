// The only place that talks to @actions/core: everything else stays plain, testable TypeScript.
export { runAction, reportFailure } from './run.js';
export { readInputs, workspace } from './inputs.js';
export { setOutputs } from './outputs.js';
export { writeSummary } from './summary.js';
export { emitAnnotations } from './annotate.js';
export { maskSecret } from './secrets.js';
export {
  writeResultFile,
  defaultResultPath,
  runInfo,
  type ResultEnvelope,
  type RunInfo,
} from '../step-result.js';
export { log, group, printGroup } from './log.js';
export { finishStep, type StepEnd } from './finish.js';
