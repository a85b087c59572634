// The direction of a group's lag inside the group verdicts: samples counted like the lag (committed
// records on a transactional log, offsets when the log was not read back far enough), the
// falling-behind warning with its owner and runbook, and the frozen offsets the stall rules own.
import { describe, expect, it } from 'vitest';
import { evaluate, evaluateGroup } from '../../src/actions/kafka-topic-check/evaluate.js';
import { buildAnnotations, renderSummary } from '../../src/actions/kafka-topic-check/render.js';
import type {
  GroupObservation,
  GroupPartitionObservation,
  OffsetSample,
  PartitionLog,
  RecordStamp,
} from '../../src/actions/kafka-topic-check/model.js';

const NOW = Date.parse('2026-11-25T16:00:00Z');
const stamp = (offset: number): RecordStamp => ({
  offset: BigInt(offset),
  timestamp: NOW - 60_000 + offset,
  timestampType: 'CreateTime',
  producerId: 4001,
});
const sampled = (spacingMs: number, ends: number[], committed: (number | undefined)[]): OffsetSample[] =>
  ends.map((end, i) => ({
    at: NOW - (ends.length - 1 - i) * spacingMs,
    end: BigInt(end),
    ...(committed[i] !== undefined ? { committed: BigInt(committed[i]!) } : {}),
  }));

// A transactional producer: three records, then a commit marker, so offsets 3, 7, 11, ... are markers.
const TXN_RECORDS = Array.from({ length: 24 }, (_, o) => o)
  .filter((o) => o % 4 !== 3)
  .map(stamp);
function txnLog(readFrom: number): PartitionLog {
  return {
    logStart: 0n,
    atLookback: 0n,
    endAtStart: 8n,
    endAtEnd: 24n,
    readFrom: BigInt(readFrom),
    committed: TXN_RECORDS.filter((r) => r.offset >= BigInt(readFrom)),
    skipped: { aborted: 0, control: 6 },
  };
}
// Committed 3 → 5 → 6 while the last stable offset went 8 → 16 → 24, 2 s apart.
const txnPartition = (readFrom: number): GroupPartitionObservation => ({
  topic: 'policy.decisions',
  partition: 0,
  committedAtStart: 3n,
  committedAtEnd: 6n,
  assigned: true,
  log: txnLog(readFrom),
  nextRecord: stamp(6),
  trail: sampled(2_000, [8, 16, 24], [3, 5, 6]),
});
const group = (partitions: GroupPartitionObservation[], members = 1): GroupObservation => ({
  name: 'policy-engine',
  state: 'Stable',
  members,
  partitions,
});
const RULES = {
  name: 'policy-engine',
  maxLag: 100_000,
  owner: 'Governance Core',
  runbook: 'docs/runbooks/integration-day.md#a-consumer-group-lags-or-is-stalled',
};

