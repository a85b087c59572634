import { randomUUID } from 'node:crypto';
import kafkajs, { type Admin, type Consumer, type Producer } from 'kafkajs';
import { client, type Registry } from './metrics.js';
import { topicSpec, type TopicName } from './events.js';
import { validate } from './validation.js';

const { Kafka, logLevel, Partitioners } = kafkajs;

export interface EventHeaders {
  traceId: string;
  partition: number;
  offset: string;
}

export interface ConsumeOptions {
  groupId: string;
  topic: TopicName;
  onEvent: (event: Record<string, unknown>, meta: EventHeaders) => Promise<void> | void;
}

// kafkajs logs JSON objects to the console by default; one readable line per warning is enough here.
function logCreator(service: string) {
  return () =>
    ({ level, log }: { level: number; log: { message: string; error?: string } }) => {
      if (level > logLevel.WARN) return;
      process.stderr.write(
        `[${service}] kafka ${level === logLevel.ERROR ? 'error' : 'warn'}: ${log.message}${log.error ? ` (${log.error})` : ''}\n`,
      );
    };
}

/**
 * Produces the service's events (each with event_id, timestamp and a trace_id header), lets a topic
 * be made quiet for a while (fault injection for liveness checks), and runs consumers whose lag it
 * measures from the broker's own offsets.
 */
export class EventBus {
  private readonly kafka: InstanceType<typeof Kafka>;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly consumers: Consumer[] = [];
  private readonly quietUntil = new Map<string, number>();
  private readonly produced: client.Counter<'topic'>;
  private readonly suppressed: client.Counter<'topic'>;
  private readonly consumed: client.Counter<'group' | 'topic'>;
  private readonly lag: client.Gauge<'group' | 'topic' | 'partition'>;
  private readonly lagWatches: { groupId: string; topic: string }[] = [];
  private lagTimer: NodeJS.Timeout | undefined;
  connected = false;

  constructor(
    private readonly service: string,
    brokers: string[],
    registry: Registry,
    readonly produces: readonly TopicName[],
  ) {
    this.kafka = new Kafka({
      clientId: service,
      brokers,
      logLevel: logLevel.WARN,
      logCreator: logCreator(service),
      retry: { retries: 8, initialRetryTime: 300 },
    });
    this.producer = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    this.admin = this.kafka.admin();
    this.produced = new client.Counter({
      name: 'kafka_produced_messages_total',
      help: 'Messages produced, by topic.',
      labelNames: ['topic'],
      registers: [registry],
    });
    this.suppressed = new client.Counter({
      name: 'kafka_suppressed_messages_total',
      help: 'Messages not produced because the topic was made quiet, by topic.',
      labelNames: ['topic'],
      registers: [registry],
    });
    this.consumed = new client.Counter({
      name: 'kafka_consumed_messages_total',
      help: 'Messages consumed, by group and topic.',
      labelNames: ['group', 'topic'],
      registers: [registry],
    });
    this.lag = new client.Gauge({
      name: 'kafka_consumer_lag_messages',
      help: 'High watermark minus committed offset, per partition of a consumed topic.',
      labelNames: ['group', 'topic', 'partition'],
      registers: [registry],
    });
    for (const t of produces) this.produced.inc({ topic: t }, 0);
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    await this.admin.connect();
    this.connected = true;
  }

  /** Produces one event; answers whether it was really produced (false while the topic is quiet). */
  async emit(
    topic: TopicName,
    key: string,
    fields: Record<string, unknown>,
    traceId: string,
  ): Promise<{ event: Record<string, unknown>; produced: boolean }> {
    if (!this.produces.includes(topic)) throw new Error(`${this.service} does not produce ${topic}`);
    const event = { event_id: randomUUID(), timestamp: new Date().toISOString(), ...fields };
    // The AsyncAPI document promises this shape; refuse to publish anything else.
    const problems = validate(topicSpec(topic)!.payload, event, 'body');
    if (problems.length)
      throw new Error(
        `event for ${topic} does not match its schema: ${problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`,
      );
    if (this.isQuiet(topic)) {
      this.suppressed.inc({ topic });
      return { event, produced: false };
    }
    await this.producer.send({
      topic,
      messages: [
        {
          key,
          value: JSON.stringify(event),
          headers: { trace_id: traceId, 'content-type': 'application/json', source: this.service },
        },
      ],
    });
    this.produced.inc({ topic });
    return { event, produced: true };
  }

  /** Makes a topic quiet for `seconds` (0 ends it). Returns when it ends (epoch ms, 0 = not quiet). */
  setQuiet(topic: TopicName, seconds: number): number {
    if (seconds <= 0) {
      this.quietUntil.delete(topic);
      return 0;
    }
    const until = Date.now() + seconds * 1000;
    this.quietUntil.set(topic, until);
    return until;
  }

  quietTopics(): { topic: string; until: number }[] {
    return [...this.quietUntil.entries()]
      .filter(([t]) => this.isQuiet(t))
      .map(([topic, until]) => ({ topic, until }));
  }

  private isQuiet(topic: string): boolean {
    const until = this.quietUntil.get(topic);
    if (until === undefined) return false;
    if (until <= Date.now()) {
      this.quietUntil.delete(topic);
      return false;
    }
    return true;
  }

  async consume(opts: ConsumeOptions): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: opts.groupId, allowAutoTopicCreation: false });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: opts.topic, fromBeginning: false });
    this.lagWatches.push({ groupId: opts.groupId, topic: opts.topic });
    this.consumed.inc({ group: opts.groupId, topic: opts.topic }, 0);
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        this.consumed.inc({ group: opts.groupId, topic: opts.topic });
        let event: Record<string, unknown>;
        try {
          event = JSON.parse(message.value?.toString() ?? 'null') as Record<string, unknown>;
        } catch {
          process.stderr.write(
            `[${this.service}] skipped a message on ${opts.topic} that is not JSON (partition ${partition}, offset ${message.offset})\n`,
          );
          return;
        }
        const traceId = message.headers?.trace_id?.toString() ?? '';
        await opts.onEvent(event, { traceId, partition, offset: message.offset });
      },
    });
    this.lagTimer ??= setInterval(() => void this.measureLag(), 5000);
    void this.measureLag();
  }

  private async measureLag(): Promise<void> {
    for (const { groupId, topic } of this.lagWatches) {
      try {
        const [high, committed] = await Promise.all([
          this.admin.fetchTopicOffsets(topic),
          this.admin.fetchOffsets({ groupId, topics: [topic] }),
        ]);
        const byPartition = new Map(
          committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? [],
        );
        for (const p of high) {
          const done = byPartition.get(p.partition) ?? -1;
          // No commit yet means the group starts at the end of the partition: nothing is waiting.
          const lag = done < 0 ? 0 : Math.max(0, Number(p.high) - done);
          this.lag.set({ group: groupId, topic, partition: String(p.partition) }, lag);
        }
      } catch (err) {
        process.stderr.write(
          `[${this.service}] could not measure lag of ${groupId} on ${topic}: ${(err as Error).message}\n`,
        );
      }
    }
  }

  async close(): Promise<void> {
    if (this.lagTimer) clearInterval(this.lagTimer);
    await Promise.allSettled(this.consumers.map((c) => c.disconnect()));
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
    this.connected = false;
  }
}
