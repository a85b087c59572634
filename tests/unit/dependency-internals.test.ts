// saxes and kafkajs are used beyond their public API: the JUnit engine drains saxes' private text
// buffer between writes, and the Kafka inspector sends raw protocol requests and decodes record
// batches with kafkajs' own codecs. Both are pinned exactly in package.json; these tests name the
// internals relied on, so an upgrade that changes one fails here, not in a distant e2e test.
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { SaxesParser } from 'saxes';
import { SAXES_STATES } from '../../src/lib/junit/engine.js';
import {
  apiKeys,
  decodeBatches,
  decodeMemberAssignment,
  AssignerProtocol,
  Kafka,
} from '../../src/lib/kafka/internals.js';
import { ROOT } from '../support/paths.js';

const require = createRequire(`${ROOT}/package.json`);
const pkg = require('./package.json') as { dependencies: Record<string, string> };

describe('pinned dependencies', () => {
  it('saxes and kafkajs are pinned to the versions these internals were checked against', () => {
    expect(pkg.dependencies.saxes).toBe('6.0.0');
    expect(pkg.dependencies.kafkajs).toBe('2.2.4');
    expect((require('saxes/package.json') as { version: string }).version).toBe('6.0.0');
    expect((require('kafkajs/package.json') as { version: string }).version).toBe('2.2.4');
  });
});

describe('saxes internals the JUnit engine relies on', () => {
  it('the probe finds five distinct numeric parser states', () => {
    const states = Object.values(SAXES_STATES);
    expect(states.every((s) => typeof s === 'number')).toBe(true);
    expect(new Set(states).size).toBe(5);
  });

  it('text read so far sits in `text` while in the text state, and draining it keeps the parse correct', () => {
    const parser = new SaxesParser();
    const texts: string[] = [];
    parser.on('text', (t) => texts.push(t));
    const internals = parser as unknown as { state: unknown; text: string };
    parser.write('<a>first half ');
    expect(internals.state).toBe(SAXES_STATES.text);
    expect(internals.text).toBe('first half ');
    internals.text = '';
    parser.write('second half</a>');
    parser.close();
    expect(texts).toEqual(['second half']);
  });

  it('an attribute value being read sits in `text` in the attribute state', () => {
    const parser = new SaxesParser();
    const internals = parser as unknown as { state: unknown; text: string };
    parser.write('<a name="abc');
    expect(internals.state).toBe(SAXES_STATES.attribute);
    expect(internals.text).toBe('abc');
  });
});

describe('kafkajs internals the Kafka inspector relies on', () => {
  it('a Kafka instance carries its private cluster factory', () => {
    const kafka = new Kafka({ brokers: ['127.0.0.1:1'], clientId: 'internals-test' });
    const symbol = Object.getOwnPropertySymbols(kafka).find(
      (s) => s.description === 'private:Kafka:createCluster',
    );
    expect(symbol).toBeDefined();
    expect(typeof (kafka as unknown as Record<symbol, unknown>)[symbol!]).toBe('function');
  });

  it('the protocol keys are the ones of the Kafka protocol', () => {
    expect(apiKeys).toMatchObject({
      Fetch: 1,
      ListOffsets: 2,
      Metadata: 3,
      OffsetFetch: 9,
      DescribeGroups: 15,
    });
    const { requests } = require('kafkajs/src/protocol/requests/index.js') as {
      requests: Record<string, { versions: string[] }>;
    };
    for (const api of ['Fetch', 'Metadata', 'ListOffsets', 'OffsetFetch', 'DescribeGroups']) {
      expect(requests[api]?.versions.length, api).toBeGreaterThan(0);
    }
    expect(requests.Fetch!.versions).toContain('11');
  });

  it('record batches encoded by kafkajs decode back with their producer, transaction flag and offsets', async () => {
    const Long = require('kafkajs/src/utils/long.js') as {
      fromInt(n: number): unknown;
      fromValue(n: number): unknown;
    };
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as {
      RecordBatch: (o: Record<string, unknown>) => Promise<{ buffer: Buffer }>;
    };
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (
      o: Record<string, unknown>,
    ) => unknown;
    const batch = await RecordBatch({
      firstOffset: Long.fromInt(40),
      lastOffsetDelta: 1,
      transactional: true,
      producerId: Long.fromValue(7),
      records: [
        Record({ offsetDelta: 0, key: Buffer.from('k1'), value: Buffer.from('v1') }),
        Record({
          offsetDelta: 1,
          key: Buffer.from('k2'),
          value: Buffer.from('v2'),
          headers: { trace_id: 'abc' },
        }),
      ],
    });
    const [decoded] = await decodeBatches(batch.buffer);
    expect(decoded).toMatchObject({
      firstOffset: 40n,
      lastOffset: 41n,
      producerId: 7n,
      transactional: true,
      control: false,
    });
    expect(decoded!.records.map((r) => [String(r.offset), r.value?.toString()])).toEqual([
      ['40', 'v1'],
      ['41', 'v2'],
    ]);
  });

  it('a consumer-protocol member assignment decodes to partitions by topic', () => {
    const buffer = AssignerProtocol.MemberAssignment.encode({
      version: 1,
      assignment: { 'policy.decisions': [0, 2] },
      userData: Buffer.alloc(0),
    });
    expect(decodeMemberAssignment(buffer)).toEqual({ 'policy.decisions': [0, 2] });
    expect(decodeMemberAssignment(Buffer.alloc(0))).toEqual({});
  });
});
