import { createCluster, Kafka, logLevel, RequestCounter, sendRaw, SocketRegistry, type KafkaConfig, type RawBroker, type RawCluster, type RawRecord } from './internals.js';
import { describeKafkaError } from './errors.js';

export interface KafkaConnection {
  brokers: string[];
  clientId?: string;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** true for TLS with the system CAs, or the PEM CA(s) to trust. */
  ssl?: boolean | { ca: string[] };
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export interface PartitionMetadata {
  partition: number;
  errorCode: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface TopicMetadata {
  name: string;
  exists: boolean;
  errorCode: number;
  partitions: PartitionMetadata[];
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface KafkaRecord {
  topic: string;
  partition: number;
  offset: bigint;
  timestamp: number;
  timestampType: 'CreateTime' | 'LogAppendTime';
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export interface GroupDescription {
  groupId: string;
  state: string;
  members: number;
  protocolType: string;
  errorCode: number;
}

export const tpKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

const TIMESTAMP_LATEST = -1;
const TIMESTAMP_EARLIEST = -2;

/**
 * A read-only view of a Kafka cluster that answers in as few requests as the protocol allows:
 * one Metadata request, one ListOffsets per partition leader, one Fetch per leader (plus follow-ups
 * only for partitions a size-capped response left out), one OffsetFetch per group.
 * It never joins a consumer group and never commits anything.
 */
export class KafkaInspector {
  private readonly counter = new RequestCounter();
  private readonly cluster: RawCluster;
  private readonly leaders = new Map<string, number>();
  private readonly sockets = new SocketRegistry();
  private closed?: Promise<void>;

  constructor(private readonly conn: KafkaConnection) {
    const config: KafkaConfig = {
      clientId: conn.clientId ?? 'command-center-kafka-topic-check',
      brokers: conn.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: conn.connectionTimeoutMs ?? 5_000,
      requestTimeout: conn.requestTimeoutMs ?? 15_000,
      enforceRequestTimeout: true,
      // The caller owns the deadline; kafkajs's own retries would multiply it.
      retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1_000 },
      socketFactory: this.sockets.factory,
    };
    if (conn.sasl) config.sasl = { mechanism: conn.sasl.mechanism, username: conn.sasl.username, password: conn.sasl.password } as KafkaConfig['sasl'];
    if (conn.ssl) config.ssl = conn.ssl === true ? true : { ca: conn.ssl.ca, rejectUnauthorized: true };
    this.cluster = createCluster(new Kafka(config), this.counter);
  }

  /** Protocol requests sent so far, total and by API. */
  get requests(): { total: number; byApi: Record<string, number> } {
    return { total: this.counter.total, byApi: Object.fromEntries(this.counter.byApi) };
  }

  async connect(): Promise<void> {
    try {
      await this.cluster.connect();
      // Learn the brokers (no topics): later requests go straight to each partition's leader.
      await this.cluster.refreshMetadata();
    } catch (err) {
      throw describeKafkaError(err, this.conn);
    }
  }

  /**
   * Closes every socket at once, also while connecting or authenticating and with requests in flight
   * (which then fail); later requests fail without opening a socket. Safe to call more than once.
   */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.sockets.destroyAll('the Kafka client was closed');
      // With its sockets gone kafkajs has nothing left to wait for; still, never let it hold the close.
      const settled = this.cluster.disconnect().catch(() => {});
      await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
    })();
    return this.closed;
  }

  /** Metadata for the named topics (all in one request); missing topics come back with exists=false. */
  async describeTopics(names: string[]): Promise<TopicMetadata[]> {
    const broker = this.cluster.brokerPool.seedBroker;
    const raw = await this.wrap(() => sendRaw<{ topicMetadata: { topicErrorCode: number; topic: string; partitionMetadata: { partitionErrorCode: number; partitionId: number; leader: number; replicas: number[]; isr: number[]; offlineReplicas?: number[] }[] }[] }>(broker, 'Metadata', { topics: names, allowAutoTopicCreation: false }));
    const byName = new Map(raw.topicMetadata.map((t) => [t.topic, t]));
    return names.map((name) => {
      const t = byName.get(name);
      // 3 = UNKNOWN_TOPIC_OR_PARTITION
      if (!t || t.topicErrorCode === 3) return { name, exists: false, errorCode: t?.topicErrorCode ?? 3, partitions: [] };
      const partitions = t.partitionMetadata
        .map((p) => ({ partition: p.partitionId, errorCode: p.partitionErrorCode, leader: p.leader, replicas: p.replicas, isr: p.isr, offlineReplicas: p.offlineReplicas ?? [] }))
        .sort((a, b) => a.partition - b.partition);
      for (const p of partitions) this.leaders.set(tpKey(name, p.partition), p.leader);
      return { name, exists: true, errorCode: t.topicErrorCode, partitions };
    });
  }

  async endOffsets(tps: TopicPartition[]): Promise<Map<string, bigint>> {
    return this.listOffsets(tps, TIMESTAMP_LATEST);
  }

  async startOffsets(tps: TopicPartition[]): Promise<Map<string, bigint>> {
    return this.listOffsets(tps, TIMESTAMP_EARLIEST);
  }

  private async listOffsets(tps: TopicPartition[], timestamp: number): Promise<Map<string, bigint>> {
    const out = new Map<string, bigint>();
    await Promise.all(
      [...this.byLeader(tps)].map(async ([nodeId, parts]) => {
        const broker = await this.broker(nodeId);
        const res = await this.wrap(() => broker.listOffsets({ isolationLevel: 1, topics: groupByTopic(parts).map(([topic, ps]) => ({ topic, partitions: ps.map((partition) => ({ partition, timestamp })) })) }));
        for (const t of res.responses) for (const p of t.partitions) out.set(tpKey(t.topic, p.partition), BigInt(p.offset));
      }),
    );
    return out;
  }

