import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord, type TableSchema } from '../src/index.js';
import { captureError } from './support/capture-error.js';

const schema: TableSchema = {
  id: 'text',
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
  metadata: 'jsonb',
  count: 'integer',
  ratio: 'float',
  done: 'boolean',
};
const location = { table: 'mastra_threads', key: 'p:mastra_threads:t1' };

interface StoredThread {
  id: string;
  createdAt: Date;
  updatedAt?: Date | null;
  metadata?: unknown;
  [field: string]: unknown;
}

function roundTrip(record: object): StoredThread {
  return decodeRecord<StoredThread>(schema, encodeRecord(schema, record, location), location);
}

describe('core: record codec', () => {
  it('decodeRecord: revives timestamps as equal Dates', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (createdAt) => {
        const decoded = roundTrip({ id: 't1', createdAt });
        expect(decoded.createdAt).toBeInstanceOf(Date);
        expect(decoded.createdAt.getTime()).toBe(createdAt.getTime());
      }),
    );
  });

  it('encodeRecord: writes timestamps as ISO-8601', () => {
    const createdAt = new Date('2024-03-10T01:59:59.999+05:00');
    const stored = JSON.parse(encodeRecord(schema, { id: 't1', createdAt }, location));

    expect(stored).toEqual({ v: 1, record: { id: 't1', createdAt: '2024-03-09T20:59:59.999Z' } });
  });

  it('encodeRecord: accepts timestamps given as ISO strings or milliseconds', () => {
    const iso = '1969-07-20T20:17:40.000Z';
    expect(roundTrip({ id: 't1', createdAt: iso }).createdAt.toISOString()).toBe(iso);
    expect(roundTrip({ id: 't1', createdAt: Date.parse(iso) }).createdAt.toISOString()).toBe(iso);
  });

  it('decodeRecord: keeps a null timestamp null', () => {
    expect(roundTrip({ id: 't1', createdAt: new Date(0), updatedAt: null }).updatedAt).toBeNull();
  });

  it('encodeRecord: stores jsonb as nested JSON once', () => {
    const metadata = { tags: ['a', 'b'], nested: { deep: 1 } };
    const stored = JSON.parse(encodeRecord(schema, { id: 't1', metadata }, location));

    expect(stored.record.metadata).toEqual(metadata);
  });

  it('decodeRecord: keeps a string in a jsonb column a string', () => {
    const metadata = '{"looks":"like json"}';
    expect(roundTrip({ id: 't1', createdAt: new Date(0), metadata }).metadata).toBe(metadata);
  });

  it('decodeRecord: returns JSON values in jsonb as JSON.stringify writes them', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (metadata) => {
        const decoded = roundTrip({ id: 't1', createdAt: new Date(0), metadata });
        expect(decoded.metadata).toEqual(JSON.parse(JSON.stringify(metadata)));
      }),
    );
  });

  it('decodeRecord: returns a nested Date as its ISO string', () => {
    const when = new Date('1950-01-01T00:00:00.000Z');
    const metadata = { when, list: [when], inner: { when } };

    const decoded = roundTrip({ id: 't1', createdAt: new Date(0), metadata });
    expect(decoded.metadata).toEqual({
      when: '1950-01-01T00:00:00.000Z',
      list: ['1950-01-01T00:00:00.000Z'],
      inner: { when: '1950-01-01T00:00:00.000Z' },
    });
  });

  it('decodeRecord: keeps fields the schema does not name', () => {
    const decoded = roundTrip({ id: 't1', createdAt: new Date(0), extra: { a: [1, 'x'] } });
    expect(decoded.extra).toEqual({ a: [1, 'x'] });
  });

  it('decodeRecord: keeps a field named __proto__ as data', () => {
    const record = JSON.parse('{"id":"t1","__proto__":{"polluted":true}}') as object;
    const decoded = roundTrip(record);

    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect(decoded.polluted).toBeUndefined();
  });

  it('encodeRecord: leaves out undefined fields', () => {
    const stored = JSON.parse(encodeRecord(schema, { id: 't1', updatedAt: undefined }, location));
    expect(Object.keys(stored.record)).toEqual(['id']);
  });

  it('encodeRecord: keeps numbers and booleans', () => {
    const decoded = roundTrip({
      id: 't1',
      createdAt: new Date(0),
      count: 3,
      ratio: 0.5,
      done: true,
    });
    expect([decoded.count, decoded.ratio, decoded.done]).toEqual([3, 0.5, true]);
  });

  it('encodeRecord: rejects an invalid timestamp naming the field', () => {
    for (const createdAt of [new Date(NaN), 'not a date', {}, true]) {
      const error = captureError(() => encodeRecord(schema, { id: 't1', createdAt }, location));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.field).toBe('createdAt');
      expect(error.table).toBe(location.table);
      expect(error.key).toBe(location.key);
    }
  });

  it('encodeRecord: rejects a cycle naming the field', () => {
    const metadata: Record<string, unknown> = { a: 1 };
    metadata.self = metadata;

    const error = captureError(() => encodeRecord(schema, { id: 't1', metadata }, location));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('metadata');
    expect(error.message).toContain('metadata.self');
  });

  it('encodeRecord: accepts the same object twice without a cycle', () => {
    const shared = { a: 1 };
    const decoded = roundTrip({ id: 't1', createdAt: new Date(0), metadata: [shared, shared] });
    expect(decoded.metadata).toEqual([{ a: 1 }, { a: 1 }]);
  });

  it('encodeRecord: rejects a BigInt naming the field', () => {
    const error = captureError(() =>
      encodeRecord(schema, { id: 't1', metadata: { size: 10n } }, location),
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('metadata');
    expect(error.message).toContain('metadata.size');
  });

  it('encodeRecord: rejects a nested invalid Date', () => {
    const error = captureError(() =>
      encodeRecord(schema, { id: 't1', metadata: { at: [new Date(NaN)] } }, location),
    );
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('metadata.at[0]');
  });

  it('encodeRecord: rejects a non-finite number column', () => {
    const error = captureError(() => encodeRecord(schema, { id: 't1', count: NaN }, location));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('count');
  });

  it('decodeRecord: rejects malformed text naming table and key', () => {
    const malformed = [
      'not json',
      '',
      'null',
      '[]',
      '{"id":"t1"}',
      '{"record":{"id":"t1"}}',
      '{"v":2,"record":{"id":"t1"}}',
      '{"v":1,"record":[]}',
      '{"v":1,"record":{"createdAt":"yesterday"}}',
      '{"v":1,"record":{"createdAt":12}}',
    ];
    for (const text of malformed) {
      const error = captureError(() => decodeRecord(schema, text, location));
      expect(error.code).toBe('CORRUPT_RECORD');
      expect(error.table).toBe(location.table);
      expect(error.key).toBe(location.key);
    }
  });
});
