import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  boolean,
  date,
  duration,
  integer,
  lines,
  oneOf,
  parseInputs,
  string,
  timezone,
  yaml,
} from '../../src/lib/inputs/spec.js';
import { ConfigurationError, InputError } from '../../src/lib/errors.js';

const ctx = { workspace: process.cwd() };
const parseOne = <T>(spec: Parameters<typeof parseInputs>[0][string], raw: string | undefined): T =>
  (parseInputs({ x: spec }, () => raw, ctx) as Record<string, unknown>).x as T;

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('input readers', () => {
  it('required string: missing is an error naming the input', () => {
    const err = errorOf(() => parseOne(string({ required: true, description: 'the release' }), ''));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain("input 'x'");
    expect(err.message).toContain('required');
  });

  it('optional string: empty is undefined, default applies', () => {
    expect(parseOne(string({ description: 'd' }), '')).toBeUndefined();
    expect(parseOne(string({ description: 'd', default: 'abc' }), '  ')).toBe('abc');
    expect(parseOne(string({ description: 'd' }), ' v ')).toBe('v');
  });

  it('string pattern names value and what is allowed', () => {
    const err = errorOf(() =>
      parseOne(string({ description: 'd', pattern: /^[a-z]+$/, allowed: 'lowercase letters' }), 'ABC'),
    );
    expect(err.message).toBe(`input 'x' has value "ABC": lowercase letters`);
  });

  it('secret string pattern errors never echo the value', () => {
    const err = errorOf(() =>
      parseOne(string({ description: 'd', secret: true, pattern: /^a/ }), 'hunter2secret'),
    );
    expect(err.message).not.toContain('hunter2secret');
  });

  it('boolean accepts the YAML core forms only', () => {
    const b = boolean({ description: 'd', default: false });
    expect(parseOne(b, 'true')).toBe(true);
    expect(parseOne(b, 'FALSE')).toBe(false);
    expect(parseOne(b, '')).toBe(false);
    expect(errorOf(() => parseOne(b, 'yes')).message).toBe(
      `input 'x' has value "yes": expected true or false`,
    );
  });

  it('integer checks whole numbers and bounds', () => {
    const i = integer({ description: 'd', default: 2, min: 1, max: 8 });
    expect(parseOne(i, '')).toBe(2);
    expect(parseOne(i, '8')).toBe(8);
    expect(errorOf(() => parseOne(i, '9')).message).toContain('from 1 to 8');
    expect(errorOf(() => parseOne(i, '2.5')).message).toContain('"2.5"');
    expect(errorOf(() => parseOne(i, '1e3')).message).toContain('whole number');
  });

  it('enum lists the allowed values', () => {
    const e = oneOf(['error', 'warning'] as const, { description: 'd', default: 'error' });
    expect(parseOne(e, 'warning')).toBe('warning');
    expect(errorOf(() => parseOne(e, 'fatal')).message).toBe(
      `input 'x' has value "fatal": expected one of error, warning`,
    );
  });

  it('duration parses compound values to milliseconds', () => {
    const d = duration({ description: 'd', default: '5m' });
    expect(parseOne(d, '')).toBe(300_000);
    expect(parseOne(d, '1h30m')).toBe(5_400_000);
    expect(parseOne(d, '250ms')).toBe(250);
    expect(parseOne(d, '1.5s')).toBe(1_500);
    expect(errorOf(() => parseOne(d, '5 minutes')).message).toContain('expected a duration');
    expect(errorOf(() => parseOne(duration({ description: 'd', min: 1000 }), '10ms')).message).toContain(
      'at least 1000ms',
    );
  });

  it('date must be exactly YYYY-MM-DD and a real day', () => {
    const d = date({ description: 'd' });
    expect(parseOne(d, '2026-11-25')).toBe('2026-11-25');
    for (const bad of [
      '2026-02-30',
      '2026-1-05',
      '../2026-11-25',
      '2026-11-25/..',
      '20261125',
      '2026-11-25 ',
    ]) {
      if (bad.trim() === '2026-11-25') continue;
      expect(() => parseOne(d, bad)).toThrow(InputError);
    }
  });

  it('timezone must be an IANA zone', () => {
    expect(parseOne(timezone({ description: 'd', default: 'UTC' }), 'Europe/Paris')).toBe('Europe/Paris');
    expect(() => parseOne(timezone({ description: 'd', default: 'UTC' }), 'Mars/Olympus')).toThrow(
      InputError,
    );
  });

  it('lines never split on commas and drop comments', () => {
    expect(parseOne(lines({ description: 'd' }), 'a=1,2\n\n# note\n b=3 ')).toEqual(['a=1,2', 'b=3']);
    expect(parseOne(lines({ description: 'd' }), '')).toEqual([]);
  });

  it('yaml validates against its schema and points at the bad key', () => {
    const y = yaml<{ name: string }[]>({
      description: 'd',
      schema: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: { name: { type: 'string' }, n: { type: 'integer' } },
        },
      },
    });
    expect(parseOne(y, '- name: a\n- name: b')).toEqual([{ name: 'a' }, { name: 'b' }]);
    const err = errorOf(() => parseOne(y, '- name: a\n- n: 1.5'));
    expect(err).toBeInstanceOf(ConfigurationError);
    expect(err.message).toContain("input 'x' is invalid");
    expect(err.message).toContain('/1');
    expect(errorOf(() => parseOne(y, '- name: a\n  bogus: 1')).message).toContain('unknown key "bogus"');
    expect(errorOf(() => parseOne(y, 'a: [')).message).toContain('not valid YAML');
  });

  it('yaml refuses duplicate keys and alias bombs', () => {
    const y = yaml<unknown>({ description: 'd', schema: {} });
    expect(() => parseOne(y, 'a: 1\na: 2')).toThrow(ConfigurationError);
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 9 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    expect(() => parseOne(y, bomb)).toThrow(ConfigurationError);
  });

  it('yaml reads a file path relative to the workspace, and a missing file names the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-inputs-'));
    writeFileSync(join(dir, 'suites.yml'), '- name: a\n');
    const y = yaml<unknown>({ description: 'd', schema: { type: 'array' } });
    expect(parseInputs({ x: y }, () => 'suites.yml', { workspace: dir }).x).toEqual([{ name: 'a' }]);
    expect(() => parseInputs({ x: y }, () => 'missing.yml', { workspace: dir })).toThrow(
      /no such file exists/,
    );
  });
});
