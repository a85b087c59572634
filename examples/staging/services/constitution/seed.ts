import type { Rule } from '../lib/constitution.js';
import type { Draft } from './store.js';

// The tenants staging starts with. Rules are deliberately plain so a reader can predict a decision.

const CREDENTIALS: Rule = {
  id: 'no-credentials',
  description: 'Never reveal or collect passwords, keys or tokens.',
  keywords: ['password', 'api key', 'secret token', 'private key'],
  weight: 0.7,
  severity: 'high',
};
const PERSONAL_DATA: Rule = {
  id: 'personal-data',
  description: 'Handle personal data with care.',
  keywords: ['ssn', 'social security number', 'credit card', 'home address'],
  weight: 0.4,
  severity: 'medium',
};
const HARM: Rule = {
  id: 'no-harm',
  description: 'Refuse instructions for weapons or attacks.',
  keywords: ['build a weapon', 'malware', 'exploit', 'ddos'],
  weight: 0.9,
  severity: 'high',
};
const COMPETITORS: Rule = {
  id: 'competitor-mentions',
  description: 'Mentions of competitors are logged.',
  keywords: ['initech', 'globex', 'umbrella'],
  weight: 0.1,
  severity: 'low',
};

export const SEED_TENANTS: Record<string, Draft> = {
  acme: { threshold: 0.5, rules: [CREDENTIALS, PERSONAL_DATA, HARM, COMPETITORS], updated_by: 'seed' },
  globex: { threshold: 0.6, rules: [CREDENTIALS, HARM], updated_by: 'seed' },
  initech: { threshold: 0.4, rules: [CREDENTIALS, PERSONAL_DATA, HARM], updated_by: 'seed' },
  umbrella: { threshold: 0.8, rules: [HARM, PERSONAL_DATA], updated_by: 'seed' },
};
