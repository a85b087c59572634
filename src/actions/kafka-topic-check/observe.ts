import {
  KafkaInspector,
  tpKey,
  type CommittedRead,
  type KafkaConnection,
  type KafkaRecord,
  type ReadRange,
  type TopicPartition,
} from '../../lib/kafka/inspector.js';
import { ConfigurationError } from '../../lib/errors.js';
import { KafkaUnavailableError } from '../../lib/kafka/errors.js';
import type { Observation, PartitionLog } from './model.js';
import {
  assembleGroup,
  assembleTopics,
  committedOffsetsByPartition,
  groupPartitions,
  innerSampleTimes,
  partitionLogs,
  partitionsByTopic,
  probeStarts,
  type OffsetSnapshot,
} from './assemble.js';

/** How much reading a check may do to count committed records and to find dated ones. */
export interface ReadLimits {
  /** Offsets of one partition that may be read to count its committed records exactly. */
  countSpan: number;
  /** The same, over all partitions together. */
  countSpanTotal: number;
  /** Record bytes read in each reading phase. */
  bytes: number;
  /** Fetch rounds in each reading phase (one Fetch per broker each). */
  rounds: number;
  /** Offsets before the newest ones that may be read to find a committed record dated in the past. */
  lookback: number;
}

export const READ_LIMITS: ReadLimits = {
  countSpan: 50_000,
  countSpanTotal: 500_000,
  bytes: 128 * 1_048_576,
  rounds: 12,
  lookback: 10_000,
};

export interface ObserveOptions {
  connection: KafkaConnection;
  topics: string[];
  groups: { name: string; topics?: string[] }[];
  windowMs: number;
  /** How far back before the window each partition's own rate is measured (0: not measured). */
  lookbackMs: number;
  /** Newest committed records per partition to keep for schema checks and trace ids (0 still dates the newest). */
  sample: number;
  /** Records stamped further ahead of this machine's clock than this do not date a topic. */
  clockSkewToleranceMs: number;
  limits?: ReadLimits;
  /** Called when a phase starts, for progress lines. */
  onPhase?: (phase: string) => void;
  /** Aborts the window wait when the step's deadline passes. */
  signal?: AbortSignal;
}

/**
 * Gathers the facts: metadata, last stable offsets and committed offsets at the start and end of the
 * window, the members' assignments, and the committed records of every partition from the earliest
 * offset a count needs (window start, committed offsets) to the end, read as a read_committed
 * consumer reads them. When that is too far to read, the newest records only, and counts stay offsets.
 */
