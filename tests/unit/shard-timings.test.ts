import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHistory, suiteDurations } from '../../src/actions/smoke-suite/timings.js';
import { planShare, planSuites } from '../../src/actions/smoke-suite/inputs.js';

/** A smoke-suite result as the action writes it, with each suite's start and finish. */
function result(suites: [string, number][]): object {
  const t0 = Date.parse('2026-12-02T15:00:00Z');
  return {
    action: 'smoke-suite',
    schemaVersion: 1,
    result: {
      suites: suites.map(([name, ms]) => ({
        name,
        startedAt: new Date(t0).toISOString(),
        finishedAt: new Date(t0 + ms).toISOString(),
        attempts: [{ attempt: 1, durationMs: ms - 5 }],
      })),
    },
  };
}

function writeDay(root: string, day: string, file: string, doc: object): void {
  const dir = join(root, 'docs/sprints/status', day, 'evidence/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), JSON.stringify(doc));
}

describe('suiteDurations', () => {
  it('takes start to finish, falls back to the attempts, and leaves out suites that never ran', () => {
    const d = suiteDurations({
      result: {
        suites: [
          { name: 'a', startedAt: '2026-12-02T15:00:00.000Z', finishedAt: '2026-12-02T15:00:07.500Z' },
          { name: 'b', attempts: [{ durationMs: 1200 }, { durationMs: 800 }] },
          { name: 'never', attempts: [] },
          { name: 7 },
        ],
      },
    });
    expect([...d]).toEqual([
      ['a', 7500],
      ['b', 2000],
    ]);
    expect(suiteDurations({ nothing: true }).size).toBe(0);
  });
});

describe('readHistory', () => {
  it('reads the newest day, every shard of it, and nothing older', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'cc-timings-'));
    writeDay(ws, '2026-11-25', 'smoke-suite.json', result([['old-only', 9_000]]));
    writeDay(ws, '2026-12-02', 'smoke-suite-shard-1.json', result([['a', 3_000]]));
    writeDay(ws, '2026-12-02', 'smoke-suite-shard-2.json', result([['b', 4_000]]));
    mkdirSync(join(ws, 'docs/sprints/status/2026-12-09'), { recursive: true }); // a day without results
    const h = await readHistory(ws, 'docs/sprints/status');
    expect(h.source).toBe('docs/sprints/status/2026-12-02/evidence/results');
    expect([...h.durations].sort()).toEqual([
      ['a', 3000],
      ['b', 4000],
    ]);
  });

  it('treats a missing folder as a first day, and reads a timings file of ms and durations', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'cc-timings-'));
    expect(await readHistory(ws, 'docs/sprints/status')).toEqual({ durations: new Map(), source: '' });
    writeFileSync(join(ws, 't.json'), JSON.stringify({ a: 1500, b: '2m' }));
    expect([...(await readHistory(ws, 't.json')).durations]).toEqual([
      ['a', 1500],
      ['b', 120_000],
    ]);
  });

  it('names the file and the suite when a timings file is wrong', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'cc-timings-'));
    writeFileSync(join(ws, 'bad.json'), JSON.stringify({ a: 'soon' }));
    await expect(readHistory(ws, 'bad.json')).rejects.toThrow(
      `input 'timings' has value "bad.json": suite "a" has "soon"; expected milliseconds (a number ≥ 0) or a duration such as 90s`,
    );
    writeFileSync(join(ws, 'broken.json'), '{');
    await expect(readHistory(ws, 'broken.json')).rejects.toThrow(
      /input 'timings' has value "broken.json": not valid JSON/,
    );
  });

  it('learns: a suite that became slow last day moves off the shard it shared', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'cc-timings-'));
    const plans = planSuites(
      ['a', 'b', 'c', 'd'].map((name) => ({ name, run: 'true', junit: 'r.xml' })),
      ws,
    );
    writeDay(
      ws,
      '2026-11-25',
      'smoke-suite.json',
      result([
        ['a', 4_000],
        ['b', 3_000],
        ['c', 2_000],
        ['d', 1_000],
      ]),
    );
    const before = planShare(plans, '1/2', (await readHistory(ws, 'docs/sprints/status')).durations);
    expect(before.plan.shards.map((s) => s.suites)).toEqual([
      ['a', 'd'],
      ['b', 'c'],
    ]);
    // A week later d takes 10 s: it needs a shard to itself.
    writeDay(
      ws,
      '2026-12-02',
      'smoke-suite.json',
      result([
        ['a', 4_000],
        ['b', 3_000],
        ['c', 2_000],
        ['d', 10_000],
      ]),
    );
    const after = planShare(plans, '1/2', (await readHistory(ws, 'docs/sprints/status')).durations);
    expect(after.plan.shards.map((s) => s.suites)).toEqual([['d'], ['a', 'b', 'c']]);
    expect(after.plans.map((p) => p.name)).toEqual(['d']);
  });
});
