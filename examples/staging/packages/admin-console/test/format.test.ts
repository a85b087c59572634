import { describe, expect, it } from 'vitest';
import { percent, relativeTime, severityLabel, shortHash, table } from '../src/format.js';

describe('format', () => {
  it('shows scores as whole percentages and refuses out-of-range ones', () => {
    expect(percent(0.7)).toBe('70%');
    expect(percent(0.125)).toBe('13%');
    expect(percent(0)).toBe('0%');
    expect(() => percent(1.2)).toThrow(/between 0 and 1/);
    expect(() => percent(Number.NaN)).toThrow(RangeError);
  });

  it('says how long ago something happened, in the largest whole unit', () => {
    const now = new Date('2026-05-06T12:00:00Z');
    expect(relativeTime(new Date('2026-05-06T11:59:58Z'), now)).toBe('just now');
    expect(relativeTime(new Date('2026-05-06T11:59:15Z'), now)).toBe('45 s ago');
    expect(relativeTime(new Date('2026-05-06T11:57:00Z'), now)).toBe('3 min ago');
    expect(relativeTime(new Date('2026-05-06T09:30:00Z'), now)).toBe('2 h ago');
    expect(relativeTime(new Date('2026-05-02T12:00:00Z'), now)).toBe('4 d ago');
    expect(relativeTime(new Date('2026-05-06T12:10:00Z'), now)).toBe('in 10 min');
  });

  it('shortens hashes and rejects what is not a SHA-256 digest', () => {
    expect(shortHash('d584613157131f23ce3745f56883eccd591a527afca217974fdfeae84b02edd8')).toBe(
      'd58461315713',
    );
    expect(() => shortHash('abc')).toThrow(/not a SHA-256/);
  });

  it('labels severities', () => {
    expect(severityLabel('high')).toBe('HIGH');
    expect(severityLabel('none')).toBe('-');
  });

  it('lines up table columns to the widest cell', () => {
    const out = table(
      ['a', 'longer'],
      [
        ['wide cell', 'x'],
        ['y', 'z'],
      ],
    ).split('\n');
    expect(out).toEqual(['a          longer', '---------  ------', 'wide cell  x', 'y          z']);
  });
});
