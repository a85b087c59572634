// Which blockers the escalation comments on, and what it says: decided on plain data shaped like the
// forge's issues and comments (the real forge is in tests/e2e/escalate-backlog.test.ts).
import { describe, expect, it } from 'vitest';
import {
  decideEscalation,
  ESCALATION_MARKER,
  renderEscalation,
  summaryOf,
  type Blocker,
} from '../../src/actions/escalate/decide.js';
import { planEscalation, type Inputs } from '../../src/actions/escalate/inputs.js';
import { metadata } from '../../src/actions/escalate/metadata.js';
import { InputError } from '../../src/lib/errors.js';
import { parseInputs } from '../../src/lib/inputs/spec.js';

const H = 3_600_000;
const NOW = new Date('2026-12-03T18:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString().replace(/\.\d+Z$/, 'Z');
const rules = { staleAfterMs: 4 * H, repeatAfterMs: 4 * H };

const blocker = (over: Partial<Blocker> = {}): Blocker => ({
  number: 7,
  title: 'policy engine rejects every tenant',
  body: '<!-- command-center:follow-up -->\nThe policy engine answers 500 for every tenant.\n\nMore detail.',
  htmlUrl: 'https://forge.example/acme/cc/issues/7',
  assignees: ['ada'],
  updatedAt: ago(5 * H),
  comments: [],
  ...over,
});
const escalation = (at: string) => ({ body: `${ESCALATION_MARKER}\n### Blocker escalated`, createdAt: at });

describe('when a blocker is escalated', () => {
  it('escalates a blocker quiet for longer than the rule, and leaves a fresh one', () => {
    expect(decideEscalation(blocker(), NOW, rules)).toMatchObject({
      escalate: true,
      escalations: 0,
      quietMs: 5 * H,
    });
    expect(decideEscalation(blocker({ updatedAt: ago(3 * H) }), NOW, rules)).toMatchObject({
      escalate: false,
    });
    // A person's comment moves updated_at: the blocker is fresh again.
    expect(
      decideEscalation(
        blocker({ comments: [{ body: 'on it', createdAt: ago(H) }], updatedAt: ago(H) }),
        NOW,
        rules,
      ).escalate,
    ).toBe(false);
  });

  it('does not take its own comment and label for an update, and never repeats within the window', () => {
    // Escalated an hour ago; the updated_at is that escalation (label, then comment, same second).
    const once = blocker({ comments: [escalation(ago(H))], updatedAt: ago(H) });
    expect(decideEscalation(once, NOW, rules)).toMatchObject({
      escalate: false,
      escalations: 1,
      lastEscalation: ago(H),
    });
    expect(decideEscalation(once, NOW, rules).why).toMatch(/^escalated 1h00m ago; not again within 4h00m/);
    // The label added a second after the comment is still the escalation's own doing.
    const labelAfter = blocker({ comments: [escalation(ago(5 * H))], updatedAt: ago(5 * H - 2_000) });
    expect(decideEscalation(labelAfter, NOW, rules)).toMatchObject({
      escalate: true,
      escalations: 1,
      quietMs: 5 * H,
    });
    expect(decideEscalation(labelAfter, NOW, rules).lastUpdate).toBeUndefined();
  });

  it('escalates again after the window when nothing came since, and restarts the clock on a real update', () => {
    const silent = blocker({ comments: [escalation(ago(4 * H + 60_000))], updatedAt: ago(4 * H + 60_000) });
    expect(decideEscalation(silent, NOW, rules)).toMatchObject({ escalate: true, escalations: 1 });
    // Someone answered two hours after the escalation: four hours from that answer, not before.
    const answered = blocker({ comments: [escalation(ago(5 * H))], updatedAt: ago(3 * H) });
    expect(decideEscalation(answered, NOW, rules)).toMatchObject({ escalate: false, lastUpdate: ago(3 * H) });
    const answeredLongAgo = blocker({ comments: [escalation(ago(10 * H))], updatedAt: ago(5 * H) });
    expect(decideEscalation(answeredLongAgo, NOW, rules)).toMatchObject({ escalate: true, quietMs: 5 * H });
    // A longer window holds even after a real update went stale.
    expect(
      decideEscalation(answeredLongAgo, NOW, { staleAfterMs: 4 * H, repeatAfterMs: 12 * H }).escalate,
    ).toBe(false);
  });

  it('counts only comments carrying its marker as escalations, whoever wrote them', () => {
    const quoted = blocker({
      comments: [{ body: 'someone wrote "Blocker escalated" by hand', createdAt: ago(5 * H) }],
      updatedAt: ago(5 * H),
    });
    expect(decideEscalation(quoted, NOW, rules)).toMatchObject({ escalate: true, escalations: 0 });
  });
});

describe('what the escalation says', () => {
  it('a summary, the owner, the ETA request and the team', () => {
    const b = blocker({ assignees: ['ada', 'grace'] });
    const text = renderEscalation(b, decideEscalation(b, NOW, rules), {
      team: '@acme/tiger-crew',
      escalationLabel: 'tiger-crew',
      staleAfterMs: 4 * H,
    });
    expect(text.split('\n')[0]).toBe(ESCALATION_MARKER);
    expect(text).toContain(
      '**#7 policy engine rejects every tenant** has had no update since 2026-12-03 13:00:00 UTC',
    );
    expect(text).toContain('> The policy engine answers 500 for every tenant.');
    expect(text).not.toContain('More detail');
    expect(text).toContain('**Owner:** @ada, @grace');
    expect(text).toContain('@ada, @grace: please reply here with the ETA of the next update.');
    expect(text).toContain('cc @acme/tiger-crew');
  });

  it('says "no owner" and asks the team when nobody is assigned', () => {
    const b = blocker({ assignees: [], comments: [escalation(ago(5 * H))], updatedAt: ago(5 * H) });
    const text = renderEscalation(b, decideEscalation(b, NOW, rules), {
      team: '@acme/tiger-crew',
      escalationLabel: 'tiger-crew',
      staleAfterMs: 4 * H,
    });
    expect(text).toContain('**Owner:** no owner');
    expect(text).toContain('@acme/tiger-crew, please find an owner');
    expect(text).toContain('(escalation 2)');
    expect(text).toContain('no update since it was last escalated');
  });

  it('summarises the first paragraph, without hidden comments, clipped', () => {
    expect(summaryOf('<!-- m -->\n\nfirst\nline\n\nsecond')).toBe('first line');
    expect(summaryOf('x'.repeat(400))).toHaveLength(280);
    expect(summaryOf('')).toBe('');
  });
});

describe('the plan', () => {
  const parse = (raw: Record<string, string>) =>
    parseInputs(metadata.inputs, (n) => raw[n], { workspace: '/ws' }) satisfies Inputs;

  it('defaults: 4h, the window equal to it, the owner of the repository`s tiger crew', () => {
    const plan = planEscalation(parse({ token: 't' }), { GITHUB_REPOSITORY: 'acme/cc' });
    expect(plan).toMatchObject({
      repository: 'acme/cc',
      blockerLabel: 'blocker',
      escalationLabel: 'tiger-crew',
      team: '@acme/tiger-crew',
      rules: { staleAfterMs: 4 * H, repeatAfterMs: 4 * H },
    });
    expect(
      planEscalation(parse({ token: 't', 'stale-after': '2s', 'repeat-after': '1h' }), {
        GITHUB_REPOSITORY: 'a/b',
      }).rules,
    ).toEqual({
      staleAfterMs: 2_000,
      repeatAfterMs: H,
    });
  });

  it('refuses bad input naming the input, the value and what is allowed', () => {
    expect(() => parse({ 'stale-after': 'soon' })).toThrow(
      'input \'stale-after\' has value "soon": expected a duration',
    );
    expect(() => parse({ team: 'tiger crew' })).toThrow(
      /input 'team' has value "tiger crew": expected a mention/,
    );
    expect(() => planEscalation(parse({ token: 't' }), {})).toThrow(InputError);
    expect(() =>
      planEscalation(parse({ token: 't', 'escalation-label': 'blocker' }), { GITHUB_REPOSITORY: 'a/b' }),
    ).toThrow(/input 'escalation-label' has value "blocker": expected a label other than the blocker label/);
  });
});
