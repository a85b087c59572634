import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { STACK, needsServers, requireServer } from '../support/servers.js';
import { NODE24, ROOT } from '../support/paths.js';
import type { CheckReport } from '../../src/actions/kafka-topic-check/model.js';

needsServers('kafka', 'staging');

// The check as Integration Day runs it: the four staging topics with the staging system's live traffic.
const STAGING = `http://127.0.0.1:${process.env.POLICY_ENGINE_PORT ?? '18081'}`;
const report = (run: ActionRun) =>
  (JSON.parse(readFileSync(run.outputs['result-path']!, 'utf8')) as { result: CheckReport }).result;
const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

let asyncapi: string;
let traffic: ChildProcess | undefined;

/** Runs the staging traffic generator with its fault switches, like a person would. */
function startTraffic(args: string[]): Promise<void> {
  traffic = spawn(
    NODE24,
    [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'examples/staging/traffic/main.ts'), ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  return new Promise((resolve) => setTimeout(resolve, 1_000));
}

beforeAll(async () => {
  ensureBuilt();
  await requireServer('kafka');
  const res = await fetch(`${STAGING}/asyncapi.json`).catch((err: Error) => {
    throw new Error(
      `the staging services are not answering at ${STAGING} (${err.message}); start them with \`npm run stack:up\``,
    );
  });
  asyncapi = await res.text();
}, 120_000);

afterEach(async () => {
  const child = traffic;
  traffic = undefined;
  if (!child?.pid) return;
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  // The generator lifts its fault switches on SIGTERM; let it finish before the next test.
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
}, 30_000);

const TOPICS = `
- name: policy.decisions
  min-messages: 3
  max-age: 2m
  schema: asyncapi.json
  owner: Governance Core
- name: conversation.events
  min-messages: 3
  max-age: 2m
  schema: asyncapi.json
  owner: Runtime & Training
- name: training.audit
  min-messages: 1
  max-age: 2m
  schema: asyncapi.json
  owner: Runtime & Training
- name: constitution.updated
  allow-idle: true
  max-age: 10m
  schema: asyncapi.json
  owner: Governance Core
`;

describe('kafka-topic-check on the staging topics with live traffic', () => {
  it('the four topics carry live traffic that conforms to the published AsyncAPI, and the consumers keep up', async () => {
    const run = await runAction('kafka-topic-check', {
      inputs: {
        brokers: STACK.kafka,
        topics: TOPICS,
        'consumer-groups':
          '- name: policy-engine\n  max-lag: 1000\n- name: orchestrator-training\n  max-lag: 1000',
        window: '12s',
        sample: '3',
        timeout: '60s',
      },
      workspaceSetup: (ws) => writeFileSync(join(ws, 'asyncapi.json'), asyncapi),
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const r = report(run);
    expect(r.topics.map((t) => [t.name, t.status])).toEqual([
      ['policy.decisions', 'ok'],
      ['conversation.events', 'ok'],
      ['training.audit', 'ok'],
      ['constitution.updated', 'ok'],
    ]);
    expect(r.topics.map((t) => t.partitions)).toEqual([12, 12, 6, 6]);
    expect(r.counts.schemaViolations).toBe(0);
    expect(r.topics[0]!.messagesInWindow).toBeGreaterThanOrEqual(3);
    // Every sampled staging message carries the trace id that followed its request.
    expect(r.topics[0]!.traceIds.length).toBeGreaterThan(0);
    expect(r.groups.map((g) => g.status)).toEqual(['OK', 'OK']);
    expect(r.topics.every((t) => t.countedIn === 'records')).toBe(true);
  });

  it('a topic the staging system stops producing to fails, naming it and its newest record age', async () => {
    await startTraffic(['--rate', '0', '--duration', '45', '--quiet-topic', 'training.audit']);
    await new Promise((r) => setTimeout(r, 6_000));
    const run = await runAction('kafka-topic-check', {
      inputs: {
        brokers: STACK.kafka,
        topics:
          '- name: training.audit\n  min-messages: 1\n  max-age: 5s\n  owner: Runtime & Training\n  runbook: docs/runbooks/integration-day.md#kafka',
        window: '6s',
        timeout: '40s',
      },
    });
    expect(run.exitCode).toBe(1);
    const t = report(run).topics[0]!;
    expect(t.messagesInWindow).toBe(0);
    expect(t.newestAgeMs!).toBeGreaterThan(5_000);
    // Other suites need training.audit live again: lift the switch now rather than at its expiry.
    await fetch(`http://127.0.0.1:${process.env.ORCHESTRATOR_PORT ?? '18083'}/admin/quiet`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ topic: 'training.audit', seconds: 0 }),
    });
    expect(errors(run)[0]).toMatch(
      /^topic training\.audit went quiet: newest committed record is \d+(\.\d)?s old \(producer time .*, partition \d+\); max-age is 5\.0s \(owner: Runtime & Training; runbook: docs\/runbooks\/integration-day\.md#kafka\)$/,
    );
  });

  it('a consumer group the staging traffic stalls is STALLED while conversation.events keeps flowing', async () => {
    const group = `cc-stalled-${randomUUID().slice(0, 8)}`;
    await startTraffic([
      '--rate',
      '0',
      '--duration',
      '45',
      '--stall-group',
      group,
      '--stall-topic',
      'conversation.events',
    ]);
    // Wait until the stalled consumer has joined and made its one commit.
    const kafka = new kafkajs.Kafka({ brokers: [STACK.kafka], logLevel: kafkajs.logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (let i = 0; i < 60; i++) {
        const [g] = (await admin.describeGroups([group])).groups;
        const offsets = await admin.fetchOffsets({ groupId: group, topics: ['conversation.events'] });
        if (g?.state === 'Stable' && offsets[0]!.partitions.some((p) => Number(p.offset) >= 0)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      // And until records wait behind that commit: the window must open with some already waiting.
      for (let i = 0; i < 100; i++) {
        const [committed] = await admin.fetchOffsets({ groupId: group, topics: ['conversation.events'] });
        const ends = await admin.fetchTopicOffsets('conversation.events');
        const behind = committed!.partitions.some(
          (p) =>
            Number(p.offset) >= 0 &&
            Number(ends.find((e) => e.partition === p.partition)?.high) > Number(p.offset),
        );
        if (behind) break;
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await admin.disconnect();
    }
    const run = await runAction('kafka-topic-check', {
      inputs: {
        brokers: STACK.kafka,
        topics: '- name: conversation.events\n  min-messages: 1',
        'consumer-groups': `- name: ${group}\n  commit-interval: 2s\n  owner: Runtime & Training`,
        window: '8s',
        timeout: '40s',
      },
    });
    expect(run.exitCode).toBe(1);
    const g = report(run).groups[0]!;
    expect(g).toMatchObject({ name: group, status: 'STALLED', members: 1 });
    expect(g.totalLag).toBeGreaterThan(0);
    expect(
      errors(run).some((m) => m.startsWith(`consumer group ${group} is STALLED: 1 member connected`)),
    ).toBe(true);
  });
});
