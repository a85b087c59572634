// kafka-topic-check vs the JVM consumer-group command (org.apache.kafka:kafka-tools, run as users run
// it), gathering the same lag and offset facts on 4 topics x 12 partitions plus a transactional topic
// (12 partitions of committed and aborted transactions) with 3 groups, excluding the observation
// window; then the scale run: 2,000 partitions over 50 topics, with the request count.
// Needs the local stack's Kafka 4.3.1 (npm run stack:up).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { NODE24, ROOT, median, printTable, record } from './lib.mjs';

const BROKERS = `127.0.0.1:${process.env.KAFKA_PORT ?? '19092'}`;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const run = `b${Date.now().toString(36)}`;
const kafka = new kafkajs.Kafka({
  clientId: 'bench',
  brokers: [BROKERS],
  logLevel: kafkajs.logLevel.NOTHING,
});
const admin = kafka.admin();
const producer = kafka.producer();
const txnProducer = kafka.producer({
  transactionalId: `bench-txn-${run}`,
  idempotent: true,
  maxInFlightRequests: 1,
});
const created = [];

async function makeTopics(prefix, count, partitions) {
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${run}-${i}`);
  await admin.createTopics({
    topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
    waitForLeaders: false,
    timeout: 120_000,
  });
  created.push(...names);
  // A busy single-node KRaft broker may take a few seconds to serve metadata for thousands of new partitions.
  for (let waited = 0; ; waited += 500) {
    try {
      const meta = await admin.fetchTopicMetadata({ topics: names });
      if (
        meta.topics.every(
          (t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0),
        )
      )
        break;
    } catch (err) {
      if (waited > 120_000) throw err;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  for (const topic of names) {
    const messages = Array.from({ length: partitions * 3 }, (_, i) => ({
      partition: i % partitions,
      value: JSON.stringify({ event_id: String(i) }),
      headers: { trace_id: `t-${i}` },
    }));
    // Leaders of freshly created partitions can take a moment to reach the producer's metadata.
    for (let attempt = 1; ; attempt++) {
      try {
        await producer.send({ topic, messages });
        break;
      } catch (err) {
        if (attempt >= 10) throw err;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }
  return names;
}

/** A topic written only in transactions: per partition, 3 committed records then 2 aborted, three times. */
async function makeTransactionalTopic(partitions) {
  const topic = `bench-txn-${run}`;
  await admin.createTopics({
    topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  created.push(topic);
  const batch = (n, kind) =>
    Array.from({ length: partitions * n }, (_, i) => ({
      partition: i % partitions,
      value: JSON.stringify({ event_id: `${kind}-${i}` }),
      headers: { trace_id: `t-${i}` },
    }));
  for (let round = 0; round < 3; round++) {
    for (const [n, kind, end] of [
      [3, 'committed', 'commit'],
      [2, 'aborted', 'abort'],
    ]) {
      const txn = await txnProducer.transaction();
      await txn.send({ topic, messages: batch(n, kind) });
      await txn[end]();
    }
  }
  return topic;
}

function timeCommand(cmd, args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runCheck(topics, groups, tmp, sample = 1) {
  const resultPath = join(tmp, `result-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(join(tmp, 'out'), '');
  const env = {
    INPUT_BROKERS: BROKERS,
    INPUT_TOPICS: topics.map((t) => `- name: ${t}\n  min-messages: 0`).join('\n'),
    'INPUT_CONSUMER-GROUPS': groups.map((g) => `- name: ${g}`).join('\n'),
    INPUT_WINDOW: '0s',
    INPUT_SAMPLE: String(sample),
    INPUT_TIMEOUT: '60s',
    'INPUT_FAIL-ON': 'error',
    'INPUT_SASL-MECHANISM': 'none',
    INPUT_SSL: 'false',
    'INPUT_RESULT-PATH': resultPath,
    GITHUB_OUTPUT: join(tmp, 'out'),
    GITHUB_STEP_SUMMARY: join(tmp, 'out'),
    RUNNER_TEMP: tmp,
    GITHUB_WORKSPACE: tmp,
  };
  const r = timeCommand(NODE24, [join(ROOT, 'dist/kafka-topic-check/index.js')], env);
  if (r.status !== 0) throw new Error(`kafka-topic-check failed (${r.status}):\n${r.stdout.slice(-2000)}`);
  return { ms: r.ms, report: JSON.parse(readFileSync(resultPath, 'utf8')).result };
}

