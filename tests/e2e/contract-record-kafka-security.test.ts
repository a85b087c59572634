// contract-record samples topics over the stack's SASL and TLS listeners with the same inputs as
// kafka-topic-check, and keeps the password out of the log, the summary and every file it writes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction, type ActionRun } from '../support/run-action.js';
import { ensureBuilt } from '../support/build.js';
import { KafkaFixture } from '../support/kafka.js';
import { needsServers, requireServer, STACK } from '../support/servers.js';
import { STAGING, requireStaging } from '../fixtures/contracts/staging.js';

needsServers('kafka', 'staging');

const date = '2026-11-27';
const errors = (run: ActionRun) => run.annotations.filter((a) => a.level === 'error').map((a) => a.message);

describe('contract-record samples topics on secured Kafka listeners', () => {
  let kafka: KafkaFixture;
  let topic: string;
  const sent = [
    { event_id: 'a6f1c3e2-0000-4000-8000-000000000001', tenant: 'acme', seq: 1 },
    { event_id: 'a6f1c3e2-0000-4000-8000-000000000002', tenant: 'acme', seq: 2 },
    { event_id: 'a6f1c3e2-0000-4000-8000-000000000003', tenant: 'globex', seq: 3 },
  ];

  beforeAll(async () => {
    ensureBuilt();
    kafka = await new KafkaFixture(await requireServer('kafka')).connect();
    await requireServer('kafkaSasl', 'kafka');
    await requireServer('kafkaSsl', 'kafka');
    await requireStaging();
    topic = await kafka.topic('contract-secure', 1);
    await kafka.send(
      topic,
      sent.map((value, i) => ({ value, timestamp: Date.now() - (sent.length - i) * 1000 })),
    );
  }, 180_000);
  afterAll(() => kafka?.close());

  const endpoints = (brokers: string) =>
    `services:\n  - name: policy-engine\n    url: ${STAGING.policy}\n    documents: [/openapi.json]\nkafka:\n  brokers: ${brokers}\n  topics: [${topic}]\n  messages: 10\n`;
  const sampledValues = (run: ActionRun) => {
    const file = join(run.dirs.workspace, 'docs/design/contracts', date, 'topics', `${topic}.messages.json`);
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as {
      sampled: number;
      messages: { value: { seq: number } }[];
    };
    return { sampled: recorded.sampled, values: recorded.messages.map((m) => m.value) };
  };

  it.each(['scram-sha-512', 'plain'])('over the SASL listener with %s', async (mechanism) => {
    const run = await runAction('contract-record', {
      inputs: {
        endpoints: endpoints(STACK.kafkaSasl),
        date,
        'sasl-mechanism': mechanism,
        username: STACK.scramUser,
        password: STACK.scramPassword,
      },
    });
    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.masks).toContain(STACK.scramPassword);
    // Newest first, every message the topic holds.
    expect(sampledValues(run)).toEqual({ sampled: 3, values: [...sent].reverse() });
    const grep = spawnSync('grep', ['-rl', STACK.scramPassword, run.dirs.workspace], { encoding: 'utf8' });
    expect(grep.status).toBe(1);
  });

  it('over the TLS listener with the CA given as a file', async () => {
    const run = await runAction('contract-record', {
      inputs: { endpoints: endpoints(STACK.kafkaSsl), date, ssl: 'true', 'ssl-ca': STACK.kafkaCaPath },
    });
    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(sampledValues(run)).toEqual({ sampled: 3, values: [...sent].reverse() });
  });

  it('a wrong password fails with an authentication error naming user and mechanism, never printing or writing the password', async () => {
    const wrong = 'contract-Wrong-pa55word-41c';
    const run = await runAction('contract-record', {
      inputs: {
        endpoints: endpoints(STACK.kafkaSasl),
        date,
        'sasl-mechanism': 'scram-sha-256',
        username: STACK.scramUser,
        password: wrong,
      },
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run).at(-1)).toMatch(
      /authentication failed at 127\.0\.0\.1:\d+ for user "cc-checker" with mechanism scram-sha-256: check 'username' and 'password'/,
    );
    // The only place the runner may see it is the mask command that hides it everywhere else.
    const printed = run.stdout
      .split('\n')
      .filter((l) => l !== `::add-mask::${wrong}`)
      .join('\n');
    expect(printed).not.toContain(wrong);
    expect(run.stderr).not.toContain(wrong);
    expect(run.summary).not.toContain(wrong);
    const grep = spawnSync('grep', ['-rl', wrong, run.dirs.workspace, run.dirs.temp, run.dirs.runnerTemp], {
      encoding: 'utf8',
    });
    expect(grep.stdout).toBe('');
    expect(grep.status).toBe(1);
  });

  it('a SASL mechanism without a password is refused before anything is sent, naming the input', async () => {
    const run = await runAction('contract-record', {
      inputs: {
        endpoints: endpoints(STACK.kafkaSasl),
        date,
        'sasl-mechanism': 'scram-sha-512',
        username: STACK.scramUser,
      },
    });
    expect(run.exitCode).toBe(1);
    expect(errors(run).at(-1)).toMatch(
      /input 'password' is empty: a password is required when sasl-mechanism is scram-sha-512/,
    );
  });
});
