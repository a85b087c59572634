import type { Bundle, Role, Severity } from '../lib/constitution.js';
import type { Decision } from '../lib/policy.js';

// Deterministic scoring: the same prompt, role and constitution always give the same decision.

export interface EvaluationRequest {
  session_id: string;
  tenant: string;
  user: string;
  prompt: string;
  role: Role;
}

const SEVERITY_RANK: Record<Severity, number> = { none: 0, low: 1, medium: 2, high: 3 };

/** Lower-case words separated by single spaces, padded, so phrases match on word boundaries only. */
function words(text: string): string {
  return ` ${text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;
}

export function matchedRules(bundle: Bundle, prompt: string): Bundle['rules'] {
  const text = words(prompt);
  return bundle.rules.filter((rule) =>
    rule.keywords.some((k) => {
      const phrase = words(k);
      return phrase.trim() !== '' && text.includes(phrase);
    }),
  );
}

export function evaluate(
  bundle: Bundle,
  hash: string,
  req: Pick<EvaluationRequest, 'prompt' | 'role'>,
): Decision {
  const matched = matchedRules(bundle, req.prompt);
  const raw = matched.reduce((sum, r) => sum + r.weight, 0) + (bundle.role_modifiers[req.role] ?? 0);
  const score = Math.round(Math.min(1, Math.max(0, raw)) * 1000) / 1000;
  let severity: Severity = 'none';
  let top: Bundle['rules'][number] | undefined;
  for (const r of matched) {
    if (SEVERITY_RANK[r.severity] > SEVERITY_RANK[severity]) severity = r.severity;
    if (!top || r.weight > top.weight) top = r;
  }
  return {
    allowed: score < bundle.threshold,
    score,
    severity,
    reasons: {
      constitution_hash: hash,
      constitution_version: bundle.version,
      policy: top?.id ?? 'default',
      matched_rules: matched.map((r) => r.id),
    },
  };
}
