import { describe, expect, it } from 'vitest';
import { classifyBatches, type BatchHeader } from '../../src/lib/kafka/committed.js';

// Control record keys as the broker writes them: version 0, then type 0 (abort) or 1 (commit).
const marker = (type: 0 | 1) => Buffer.from([0, 0, 0, type]);
const data = (firstOffset: number, count: number, producerId: number, transactional = true): BatchHeader => ({
  firstOffset: BigInt(firstOffset),
  lastOffset: BigInt(firstOffset + count - 1),
  producerId: BigInt(producerId),
  transactional,
  control: false,
  records: Array.from({ length: count }, () => ({ key: null })),
});
const control = (offset: number, producerId: number, type: 0 | 1): BatchHeader => ({
  firstOffset: BigInt(offset),
  lastOffset: BigInt(offset),
  producerId: BigInt(producerId),
  transactional: true,
  control: true,
  records: [{ key: marker(type) }],
});
const fates = (batches: BatchHeader[], aborted: { producerId: number; firstOffset: number }[]) =>
  classifyBatches(
    batches,
    aborted.map((a) => ({ producerId: BigInt(a.producerId), firstOffset: BigInt(a.firstOffset) })),
  ).map((x) => `${x.batch.firstOffset}:${x.fate}`);

describe('reading committed batches like a read_committed consumer', () => {
  it('a committed transaction is data, its marker is not', () => {
    expect(fates([data(0, 3, 7), control(3, 7, 1)], [])).toEqual(['0:committed', '3:control']);
  });

  it('an aborted transaction is skipped up to its abort marker, and the producer is read again after it', () => {
    expect(
      fates(
        [
          data(0, 2, 7),
          control(2, 7, 1),
          data(3, 4, 7),
          data(7, 1, 7),
          control(8, 7, 0),
          data(9, 2, 7),
          control(11, 7, 1),
        ],
        [{ producerId: 7, firstOffset: 3 }],
      ),
    ).toEqual([
      '0:committed',
      '2:control',
      '3:aborted',
      '7:aborted',
      '8:control',
      '9:committed',
      '11:control',
    ]);
  });

  it("interleaved producers: only the aborting producer's batches are skipped", () => {
    expect(
      fates(
        [data(0, 2, 7), data(2, 2, 8), data(4, 1, 7), control(5, 7, 0), control(6, 8, 1)],
        [{ producerId: 7, firstOffset: 0 }],
      ),
    ).toEqual(['0:aborted', '2:committed', '4:aborted', '5:control', '6:control']);
  });

  it('a read that starts inside an aborted transaction still skips its records', () => {
    // The broker lists the transaction, begun before the fetch offset, with the answer.
    expect(fates([data(10, 3, 7), control(13, 7, 0)], [{ producerId: 7, firstOffset: 4 }])).toEqual([
      '10:aborted',
      '13:control',
    ]);
  });

  it('non-transactional batches of a producer id with an aborted transaction are not skipped', () => {
    expect(
      fates([data(0, 2, 7, false), data(2, 2, 7), control(4, 7, 0)], [{ producerId: 7, firstOffset: 2 }]),
    ).toEqual(['0:committed', '2:aborted', '4:control']);
  });

  it('two aborted transactions of one producer, in one answer', () => {
    expect(
      fates(
        [data(0, 1, 7), control(1, 7, 0), data(2, 1, 7), control(3, 7, 1), data(4, 1, 7), control(5, 7, 0)],
        [
          { producerId: 7, firstOffset: 4 },
          { producerId: 7, firstOffset: 0 },
        ],
      ),
    ).toEqual(['0:aborted', '1:control', '2:committed', '3:control', '4:aborted', '5:control']);
  });
});
