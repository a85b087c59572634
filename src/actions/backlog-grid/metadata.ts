import { defineAction } from '../../lib/inputs/metadata.js';
import { boolean, integer, lines, string, timezone } from '../../lib/inputs/spec.js';
import {
  apiUrlInput,
  commitMessageInput,
  forgeTokenInput,
  resultPathInput,
} from '../../lib/inputs/common.js';

export const metadata = defineAction({
  name: 'backlog-grid',
  title: 'Command Center: backlog-grid',
  description:
    "Write Parallel_Backlog.md, the live execution grid, from the forge's issues: squads × status from labels, each item's owner or a red no-owner mark, cross-squad blockers first, idle items, and the items rolled forward past their milestone; optionally committed back.",
  branding: { icon: 'grid', color: 'blue' },
  inputs: {
    token: forgeTokenInput('`issues: read` (and `contents: write` with `commit`)'),
    'api-url': apiUrlInput,
    repository: string({
      pattern: /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/,
      allowed: 'expected owner/name',
      description: "Repository (owner/name) whose issues make the backlog. Default: the run's repository.",
    }),
    squads: lines({
      required: true,
      description: "The squads' labels, one per line, in the grid's row order (e.g. `Governance Core`).",
    }),
    statuses: lines({
      default: 'status:todo\nstatus:in-progress\nstatus:blocked\nstatus:done',
      description:
        "The status labels, one per line, in the grid's column order; the last one is done (closed issues count as done). An open issue without one is shown under `no status`.",
    }),
    'blocker-labels': lines({
      default: 'blocker\nstatus:blocked',
      description: 'Labels that make an item a blocker, one per line.',
    }),
    'cross-squad-label': string({
      default: 'cross-squad',
      description:
        'Label of an item that involves more than one squad (an item with two squad labels is one too).',
    }),
    labels: lines({
      description: 'Only issues carrying every one of these labels, one per line (default: every issue).',
    }),
    'idle-days': integer({
      default: 3,
      min: 1,
      max: 365,
      description: 'An open item with no update for more than this many days is listed as idle.',
    }),
    'done-days': integer({
      default: 7,
      min: 0,
      max: 365,
      description: 'Closed items closed within this many days are shown as done (0: none).',
    }),
    path: string({
      default: 'Parallel_Backlog.md',
      description: 'The file written, relative to the workspace (a Markdown file outside .git and .github).',
    }),
    timezone: timezone({
      default: 'America/Los_Angeles',
      description: 'Time zone of the date the grid is as of.',
    }),
    commit: boolean({
      default: false,
      description:
        'Commit the file back (only when it changed; never over a file this action did not write).',
    }),
    branch: string({ description: 'Branch to commit to (default: the branch of the run).' }),
    'commit-message': commitMessageInput('backlog grid'),
    'result-path': resultPathInput,
  },
  outputs: {
    path: 'The file written, relative to the workspace.',
    items: 'Number of items in the grid.',
    'no-owner': 'Number of open items without an owner.',
    'cross-squad-blockers': 'Number of open cross-squad blockers.',
    idle: 'Number of open items idle for more than `idle-days`.',
    'rolled-forward': "Number of open items whose milestone's due date has passed.",
    'commit-sha': 'SHA of the commit pushed (empty when not committed or unchanged).',
    'result-path': 'Path of the JSON result file.',
  },
});
