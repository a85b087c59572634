// kafkajs is frozen at 2.2.x and its public admin API answers one topic at a time and throws on
// partition-level errors. The inspector needs batched, per-broker requests and raw error codes, so it
// reaches one level down, to the cluster and broker objects kafkajs builds for its own clients.
// Everything that touches kafkajs internals lives in this file.
import kafkajs from 'kafkajs';
// @ts-expect-error kafkajs ships no types for its protocol internals
import apiKeysModule from 'kafkajs/src/protocol/requests/apiKeys.js';
// @ts-expect-error kafkajs ships no types for its protocol internals
import requestsModule from 'kafkajs/src/protocol/requests/index.js';
// @ts-expect-error kafkajs ships no types for its protocol internals
import DecoderModule from 'kafkajs/src/protocol/decoder.js';
// @ts-expect-error kafkajs ships no types for its protocol internals
import recordBatchDecoderModule from 'kafkajs/src/protocol/recordBatch/v0/decoder.js';
// @ts-expect-error kafkajs ships no types for its protocol internals
import messageSetDecoderModule from 'kafkajs/src/protocol/messageSet/decoder.js';
import net from 'node:net';
import tls from 'node:tls';

export const { Kafka, logLevel, AssignerProtocol } = kafkajs;

// kafkajs 2.2 arms a timer with a negative delay whenever its request queue goes idle (harmless:
// Node clamps it to 1 ms), and Node 24 prints a TimeoutNegativeWarning for each. Keep every other
// warning, drop only that one, so the step log stays readable.
const defaultWarningListeners = process.listeners('warning');
if (!defaultWarningListeners.some((l) => (l as { ccFiltered?: boolean }).ccFiltered)) {
  process.removeAllListeners('warning');
  const filtered = Object.assign(
    (warning: Error) => {
      if (warning.name === 'TimeoutNegativeWarning') return;
      for (const l of defaultWarningListeners) (l as (w: Error) => void)(warning);
    },
    { ccFiltered: true },
  );
  process.on('warning', filtered);
}
export type KafkaConfig = kafkajs.KafkaConfig;

export const apiKeys = apiKeysModule as Record<string, number>;
const requests = (requestsModule as { requests: Record<string, unknown> }).requests;

export interface RawRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[] | undefined>;
  isControlRecord: boolean;
  batchContext: { timestampType: number; firstOffset: string };
}

/** One record batch as the log holds it: its offsets and producer survive even when compaction emptied it. */
export interface RawBatch {
  firstOffset: bigint;
  lastOffset: bigint;
  producerId: bigint;
  transactional: boolean;
  control: boolean;
  /** 0 CreateTime, 1 LogAppendTime */
  timestampType: number;
  records: RawRecord[];
}

export interface RawFetchPartition {
  partition: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  abortedTransactions: { producerId: bigint; firstOffset: bigint }[];
  batches: RawBatch[];
  /** Size of the record data in the response, complete batches or not. */
  recordBytes: number;
}

export interface RawFetchResponse {
  responses: { topicName: string; partitions: RawFetchPartition[] }[];
}

export interface RawBroker {
  nodeId: number;
  connectionPool: { send(request: unknown): Promise<unknown> };
  lookupRequest(apiKey: number, definition: unknown): (args: Record<string, unknown>) => ProtocolRequest;
  listOffsets(args: {
    replicaId?: number;
    isolationLevel?: number;
    topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[];
  }): Promise<{
    responses: { topic: string; partitions: { partition: number; offset: string; errorCode: number }[] }[];
  }>;
  offsetFetch(args: {
    groupId: string;
    topics: { topic: string; partitions: { partition: number }[] }[];
  }): Promise<{
    responses: { topic: string; partitions: { partition: number; offset: string; errorCode: number }[] }[];
  }>;
  describeGroups(args: { groupIds: string[] }): Promise<{
    groups: {
      groupId: string;
      state: string;
      protocolType: string;
      members: { memberId: string; clientId: string; clientHost: string; memberAssignment: Buffer | null }[];
      errorCode: number;
    }[];
  }>;
}

interface ProtocolRequest {
  request: { apiVersion: number };
  response: { decode: unknown; parse: unknown };
  requestTimeout?: number;
}

export interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findBroker(args: { nodeId: string | number }): Promise<RawBroker>;
  findGroupCoordinator(args: { groupId: string }): Promise<RawBroker>;
  brokerPool: {
    seedBroker: RawBroker;
    withBroker<T>(fn: (ctx: { broker: RawBroker }) => Promise<T>): Promise<T>;
  };
}

/** An instrumentation emitter that counts protocol requests by API name. */
export class RequestCounter {
  readonly byApi = new Map<string, number>();
  total = 0;
  emit(eventName: string, payload: { apiName?: string }): void {
    if (eventName !== 'network.request') return;
    this.total++;
    const api = payload?.apiName ?? 'unknown';
    this.byApi.set(api, (this.byApi.get(api) ?? 0) + 1);
  }
  addListener(): () => void {
    return () => {};
  }
}

/** Builds the cluster object kafkajs would build for an admin client. */
export function createCluster(kafka: kafkajs.Kafka, counter: RequestCounter): RawCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  );
  if (!symbol)
    throw new Error(
      'this kafkajs version does not expose its cluster factory; the inspector supports kafkajs 2.2.x',
    );
  const factory = (kafka as unknown as Record<symbol, (o: Record<string, unknown>) => RawCluster>)[symbol]!;
  return factory({
    metadataMaxAge: 300_000,
    allowAutoTopicCreation: false,
    maxInFlightRequests: null,
    instrumentationEmitter: counter,
    isolationLevel: 1,
  });
}

/**
 * Sends a request and returns the decoded response without kafkajs's `parse` step, which throws on
 * the first partition-level error; the inspector wants every error code to report it.
 */
export async function sendRaw<T>(
  broker: RawBroker,
  api: 'Metadata' | 'Fetch',
  args: Record<string, unknown>,
): Promise<T> {
  const build = broker.lookupRequest(apiKeys[api]!, requests[api]);
  const req = build(args);
  return (await broker.connectionPool.send({
    ...req,
    response: { ...req.response, parse: async (data: unknown) => data },
  })) as T;
}

interface Decoder {
  offset: number;
  buffer: Buffer;
  readInt8(): number;
  readInt16(): number;
  readInt32(): number;
  readInt64(): { toString(): string };
  readString(): string;
  readBytes(size?: number): Buffer;
  canReadBytes(n: number): boolean;
  readArray<T>(reader: (d: Decoder) => T): T[];
  readArrayAsync<T>(reader: (d: Decoder) => Promise<T>): Promise<T[]>;
}
const DecoderClass = DecoderModule as new (buffer: Buffer) => Decoder;
const decodeRecordBatch = recordBatchDecoderModule as (d: Decoder) => Promise<{
  firstOffset: string;
  lastOffsetDelta: number;
  producerId: string;
  inTransaction: boolean;
  isControlBatch: boolean;
  timestampType: number;
  records: RawRecord[];
}>;
const decodeMessageSet = messageSetDecoderModule as (d: Decoder, size: number) => Promise<RawRecord[]>;

const RECORD_BATCH_MAGIC = 2;
// Where the magic byte sits in a record batch and in a legacy message set alike.
const MAGIC_OFFSET = 16;
const RECORD_BATCH_OVERHEAD = 49;

/**
 * Decodes a Fetch response (v4 to v11) keeping whole record batches, which kafkajs's own decoder
 * flattens into records: reading committed data needs each batch's producer, transaction flags and
 * last offset, also for batches compaction has emptied.
 */
function fetchResponseDecoder(version: number): (data: Buffer) => Promise<RawFetchResponse> {
  const int64 = (d: Decoder) => BigInt(d.readInt64().toString());
  const decodePartition = async (d: Decoder): Promise<RawFetchPartition> => {
    const partition = d.readInt32();
    const errorCode = d.readInt16();
    const highWatermark = int64(d);
    const lastStableOffset = int64(d);
    if (version >= 5) d.readInt64(); // log start offset
    const aborted = d.readArray((a) => ({ producerId: int64(a), firstOffset: int64(a) }));
    if (version >= 11) d.readInt32(); // preferred read replica
    const size = d.readInt32();
    if (size <= 0 || !d.canReadBytes(size)) {
      return {
        partition,
        errorCode,
        highWatermark,
        lastStableOffset,
        abortedTransactions: aborted ?? [],
        batches: [],
        recordBytes: 0,
      };
    }
    const data = d.readBytes(size);
    return {
      partition,
      errorCode,
      highWatermark,
      lastStableOffset,
      abortedTransactions: aborted ?? [],
      batches: await decodeBatches(data),
      recordBytes: size,
    };
  };
  return async (data) => {
    const d = new DecoderClass(data);
    d.readInt32(); // throttle time
    if (version >= 7) {
      d.readInt16();
      d.readInt32();
    }
    const responses = await d.readArrayAsync(async (t) => ({
      topicName: t.readString(),
      partitions: await t.readArrayAsync(decodePartition),
    }));
    return { responses };
  };
}

