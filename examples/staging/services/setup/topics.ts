import kafkajs from 'kafkajs';
import { kafkaBrokers } from '../lib/config.js';
import { TOPIC_SPECS } from '../lib/events.js';
import { quietKnownWarnings } from '../lib/warnings.js';

// Creates the staging topics (idempotent): missing topics are created, narrower ones widened.

const { Kafka, logLevel } = kafkajs;
quietKnownWarnings();

const kafka = new Kafka({
  clientId: 'staging-setup',
  brokers: kafkaBrokers(),
  logLevel: logLevel.ERROR,
  retry: { retries: 10 },
});
const admin = kafka.admin();
try {
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const missing = TOPIC_SPECS.filter((t) => !existing.has(t.name));
  if (missing.length) {
    await admin.createTopics({
      topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: 1 })),
      waitForLeaders: true,
    });
  }
  const present = TOPIC_SPECS.filter((t) => existing.has(t.name));
  if (present.length) {
    const meta = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
    const narrow = present.filter(
      (t) => (meta.topics.find((m) => m.name === t.name)?.partitions.length ?? 0) < t.partitions,
    );
    if (narrow.length)
      await admin.createPartitions({
        topicPartitions: narrow.map((t) => ({ topic: t.name, count: t.partitions })),
      });
  }
  const meta = await admin.fetchTopicMetadata({ topics: TOPIC_SPECS.map((t) => t.name) });
  for (const t of meta.topics)
    console.log(
      `${t.name}: ${t.partitions.length} partitions${missing.some((m) => m.name === t.name) ? ' (created)' : ''}`,
    );
} finally {
  await admin.disconnect();
}
