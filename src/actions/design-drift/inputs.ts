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
  if (inputs.declared.length === 0)
    throw new InputError(
      'declared',
      '',
      'this input is required with mode: check (globs of the declared contracts)',
    );
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

/** What `mode: report` posts, and where from. */
export interface DriftReportPlan {
  /** The handed-over result: as named, and its absolute path inside the workspace. */
  handoff: { file: string; path: string };
  /** The commit the check ran on, from the trusted event. */
  headSha: string;
  detailsUrl?: string;
  token: string;
  apiUrl?: string;
  resultPath?: string;
}

/** The plan of `mode: report`: the handed-over file inside the workspace, the head commit, the forge. Pure. */
export function planDriftReport(inputs: Inputs, workspace: string): DriftReportPlan {
  if (!inputs.handoff)
    throw new InputError(
      'handoff',
      '',
      "this input is required with mode: report (the check run's JSON result)",
    );
  if (!inputs.headSha)
    throw new InputError(
      'head-sha',
      '',
      'this input is required with mode: report (github.event.workflow_run.head_sha)',
    );
  return {
    handoff: {
      file: inputs.handoff,
      path: resolveInside(workspace, inputs.handoff, "input 'handoff': the file"),
    },
    headSha: inputs.headSha,
    ...(inputs.detailsUrl ? { detailsUrl: inputs.detailsUrl } : {}),
    token: inputs.token,
    ...(inputs.apiUrl ? { apiUrl: inputs.apiUrl } : {}),
    ...(inputs.resultPath ? { resultPath: inputs.resultPath } : {}),
  };
}
