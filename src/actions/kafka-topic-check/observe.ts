import { KafkaInspector, tpKey, type KafkaConnection, type KafkaRecord, type TopicPartition } from '../../lib/kafka/inspector.js';
import { ConfigurationError } from '../../lib/errors.js';
import { KafkaUnavailableError } from '../../lib/kafka/errors.js';
import type { GroupObservation, Observation, PartitionObservation, TopicObservation } from './model.js';

export interface ObserveOptions {
  connection: KafkaConnection;
  topics: string[];
  groups: { name: string; topics?: string[] }[];
  windowMs: number;
  /** Newest messages per partition to read (0 still reads the newest one for freshness). */
  sample: number;
  /** Called when a phase starts, for progress lines. */
  onPhase?: (phase: string) => void;
  /** Aborts the window wait when the step's deadline passes. */
  signal?: AbortSignal;
}

/**
 * Gathers the facts: metadata, end offsets and committed offsets at the start and end of the
 * window, the newest records of every partition, and the record at each lagging committed offset.
 */
export async function observe(opts: ObserveOptions, inspector = new KafkaInspector(opts.connection)): Promise<Observation> {
  let phase = 'connecting';
  // When the step's deadline passes, close the sockets at once so nothing keeps the process alive.
  opts.signal?.addEventListener('abort', () => void inspector.close(), { once: true });
  const step = <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    phase = name;
    opts.onPhase?.(name);
    return fn();
  };
  try {
    await step('connecting', () => inspector.connect());
    const meta = await step('reading topic metadata', () => inspector.describeTopics(opts.topics));
    const tps: TopicPartition[] = meta.filter((t) => t.exists).flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition })));
    const groupTps = (g: { topics?: string[] }) => tps.filter((tp) => !g.topics || g.topics.includes(tp.topic));
    const groupTopicsMissing = opts.groups.flatMap((g) => (g.topics ?? []).filter((t) => !opts.topics.includes(t)));
    if (groupTopicsMissing.length) {
      // Topics a group consumes but the check does not list still need metadata for lag.
      const extra = await inspector.describeTopics([...new Set(groupTopicsMissing)]);
      for (const t of extra.filter((x) => x.exists)) for (const p of t.partitions) tps.push({ topic: t.name, partition: p.partition });
    }

    const windowStartedAt = Date.now();
    const [endAtStart, committedAtStart] = await step('sampling offsets at the start of the window', () =>
      Promise.all([inspector.endOffsets(tps), Promise.all(opts.groups.map((g) => inspector.groupOffsets(g.name, groupTps(g))))]),
    );

    if (opts.windowMs > 0) await step(`observing traffic for ${Math.round(opts.windowMs / 1000)}s`, () => sleep(opts.windowMs, opts.signal));

    const windowEndedAt = Date.now();
    const [endAtEnd, logStart, committedAtEnd, described] = await step('sampling offsets at the end of the window', () =>
      Promise.all([
        inspector.endOffsets(tps),
        inspector.startOffsets(tps),
        Promise.all(opts.groups.map((g) => inspector.groupOffsets(g.name, groupTps(g)))),
        inspector.describeGroups(opts.groups.map((g) => g.name)),
      ]),
    );

    const perPartition = Math.max(1, opts.sample);
    const wantNewest = tps.filter((tp) => endAtEnd.get(tpKey(tp.topic, tp.partition))! > logStart.get(tpKey(tp.topic, tp.partition))!);
    const newest = await step('reading the newest records', () =>
      inspector.fetchFrom(wantNewest.map((tp) => {
        const end = endAtEnd.get(tpKey(tp.topic, tp.partition))!;
        const start = logStart.get(tpKey(tp.topic, tp.partition))!;
        const from = end - BigInt(perPartition) > start ? end - BigInt(perPartition) : start;
        return { ...tp, offset: from, maxRecords: perPartition };
      })),
    );
    const observedAt = Date.now();

    // For lagging partitions, the record at the committed offset dates how far behind the group is.
    const lagging = new Map<string, TopicPartition & { offset: bigint; maxRecords: number }>();
    committedAtEnd.forEach((offsets) => {
      for (const [key, committed] of offsets) {
        if (committed === undefined) continue;
        const end = endAtEnd.get(key);
        const start = logStart.get(key) ?? 0n;
        if (end === undefined || committed >= end) continue;
        const [topic, partition] = key.split('\u0000');
        const at = committed < start ? start : committed;
        lagging.set(`${key}\u0000${at}`, { topic: topic!, partition: Number(partition), offset: at, maxRecords: 1 });
      }
    });
    const atCommitted = lagging.size ? await step('reading records at committed offsets', () => inspector.fetchFrom([...lagging.values()])) : new Map<string, KafkaRecord[]>();

    const topics: TopicObservation[] = meta.map((t) => {
      const partitions: PartitionObservation[] = t.partitions.map((p) => {
        const key = tpKey(t.name, p.partition);
        const records = newest.get(key) ?? [];
        const last = records[records.length - 1];
        return {
          partition: p.partition,
          leader: p.leader,
          replicas: p.replicas,
          isr: p.isr,
          logStart: logStart.get(key) ?? 0n,
          endAtStart: endAtStart.get(key) ?? 0n,
          endAtEnd: endAtEnd.get(key) ?? 0n,
          ...(last ? { newest: { offset: last.offset, timestamp: last.timestamp, timestampType: last.timestampType } } : {}),
        };
      });
      const samples = opts.sample > 0
        ? t.partitions.flatMap((p) => (newest.get(tpKey(t.name, p.partition)) ?? []).map((r) => ({ partition: r.partition, offset: r.offset, timestamp: r.timestamp, value: r.value, ...(r.headers.trace_id ? { traceId: r.headers.trace_id } : {}) })))
        : [];
      return { name: t.name, exists: t.exists, partitions, samples };
    });

    const groups: GroupObservation[] = opts.groups.map((g, i) => {
      const d = described.find((x) => x.groupId === g.name);
      const startOffsets = committedAtStart[i]!;
      const endOffsets = committedAtEnd[i]!;
      return {
        name: g.name,
        state: d?.state ?? 'Dead',
        members: d?.members ?? 0,
        partitions: groupTps(g)
          .map((tp) => {
            const key = tpKey(tp.topic, tp.partition);
            const cEnd = endOffsets.get(key);
            const cStart = startOffsets.get(key);
            const start = logStart.get(key) ?? 0n;
            const rec = cEnd === undefined ? undefined : atCommitted.get(key)?.find((r) => r.offset >= (cEnd < start ? start : cEnd));
            return {
              topic: tp.topic,
              partition: tp.partition,
              ...(cStart !== undefined ? { committedAtStart: cStart } : {}),
              ...(cEnd !== undefined ? { committedAtEnd: cEnd } : {}),
              endAtStart: endAtStart.get(key) ?? 0n,
              endAtEnd: endAtEnd.get(key) ?? 0n,
              ...(rec ? { committedRecordTimestamp: rec.timestamp } : {}),
            };
          })
          // A group that never committed on a topic it is not configured for does not consume it.
          .filter((p, _, all) => g.topics !== undefined || all.some((q) => q.topic === p.topic && (q.committedAtEnd !== undefined || q.committedAtStart !== undefined))),
      };
    });

    return { windowStartedAt, windowEndedAt, observedAt, topics, groups, requests: inspector.requests };
  } catch (err) {
    // Say which phase failed, so "the broker died mid-window" reads as such; credentials errors stay the user's.
    if (err instanceof ConfigurationError) throw err;
    throw new KafkaUnavailableError(`${(err as Error).message} (while ${phase})`, { cause: err });
  } finally {
    await inspector.close();
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