export async function observe(
  opts: ObserveOptions,
  inspector = new KafkaInspector(opts.connection),
): Promise<Observation> {
  let phase = 'connecting';
  const limits = opts.limits ?? READ_LIMITS;
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
    const partitionsOf = partitionsByTopic(meta);
    const groupOnlyTopics = opts.groups.flatMap((g) =>
      (g.topics ?? []).filter((t) => !opts.topics.includes(t)),
    );
    // Topics a group consumes but the check does not list still need metadata for lag.
    if (groupOnlyTopics.length)
      for (const [name, ps] of partitionsByTopic(
        await inspector.describeTopics([...new Set(groupOnlyTopics)]),
      ))
        partitionsOf.set(name, ps);
    const tps: TopicPartition[] = [...partitionsOf].flatMap(([topic, ps]) =>
      ps.map((partition) => ({ topic, partition })),
    );
    const groupTps = opts.groups.map((g) => groupPartitions(g, opts.topics, partitionsOf));
    const groupOffsets = () =>
      Promise.all(opts.groups.map((g, i) => inspector.groupOffsets(g.name, groupTps[i]!)));

    const windowStartedAt = Date.now();
    const [endAtStart, committedAtStart, atLookback] = await step(
      'sampling offsets at the start of the window',
      () =>
        Promise.all([
          inspector.endOffsets(tps),
          groupOffsets(),
          opts.lookbackMs > 0 ? inspector.offsetsForTimes(tps, windowStartedAt - opts.lookbackMs) : undefined,
        ]),
    );
    const snapshots: OffsetSnapshot[] = [
      { at: windowStartedAt, ends: endAtStart, committed: committedAtStart },
    ];
    if (opts.windowMs > 0) {
      // Samples inside the window tell a group that falls behind all along from one whose lag only
      // differs between two moments. Each is one ListOffsets per broker and one OffsetFetch per group,
      // for the groups' partitions only, however many partitions there are.
      const waitFrom = Date.now();
      const inner = innerSampleTimes(opts.windowMs, opts.groups.length);
      const groupTpsAll = uniquePartitions(groupTps.flat());
      await step(`observing traffic for ${Math.round(opts.windowMs / 1000)}s`, async () => {
        for (const [i, after] of inner.entries()) {
          await sleep(Math.max(0, waitFrom + after - Date.now()), opts.signal);
          await step(`observing traffic, sample ${i + 1} of ${inner.length} inside the window`, async () => {
            const at = Date.now();
            const [ends, committed] = await Promise.all([inspector.endOffsets(groupTpsAll), groupOffsets()]);
            snapshots.push({ at, ends, committed });
          });
        }
        await sleep(Math.max(0, waitFrom + opts.windowMs - Date.now()), opts.signal);
      });
    }
    const windowEndedAt = Date.now();
    const [endAtEnd, logStart, committedAtEnd, described] = await step(
      'sampling offsets at the end of the window',
      () =>
        Promise.all([
          inspector.endOffsets(tps),
          inspector.startOffsets(tps),
          groupOffsets(),
          inspector.describeGroups(opts.groups.map((g) => g.name)),
        ]),
    );

    snapshots.push({ at: windowEndedAt, ends: endAtEnd, committed: committedAtEnd });

    const logs = partitionLogs(tps, {
      atStart: endAtStart,
      atEnd: endAtEnd,
      logStart,
      ...(atLookback ? { atLookback } : {}),
    });
    const samples = new Map<string, KafkaRecord[]>();
    const reader = new LogReader(inspector, logs, samples, opts.sample, limits);
    await step('reading committed records', async () => {
      await reader.readToEnd(committedOffsetsByPartition(snapshots.flatMap((x) => x.committed)));
      await reader.lookBack(Date.now() + opts.clockSkewToleranceMs);
    });
    const observedAt = Date.now();

    // The next record each group will read: from the logs when they were read back to the committed
    // offset, otherwise from one more read that starts at the lowest committed offset of the partition.
    const probeFrom = probeStarts(committedAtEnd, logs);
    const probes = probeFrom.size
      ? await step('reading records at committed offsets', () =>
          inspector.readCommitted(
            [...probeFrom].map(([key, from]) => ({ ...split(key), from, to: logs.get(key)!.endAtEnd })),
            { maxRounds: 2, partitionMaxBytes: 65_536, maxBytes: limits.bytes },
          ),
        )
      : new Map<string, CommittedRead>();

    const topics = assembleTopics(meta, logs, samples, opts.sample);
    const groups = opts.groups.map((g, i) =>
      assembleGroup(
        {
          name: g.name,
          partitions: groupTps[i]!,
          committedAtStart: committedAtStart[i]!,
          committedAtEnd: committedAtEnd[i]!,
          trail: snapshots.map((x) => ({ at: x.at, ends: x.ends, committed: x.committed[i]! })),
          described: described.find((d) => d.groupId === g.name),
        },
        logs,
        probes,
      ),
    );
    return { windowStartedAt, windowEndedAt, observedAt, topics, groups, requests: inspector.requests };
  } catch (err) {
    // Say which phase failed, so "the broker died mid-window" reads as such; credentials errors stay the user's.
    if (err instanceof ConfigurationError) throw err;
    throw new KafkaUnavailableError(`${(err as Error).message} (while ${phase})`, { cause: err });
  } finally {
    await inspector.close();
  }
}

/** Reads partitions' logs into their PartitionLog, keeping the newest committed records as samples. */
class LogReader {
  private readonly tail: bigint;

  constructor(
    private readonly inspector: KafkaInspector,
    private readonly logs: Map<string, PartitionLog>,
    private readonly samples: Map<string, KafkaRecord[]>,
    private readonly sample: number,
    private readonly limits: ReadLimits,
  ) {
    this.tail = BigInt(Math.max(1, sample));
  }

