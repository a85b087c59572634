// Parallel_Backlog.md from plain data shaped like the forge's issues (the real forge is in
// tests/e2e/escalate-backlog.test.ts).
import { describe, expect, it } from 'vitest';
import {
  BACKLOG_MARKER,
  backlogItems,
  NO_OWNER,
  renderBacklog,
  type BacklogIssue,
  type GridRules,
} from '../../src/actions/backlog-grid/grid.js';
import { planBacklog } from '../../src/actions/backlog-grid/inputs.js';
import { metadata } from '../../src/actions/backlog-grid/metadata.js';
import { parseInputs } from '../../src/lib/inputs/spec.js';

const D = 86_400_000;
const NOW = new Date('2026-12-03T18:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const rules: GridRules = {
  squads: ['Governance Core', 'Runtime & Training', 'Experience & Ecosystem'],
  statuses: ['status:todo', 'status:in-progress', 'status:blocked', 'status:done'],
  blockerLabels: ['blocker', 'status:blocked'],
  crossSquadLabel: 'cross-squad',
  idleDays: 3,
};
let n = 0;
const issue = (over: Partial<BacklogIssue>): BacklogIssue => ({
  number: ++n,
  title: `item ${n}`,
  htmlUrl: `https://forge.example/acme/cc/issues/${n}`,
  state: 'open',
  labels: [],
  assignees: ['ada'],
  updatedAt: ago(D / 2),
  ...over,
});

describe('backlog items', () => {
  it('places each issue by its squad and status labels, and knows blockers, cross-squad, idle and rolled-forward ones', () => {
    n = 0;
    const items = backlogItems(
      [
        issue({ labels: ['Governance Core', 'status:in-progress'] }),
        issue({
          labels: ['Governance Core', 'Runtime & Training', 'blocker', 'status:in-progress'],
          assignees: [],
        }),
        issue({ labels: ['Experience & Ecosystem', 'status:todo'], updatedAt: ago(5 * D) }),
        issue({
          labels: ['Runtime & Training', 'status:todo', 'status:blocked'],
          milestone: { title: 'Sprint 48', dueOn: '2026-11-20T00:00:00Z', state: 'open' },
        }),
        issue({ labels: ['Runtime & Training', 'status:in-progress'], state: 'closed', closedAt: ago(D) }),
        issue({
          labels: [],
          milestone: { title: 'Sprint 50', dueOn: '2026-12-20T00:00:00Z', state: 'open' },
        }),
      ],
      NOW,
      rules,
    );
    // Cross-squad blockers first, then blockers, then the longest idle, then by number.
    expect(items.map((i) => i.number)).toEqual([2, 4, 3, 1, 5, 6]);
    const byNumber = new Map(items.map((i) => [i.number, i]));
    expect(byNumber.get(2)).toMatchObject({
      blocker: true,
      crossSquad: true,
      squads: ['Governance Core', 'Runtime & Training'],
    });
    expect(byNumber.get(4)).toMatchObject({
      blocker: true,
      crossSquad: false,
      status: 'status:blocked',
      rolledForward: { milestone: 'Sprint 48', dueOn: '2026-11-20', daysPast: 13 },
    });
    expect(byNumber.get(3)).toMatchObject({ idle: true, idleDays: 5 });
    expect(byNumber.get(1)).toMatchObject({ idle: false, blocker: false, crossSquad: false });
    // Closed is done, whatever status label it kept; it neither blocks nor idles.
    expect(byNumber.get(5)).toMatchObject({ open: false, status: 'status:done', blocker: false });
    expect(byNumber.get(6)?.status).toBeUndefined();
    expect(byNumber.get(6)?.rolledForward).toBeUndefined();
  });
});

