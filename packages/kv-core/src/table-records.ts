import { getLargeValue, putLargeValue, type LargeValueOptions } from './chunked-value.js';
import { assertWritableEntry } from './entry-validation.js';
import { CfkvError } from './errors.js';
import type { KeySchema } from './key-schema.js';
import { decodeRecord, encodeRecord, type TableSchema } from './record-codec.js';
import type { KvEntry, Transport } from './transport.js';

/** The transport and key schema that table utilities work through, as a store keeps them. */
export interface TableContext {
  readonly transport: Transport;
  readonly keys: KeySchema;
}

/** A table of records addressed by primary key, like a table of Mastra's older storage API. */
export interface RecordTable {
  /** Logical table name, which the transport maps to one KV namespace. */
  readonly name: string;
  /** Column types for the record codec. */
  readonly schema: TableSchema;
  /** Columns whose values, in this order, form the record's key after {@link keyPart}. */
  readonly primaryKey: readonly string[];
  /**
   * Key part in front of the primary key values, which keeps records apart from index keys in
   * the same table. Default `'record'`.
   */
  readonly keyPart?: string;
}

/** Primary key values by column name, such as `{ id: 'thread-1' }`. */
export type PrimaryKeyValues = Readonly<Record<string, unknown>>;

const DEFAULT_KEY_PART = 'record';

/**
 * Builds the key `{keyPrefix}{table}:{keyPart}:{value}:...` of the record whose primary key
 * columns have `values`. Each value must be a string or a finite number.
 */
export function recordKey(keys: KeySchema, table: RecordTable, values: PrimaryKeyValues): string {
  assertPrimaryKey(table);
  const parts = table.primaryKey.map((column) => primaryKeyPart(table, column, values[column]));
  return keys.key(table.name, [table.keyPart ?? DEFAULT_KEY_PART, ...parts], keyField(table));
}

/**
 * Writes one record under its primary key, replacing any record stored there. A record whose
 * JSON is over `options.chunkBytes` (default 24 MiB) is stored in chunks, as `putLargeValue`
 * does, so this costs one `get` before the `put` to find the chunks of the record it replaces.
 */
export async function insert(
  context: TableContext,
  table: RecordTable,
  record: object,
  options: LargeValueOptions = {},
): Promise<void> {
  const entry = encodeEntry(context.keys, table, record);

  await putLargeValue(context.transport, table.name, entry.key, entry.value, options);
}

/**
 * Writes many records in one `putMany`, which is one bulk write per 10,000 records over REST and
 * one `put` per record over bindings. Every record is encoded and checked before anything is
 * written. When two records have the same primary key, the later one is stored. A record must
 * fit in one KV value (25 MiB), so use {@link insert} for larger ones.
 */
export async function batchInsert(
  context: TableContext,
  table: RecordTable,
  records: readonly object[],
): Promise<void> {
  const entries = records.map((record) => encodeEntry(context.keys, table, record));
  for (const entry of entries) assertWritableEntry(table.name, entry.key, entry.value);
  if (entries.length === 0) return;

  await context.transport.putMany(table.name, entries);
}

/**
 * Reads the record whose primary key columns have `values`, or null when there is none. It reads
 * records written by {@link insert} and {@link batchInsert}, chunked or not.
 */
export async function load<T>(
  context: TableContext,
  table: RecordTable,
  values: PrimaryKeyValues,
): Promise<T | null> {
  const key = recordKey(context.keys, table, values);

  const text = await getLargeValue(context.transport, table.name, key);
  if (text === null) return null;
  return decodeRecord<T>(table.schema, text, { table: table.name, key });
}

function encodeEntry(keys: KeySchema, table: RecordTable, record: object): KvEntry {
  const key = recordKey(keys, table, record as PrimaryKeyValues);
  return { key, value: encodeRecord(table.schema, record, { table: table.name, key }) };
}

function primaryKeyPart(table: RecordTable, column: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `Primary key column ${column} of ${table.name} must be a string or a finite number, ` +
      `got ${value === null ? 'null' : typeof value}.`,
    { table: table.name, field: column },
  );
}

function assertPrimaryKey(table: RecordTable): void {
  if (table.primaryKey.length > 0) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `Table ${table.name} needs at least one primary key column to address its records.`,
    { table: table.name, field: 'primaryKey' },
  );
}

function keyField(table: RecordTable): string {
  return table.primaryKey.join(', ');
}