  /**
   * One read per partition from the earliest offset a count needs (the window's start, a group's
   * committed offset) to the end, when that fits the limits; otherwise, or when it did not finish,
   * the newest records only.
   */
  async readToEnd(committedOffsets: Map<string, bigint[]>): Promise<void> {
    let spanLeft = this.limits.countSpanTotal;
    const ranges: ReadRange[] = [];
    const tails = new Map<string, bigint>();
    for (const [key, log] of this.logs) {
      if (log.endAtEnd <= log.logStart) continue;
      const tailFrom = max(log.logStart, log.endAtEnd - this.tail);
      tails.set(key, tailFrom);
      let countFrom = tailFrom;
      for (const c of [log.endAtStart, ...(committedOffsets.get(key) ?? [])])
        if (c < countFrom) countFrom = c;
      countFrom = max(log.logStart, countFrom);
      const span = Number(log.endAtEnd - countFrom);
      const counted = countFrom < tailFrom && span <= this.limits.countSpan && span <= spanLeft;
      if (counted) spanLeft -= span;
      ranges.push({ ...split(key), from: counted ? countFrom : tailFrom, to: log.endAtEnd });
    }
    const first = await this.read(ranges);
    const retry = ranges.filter(
      (r) =>
        !first.get(tpKey(r.topic, r.partition))?.complete && r.from < tails.get(tpKey(r.topic, r.partition))!,
    );
    if (retry.length)
      await this.read(retry.map((r) => ({ ...r, from: tails.get(tpKey(r.topic, r.partition))! })));
  }

  /**
   * Reads further back, in growing steps, where the newest records held fewer committed records
   * than the sample, or none dated before `datedBy` (transactions that aborted, a clock ahead).
   */
  async lookBack(datedBy: number): Promise<void> {
    const exhausted = new Set<string>();
    for (let round = 0; round < 6; round++) {
      const ranges: ReadRange[] = [];
      for (const [key, log] of this.logs) {
        const read = log.readFrom < log.endAtEnd;
        const enough =
          log.committed.length >= Number(this.tail) && log.committed.some((r) => r.timestamp <= datedBy);
        if (!read || enough || exhausted.has(key) || log.readFrom <= log.logStart) continue;
        const floor = max(log.logStart, log.endAtEnd - BigInt(this.limits.lookback));
        if (log.readFrom <= floor) continue;
        const step = BigInt(Math.max(64, 4 * Number(this.tail)) * 2 ** round);
        ranges.push({ ...split(key), from: max(floor, log.readFrom - step), to: log.readFrom });
      }
      if (ranges.length === 0) return;
      const reads = await this.read(ranges);
      for (const r of ranges)
        if (!reads.get(tpKey(r.topic, r.partition))?.complete) exhausted.add(tpKey(r.topic, r.partition));
    }
  }

  /** Reads the ranges and puts every complete one in front of what its partition's log already holds. */
  private async read(ranges: ReadRange[]): Promise<Map<string, CommittedRead>> {
    const reads = await this.inspector.readCommitted(ranges, {
      keepLast: this.sample,
      maxRounds: this.limits.rounds,
      maxBytes: this.limits.bytes,
    });
    for (const [key, read] of reads) {
      const log = this.logs.get(key)!;
      // Only a read that reached what is already known keeps the log one gapless range.
      if (!read.complete || read.to !== log.readFrom) continue;
      log.readFrom = read.from;
      log.committed = [...read.stamps, ...log.committed];
      log.skipped = {
        aborted: log.skipped.aborted + read.abortedRecords,
        control: log.skipped.control + read.controlRecords,
      };
      if (this.sample > 0)
        this.samples.set(key, [...read.last, ...(this.samples.get(key) ?? [])].slice(-this.sample));
    }
    return reads;
  }
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);

function uniquePartitions(tps: TopicPartition[]): TopicPartition[] {
  return [...new Map(tps.map((tp) => [tpKey(tp.topic, tp.partition), tp])).values()];
}

function split(key: string): TopicPartition {
  const [topic, partition] = key.split('\u0000');
  return { topic: topic!, partition: Number(partition) };
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
