import { isAbsolute } from 'node:path';
import { dateInZone } from '../../lib/dates.js';
import { InputError } from '../../lib/errors.js';
import { resolveInside } from '../../lib/files.js';
import type { InputValues } from '../../lib/inputs/spec.js';
import type { metadata } from './metadata.js';
import type { FailOn, Owner } from './report.js';

export type Inputs = InputValues<typeof metadata.inputs>;

/** Where the recorded contracts are: a folder named by `recorded`, or the newest dated one under `contracts-root`. */
export type RecordingSource =
  { kind: 'folder'; path: string; input: string } | { kind: 'newest-under'; root: string; input: string };

export interface DriftPlan {
  /** Globs of the declared contracts, relative to the workspace. */
  declared: string[];
  recording: RecordingSource;
  /** The waivers file: as named, and its absolute path inside the workspace. */
  waivers?: { file: string; path: string };
  /** The pull request's base: declared contracts are compared with it too, and the waivers are read from it. */
  baseRef?: string;
  failOn: FailOn;
  /** "Today" in the configured time zone, for waiver expiry and lifetime. */
  today: string;
  maxWaiverDays: number;
  bypassLabel?: string;
  allowExternalRefs: boolean;
  who: Owner;
  /** Absolute path of the JSON result, when given. */
  resultPath?: string;
}

/** Turns the inputs into the run's plan; every path is checked to stay inside the workspace. Pure. */
export function planDrift(inputs: Inputs, workspace: string, now: Date): DriftPlan {
  const inside = (path: string, input: string, what: string) =>
    resolveInside(workspace, path, `input '${input}': the ${what}`);
  const recording: RecordingSource = inputs.recorded
    ? { kind: 'folder', path: inside(inputs.recorded, 'recorded', 'folder'), input: inputs.recorded }
    : {
        kind: 'newest-under',
        root: inside(inputs.contractsRoot, 'contracts-root', 'folder'),
        input: inputs.contractsRoot,
      };
  for (const glob of inputs.declared) {
    if (isAbsolute(glob) || glob.split(/[\\/]/).includes('..')) {
      throw new InputError(
        'declared',
        glob,
        'expected globs relative to the workspace, without ".." segments',
      );
    }
  }
  return {
    declared: inputs.declared,
    recording,
    ...(inputs.waivers
      ? { waivers: { file: inputs.waivers, path: inside(inputs.waivers, 'waivers', 'file') } }
      : {}),
    ...(inputs.baseRef ? { baseRef: inputs.baseRef } : {}),
    failOn: inputs.failOn,
    today: dateInZone(now, inputs.timezone),
    maxWaiverDays: inputs.maxWaiverDays,
    ...(inputs.bypassLabel ? { bypassLabel: inputs.bypassLabel } : {}),
    allowExternalRefs: inputs.allowExternalRefs,
    who: {
      ...(inputs.owner ? { owner: inputs.owner } : {}),
      ...(inputs.runbook ? { runbook: inputs.runbook } : {}),
    },
    ...(inputs.resultPath ? { resultPath: inputs.resultPath } : {}),
  };
}
