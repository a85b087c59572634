import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

/** A real client against a real broker, for setting up what a test observes. */
export class KafkaFixture {
  readonly kafka: kafkajs.Kafka;
  private readonly admin: kafkajs.Admin;
  private producer?: kafkajs.Producer;
  private readonly consumers: kafkajs.Consumer[] = [];
  private readonly topics: string[] = [];
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(readonly brokers: string) {
    this.kafka = new Kafka({ clientId: 'cc-test', brokers: [brokers], logLevel: logLevel.NOTHING });
    this.admin = this.kafka.admin();
  }

  async connect(): Promise<this> {
    await this.admin.connect();
    this.producer = this.kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
    return this;
  }

  /** Creates a uniquely named topic and remembers it for cleanup. */
  async topic(prefix: string, partitions: number): Promise<string> {
    const name = `${prefix}-${randomUUID().slice(0, 8)}`;
    await this.admin.createTopics({ topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1 }], waitForLeaders: true });
    this.topics.push(name);
    return name;
  }

  async send(topic: string, messages: { value: unknown; partition?: number; timestamp?: number; traceId?: string; key?: string }[]): Promise<void> {
    await this.producer!.send({
      topic,
      messages: messages.map((m, i) => ({
        key: m.key ?? String(i),
        value: typeof m.value === 'string' ? m.value : JSON.stringify(m.value),
        ...(m.partition !== undefined ? { partition: m.partition } : {}),
        ...(m.timestamp !== undefined ? { timestamp: String(m.timestamp) } : {}),
        headers: { trace_id: m.traceId ?? randomUUID() },
      })),
    });
  }

  /** Produces steadily in the background (one message per partition per tick) until stop(). */
  traffic(topic: string, partitions: number, everyMs = 100): { sent: () => number } {
    let sent = 0;
    const timer = setInterval(() => {
      const batch = Array.from({ length: partitions }, (_, p) => ({ partition: p, value: { event_id: randomUUID(), timestamp: new Date().toISOString(), n: sent + p } }));
      sent += partitions;
      void this.send(topic, batch).catch(() => {});
    }, everyMs);
    this.timers.push(timer);
    return { sent: () => sent };
  }

  stopTraffic(): void {
    for (const t of this.timers.splice(0)) clearInterval(t);
  }

  /** Commits offsets for a group with no members (the way an operator resets a group). */
  async commit(groupId: string, topic: string, offsets: { partition: number; offset: number }[]): Promise<void> {
    await this.admin.setOffsets({ groupId, topic, partitions: offsets.map((o) => ({ partition: o.partition, offset: String(o.offset) })) });
  }

  /** A consumer that joins the group and reads but never commits: a stalled consumer. */
  async stalledConsumer(groupId: string, topic: string): Promise<void> {
    const consumer = this.kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    let joined!: () => void;
    const ready = new Promise<void>((r) => (joined = r));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({ autoCommit: false, eachMessage: async () => {} });
    await ready;
  }

  /** A consumer that keeps up and commits after every batch. */
  async healthyConsumer(groupId: string, topic: string): Promise<void> {
    const consumer = this.kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let joined!: () => void;
    const ready = new Promise<void>((r) => (joined = r));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({ autoCommit: true, autoCommitInterval: 500, eachMessage: async () => {} });
    await ready;
  }

  async endOffsets(topic: string): Promise<Map<number, number>> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
  }

  async close({ keepTopics = false } = {}): Promise<void> {
    this.stopTraffic();
    for (const c of this.consumers) await c.disconnect().catch(() => {});
    await this.producer?.disconnect().catch(() => {});
    if (this.topics.length && !keepTopics) await this.admin.deleteTopics({ topics: this.topics }).catch(() => {});
    await this.admin.disconnect().catch(() => {});
  }
}
