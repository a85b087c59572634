import kafkajs, { type Consumer } from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

/**
 * A consumer that joins `groupId`, commits the current end of every partition it is given once, then
 * pauses and never commits again while staying a member: its lag grows with the traffic, the way a
 * hung consumer's does.
 */
export class StalledConsumer {
  private consumer: Consumer | undefined;
  committedOnce = false;

  constructor(
    private readonly brokers: string[],
    readonly groupId: string,
    readonly topic: string,
  ) {}

  async start(log: (line: string) => void): Promise<void> {
    const kafka = new Kafka({
      clientId: `staging-traffic-stall`,
      brokers: this.brokers,
      logLevel: logLevel.ERROR,
    });
    const consumer = kafka.consumer({
      groupId: this.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3000,
    });
    this.consumer = consumer;
    const admin = kafka.admin();
    await admin.connect();
    const joined = new Promise<number[]>((resolve) => {
      consumer.on(consumer.events.GROUP_JOIN, (e) => resolve(e.payload.memberAssignment[this.topic] ?? []));
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: false });
    // autoCommit off: nothing but the one explicit commit below ever moves the group's offsets.
    await consumer.run({ autoCommit: false, eachMessage: async () => {} });
    const partitions = await joined;
    consumer.pause([{ topic: this.topic }]);
    const ends = await admin.fetchTopicOffsets(this.topic);
    await consumer.commitOffsets(
      ends
        .filter((p) => partitions.includes(p.partition))
        .map((p) => ({ topic: this.topic, partition: p.partition, offset: p.high })),
    );
    await admin.disconnect();
    this.committedOnce = true;
    log(
      `consumer group ${this.groupId} committed ${partitions.length} partition(s) of ${this.topic} once and is now stalled`,
    );
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => {});
  }
}
