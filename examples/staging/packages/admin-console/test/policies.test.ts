import { describe, expect, it } from 'vitest';
import { checkDraft, describeProblems, type ConstitutionDraft } from '../src/policies.js';

const good: ConstitutionDraft = {
  threshold: 0.5,
  rules: [
    {
      id: 'no-credentials',
      description: 'No passwords.',
      keywords: ['password', 'api key'],
      weight: 0.7,
      severity: 'high',
    },
    { id: 'personal-data', description: 'Care.', keywords: ['credit card'], weight: 0.4, severity: 'medium' },
  ],
  role_modifiers: { guest: 0.2, user: 0, operator: -0.1, admin: -0.2 },
};

describe('checkDraft', () => {
  it('accepts a sensible draft without remarks', () => {
    expect(checkDraft(good)).toEqual([]);
  });

  it('reports duplicate rule ids with the index of the first use', () => {
    const draft = { ...good, rules: [...good.rules, { ...good.rules[0]!, keywords: ['secret'] }] };
    expect(checkDraft(draft)).toContainEqual({
      level: 'error',
      at: 'rules[2].id',
      message: '"no-credentials" is already used by rules[0]',
    });
  });

  it('refuses thresholds and weights outside their ranges', () => {
    const problems = checkDraft({ ...good, threshold: 0, rules: [{ ...good.rules[0]!, weight: 1.5 }] });
    expect(problems.map((p) => p.at)).toEqual(['threshold', 'rules[0].weight']);
    expect(problems.every((p) => p.level === 'error')).toBe(true);
  });

  it('flags keywords that can never match and keywords shared by two rules', () => {
    const problems = checkDraft({
      ...good,
      rules: [good.rules[0]!, { ...good.rules[1]!, keywords: ['API key', '!!!'] }],
    });
    expect(problems).toEqual([
      {
        level: 'warning',
        at: 'rules[1].keywords[0]',
        message: '"API key" also triggers rule no-credentials; both weights will add up',
      },
      {
        level: 'error',
        at: 'rules[1].keywords[1]',
        message: '"!!!" has no letters or digits, so it can never match',
      },
    ]);
  });

  it('warns when a high-severity rule cannot deny on its own for the most trusted role', () => {
    // 0.65 - 0.2 (admin) < 0.5: an admin's prompt matching only this rule would pass.
    const problems = checkDraft({ ...good, rules: [{ ...good.rules[0]!, weight: 0.65 }] });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toContain('for the most trusted role (-0.2)');
    expect(checkDraft({ ...good, role_modifiers: {}, rules: [{ ...good.rules[0]!, weight: 0.65 }] })).toEqual(
      [],
    );
  });

  it('lists errors before warnings', () => {
    const lines = describeProblems([
      { level: 'warning', at: 'rules[0].weight', message: 'w' },
      { level: 'error', at: 'threshold', message: 'e' },
    ]);
    expect(lines).toEqual(['error threshold: e', 'warning rules[0].weight: w']);
  });
});
