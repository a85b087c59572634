import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

/** A real client against a real broker, for setting up what a test observes. */
export class KafkaFixture {
  readonly kafka: kafkajs.Kafka;
  private readonly admin: kafkajs.Admin;
  private producer?: kafkajs.Producer;
  private readonly producers: kafkajs.Producer[] = [];
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

  /** Creates a uniquely named topic (with topic configs, if given) and remembers it for cleanup. */
  async topic(prefix: string, partitions: number, configs: Record<string, string> = {}): Promise<string> {
    const name = `${prefix}-${randomUUID().slice(0, 8)}`;
    const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
    await this.admin.createTopics({
      topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1, configEntries }],
      waitForLeaders: false,
    });
    this.topics.push(name);
    // Wait until every partition answers ListOffsets: the metadata of a new topic, and then the log of
    // each partition, reach a broker a moment after the controller created them (kafkajs's own
    // waitForLeaders gives up on "This server does not host this topic-partition" meanwhile).
    for (let attempt = 1; ; attempt++) {
      try {
        const offsets = await this.admin.fetchTopicOffsets(name);
        if (offsets.length === partitions) break;
      } catch (err) {
        if (attempt >= 50) throw err;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    return name;
  }

  /** A transactional producer (idempotent, one request in flight, as Kafka requires). */
  async transactionalProducer(): Promise<TransactionalProducer> {
    const producer = this.kafka.producer({
      transactionalId: `cc-test-${randomUUID()}`,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    this.producers.push(producer);
    // The first transaction on a fresh broker waits for its transaction log to be created and loaded;
    // an empty one, retried, gets past that before any record is written.
    for (let attempt = 1; ; attempt++) {
      try {
        await (await producer.transaction()).abort();
        break;
      } catch (err) {
        if (attempt >= 30) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    const run = async (records: TestRecord[], end: 'commit' | 'abort') => {
      const txn = await producer.transaction();
      for (const [topic, ms] of byTopic(records)) await txn.send({ topic, messages: ms.map(toMessage) });
      await (end === 'commit' ? txn.commit() : txn.abort());
    };
    return { commit: (records) => run(records, 'commit'), abort: (records) => run(records, 'abort') };
  }

  /** An idempotent producer: its records carry a producer id. */
  async idempotentProducer(): Promise<(records: TestRecord[]) => Promise<void>> {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    this.producers.push(producer);
    return async (records) => {
      for (const [topic, ms] of byTopic(records)) await producer.send({ topic, messages: ms.map(toMessage) });
    };
  }

  /**
   * The truth: every record a read_committed consumer gets from the topics, up to (not including)
   * the given offset of each partition, read by a consumer group of its own from the beginning.
   */
  async readCommitted(until: Map<string, Map<number, bigint>>, timeoutMs = 60_000): Promise<TruthRecord[]> {
    const consumer = this.kafka.consumer({
      groupId: `cc-truth-${randomUUID()}`,
      readUncommitted: false,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
    });
    const records: TruthRecord[] = [];
    const reached = new Map<string, bigint>();
    const remaining = () =>
      [...until].flatMap(([topic, ends]) =>
        [...ends].filter(([p, end]) => end > 0n && (reached.get(`${topic}/${p}`) ?? -1n) < end - 1n),
      );
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    // The end of every fetched batch, also of batches that held only markers and aborted records.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const key = `${payload.topic}/${payload.partition}`;
      const last = BigInt(payload.lastOffset);
      if (last > (reached.get(key) ?? -1n)) reached.set(key, last);
      if (remaining().length === 0) finished();
    });
    await consumer.connect();
    try {
      for (const topic of until.keys()) await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          const offset = BigInt(message.offset);
          if (offset >= (until.get(topic)?.get(partition) ?? 0n)) return;
          const batch = (message as unknown as { batchContext: { producerId: string } }).batchContext;
          records.push({
            topic,
            partition,
            offset,
            timestamp: Number(message.timestamp),
            traceId: message.headers?.trace_id?.toString() ?? '',
            value: message.value?.toString() ?? '',
            producerId: Number(batch.producerId),
          });
        },
      });
      if (remaining().length > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          done,
          new Promise(
            (_, reject) =>
              (timer = setTimeout(
                () =>
                  reject(
                    new Error(
                      `the read_committed consumer did not reach the end of ${remaining()
                        .map(([p]) => p)
                        .join(', ')} within ${timeoutMs} ms`,
                    ),
                  ),
                timeoutMs,
              )),
          ),
        ]);
        clearTimeout(timer);
      }
    } finally {
      await consumer.disconnect().catch(() => {});
    }
    return records.sort(
      (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || Number(a.offset - b.offset),
    );
  }

  /**
   * A consumer that joins the group, records how far it has read, and commits only when told to
   * (or every `commitEveryMs`): a consumer with a commit interval of its own.
   */
  async committingConsumer(
    groupId: string,
    topic: string,
    opts: { readUncommitted?: boolean } = {},
  ): Promise<ManualConsumer> {
    const consumer = this.kafka.consumer({
      groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 1_000,
      readUncommitted: opts.readUncommitted ?? false,
    });
    this.consumers.push(consumer);
    const positions = new Map<number, bigint>();
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let joined!: () => void;
    const ready = new Promise<void>((r) => (joined = r));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) =>
        void positions.set(partition, BigInt(message.offset) + 1n),
    });
    await ready;
    const commit = async () => {
      const committed = new Map(positions);
      const offsets = [...committed].map(([partition, offset]) => ({
        topic,
        partition,
        offset: offset.toString(),
      }));
      if (offsets.length) await consumer.commitOffsets(offsets);
      return committed;
    };
    return {
      positions,
      commit,
      commitEvery: (ms) => {
        const timer = setInterval(() => void commit().catch(() => {}), ms);
        this.timers.push(timer);
      },
    };
  }

  /** A read_committed consumer with kafkajs's defaults: it commits after each batch it hands over. */
  async defaultConsumer(groupId: string, topic: string): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId,
      readUncommitted: false,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
    });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async () => {} });
  }

  /** Committed offsets of a group on a topic (undefined where it has none). */
  async committedOffsets(groupId: string, topic: string): Promise<Map<number, bigint | undefined>> {
    const [t] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(
      t!.partitions.map((p) => [p.partition, Number(p.offset) < 0 ? undefined : BigInt(p.offset)]),
    );
  }

  async send(topic: string, messages: Omit<TestRecord, 'topic'>[]): Promise<void> {
    await this.producer!.send({
      topic,
      messages: messages.map((m, i) => toMessage({ ...m, topic, key: m.key ?? String(i) })),
    });
  }

  /** Produces steadily in the background (one message per partition per tick) until stop(). */
  traffic(topic: string, partitions: number, everyMs = 100): { sent: () => number } {
    let sent = 0;
    const timer = setInterval(() => {
      const batch = Array.from({ length: partitions }, (_, p) => ({
        partition: p,
        value: { event_id: randomUUID(), timestamp: new Date().toISOString(), n: sent + p },
      }));
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
  async commit(
    groupId: string,
    topic: string,
    offsets: { partition: number; offset: number }[],
  ): Promise<void> {
    await this.admin.setOffsets({
      groupId,
      topic,
      partitions: offsets.map((o) => ({ partition: o.partition, offset: String(o.offset) })),
    });
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

  /**
   * A consumer that spends `perMessageMs` on each message (so it reads about 1000 / perMessageMs a
   * second) and auto-commits every `commitEveryMs`, heartbeating between messages as kafkajs does.
   */
  async slowConsumer(
    groupId: string,
    topic: string,
    opts: { perMessageMs: number; commitEveryMs: number },
  ): Promise<void> {
    const consumer = this.kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let joined!: () => void;
    const ready = new Promise<void>((r) => (joined = r));
    consumer.on(consumer.events.GROUP_JOIN, () => joined());
    await consumer.run({
      autoCommit: true,
      autoCommitInterval: opts.commitEveryMs,
      eachMessage: () => new Promise((r) => setTimeout(r, opts.perMessageMs)),
    });
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
    for (const p of this.producers) await p.disconnect().catch(() => {});
    if (this.topics.length && !keepTopics)
      await this.admin.deleteTopics({ topics: this.topics }).catch(() => {});
    await this.admin.disconnect().catch(() => {});
  }
}

export interface TestRecord {
  topic: string;
  value: unknown;
  partition?: number;
  timestamp?: number;
  traceId?: string;
  key?: string;
}

export interface TruthRecord {
  topic: string;
  partition: number;
  offset: bigint;
  timestamp: number;
  traceId: string;
  value: string;
  producerId: number;
}

export interface TransactionalProducer {
  commit(records: TestRecord[]): Promise<void>;
  abort(records: TestRecord[]): Promise<void>;
}

export interface ManualConsumer {
  /** The next offset to read, by partition, as far as it has read. */
  positions: Map<number, bigint>;
  /** Commits how far it has read; returns what it committed. */
  commit(): Promise<Map<number, bigint>>;
  commitEvery(ms: number): void;
}

function toMessage(m: TestRecord): kafkajs.Message {
  return {
    key: m.key ?? null,
    value: typeof m.value === 'string' ? m.value : JSON.stringify(m.value),
    ...(m.partition !== undefined ? { partition: m.partition } : {}),
    ...(m.timestamp !== undefined ? { timestamp: String(m.timestamp) } : {}),
    headers: { trace_id: m.traceId ?? randomUUID() },
  };
}

function byTopic(records: TestRecord[]): Map<string, TestRecord[]> {
  const out = new Map<string, TestRecord[]>();
  for (const r of records) out.set(r.topic, [...(out.get(r.topic) ?? []), r]);
  return out;
}