describe('the direction of a group’s lag in its verdict', () => {
  it('on a transactional log it counts committed records, like the lag: markers are neither written nor consumed', () => {
    const g = evaluateGroup(RULES, group([txnPartition(0)]), NOW, 4_000);
    expect(g.lagCountedIn).toBe('records');
    const d = g.partitions[0]!.direction!;
    // Lag [3,8) holds 4,5,6; [5,16) holds 5,6,8,9,10,12,13,14; [6,24) thirteen records.
    expect(d.lagSamples).toEqual([3, 8, 13]);
    expect(d.lagAtEnd).toBe(g.totalLag);
    // Written: [8,16) and [16,24), six records each; consumed: [3,5) and [5,6), one record each.
    expect(d).toMatchObject({ produced: 12, consumed: 2, productionPerSecond: 3, consumptionPerSecond: 0.5 });
    expect(d).toMatchObject({ steadyWithin: 6, trend: 'growing', catchUpMs: 'never', fallingBehind: true });
  });

  it('when the log was not read back to the committed offsets, the same samples are counted in offsets', () => {
    const g = evaluateGroup(RULES, group([txnPartition(7)]), NOW, 4_000);
    expect(g.lagCountedIn).toBe('offsets');
    const d = g.partitions[0]!.direction!;
    expect(d.lagSamples).toEqual([5, 11, 18]);
    expect(d.lagAtEnd).toBe(g.totalLagOffsets);
    expect(d).toMatchObject({
      produced: 16,
      consumed: 3,
      productionPerSecond: 4,
      consumptionPerSecond: 0.75,
    });
    expect(d.fallingBehind).toBe(true);
  });

  it('falling behind all along is a warning far under max-lag, said once, with the rates and the samples', () => {
    const g = evaluateGroup(RULES, group([txnPartition(0)]), NOW, 4_000);
    expect(g).toMatchObject({ status: 'WARN', level: 'warning', totalLag: 13 });
    // The two-ends rule (lag grew, still short of where the log was) holds too; one finding says it.
    expect(g.findings.map((f) => [f.level, f.code])).toEqual([['warning', 'group-falling-behind']]);
    expect(g.findings[0]!.message).toBe(
      'consumer group policy-engine is falling behind on policy.decisions/0: its lag grew at each of the 3 samples ' +
        'of the 4.0s window, from 3 to 13 committed records, while its producers wrote 3/s and it consumed 0.5/s: ' +
        'at these rates it never catches up',
    );
    expect(g.direction).toMatchObject({ trend: 'growing', catchUpMs: 'never', fallingBehind: true });
    expect(g.topics).toEqual([{ topic: 'policy.decisions', direction: g.direction }]);
  });

  it('a partition that looks fine from the two ends but fell behind at every sample is WARN', () => {
    // 100 offsets a second; committed 90 → 200 while the end went 100 → 500: past where the log was at
    // the start, so the two-ends rule says OK; yet its lag rose at every sample past what was written.
    const p: GroupPartitionObservation = {
      topic: 't',
      partition: 0,
      committedAtStart: 90n,
      committedAtEnd: 200n,
      assigned: true,
      log: {
        logStart: 0n,
        atLookback: 0n,
        endAtStart: 100n,
        endAtEnd: 500n,
        readFrom: 0n,
        committed: Array.from({ length: 500 }, (_, o) => stamp(o)),
        skipped: { aborted: 0, control: 0 },
      },
      nextRecord: stamp(200),
      trail: sampled(1_000, [100, 200, 300, 400, 500], [90, 95, 140, 170, 200]),
    };
    const g = evaluateGroup({ name: 'g' }, group([p]), NOW, 4_000);
    const d = g.partitions[0]!.direction!;
    expect(d.lagSamples).toEqual([10, 105, 160, 230, 300]);
    expect(d).toMatchObject({ steadyWithin: 100, trend: 'growing', fallingBehind: true });
    expect(g.partitions[0]!.status).toBe('WARN');
    expect(g.findings.map((f) => f.code)).toEqual(['group-falling-behind']);
  });

  it('a frozen committed offset is the stall rules’ to judge: no falling behind, catch-up unknown or never', () => {
    // Committed 3 all along, records waiting since the start, no commit-interval: UNKNOWN.
    const frozen: GroupPartitionObservation = {
      ...txnPartition(0),
      committedAtEnd: 3n,
      nextRecord: stamp(4),
      trail: sampled(2_000, [8, 16, 24], [3, 3, 3]),
    };
    const unknown = evaluateGroup({ name: 'g' }, group([frozen]), NOW, 4_000);
    expect(unknown.status).toBe('UNKNOWN');
    expect(unknown.findings.map((f) => f.code)).toEqual(['group-stall-unknown']);
    expect(unknown.direction).toMatchObject({ consumed: 0, catchUpMs: 'unknown', fallingBehind: false });
    const stalled = evaluateGroup({ name: 'g', commitIntervalMs: 1_000 }, group([frozen]), NOW, 4_000);
    expect(stalled.status).toBe('STALLED');
    expect(stalled.findings.map((f) => f.code)).toEqual(['group-stalled']);
    expect(stalled.direction).toMatchObject({ catchUpMs: 'never', fallingBehind: false });
  });

  it('an idle group caught up is steady with nothing to catch up; one without a commit at every sample has no direction', () => {
    const idle: GroupPartitionObservation = {
      ...txnPartition(0),
      committedAtStart: 24n,
      committedAtEnd: 24n,
      log: { ...txnLog(0), endAtStart: 24n },
      nextRecord: null,
      trail: sampled(2_000, [24, 24, 24], [24, 24, 24]),
    };
    const g = evaluateGroup({ name: 'g' }, group([idle]), NOW, 4_000);
    expect(g).toMatchObject({ status: 'OK', level: 'ok', findings: [] });
    expect(g.direction).toMatchObject({
      lagSamples: [0, 0, 0],
      productionPerSecond: 0,
      consumptionPerSecond: 0,
      trend: 'steady',
      catchUpMs: 0,
      fallingBehind: false,
    });
    const late = { ...txnPartition(0), trail: sampled(2_000, [8, 16, 24], [undefined, 5, 6]) };
    const h = evaluateGroup({ name: 'g' }, group([late]), NOW, 4_000);
    expect(h.partitions[0]!.direction).toBeUndefined();
    expect(h.direction).toBeUndefined();
  });

  it('without a window there is no direction', () => {
    expect(evaluateGroup(RULES, group([txnPartition(0)]), NOW, 0).direction).toBeUndefined();
  });

  it('the annotation names the owner and runbook; the summary shows trend, rates and catch-up', () => {
    const report = evaluate({
      topics: [],
      groups: [RULES],
      observation: {
        windowStartedAt: NOW - 4_000,
        windowEndedAt: NOW,
        observedAt: NOW,
        topics: [],
        groups: [group([txnPartition(0)])],
        requests: { total: 0, byApi: {} },
      },
      windowMs: 4_000,
      lookbackMs: 0,
      silenceThreshold: 0.001,
      failOn: 'error',
      validators: new Map(),
      clockSkewToleranceMs: 60_000,
    });
    expect(report.healthy).toBe(true);
    expect(report.counts.warnings).toBe(1);
    const [a] = buildAnnotations(report);
    expect(a).toMatchObject({ level: 'warning', title: 'kafka-topic-check: group-falling-behind' });
    expect(a!.message).toMatch(
      /at these rates it never catches up \(owner: Governance Core; runbook: docs\/runbooks\/integration-day\.md#a-consumer-group-lags-or-is-stalled\)$/,
    );
    const summary = renderSummary(report, 'result.json');
    expect(summary).toContain('| lag trend | written / consumed | catch-up |');
    expect(summary).toContain('| ↗ growing, 3 → 13 (falling behind) | 3/s / 0.5/s | never |');
  });
});