try {
  await admin.connect();
  await producer.connect();
  await txnProducer.connect();
  const tmp = mkdtempSync(join(tmpdir(), 'cc-kbench-'));
  const kafkaLib = execFileSync(
    'bash',
    ['-c', `source ${ROOT}/stack/lib.sh; source ${ROOT}/stack/kafka/kafka.sh; kafka_lib 4.3.1`],
    { encoding: 'utf8' },
  ).trim();

  // Peer comparison: 4 topics x 12 partitions and a transactional one, 3 groups with committed offsets.
  const topics = [...(await makeTopics('bench-peer', 4, 12)), await makeTransactionalTopic(12)];
  const groups = ['g1', 'g2', 'g3'].map((g) => `bench-${run}-${g}`);
  for (const [i, g] of groups.entries()) {
    for (const topic of topics)
      await admin.setOffsets({
        groupId: g,
        topic,
        partitions: Array.from({ length: 12 }, (_, p) => ({ partition: p, offset: String(i) })),
      });
  }
  const peerArgs = [
    '-cp',
    `${kafkaLib}/*`,
    'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
    '--bootstrap-server',
    BROKERS,
    '--describe',
    ...groups.flatMap((g) => ['--group', g]),
  ];
  const peerTimes = [];
  const ourTimes = [];
  let ours;
  let peerRows = 0;
  let peerLastOut = '';
  for (let i = 0; i < RUNS + 1; i++) {
    const peer = timeCommand('java', peerArgs, {});
    if (peer.status !== 0) throw new Error(`peer failed: ${peer.stderr.slice(-1000)}`);
    peerRows = peer.stdout.split('\n').filter((l) => l.startsWith('bench-')).length;
    peerLastOut = peer.stdout;
    const o = runCheck(topics, groups, tmp);
    if (i === 0) continue; // warm-up: page cache, JIT of the class loader
    peerTimes.push(peer.ms);
    ourTimes.push(o.ms);
    ours = o.report;
  }
  const peerMs = median(peerTimes);
  const ourMs = median(ourTimes);
  const lagRows = ours.groups.reduce((n, g) => n + g.partitions.length, 0);
  console.log(
    `\nlag and offsets of 3 groups on 4 topics x 12 partitions + 1 transactional topic x 12, median of ${RUNS} runs (whole process, start-up included):`,
  );
  printTable(
    ['tool', 'median ms', 'group-partition rows', 'requests'],
    [
      ['kafka-consumer-groups --describe (JVM, kafka-tools 4.3.1)', peerMs.toFixed(0), peerRows, 'n/a'],
      ['kafka-topic-check (window 0s)', ourMs.toFixed(0), lagRows, ours.requests.total],
    ],
  );
  const ratio = peerMs / ourMs;
  console.log(
    `ratio: ${ratio.toFixed(1)}x faster than the JVM peer (goal >= 5x): ${ratio >= 5 ? 'met' : 'NOT met'}`,
  );
  // On the transactional topic the JVM's lag is offsets to the high watermark; ours, committed records.
  const txnTopic = topics.at(-1);
  const peerTxnLag = peerLastOut
    .split('\n')
    .filter((l) => l.includes(txnTopic))
    .reduce((n, l) => n + Number(l.trim().split(/\s+/)[5] ?? 0), 0);
  const ourTxnLag = ours.groups
    .flatMap((g) => g.partitions)
    .filter((p) => p.topic === txnTopic)
    .reduce((n, p) => n + (p.lag ?? 0), 0);
  const counted =
    ours.groups.every((g) => g.lagCountedIn === 'records') &&
    ours.topics.every((t) => t.countedIn === 'records');
  console.log(
    `transactional topic, lag summed over 3 groups x 12 partitions: ${ourTxnLag} committed records (kafka-topic-check) vs ${peerTxnLag} offsets (kafka-consumer-groups); counted as records throughout: ${counted}`,
  );

  // Scale: 2,000 partitions over 50 topics; requests must follow brokers, not partitions.
  const small = runCheck(topics.slice(0, 1), [], tmp);
  const big = await makeTopics('bench-scale', 50, 40);
  const scaleRuns = [];
  let scaleReport;
  for (let i = 0; i < 3; i++) {
    const s = runCheck(big, [], tmp);
    scaleRuns.push(s.ms);
    scaleReport = s.report;
  }
  const scaleMs = median(scaleRuns);
  const partitions = scaleReport.topics.reduce((n, t) => n + t.partitions, 0);
  console.log(
    `\nscale: ${partitions} partitions over ${scaleReport.topics.length} topics evaluated in ${scaleMs.toFixed(0)} ms (median of 3; goal <= 3000 ms): ${scaleMs <= 3000 ? 'met' : 'NOT met'}`,
  );
  printTable(
    ['partitions', 'requests total', 'Metadata', 'ListOffsets', 'Fetch'],
    [
      [
        small.report.topics[0].partitions,
        small.report.requests.total,
        small.report.requests.byApi.Metadata,
        small.report.requests.byApi.ListOffsets,
        small.report.requests.byApi.Fetch,
      ],
      [
        partitions,
        scaleReport.requests.total,
        scaleReport.requests.byApi.Metadata,
        scaleReport.requests.byApi.ListOffsets,
        scaleReport.requests.byApi.Fetch,
      ],
    ],
  );
  record('kafka-check', {
    runs: RUNS,
    peerMs: +peerMs.toFixed(1),
    ourMs: +ourMs.toFixed(1),
    ratio: +ratio.toFixed(2),
    transactional: { ourLagRecords: ourTxnLag, peerLagOffsets: peerTxnLag, counted },
    scale: { partitions, ms: +scaleMs.toFixed(1), requests: scaleReport.requests },
    small: { partitions: small.report.topics[0].partitions, requests: small.report.requests },
  });
} finally {
  if (created.length) await admin.deleteTopics({ topics: created, timeout: 120_000 }).catch(() => {});
  await producer.disconnect().catch(() => {});
  await txnProducer.disconnect().catch(() => {});
  await admin.disconnect().catch(() => {});
}