  /**
   * Reads records starting at each requested offset (at most `maxRecords` per partition), one Fetch
   * per leader. Control records (transaction markers) are skipped. Ask only below a partition's end
   * offset: an empty answer is then taken as "cut off by the response size cap" and asked again.
   */
  async fetchFrom(requests: (TopicPartition & { offset: bigint; maxRecords: number })[], maxBytesPerPartition = 1_048_576): Promise<Map<string, KafkaRecord[]>> {
    const out = new Map<string, KafkaRecord[]>();
    let pending = requests.filter((r) => r.maxRecords > 0);
    // A size-capped response may leave partitions out (KIP-74); ask again for those, a bounded number of times.
    for (let round = 0; round < 5 && pending.length > 0; round++) {
      const answered = new Set<string>();
      await Promise.all(
        [...this.byLeader(pending)].map(async ([nodeId, parts]) => {
          const broker = await this.broker(nodeId);
          const wanted = new Map(parts.map((p) => [tpKey(p.topic, p.partition), p]));
          const res = await this.wrap(() => sendRaw<{ responses: { topicName: string; partitions: { partition: number; errorCode: number; messages: RawRecord[] }[] }[] }>(broker, 'Fetch', {
            replicaId: -1,
            isolationLevel: 1,
            maxWaitTime: 0,
            minBytes: 0,
            maxBytes: 64 * 1_048_576,
            topics: groupByTopic(parts).map(([topic, ps]) => ({ topic, partitions: ps.map((partition) => ({ partition, fetchOffset: wanted.get(tpKey(topic, partition))!.offset.toString(), maxBytes: maxBytesPerPartition })) })),
            rackId: '',
          }));
          for (const t of res.responses) {
            for (const p of t.partitions) {
              const key = tpKey(t.topicName, p.partition);
              const req = wanted.get(key);
              if (!req) continue;
              if (p.errorCode !== 0 || p.messages.length > 0) answered.add(key);
              const records = p.messages
                .filter((m) => !m.isControlRecord && BigInt(m.offset) >= req.offset)
                .slice(0, req.maxRecords)
                .map((m) => toRecord(t.topicName, p.partition, m));
              if (records.length > 0 || !out.has(key)) out.set(key, records);
            }
          }
        }),
      );
      // Callers only ask below the end offset, so an empty answer means the size cap cut the partition off.
      pending = pending.filter((r) => !answered.has(tpKey(r.topic, r.partition)));
    }
    return out;
  }

  /** Committed offsets of a group; a partition with no committed offset maps to undefined. */
  async groupOffsets(groupId: string, tps: TopicPartition[]): Promise<Map<string, bigint | undefined>> {
    const coordinator = await this.wrap(() => this.cluster.findGroupCoordinator({ groupId }));
    const res = await this.wrap(() => coordinator.offsetFetch({ groupId, topics: groupByTopic(tps).map(([topic, ps]) => ({ topic, partitions: ps.map((partition) => ({ partition })) })) }));
    const out = new Map<string, bigint | undefined>();
    for (const t of res.responses) for (const p of t.partitions) out.set(tpKey(t.topic, p.partition), BigInt(p.offset) < 0n ? undefined : BigInt(p.offset));
    return out;
  }

  async describeGroups(groupIds: string[]): Promise<GroupDescription[]> {
    const out: GroupDescription[] = [];
    for (const groupId of groupIds) {
      const coordinator = await this.wrap(() => this.cluster.findGroupCoordinator({ groupId }));
      const res = await this.wrap(() => coordinator.describeGroups({ groupIds: [groupId] }));
      for (const g of res.groups) out.push({ groupId: g.groupId, state: g.state, members: g.members.length, protocolType: g.protocolType, errorCode: g.errorCode });
    }
    return out;
  }

  private byLeader<T extends TopicPartition>(tps: T[]): Map<number, T[]> {
    const out = new Map<number, T[]>();
    for (const tp of tps) {
      const leader = this.leaders.get(tpKey(tp.topic, tp.partition));
      if (leader === undefined || leader < 0) continue;
      let list = out.get(leader);
      if (!list) out.set(leader, (list = []));
      list.push(tp);
    }
    return out;
  }

  private async broker(nodeId: number): Promise<RawBroker> {
    return this.wrap(() => this.cluster.findBroker({ nodeId: String(nodeId) }));
  }

  private async wrap<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw describeKafkaError(err, this.conn);
    }
  }
}

function groupByTopic(tps: TopicPartition[]): [string, number[]][] {
  const m = new Map<string, number[]>();
  for (const { topic, partition } of tps) {
    let list = m.get(topic);
    if (!list) m.set(topic, (list = []));
    list.push(partition);
  }
  return [...m];
}

function toRecord(topic: string, partition: number, m: RawRecord): KafkaRecord {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    if (v === undefined) continue;
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    if (last) headers[k] = last.toString('utf8');
  }
  return {
    topic,
    partition,
    offset: BigInt(m.offset),
    timestamp: Number(m.timestamp),
    timestampType: m.batchContext?.timestampType === 1 ? 'LogAppendTime' : 'CreateTime',
    key: m.key ? m.key.toString('utf8') : null,
    value: m.value,
    headers,
  };
}