/** Exported for the test that pins the kafkajs internals this relies on (tests/unit/dependency-internals.test.ts). */
export async function decodeBatches(data: Buffer): Promise<RawBatch[]> {
  const d = new DecoderClass(data);
  if (data.length <= MAGIC_OFFSET || data.readInt8(MAGIC_OFFSET) !== RECORD_BATCH_MAGIC) {
    // A legacy message set (magic 0/1) has no transactions: each message is its own batch.
    const messages = await decodeMessageSet(d, data.length);
    return messages.map((m) => ({
      firstOffset: BigInt(m.offset),
      lastOffset: BigInt(m.offset),
      producerId: -1n,
      transactional: false,
      control: false,
      timestampType: m.batchContext?.timestampType ?? 0,
      records: [m],
    }));
  }
  const batches: RawBatch[] = [];
  while (d.canReadBytes(RECORD_BATCH_OVERHEAD)) {
    try {
      const b = await decodeRecordBatch(d);
      const firstOffset = BigInt(b.firstOffset);
      batches.push({
        firstOffset,
        lastOffset: firstOffset + BigInt(b.lastOffsetDelta),
        producerId: BigInt(b.producerId),
        transactional: b.inTransaction,
        control: b.isControlBatch,
        timestampType: b.timestampType,
        records: b.records,
      });
    } catch (err) {
      // The response size limit cuts the last batch short; the next Fetch starts there.
      if ((err as Error).name === 'KafkaJSPartialMessageError') break;
      throw err;
    }
  }
  return batches;
}

/** A Fetch whose answer keeps record batches and the aborted-transactions list (see fetchResponseDecoder). */
export async function sendFetch(broker: RawBroker, args: Record<string, unknown>): Promise<RawFetchResponse> {
  const build = broker.lookupRequest(apiKeys.Fetch!, requests.Fetch);
  const req = build(args);
  const decode = fetchResponseDecoder(req.request.apiVersion);
  return (await broker.connectionPool.send({
    ...req,
    response: { decode, parse: async (data: unknown) => data },
  })) as RawFetchResponse;
}

/** Partitions by topic from a consumer-protocol member assignment; empty when it is not one. */
export function decodeMemberAssignment(buffer: Buffer | null | undefined): Record<string, number[]> {
  if (!buffer || buffer.length === 0) return {};
  try {
    return AssignerProtocol.MemberAssignment.decode(buffer)?.assignment ?? {};
  } catch {
    return {};
  }
}

/**
 * The sockets a client opened, so that closing it at a deadline really closes them: kafkajs's own
 * disconnect first waits for requests in flight, which a broker that never answers never ends, and
 * its retries open new sockets after a close. Once closed, no new socket is opened.
 */
export class SocketRegistry {
  private readonly open = new Set<net.Socket>();
  private closed = false;

  readonly factory: NonNullable<KafkaConfig['socketFactory']> = ({ host, port, ssl, onConnect }) => {
    if (this.closed) throw new Error('the client was closed');
    const socket = ssl
      ? tls.connect(
          { host, port, ...(net.isIP(host) ? {} : { servername: host }), ...(ssl as tls.ConnectionOptions) },
          onConnect,
        )
      : net.connect({ host, port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    this.open.add(socket);
    socket.once('close', () => this.open.delete(socket));
    return socket;
  };

  /** Destroys every socket with an error, which fails the requests waiting on it at once. */
  destroyAll(reason: string): void {
    this.closed = true;
    for (const socket of this.open) socket.destroy(new Error(reason));
    this.open.clear();
  }
}
