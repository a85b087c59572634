import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { KafkaFixture } from '../support/kafka.js';
import { needsServers, requireServer } from '../support/servers.js';
import type { CheckReport } from '../../src/actions/kafka-topic-check/model.js';
import { count, perSecond } from '../../src/actions/kafka-topic-check/evaluate.js';

needsServers('kafka', 'kafka39');

// Which way each group's lag heads, on real consumers reading real traffic: one that reads slower than
// its producer writes, one working off a backlog faster than it grows, one idle and caught up, all
// observed in one 8 s window (offsets sampled at 0, 2, 4, 6 and 8 s).
const report = (run: ActionRun) =>
  (JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8')) as { result: CheckReport }).result;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RUNBOOK = 'docs/runbooks/integration-day.md#a-consumer-group-lags-or-is-stalled';

beforeAll(() => ensureBuilt(), 120_000);

describe.each([
  ['Kafka 4.3.1', 'kafka' as const],
  ['Kafka 3.9.1', 'kafka39' as const],
])('the direction of consumer-group lag against %s', (_label, server) => {
  let kafka: KafkaFixture;
  let run: ActionRun;
  let r: CheckReport;
  let behindTopic: string;
  let backlogTopic: string;
  let idleTopic: string;
  const id = Math.random().toString(36).slice(2, 8);
  const groups = { behind: `behind-${id}`, catching: `catching-${id}`, idle: `idle-${id}` };
  const groupOf = (name: string) => r.groups.find((g) => g.name === name)!;
  const topicOf = (name: string) => r.topics.find((t) => t.name === name)!;

  beforeAll(async () => {
    const brokers = await requireServer(server, server);
    kafka = await new KafkaFixture(brokers).connect();
    [behindTopic, backlogTopic, idleTopic] = await Promise.all([
      kafka.topic('lag-behind', 1),
      kafka.topic('lag-backlog', 1),
      kafka.topic('lag-idle', 1),
    ]);
    // A backlog of 4,000 records for a reader of about 170 a second, topped up with 10 a second.
    for (let sent = 0; sent < 4_000; sent += 1_000)
      await kafka.send(
        backlogTopic,
        Array.from({ length: 1_000 }, (_, i) => ({ partition: 0, value: { n: sent + i } })),
      );
    // 20 records, all read and committed before the window; nothing written after.
    await kafka.send(
      idleTopic,
      Array.from({ length: 20 }, (_, i) => ({ partition: 0, value: { n: i } })),
    );
    await kafka.healthyConsumer(groups.idle, idleTopic);
    for (let i = 0; i < 120 && (await kafka.committedOffsets(groups.idle, idleTopic)).get(0) !== 20n; i++)
      await sleep(250);
    expect((await kafka.committedOffsets(groups.idle, idleTopic)).get(0)).toBe(20n);

    // About 40 records a second against a reader of about 10 a second; the gap opens before the window.
    await kafka.slowConsumer(groups.behind, behindTopic, { perMessageMs: 100, commitEveryMs: 500 });
    kafka.traffic(behindTopic, 1, 25);
    await kafka.slowConsumer(groups.catching, backlogTopic, { perMessageMs: 5, commitEveryMs: 500 });
    kafka.traffic(backlogTopic, 1, 100);
    await sleep(4_000);
    run = await runAction('kafka-topic-check', {
      inputs: {
        brokers,
        topics: [
          `- name: ${behindTopic}`,
          `- name: ${backlogTopic}`,
          `- name: ${idleTopic}\n  min-messages: 0`,
        ].join('\n'),
        'consumer-groups': [
          `- name: ${groups.behind}\n  max-lag: 100000\n  owner: Runtime & Training\n  runbook: ${RUNBOOK}`,
          `- name: ${groups.catching}\n  max-lag: 100000`,
          `- name: ${groups.idle}\n  max-lag: 0`,
        ].join('\n'),
        window: '8s',
        timeout: '60s',
      },
    });
    kafka.stopTraffic();
    r = report(run);
  }, 180_000);
  afterAll(() => kafka?.close());

  it('a group reading slower than its producer writes falls behind at every sample: a warning under max-lag, never catching up', () => {
    expect(run.stderr).toBe('');
    // A warning: the step passes with fail-on: error.
    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    const g = groupOf(groups.behind);
    expect(g).toMatchObject({ status: 'WARN', level: 'warning', lagCountedIn: 'records' });
    expect(g.totalLag!).toBeLessThan(100_000);
    expect(g.findings.map((f) => [f.level, f.code])).toEqual([['warning', 'group-falling-behind']]);
    const d = g.direction!;
    expect(d).toMatchObject({ samples: 5, trend: 'growing', catchUpMs: 'never', fallingBehind: true });
    expect(d.lagSamples.every((lag, i) => i === 0 || lag > d.lagSamples[i - 1]!)).toBe(true);
    expect(d.productionPerSecond).toBeGreaterThan(d.consumptionPerSecond);
    // The numbers are the log's and the group's own: written = the topic's records in the window,
    // consumed = the committed offset's advance, lags = end offset − committed offset (no transactions).
    const p = g.partitions[0]!;
    const t = topicOf(behindTopic).partitionDetails[0]!;
    expect(d.produced).toBe(topicOf(behindTopic).messagesInWindow);
    expect(d.consumed).toBe(Number(p.committed) - Number(p.committedAtStart));
    expect(d.lagAtStart).toBe(Number(t.startOffset) - Number(p.committedAtStart));
    expect(d.lagAtEnd).toBe(g.totalLag);
    expect(d.productionPerSecond).toBe((d.produced * 1000) / d.windowMs);
    expect(d.consumptionPerSecond).toBe((d.consumed * 1000) / d.windowMs);
    expect(p).toMatchObject({ status: 'WARN', direction: d });
    expect(g.topics).toEqual([{ topic: behindTopic, direction: d }]);
    expect(g.findings[0]!.message).toBe(
      `consumer group ${groups.behind} is falling behind on ${behindTopic}/0: its lag grew at each of the 5 samples ` +
        `of the 8.0s window, from ${count(d.lagAtStart)} to ${count(d.lagAtEnd)} committed records, while its producers ` +
        `wrote ${perSecond(d.productionPerSecond)} and it consumed ${perSecond(d.consumptionPerSecond)}: ` +
        'at these rates it never catches up',
    );
    const annotation = run.annotations.find((a) => a.message.startsWith(`consumer group ${groups.behind}`))!;
    expect(annotation.level).toBe('warning');
    expect(annotation.message).toContain(`(owner: Runtime & Training; runbook: ${RUNBOOK})`);
    expect(run.summary).toContain(`(falling behind) | ${perSecond(d.productionPerSecond)} / `);
  });

  it('a group working off a backlog faster than it grows is shrinking, with a finite catch-up time at its rates', () => {
    const g = groupOf(groups.catching);
    expect(g).toMatchObject({ status: 'OK', level: 'ok', findings: [] });
    const d = g.direction!;
    expect(d).toMatchObject({ samples: 5, trend: 'shrinking', fallingBehind: false });
    expect(d.consumptionPerSecond).toBeGreaterThan(d.productionPerSecond);
    expect(d.lagAtEnd).toBeLessThan(d.lagAtStart);
    expect(d.lagAtEnd).toBe(g.totalLag);
    expect(d.produced).toBe(topicOf(backlogTopic).messagesInWindow);
    expect(typeof d.catchUpMs).toBe('number');
    expect(d.catchUpMs).toBeGreaterThan(0);
    expect(d.catchUpMs).toBe(Math.round((d.lagAtEnd * d.windowMs) / (d.consumed - d.produced)));
  });

  it('an idle group that has read everything is steady, caught up, with no finding', () => {
    const g = groupOf(groups.idle);
    expect(g).toMatchObject({ status: 'OK', level: 'ok', totalLag: 0, findings: [] });
    expect(g.direction).toMatchObject({
      samples: 5,
      lagSamples: [0, 0, 0, 0, 0],
      produced: 0,
      consumed: 0,
      productionPerSecond: 0,
      consumptionPerSecond: 0,
      trend: 'steady',
      catchUpMs: 0,
      fallingBehind: false,
    });
    expect(run.summary).toMatch(
      new RegExp(`\`${groups.idle}\` .*\\| → steady, 0 → 0 \\| 0/s / 0/s \\| caught up \\|`),
    );
  });

  it('each sample costs one ListOffsets per broker and one OffsetFetch per group, whatever else', () => {
    // Window start, lookback start, 3 samples inside the window, window end, log start.
    expect(r.requests.byApi.ListOffsets).toBe(7);
    // 3 groups × 5 samples; each group's coordinator found once.
    expect(r.requests.byApi.OffsetFetch).toBe(15);
    expect(r.requests.byApi.GroupCoordinator).toBe(3);
    expect(r.requests.byApi.DescribeGroups).toBe(3);
  });
});
