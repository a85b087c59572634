import { classifyBatches } from './committed.js';
import {
  createCluster,
  decodeMemberAssignment,
  Kafka,
  logLevel,
  RequestCounter,
  sendFetch,
  sendRaw,
  SocketRegistry,
  type KafkaConfig,
  type RawBatch,
  type RawBroker,
  type RawCluster,
  type RawFetchPartition,
  type RawRecord,
} from './internals.js';
import type { KafkaConnection } from './connection.js';
import { describeKafkaError } from './errors.js';

export type { KafkaConnection } from './connection.js';

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

/** One broker as the cluster's metadata lists it (the brokers the controller knows to be alive). */
export interface BrokerMetadata {
  nodeId: number;
  host: string;
  port: number;
  rack?: string;
}

/** The whole cluster in one Metadata answer: brokers, controller and every topic's partitions. */
export interface ClusterMetadata {
  clusterId?: string;
  /** -1 when the cluster names no controller. */
  controllerId: number;
  brokers: BrokerMetadata[];
  topics: (TopicMetadata & { internal: boolean })[];
  /** How long the Metadata request took, on a connection already open (ms). */
  roundTripMs: number;
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
  timestampType: TimestampType;
  producerId: number;
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
  /** Partitions assigned to the group's members (consumer protocol). */
  assigned: TopicPartition[];
}

export type TimestampType = 'CreateTime' | 'LogAppendTime';

/** Where a committed record is and when it says it was written: enough to count and date a partition. */
export interface RecordStamp {
  offset: bigint;
  timestamp: number;
  timestampType: TimestampType;
  /** The idempotent or transactional producer that wrote it; -1 for a producer without an id. */
  producerId: number;
}

export interface ReadRange extends TopicPartition {
  from: bigint;
  to: bigint;
}

export interface ReadOptions {
  /** How many of the newest committed records of each range to return whole (values, headers). */
  keepLast?: number;
  maxRounds?: number;
  /** Bytes of record data to read in all, over all rounds. */
  maxBytes?: number;
  /** Bytes per partition asked in the first round; doubled for a partition whose answer held no whole batch. */
  partitionMaxBytes?: number;
}

export interface CommittedRead extends ReadRange {
  /** Every offset in [from, reached) was read. */
  reached: bigint;
  complete: boolean;
  /** The committed records read, in offset order. */
  stamps: RecordStamp[];
  /** The newest `keepLast` committed records, whole. */
  last: KafkaRecord[];
  abortedRecords: number;
  controlRecords: number;
  bytes: number;
  /** A partition-level error that ended the read (e.g. 1: offset out of range). */
  errorCode: number;
}

interface ReadState {
  read: CommittedRead;
  maxBytes: number;
  failed: boolean;
}

