// What a read_committed consumer makes of the record batches of one Fetch answer (the rules of
// Kafka's own consumer, KIP-98): control batches (transaction markers) are never records, and a
// transactional batch is aborted when its producer has an aborted transaction that started at or
// before the batch and whose abort marker has not yet been passed.

export interface BatchHeader {
  firstOffset: bigint;
  lastOffset: bigint;
  producerId: bigint;
  transactional: boolean;
  control: boolean;
  /** Only a control batch's records are looked at: their key says commit or abort. */
  records: { key: Buffer | null }[];
}

export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

export type BatchFate = 'committed' | 'aborted' | 'control';

// A control record's key: version (int16), then type (int16): 0 abort, 1 commit.
const ABORT_MARKER = 0;

function isAbortMarker(batch: BatchHeader): boolean {
  const key = batch.records[0]?.key;
  return !!key && key.length >= 4 && key.readInt16BE(2) === ABORT_MARKER;
}

/**
 * The fate of each batch, in log order. `aborted` is the list the broker sent with the same answer;
 * it names every aborted transaction that overlaps the answer's offsets, also one that began before.
 */
export function classifyBatches<B extends BatchHeader>(
  batches: B[],
  aborted: AbortedTransaction[],
): { batch: B; fate: BatchFate }[] {
  const upcoming = [...aborted].sort((a, b) =>
    a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0,
  );
  const abortedProducers = new Set<bigint>();
  return batches.map((batch) => {
    while (upcoming.length > 0 && upcoming[0]!.firstOffset <= batch.lastOffset)
      abortedProducers.add(upcoming.shift()!.producerId);
    if (batch.control) {
      if (isAbortMarker(batch)) abortedProducers.delete(batch.producerId);
      return { batch, fate: 'control' };
    }
    if (batch.transactional && abortedProducers.has(batch.producerId)) return { batch, fate: 'aborted' };
    return { batch, fate: 'committed' };
  });
}
