import { InputError } from '../../lib/errors.js';
import type { InputValues } from '../../lib/inputs/spec.js';
import type { metadata } from './metadata.js';

export type Inputs = InputValues<typeof metadata.inputs>;

export interface EscalationPlan {
  /** `owner/name`; the API root and token come from the inputs and the runner. */
  repository: string;
  apiUrl?: string;
  token: string;
  blockerLabel: string;
  escalationLabel: string;
  team: string;
  rules: EscalationRules;
  resultPath?: string;
}

export interface EscalationRules {
  staleAfterMs: number;
  repeatAfterMs: number;
}

/** What the run will do, from the inputs and the runner's environment alone. Pure. */
export function planEscalation(inputs: Inputs, env: NodeJS.ProcessEnv): EscalationPlan {
  const repository = inputs.repository ?? env.GITHUB_REPOSITORY ?? '';
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository))
    throw new InputError(
      'repository',
      repository,
      "expected owner/name (default: the run's GITHUB_REPOSITORY)",
    );
  if (inputs.blockerLabel === inputs.escalationLabel)
    throw new InputError(
      'escalation-label',
      inputs.escalationLabel,
      `expected a label other than the blocker label '${inputs.blockerLabel}'`,
    );
  return {
    repository,
    ...(inputs.apiUrl ? { apiUrl: inputs.apiUrl } : {}),
    token: inputs.token,
    blockerLabel: inputs.blockerLabel,
    escalationLabel: inputs.escalationLabel,
    team: inputs.team ?? `@${repository.split('/')[0]}/tiger-crew`,
    rules: { staleAfterMs: inputs.staleAfter, repeatAfterMs: inputs.repeatAfter ?? inputs.staleAfter },
    ...(inputs.resultPath ? { resultPath: inputs.resultPath } : {}),
  };
}