const MIB = 1_048_576;
const FETCH_MAX_BYTES = 32 * MIB;
const READ_COMMITTED = 1;

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
  /** Each group's coordinator, found once: a check samples a group's offsets several times. */
  private readonly coordinators = new Map<string, RawBroker>();
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
    if (conn.sasl)
      config.sasl = {
        mechanism: conn.sasl.mechanism,
        username: conn.sasl.username,
        password: conn.sasl.password,
      } as KafkaConfig['sasl'];
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
    const raw = await this.wrap(() =>
      sendRaw<{
        topicMetadata: {
          topicErrorCode: number;
          topic: string;
          partitionMetadata: {
            partitionErrorCode: number;
            partitionId: number;
            leader: number;
            replicas: number[];
            isr: number[];
            offlineReplicas?: number[];
          }[];
        }[];
      }>(broker, 'Metadata', { topics: names, allowAutoTopicCreation: false }),
    );
    const byName = new Map(raw.topicMetadata.map((t) => [t.topic, t]));
    return names.map((name) => {
      const t = byName.get(name);
      // 3 = UNKNOWN_TOPIC_OR_PARTITION
      if (!t || t.topicErrorCode === 3)
        return { name, exists: false, errorCode: t?.topicErrorCode ?? 3, partitions: [] };
      const partitions = t.partitionMetadata
        .map((p) => ({
          partition: p.partitionId,
          errorCode: p.partitionErrorCode,
          leader: p.leader,
          replicas: p.replicas,
          isr: p.isr,
          offlineReplicas: p.offlineReplicas ?? [],
        }))
        .sort((a, b) => a.partition - b.partition);
      for (const p of partitions) this.leaders.set(tpKey(name, p.partition), p.leader);
      return { name, exists: true, errorCode: t.topicErrorCode, partitions };
    });
  }

  /**
   * Brokers, controller and every topic's partitions in one Metadata request (all topics), timed on
   * the connection connect() opened, so the time is the cluster's answer, not the TCP handshake.
   */
  async describeCluster(): Promise<ClusterMetadata> {
    const broker = this.cluster.brokerPool.seedBroker;
    const started = performance.now();
    // An empty list: kafkajs encodes it as null, which asks for every topic.
    const raw = await this.wrap(() =>
      sendRaw<{
        clusterId?: string | null;
        controllerId?: number;
        brokers: { nodeId: number; host: string; port: number; rack?: string | null }[];
        topicMetadata: {
          topicErrorCode: number;
          topic: string;
          isInternal?: boolean;
          partitionMetadata: {
            partitionErrorCode: number;
            partitionId: number;
            leader: number;
            replicas: number[];
            isr: number[];
            offlineReplicas?: number[];
          }[];
        }[];
      }>(broker, 'Metadata', { topics: [], allowAutoTopicCreation: false }),
    );
    const roundTripMs = performance.now() - started;
    return {
      ...(raw.clusterId ? { clusterId: raw.clusterId } : {}),
      controllerId: raw.controllerId ?? -1,
      brokers: raw.brokers
        .map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, ...(b.rack ? { rack: b.rack } : {}) }))
        .sort((a, b) => a.nodeId - b.nodeId),
      topics: raw.topicMetadata
        .map((t) => ({
          name: t.topic,
          exists: t.topicErrorCode !== 3,
          errorCode: t.topicErrorCode,
          internal: t.isInternal ?? t.topic.startsWith('__'),
          partitions: t.partitionMetadata
            .map((p) => ({
              partition: p.partitionId,
              errorCode: p.partitionErrorCode,
              leader: p.leader,
              replicas: p.replicas,
              isr: p.isr,
              offlineReplicas: p.offlineReplicas ?? [],
            }))
            .sort((a, b) => a.partition - b.partition),
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      roundTripMs,
    };
  }

  /**
   * Whether each broker answers on its own advertised address: a connection (and the API versions
   * handshake kafkajs makes on it) to every broker, in parallel. A broker the controller lists but a
   * client cannot reach is as good as down for the applications.
   */
  async brokersAnswering(nodeIds: number[]): Promise<Map<number, { ok: boolean; error?: string }>> {
    const out = new Map<number, { ok: boolean; error?: string }>();
    await Promise.all(
      nodeIds.map(async (nodeId) => {
        try {
          await this.broker(nodeId);
          out.set(nodeId, { ok: true });
        } catch (err) {
          out.set(nodeId, { ok: false, error: (err as Error).message });
        }
      }),
    );
    return out;
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
        const res = await this.wrap(() =>
          broker.listOffsets({
            isolationLevel: READ_COMMITTED,
            topics: groupByTopic(parts).map(([topic, ps]) => ({
              topic,
              partitions: ps.map((partition) => ({ partition, timestamp })),
            })),
          }),
        );
        for (const t of res.responses)
          for (const p of t.partitions) out.set(tpKey(t.topic, p.partition), BigInt(p.offset));
      }),
    );
    return out;
  }

  /**
   * Reads what a read_committed consumer would get from each range [from, to): committed records only
   * (aborted records and transaction markers are counted, not returned), following the log across
   * segment boundaries and size-capped answers. Each round is one Fetch per partition leader; a range
   * that does not reach `to` within `maxRounds` rounds or the byte budget comes back incomplete.
   * Ask only below a partition's last stable offset.
   */
  async readCommitted(ranges: ReadRange[], opts: ReadOptions = {}): Promise<Map<string, CommittedRead>> {
    const keepLast = opts.keepLast ?? 0;
    const maxRounds = opts.maxRounds ?? 8;
    let budget = opts.maxBytes ?? 256 * MIB;
    const states = new Map<string, ReadState>();
    for (const r of ranges) {
      const read: CommittedRead = {
        topic: r.topic,
        partition: r.partition,
        from: r.from,
        to: r.to,
        reached: r.from,
        complete: r.to <= r.from,
        stamps: [],
        last: [],
        abortedRecords: 0,
        controlRecords: 0,
        bytes: 0,
        errorCode: 0,
      };
      states.set(tpKey(r.topic, r.partition), {
        read,
        maxBytes: opts.partitionMaxBytes ?? MIB,
        failed: false,
      });
    }
    for (let round = 0; round < maxRounds && budget > 0; round++) {
      const pending = [...states.values()]
        .filter((s) => !s.read.complete && !s.failed)
        .map((s) => ({ topic: s.read.topic, partition: s.read.partition, state: s }));
      if (pending.length === 0) break;
      await Promise.all(
        [...this.byLeader(pending)].map(async ([nodeId, parts]) => {
          const broker = await this.broker(nodeId);
          const res = await this.wrap(() =>
            sendFetch(broker, {
              replicaId: -1,
              isolationLevel: READ_COMMITTED,
              maxWaitTime: 0,
              minBytes: 0,
              maxBytes: FETCH_MAX_BYTES,
              topics: groupByTopic(parts).map(([topic, ps]) => ({
                topic,
                partitions: ps.map((partition) => {
                  const st = states.get(tpKey(topic, partition))!;
                  return { partition, fetchOffset: st.read.reached.toString(), maxBytes: st.maxBytes };
                }),
              })),
              rackId: '',
            }),
          );
          for (const t of res.responses) {
            for (const p of t.partitions) {
              const st = states.get(tpKey(t.topicName, p.partition));
              if (!st || st.read.complete) continue;
              budget -= p.recordBytes;
              absorb(st, p, keepLast);
            }
          }
        }),
      );
    }
    return new Map([...states].map(([k, s]) => [k, s.read]));
  }

  /**
   * Up to `maxRecords` offsets from each requested offset, committed records only (see readCommitted).
   * Ask only below a partition's end offset.
   */
  async fetchFrom(
    requests: (TopicPartition & { offset: bigint; maxRecords: number })[],
  ): Promise<Map<string, KafkaRecord[]>> {
    const wanted = requests.filter((r) => r.maxRecords > 0);
    const reads = await this.readCommitted(
      wanted.map((r) => ({
        topic: r.topic,
        partition: r.partition,
        from: r.offset,
        to: r.offset + BigInt(r.maxRecords),
      })),
      { keepLast: Math.max(0, ...wanted.map((r) => r.maxRecords)) },
    );
    return new Map([...reads].map(([k, r]) => [k, r.last]));
  }

  /** For each partition, the first offset whose record is stamped at or after `timestamp` (the end offset when none is). */
  async offsetsForTimes(tps: TopicPartition[], timestamp: number): Promise<Map<string, bigint>> {
    return this.listOffsets(tps, timestamp);
  }

  /** Committed offsets of a group; a partition with no committed offset maps to undefined. */
  async groupOffsets(groupId: string, tps: TopicPartition[]): Promise<Map<string, bigint | undefined>> {
    const res = await this.atCoordinator(groupId, (coordinator) =>
      coordinator.offsetFetch({
        groupId,
        topics: groupByTopic(tps).map(([topic, ps]) => ({
          topic,
          partitions: ps.map((partition) => ({ partition })),
        })),
      }),
    );
    const out = new Map<string, bigint | undefined>();
    for (const t of res.responses)
      for (const p of t.partitions)
        out.set(tpKey(t.topic, p.partition), BigInt(p.offset) < 0n ? undefined : BigInt(p.offset));
    return out;
  }

  async describeGroups(groupIds: string[]): Promise<GroupDescription[]> {
    const out: GroupDescription[] = [];
    for (const groupId of groupIds) {
      const res = await this.atCoordinator(groupId, (coordinator) =>
        coordinator.describeGroups({ groupIds: [groupId] }),
      );
      for (const g of res.groups) {
        // Only the classic consumer protocol's assignment is known to us; other group types stay unassigned.
        const assigned =
          g.protocolType === 'consumer'
            ? g.members.flatMap((m) =>
                Object.entries(decodeMemberAssignment(m.memberAssignment)).flatMap(([topic, ps]) =>
                  ps.map((partition) => ({ topic, partition })),
                ),
              )
            : [];
        out.push({
          groupId: g.groupId,
          state: g.state,
          members: g.members.length,
          protocolType: g.protocolType,
          errorCode: g.errorCode,
          assigned,
        });
      }
    }
    return out;
  }

  /**
   * Sends a request to the group's coordinator, found once per group (FindCoordinator) and reused;
   * when the coordinator moved meanwhile, it is found again and the request sent once more.
   */
  private async atCoordinator<T>(groupId: string, send: (coordinator: RawBroker) => Promise<T>): Promise<T> {
    const find = async () => {
      const found = await this.wrap(() => this.cluster.findGroupCoordinator({ groupId }));
      this.coordinators.set(groupId, found);
      return found;
    };
    const known = this.coordinators.get(groupId);
    if (!known) {
      const found = await find();
      return this.wrap(() => send(found));
    }
    try {
      return await send(known);
    } catch (err) {
      if (!coordinatorMoved(err)) throw describeKafkaError(err, this.conn);
    }
    const again = await find();
    return this.wrap(() => send(again));
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

/** NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE, as kafkajs names them: the group moved to another broker. */
function coordinatorMoved(err: unknown): boolean {
  const type = (err as { type?: string } | undefined)?.type;
  return type === 'NOT_COORDINATOR_FOR_GROUP' || type === 'GROUP_COORDINATOR_NOT_AVAILABLE';
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

/** Adds one Fetch answer for a partition to its read: committed records in range, the rest counted. */
function absorb(st: ReadState, p: RawFetchPartition, keepLast: number): void {
  const read = st.read;
  read.bytes += p.recordBytes;
  if (p.errorCode !== 0) {
    read.errorCode = p.errorCode;
    st.failed = true;
    return;
  }
  // No whole batch: the size cap cut it (KIP-74) or left the partition out; ask again, for more.
  if (p.batches.length === 0) {
    st.maxBytes = Math.min(st.maxBytes * 2, FETCH_MAX_BYTES);
    return;
  }
  const fresh: { record: RawRecord; batch: RawBatch }[] = [];
  for (const { batch, fate } of classifyBatches(p.batches, p.abortedTransactions)) {
    if (batch.lastOffset < read.reached) continue;
    for (const record of batch.records) {
      const offset = BigInt(record.offset);
      if (offset < read.reached || offset >= read.to) continue;
      if (fate === 'control') read.controlRecords++;
      else if (fate === 'aborted') read.abortedRecords++;
      else {
        read.stamps.push({
          offset,
          timestamp: Number(record.timestamp),
          timestampType: batch.timestampType === 1 ? 'LogAppendTime' : 'CreateTime',
          producerId: Number(batch.producerId),
        });
        fresh.push({ record, batch });
      }
    }
    if (batch.lastOffset + 1n > read.reached) read.reached = batch.lastOffset + 1n;
  }
  if (read.reached >= read.to) read.complete = true;
  if (keepLast > 0 && fresh.length > 0) {
    // Copy only the records kept: the others would hold the whole answer's buffer in memory.
    const kept = fresh
      .slice(-keepLast)
      .map(({ record, batch }) => toRecord(read.topic, read.partition, record, batch));
    read.last = [...read.last, ...kept].slice(-keepLast);
  }
}

function toRecord(topic: string, partition: number, m: RawRecord, batch: RawBatch): KafkaRecord {
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
    timestampType: batch.timestampType === 1 ? 'LogAppendTime' : 'CreateTime',
    producerId: Number(batch.producerId),
    key: m.key ? m.key.toString('utf8') : null,
    value: m.value ? Buffer.from(m.value) : null,
    headers,
  };
}
