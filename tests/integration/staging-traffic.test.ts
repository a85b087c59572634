import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import kafkajs, { type Admin } from 'kafkajs';
import { NODE24, ROOT } from '../support/paths.js';
import { needsServers, requireServer } from '../support/servers.js';

needsServers('kafka', 'staging');

// `npm run staging:traffic` and its switches: a topic made quiet really stops receiving messages
// (while the others keep flowing), and a stalled consumer group keeps its membership while its
// committed offsets stay put and its lag grows.

const { Kafka, logLevel } = kafkajs;
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const TRAFFIC = join(ROOT, 'examples/staging/traffic/main.ts');
const ORCHESTRATOR = `http://127.0.0.1:${process.env.ORCHESTRATOR_PORT ?? '18083'}`;

let admin: Admin;

async function ends(topic: string): Promise<number> {
  return (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
}

async function committed(groupId: string, topic: string): Promise<number> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return offsets!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
}

beforeAll(async () => {
  const brokers = await requireServer('kafka');
  const ok = await fetch(`${ORCHESTRATOR}/health`, { signal: AbortSignal.timeout(3000) }).then(
    (r) => r.ok,
    () => false,
  );
  if (!ok)
    throw new Error(
      `the staging orchestrator is not ready at ${ORCHESTRATOR}. Start the local stack first: \`npm run stack:up\` (or \`bash stack/stack.sh up staging\`).`,
    );
  admin = new Kafka({
    clientId: 'staging-traffic-test',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
});

afterAll(async () => {
  await admin?.disconnect();
});

describe('staging:traffic', () => {
  it('refuses a bad option, naming it and what is allowed', () => {
    const r = spawnSync(NODE24, [TSX, TRAFFIC, '--rate', 'fast'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--rate "fast" is not allowed: give a number from 0 to 200');
    const t = spawnSync(NODE24, [TSX, TRAFFIC, '--quiet-topic', 'training.audits'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(t.status).toBe(2);
    expect(t.stderr).toContain(
      '--quiet-topic "training.audits" is not a staging topic: use one of constitution.updated, policy.decisions, conversation.events, training.audit',
    );
  });

  it('--quiet-topic silences one topic and --stall-group stalls a group while traffic goes on', async () => {
    const group = `staging-stall-test-${randomUUID().slice(0, 8)}`;
    const child = spawn(
      NODE24,
      [
        TSX,
        TRAFFIC,
        '--duration',
        '25',
        '--rate',
        '4',
        '--training-every',
        '1',
        '--report-every',
        '0',
        '--quiet-topic',
        'training.audit',
        '--stall-group',
        group,
      ],
      { cwd: ROOT },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!out.includes('is now stalled') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      expect(out, out).toContain(`consumer group ${group} committed`);
      const quiet = (await (await fetch(`${ORCHESTRATOR}/admin/quiet`)).json()) as {
        quiet: { topic: string }[];
      };
      expect(quiet.quiet.map((q) => q.topic)).toEqual(['training.audit']);

      const t0 = {
        audit: await ends('training.audit'),
        conversation: await ends('conversation.events'),
        decisions: await ends('policy.decisions'),
        group: await committed(group, 'conversation.events'),
      };
      await new Promise((r) => setTimeout(r, 8000));
      const t1 = {
        audit: await ends('training.audit'),
        conversation: await ends('conversation.events'),
        decisions: await ends('policy.decisions'),
        group: await committed(group, 'conversation.events'),
      };
      // Training switches happen every second, yet nothing reaches training.audit.
      expect(t1.audit).toBe(t0.audit);
      expect(t1.conversation).toBeGreaterThan(t0.conversation);
      expect(t1.decisions).toBeGreaterThan(t0.decisions);
      // The group committed once (its offsets are there) and never again, while the topic moved on.
      expect(t0.group).toBeGreaterThan(0);
      expect(t1.group).toBe(t0.group);
      expect(t1.conversation - t1.group).toBeGreaterThan(t0.conversation - t0.group);
      const described = await admin.describeGroups([group]);
      expect(described.groups[0]!.state).toBe('Stable');
      expect(described.groups[0]!.members).toHaveLength(1);
      const metrics = await (await fetch(`${ORCHESTRATOR}/metrics`)).text();
      expect(
        Number(/^kafka_suppressed_messages_total\{topic="training.audit"\} (\d+)/m.exec(metrics)?.[1] ?? 0),
      ).toBeGreaterThan(0);
    } finally {
      const code = await exited;
      expect(code, out).toBe(0);
    }
    const summary = JSON.parse(/done: (\{.*\})/.exec(out)![1]!) as {
      calls: number;
      failed: number;
      quiet_topics: string[];
      stalled_group: string;
    };
    expect(summary.calls).toBeGreaterThan(20);
    expect(summary.failed).toBe(0);
    expect(summary).toMatchObject({ quiet_topics: ['training.audit'], stalled_group: group });
    // When the run ends the topic is live again: the background traffic's training switches land.
    const quietAfter = (await (await fetch(`${ORCHESTRATOR}/admin/quiet`)).json()) as { quiet: unknown[] };
    expect(quietAfter.quiet).toEqual([]);
    const before = await ends('training.audit');
    const deadline = Date.now() + 30_000;
    while ((await ends('training.audit')) === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 500));
    expect(await ends('training.audit')).toBeGreaterThan(before);
    await admin.deleteGroups([group]).catch(() => {});
  });
});
