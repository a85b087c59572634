import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { observation } from '../../examples/staging/services/orchestrator/vitals.js';
import { ALERT_RULES } from '../support/infra.js';
import { ROOT } from '../support/paths.js';

// The stack's alert rules as a file (promtool checks their syntax when the stack loads them): the
// alerts the tests and infra-pulse look for exist, each names its owner, and each fires within the
// minute the rule file promises.

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
const doc = parseYaml(readFileSync(join(ROOT, 'stack/prometheus/rules/staging.yml'), 'utf8')) as {
  groups: { name: string; interval?: string; rules: Rule[] }[];
};
const rules = doc.groups.flatMap((g) => g.rules.map((r) => ({ ...r, interval: g.interval })));
const seconds = (d: string | undefined) => {
  const m = /^(\d+)(s|m)$/.exec(d ?? '0s');
  if (!m) throw new Error(`unexpected duration ${d}`);
  return Number(m[1]) * (m[2] === 'm' ? 60 : 1);
};

describe('stack alert rules', () => {
  it('holds every alert the tests and infra-pulse name, once', () => {
    const names = rules.map((r) => r.alert);
    for (const name of Object.values(ALERT_RULES)) expect(names).toContain(name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('every alert names its squad (from its labels, or from the scrape target it is about)', () => {
    for (const r of rules) {
      if (r.labels?.squad) {
        expect(['Governance Core', 'Runtime & Training', 'Experience & Ecosystem']).toContain(r.labels.squad);
      } else {
        // Only an alert on `up` may take the squad from the target's labels (stack/staging/staging.sh).
        expect(r.expr, r.alert).toMatch(/^up\{job="staging"\}/);
      }
    }
  });

  it('each fires within a minute of its condition: short evaluation intervals and for: durations', () => {
    for (const r of rules) {
      expect(seconds(r.interval), r.alert).toBeLessThanOrEqual(5);
      expect(seconds(r.for), r.alert).toBeLessThanOrEqual(30);
    }
    const down = rules.filter(
      (r) => r.alert === ALERT_RULES.redisDown || r.alert === ALERT_RULES.postgresDown,
    );
    expect(down.map((r) => [r.alert, r.labels?.squad, r.labels?.severity])).toEqual([
      ['RedisDown', 'Runtime & Training', 'critical'],
      ['PostgresDown', 'Governance Core', 'critical'],
    ]);
  });
});

describe('Web Vitals reports', () => {
  it('timings arrive in milliseconds and are kept in seconds; CLS has no unit', () => {
    expect(observation({ name: 'LCP', value: 1250 })).toEqual({ seconds: 1.25 });
    expect(observation({ name: 'TTFB', value: 42.5 })).toEqual({ seconds: 0.0425 });
    expect(observation({ name: 'CLS', value: 0.12 })).toEqual({ cls: 0.12 });
  });
});
