import { defineAction } from '../../lib/inputs/metadata.js';
import { duration, string } from '../../lib/inputs/spec.js';
import { apiUrlInput, forgeTokenInput, resultPathInput } from '../../lib/inputs/common.js';

const LABEL = {
  pattern: /^[^,\n]{1,50}$/,
  allowed: 'expected a label name of 1 to 50 characters, without commas or line breaks',
};

export const metadata = defineAction({
  name: 'escalate',
  title: 'Command Center: escalate',
  description:
    'Escalate open blockers with no update for longer than the rule allows (the handbook says 4 hours): one comment each with a summary, the owner, a request for the ETA of the next update and a mention of the tiger crew, plus a label; never twice in the same window.',
  branding: { icon: 'alert-octagon', color: 'orange' },
  inputs: {
    token: forgeTokenInput('`issues: write`'),
    'api-url': apiUrlInput,
    repository: string({
      pattern: /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
      allowed: 'expected owner/name',
      description: "Repository (owner/name) whose blockers are escalated. Default: the run's repository.",
    }),
    'blocker-label': string({ ...LABEL, default: 'blocker', description: 'Label that marks a blocker.' }),
    'stale-after': duration({
      default: '4h',
      min: 1_000,
      description:
        'A blocker with no update for longer than this is escalated (the handbook: 4h). Updates made by the escalation itself (its comment and label) do not count.',
    }),
    'repeat-after': duration({
      min: 1_000,
      description:
        'The window: a blocker is escalated again at the earliest this long after its last escalation, and only if still without an update (default: `stale-after`).',
    }),
    team: string({
      pattern: /^@[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)?$/,
      allowed: 'expected a mention such as @org/tiger-crew or @someone',
      description: "The team the escalation mentions. Default: `@<repository's owner>/tiger-crew`.",
    }),
    'escalation-label': string({
      ...LABEL,
      default: 'tiger-crew',
      description: 'Label added to every escalated blocker.',
    }),
    'result-path': resultPathInput,
  },
  outputs: {
    blockers: 'Number of open blockers looked at.',
    escalated: 'Number of blockers escalated by this run.',
    issues: 'JSON list of the escalated issues: `[{number, url, quietFor}]`.',
    'result-path': 'Path of the JSON result file.',
  },
});
