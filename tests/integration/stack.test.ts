import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { STACK, needsServers, requireGitOrigin, requireServer } from '../support/servers.js';

needsServers('kafka', 'prometheus', 'git');

const { Kafka, logLevel } = kafkajs;

async function roundTrip(brokers: string) {
  const kafka = new Kafka({ clientId: 'stack-test', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: `stack-test-${randomUUID()}` });
  const topic = `stack-roundtrip-${randomUUID()}`;
  const traceId = randomUUID();
  try {
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    await producer.connect();
    await producer.send({
      topic,
      messages: [{ key: 'k', value: JSON.stringify({ hello: 'kafka' }), headers: { trace_id: traceId } }],
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<{ value: string; trace: string; partition: number }>(
      (resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no message within 30s')), 30_000);
        void consumer.run({
          eachMessage: async ({ message, partition }) => {
            clearTimeout(timer);
            resolve({
              value: message.value!.toString(),
              trace: message.headers!.trace_id!.toString(),
              partition,
            });
          },
        });
      },
    );
    const offsets = await admin.fetchTopicOffsets(topic);
    return { received, offsets };
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

describe('the local stack', () => {
  it('a message round-trips through the real Kafka 4 broker with kafkajs', async () => {
    const brokers = await requireServer('kafka');
    const { received, offsets } = await roundTrip(brokers);
    expect(JSON.parse(received.value)).toEqual({ hello: 'kafka' });
    expect(received.trace).toMatch(/^[0-9a-f-]{36}$/);
    // Exactly one record landed, on the partition the consumer saw it on.
    expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(1);
    expect(Number(offsets.find((p) => p.partition === received.partition)!.high)).toBe(1);
  });

  it('Prometheus answers an instant query with its own up metric', async () => {
    const base = await requireServer('prometheus');
    // The first scrape can take one interval after start; poll briefly for it.
    let body:
      | {
          status: string;
          data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
        }
      | undefined;
    for (let i = 0; i < 40; i++) {
      const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent('up{job="prometheus"}')}`);
      expect(res.status).toBe(200);
      body = (await res.json()) as typeof body;
      if (body!.data.result.length > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(body!.status).toBe('success');
    expect(body!.data.resultType).toBe('vector');
    expect(body!.data.result[0]!.metric.job).toBe('prometheus');
    expect(body!.data.result[0]!.value[1]).toBe('1');
  });

  it('the bare origin accepts a push and refuses a force push', () => {
    const origin = requireGitOrigin();
    const work = mkdtempSync(join(tmpdir(), 'cc-git-'));
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const branch = `stack-test-${randomUUID().slice(0, 8)}`;
    git('init', '-q', '-b', branch);
    git('config', 'user.email', 'test@example.invalid');
    git('config', 'user.name', 'stack test');
    writeFileSync(join(work, 'a.txt'), 'one\n');
    git('add', 'a.txt');
    git('commit', '-q', '-m', 'one');
    git('push', '-q', origin, `HEAD:refs/heads/${branch}`);
    expect(execFileSync('git', ['--git-dir', origin, 'rev-parse', branch], { encoding: 'utf8' }).trim()).toBe(
      git('rev-parse', 'HEAD').trim(),
    );
    git('commit', '-q', '--amend', '-m', 'rewritten');
    expect(() => git('push', '-q', '--force', origin, `HEAD:refs/heads/${branch}`)).toThrow();
    expect(STACK.gitOrigin).toBe(origin);
  });
});