describe('Parallel_Backlog.md', () => {
  n = 0;
  const issues = [
    issue({ labels: ['Governance Core', 'status:in-progress'], assignees: ['ada', 'grace'] }),
    issue({
      title: 'cross | squad',
      labels: ['Governance Core', 'cross-squad', 'blocker', 'status:todo'],
      assignees: [],
    }),
    issue({ labels: ['Experience & Ecosystem', 'status:todo'], updatedAt: ago(5 * D) }),
    issue({
      labels: ['Runtime & Training', 'status:blocked'],
      milestone: { title: 'Sprint 48', dueOn: '2026-11-20T00:00:00Z', state: 'open' },
    }),
    issue({ labels: ['Runtime & Training'], state: 'closed', closedAt: ago(D) }),
    issue({ labels: ['status:todo'] }),
  ];
  const text = renderBacklog({
    repository: 'acme/cc',
    asOf: '2026-12-03',
    timezone: 'America/Los_Angeles',
    rules,
    items: backlogItems(issues, NOW, rules),
    doneDays: 7,
  });
  const sections = text.split(/^## /m);

  it('starts with its marker and says what it is as of, and how many items lack an owner', () => {
    expect(text.split('\n')[0]).toBe(BACKLOG_MARKER);
    expect(text).toContain(
      'As of 2026-12-03 (America/Los_Angeles), from the issues of `acme/cc`: 5 open item(s), 1 done in the last 7 day(s); 1 open item(s) with 🔴 **no owner**.',
    );
  });

  it('lists cross-squad blockers first, with the red no-owner mark', () => {
    expect(sections[1]!.startsWith('Cross-squad blockers')).toBe(true);
    expect(sections[1]).toContain(
      `| [#2](https://forge.example/acme/cc/issues/2) cross \\| squad | Governance Core | todo | ${NO_OWNER} | 0 d |`,
    );
    expect(sections[1]).not.toContain('#4');
  });

  it('draws squads × status, with blockers first in a cell and a row for items without a squad', () => {
    const grid = sections[2]!;
    expect(grid).toContain('| squad | todo | in-progress | blocked | done |');
    const row = (name: string) => grid.split('\n').find((l) => l.startsWith(`| ${name} |`))!;
    expect(row('**Governance Core**')).toBe(
      `| **Governance Core** | ⛔ [#2](https://forge.example/acme/cc/issues/2) cross \\| squad · ${NO_OWNER} | [#1](https://forge.example/acme/cc/issues/1) item 1 · @ada, @grace |  |  |`,
    );
    expect(row('**Runtime & Training**')).toBe(
      '| **Runtime & Training** |  |  | 🚧 [#4](https://forge.example/acme/cc/issues/4) item 4 · @ada | [#5](https://forge.example/acme/cc/issues/5) item 5 · @ada |',
    );
    expect(row('_no squad_')).toContain('[#6]');
  });

  it('lists idle items and the items rolled forward past their milestone', () => {
    expect(sections[3]!.startsWith('Idle for more than 3 day(s)')).toBe(true);
    expect(sections[3]).toContain(
      '| [#3](https://forge.example/acme/cc/issues/3) item 3 | Experience & Ecosystem | todo | @ada | 5 d |',
    );
    expect(sections[3]).not.toContain('#1]');
    expect(sections[4]!.startsWith('Rolled forward')).toBe(true);
    expect(sections[4]).toContain(
      '| [#4](https://forge.example/acme/cc/issues/4) item 4 | Sprint 48 | 2026-11-20 | 13 | Runtime & Training | @ada |',
    );
  });

  it('says None where a section is empty, and shows a no-status column only when needed', () => {
    const quiet = renderBacklog({
      repository: 'acme/cc',
      asOf: '2026-12-03',
      timezone: 'UTC',
      rules,
      items: backlogItems([issue({ labels: ['Governance Core', 'status:done'] })], NOW, rules),
      doneDays: 7,
    });
    expect(quiet.split(/^## /m).filter((s) => s.includes('\nNone.\n'))).toHaveLength(3);
    expect(quiet).not.toContain('_no status_');
    expect(quiet).toContain('every open item has an owner');
    const unlabelled = renderBacklog({
      repository: 'acme/cc',
      asOf: '2026-12-03',
      timezone: 'UTC',
      rules,
      items: backlogItems([issue({ labels: ['Governance Core'] })], NOW, rules),
      doneDays: 7,
    });
    expect(unlabelled).toContain('| squad | todo | in-progress | blocked | done | _no status_ |');
  });
});

describe('the plan', () => {
  const parse = (raw: Record<string, string>) =>
    parseInputs(metadata.inputs, (k) => raw[k], { workspace: '/ws' });
  const env = { GITHUB_REPOSITORY: 'acme/cc', GITHUB_REF: 'refs/heads/main' };

  it('reads the rules, the file and the branch', () => {
    const plan = planBacklog(parse({ token: 't', squads: 'A\nB', commit: 'true' }), '/ws', env, NOW);
    expect(plan).toMatchObject({
      repository: 'acme/cc',
      asOf: '2026-12-03',
      file: { abs: '/ws/Parallel_Backlog.md', rel: 'Parallel_Backlog.md' },
      commit: { branch: 'main', message: 'chore: backlog grid for 2026-12-03 [skip ci]' },
      rules: { squads: ['A', 'B'], statuses: rules.statuses, idleDays: 3 },
    });
  });

  it('refuses bad input naming the input, the value and what is allowed', () => {
    expect(() => parse({ token: 't' })).toThrow(/input 'squads' has value "": this input is required/);
    expect(() => planBacklog(parse({ token: 't', squads: 'A', path: '../x.md' }), '/ws', env, NOW)).toThrow(
      /points outside/,
    );
    expect(() =>
      planBacklog(parse({ token: 't', squads: 'A', path: '.github/x.md' }), '/ws', env, NOW),
    ).toThrow(/input 'path' has value ".github\/x.md": expected a Markdown file/);
    expect(() => planBacklog(parse({ token: 't', squads: 'A\nA' }), '/ws', env, NOW)).toThrow(
      /input 'squads' has value "A": expected each label once/,
    );
    expect(() => planBacklog(parse({ token: 't', squads: 'status:todo' }), '/ws', env, NOW)).toThrow(
      /input 'squads' has value "status:todo"/,
    );
    expect(() => parse({ squads: 'A', 'idle-days': '0' })).toThrow(/input 'idle-days' has value "0"/);
  });
});
