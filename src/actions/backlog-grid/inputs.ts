import { relative, sep } from 'node:path';
import { dateInZone } from '../../lib/dates.js';
import { InputError } from '../../lib/errors.js';
import { resolveInside } from '../../lib/files.js';
import { branchFromEnv, branchInput } from '../../lib/git/index.js';
import type { InputValues } from '../../lib/inputs/spec.js';
import type { GridRules } from './grid.js';
import type { metadata } from './metadata.js';

export type Inputs = InputValues<typeof metadata.inputs>;

export interface BacklogPlan {
  repository: string;
  apiUrl?: string;
  token: string;
  /** Only issues with every one of these labels. */
  labels: string[];
  rules: GridRules;
  doneDays: number;
  /** The day the grid is as of, in the configured time zone. */
  asOf: string;
  file: { abs: string; rel: string };
  commit?: { branch: string; message: string };
  resultPath?: string;
}

/** What the run will do, from the inputs and the runner's environment alone. Pure. */
export function planBacklog(
  inputs: Inputs,
  workspace: string,
  env: NodeJS.ProcessEnv,
  now: Date,
): BacklogPlan {
  const repository = inputs.repository ?? env.GITHUB_REPOSITORY ?? '';
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository))
    throw new InputError(
      'repository',
      repository,
      "expected owner/name (default: the run's GITHUB_REPOSITORY)",
    );
  const duplicate = (input: string, values: string[]) => {
    const seen = new Set<string>();
    for (const v of values) {
      if (seen.has(v)) throw new InputError(input, v, 'expected each label once');
      seen.add(v);
    }
  };
  duplicate('squads', inputs.squads);
  duplicate('statuses', inputs.statuses);
  if (inputs.statuses.length < 2)
    throw new InputError(
      'statuses',
      inputs.statuses.join('\n'),
      'expected at least two status labels, the last one done',
    );
  for (const s of inputs.squads)
    if (inputs.statuses.includes(s))
      throw new InputError('squads', s, 'expected squad labels that are not status labels');
  const abs = resolveInside(workspace, inputs.path, "input 'path': the file");
  const rel = relative(workspace, abs).split(sep).join('/');
  const first = rel.split('/')[0];
  if (!rel.endsWith('.md') || rel.split('/').includes('.git') || first === '.github')
    throw new InputError(
      'path',
      inputs.path,
      'expected a Markdown file (.md) inside the workspace, outside .git and .github',
    );
  const date = dateInZone(now, inputs.timezone);
  return {
    repository,
    ...(inputs.apiUrl ? { apiUrl: inputs.apiUrl } : {}),
    token: inputs.token,
    labels: inputs.labels,
    rules: {
      squads: inputs.squads,
      statuses: inputs.statuses,
      blockerLabels: inputs.blockerLabels,
      crossSquadLabel: inputs.crossSquadLabel,
      idleDays: inputs.idleDays,
    },
    doneDays: inputs.doneDays,
    asOf: date,
    file: { abs, rel },
    ...(inputs.commit
      ? {
          commit: {
            branch: branchInput('branch', inputs.branch ?? branchFromEnv(env) ?? ''),
            message: inputs.commitMessage.replaceAll('{date}', date),
          },
        }
      : {}),
    ...(inputs.resultPath ? { resultPath: inputs.resultPath } : {}),
  };
}
