// Checks a constitution draft before an admin sends it, with messages an admin can act on. The
// constitution service refuses malformed drafts too; these checks also catch drafts that are valid
// but do not do what their author probably meant.

export type Role = 'guest' | 'user' | 'operator' | 'admin';

export interface RuleDraft {
  id: string;
  description: string;
  keywords: string[];
  weight: number;
  severity: 'low' | 'medium' | 'high';
}

export interface ConstitutionDraft {
  threshold: number;
  rules: RuleDraft[];
  role_modifiers?: Partial<Record<Role, number>>;
}

export interface Problem {
  level: 'error' | 'warning';
  /** Where: "threshold", "rules[2].weight", ... */
  at: string;
  message: string;
}

const RULE_ID = /^[a-z][a-z0-9-]{0,62}$/;

function normalise(keyword: string): string {
  return keyword
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function checkDraft(draft: ConstitutionDraft): Problem[] {
  const problems: Problem[] = [];
  if (!(draft.threshold > 0 && draft.threshold <= 1))
    problems.push({
      level: 'error',
      at: 'threshold',
      message: `must be above 0 and at most 1, got ${draft.threshold}`,
    });
  const modifiers = Object.values(draft.role_modifiers ?? {});
  // The most a trusted role can take off: a rule must still reach the threshold for that role.
  const mostLenient = Math.min(0, ...modifiers);
  const seenIds = new Map<string, number>();
  const keywordOwner = new Map<string, string>();
  draft.rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    if (!RULE_ID.test(rule.id))
      problems.push({
        level: 'error',
        at: `${at}.id`,
        message: `${JSON.stringify(rule.id)} must start with a letter and use lower-case letters, digits and '-'`,
      });
    const first = seenIds.get(rule.id);
    if (first !== undefined)
      problems.push({
        level: 'error',
        at: `${at}.id`,
        message: `${JSON.stringify(rule.id)} is already used by rules[${first}]`,
      });
    else seenIds.set(rule.id, i);
    if (!(rule.weight >= 0 && rule.weight <= 1))
      problems.push({
        level: 'error',
        at: `${at}.weight`,
        message: `must be between 0 and 1, got ${rule.weight}`,
      });
    if (rule.keywords.length === 0)
      problems.push({ level: 'error', at: `${at}.keywords`, message: 'needs at least one keyword' });
    rule.keywords.forEach((k, j) => {
      const n = normalise(k);
      if (n === '') {
        problems.push({
          level: 'error',
          at: `${at}.keywords[${j}]`,
          message: `${JSON.stringify(k)} has no letters or digits, so it can never match`,
        });
        return;
      }
      const owner = keywordOwner.get(n);
      if (owner !== undefined && owner !== rule.id)
        problems.push({
          level: 'warning',
          at: `${at}.keywords[${j}]`,
          message: `${JSON.stringify(k)} also triggers rule ${owner}; both weights will add up`,
        });
      else keywordOwner.set(n, rule.id);
    });
    // Scores are rounded to 3 decimals by the policy engine; compare the same way (0.7 - 0.2 is 0.5 there).
    if (
      rule.severity === 'high' &&
      draft.threshold > 0 &&
      Math.round((rule.weight + mostLenient) * 1000) / 1000 < draft.threshold
    ) {
      problems.push({
        level: 'warning',
        at: `${at}.weight`,
        message: `a high-severity rule weighing ${rule.weight} does not reach the threshold ${draft.threshold} on its own${mostLenient < 0 ? ` for the most trusted role (${mostLenient})` : ''}, so it never denies by itself`,
      });
    }
  });
  return problems;
}

/** Errors first, then warnings; each as "level at: message". */
export function describeProblems(problems: Problem[]): string[] {
  return [...problems]
    .sort((a, b) => (a.level === b.level ? 0 : a.level === 'error' ? -1 : 1))
    .map((p) => `${p.level} ${p.at}: ${p.message}`);
}
