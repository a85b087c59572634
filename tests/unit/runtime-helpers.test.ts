import { describe, expect, it } from 'vitest';
import { fitToBudget, table } from '../../src/lib/markdown.js';
import { selectAnnotations, type Annotation } from '../../src/lib/annotations.js';
import { Redactor, redactHeaders } from '../../src/lib/redact.js';
import { dateInZone, isCalendarDate } from '../../src/lib/dates.js';
import { formatDuration, parseDurationMs } from '../../src/lib/duration.js';
import { toError } from '../../src/lib/errors.js';
import { resolveInside } from '../../src/lib/files.js';

describe('step summary budget', () => {
  it('leaves small summaries alone', () => {
    expect(fitToBudget('# hi\n', 100)).toBe('# hi\n');
  });
  it('cuts large ones at a line break under the budget and says where the rest is', () => {
    const md = Array.from({ length: 5000 }, (_, i) => `| row ${i} | ${'x'.repeat(50)} |`).join('\n');
    const out = fitToBudget(md, 10_000, 'report.json');
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(10_000);
    expect(out).toContain('Summary truncated');
    expect(out).toContain('report.json');
    const lines = out.split('\n');
    const lastRow = lines.filter((l) => l.startsWith('| row')).at(-1)!;
    expect(lastRow).toMatch(/^\| row \d+ \| x{50} \|$/);
  });
  it('closes an open code fence it cut through', () => {
    const md = '```\n' + 'line\n'.repeat(10_000) + '```\n';
    const out = fitToBudget(md, 2_000);
    expect((out.match(/^```/gm) ?? []).length % 2).toBe(0);
  });
  it('never splits a multi-byte character', () => {
    const out = fitToBudget('é'.repeat(5_000), 1_000);
    expect(out).not.toContain('\uFFFD');
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(1_000);
  });
  it('escapes table cells', () => {
    expect(table(['a'], [['x|y\nz']])).toContain('x\\|y<br>z');
  });
});

describe('annotations', () => {
  it('ranks and caps per level, counting what it leaves out', () => {
    const all: Annotation[] = [
      ...Array.from({ length: 15 }, (_, i): Annotation => ({
        level: 'error',
        message: `e${i}`,
        rank: 15 - i,
      })),
      { level: 'warning', message: 'w', rank: 0 },
    ];
    const { shown, omitted } = selectAnnotations(all, 10);
    expect(shown.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
      'e14',
      'e13',
      'e12',
      'e11',
      'e10',
      'e9',
      'e8',
      'e7',
      'e6',
      'e5',
    ]);
    expect(shown.some((a) => a.level === 'warning')).toBe(true);
    expect(omitted).toEqual({ error: 5, warning: 0, notice: 0 });
  });
});

describe('redaction', () => {
  it('removes secrets, their lines and their base64 form', () => {
    const r = new Redactor();
    r.add('s3cr3t-password');
    r.add('line-one-secret\nline-two-secret');
    const b64 = Buffer.from('s3cr3t-password').toString('base64');
    const out = r.redact(`pw=s3cr3t-password b64=${b64} l=line-two-secret`);
    expect(out).toBe('pw=*** b64=*** l=***');
  });
  it('ignores values too short to be secrets', () => {
    const r = new Redactor();
    r.add('ab');
    expect(r.redact('abc ab')).toBe('abc ab');
  });
  it('redacts credential headers by name', () => {
    expect(
      redactHeaders({ Authorization: 'Bearer x', 'X-Policy-Decision': 'allow', 'X-Upstream-Token': 't' }),
    ).toEqual({ Authorization: '***', 'X-Policy-Decision': 'allow', 'X-Upstream-Token': '***' });
  });
});

describe('dates and durations', () => {
  it('computes the day in a time zone', () => {
    const instant = new Date('2026-11-25T05:30:00Z');
    expect(dateInZone(instant, 'America/Los_Angeles')).toBe('2026-11-24');
    expect(dateInZone(instant, 'UTC')).toBe('2026-11-25');
  });
  it('validates calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
  });
  it('parses and formats durations', () => {
    expect(parseDurationMs('2d')).toBe(172_800_000);
    expect(parseDurationMs('')).toBeUndefined();
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(12_340)).toBe('12.3s');
    expect(formatDuration(245_000)).toBe('4m05s');
    expect(formatDuration(3_720_000)).toBe('1h02m');
  });
});

describe('errors and paths', () => {
  it('turns non-Error throws into Errors', () => {
    expect(toError('boom').message).toBe('boom');
    expect(toError({ code: 7 }).message).toContain('{"code":7}');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(toError(circular).message).toContain('non-Error thrown');
  });
  it('refuses paths that leave the root', () => {
    expect(resolveInside('/repo', 'docs/a.md', 'x')).toBe('/repo/docs/a.md');
    expect(() => resolveInside('/repo', '../etc/passwd', "input 'status-file'")).toThrow(/outside/);
    expect(() => resolveInside('/repo', '/etc/passwd', "input 'status-file'")).toThrow(/outside/);
    expect(() => resolveInside('/repo', 'docs/../../x', "input 'status-file'")).toThrow(/outside/);
  });
});
