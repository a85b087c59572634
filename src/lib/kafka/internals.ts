// kafkajs is frozen at 2.2.x and its public admin API answers one topic at a time and throws on
// partition-level errors. The inspector needs batched, per-broker requests and raw error codes, so it
// reaches one level down, to the cluster and broker objects kafkajs builds for its own clients.
// Everything that touches kafkajs internals lives in this file.
import kafkajs from 'kafkajs';
// @ts-expect-error kafkajs ships no types for its protocol internals
import apiKeysModule from 'kafkajs/src/protocol/requests/apiKeys.js';
// @ts-expect-error kafkajs ships no types for its protocol internals
import requestsModule from 'kafkajs/src/protocol/requests/index.js';
import net from 'node:net';
import tls from 'node:tls';

export const { Kafka, logLevel } = kafkajs;

// kafkajs 2.2 arms a timer with a negative delay whenever its request queue goes idle (harmless:
// Node clamps it to 1 ms), and Node 24 prints a TimeoutNegativeWarning for each. Keep every other
// warning, drop only that one, so the step log stays readable.
const defaultWarningListeners = process.listeners('warning');
if (!defaultWarningListeners.some((l) => (l as { ccFiltered?: boolean }).ccFiltered)) {
  process.removeAllListeners('warning');
  const filtered = Object.assign((warning: Error) => {
    if (warning.name === 'TimeoutNegativeWarning') return;
    for (const l of defaultWarningListeners) (l as (w: Error) => void)(warning);
  }, { ccFiltered: true });
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

export interface RawBroker {
  nodeId: number;
  connectionPool: { send(request: unknown): Promise<unknown> };
  lookupRequest(apiKey: number, definition: unknown): (args: Record<string, unknown>) => ProtocolRequest;
  listOffsets(args: { replicaId?: number; isolationLevel?: number; topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[] }): Promise<{ responses: { topic: string; partitions: { partition: number; offset: string; errorCode: number }[] }[] }>;
  offsetFetch(args: { groupId: string; topics: { topic: string; partitions: { partition: number }[] }[] }): Promise<{ responses: { topic: string; partitions: { partition: number; offset: string; errorCode: number }[] }[] }>;
  describeGroups(args: { groupIds: string[] }): Promise<{ groups: { groupId: string; state: string; protocolType: string; members: { memberId: string; clientId: string; clientHost: string }[]; errorCode: number }[] }>;
}

interface ProtocolRequest {
  request: unknown;
  response: { decode: unknown; parse: unknown };
  requestTimeout?: number;
}

export interface RawCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  findBroker(args: { nodeId: string | number }): Promise<RawBroker>;
  findGroupCoordinator(args: { groupId: string }): Promise<RawBroker>;
  brokerPool: { seedBroker: RawBroker; withBroker<T>(fn: (ctx: { broker: RawBroker }) => Promise<T>): Promise<T> };
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
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  if (!symbol) throw new Error('this kafkajs version does not expose its cluster factory; the inspector supports kafkajs 2.2.x');
  const factory = (kafka as unknown as Record<symbol, (o: Record<string, unknown>) => RawCluster>)[symbol]!;
  return factory({ metadataMaxAge: 300_000, allowAutoTopicCreation: false, maxInFlightRequests: null, instrumentationEmitter: counter, isolationLevel: 1 });
}

/**
 * Sends a request and returns the decoded response without kafkajs's `parse` step, which throws on
 * the first partition-level error; the inspector wants every error code to report it.
 */
export async function sendRaw<T>(broker: RawBroker, api: 'Metadata' | 'Fetch', args: Record<string, unknown>): Promise<T> {
  const build = broker.lookupRequest(apiKeys[api]!, requests[api]);
  const req = build(args);
  return (await broker.connectionPool.send({ ...req, response: { ...req.response, parse: async (data: unknown) => data } })) as T;
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
      ? tls.connect({ host, port, ...(net.isIP(host) ? {} : { servername: host }), ...(ssl as tls.ConnectionOptions) }, onConnect)
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
