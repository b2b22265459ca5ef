import { CfkvError } from './errors.js';
import { setOwnProperty, toJsonValue, type JsonValue } from './json-value.js';

export type ColumnType = 'text' | 'uuid' | 'timestamp' | 'jsonb' | 'integer' | 'boolean' | 'float';

/** Column name to column type; fields not named here are stored as JSON and kept. */
export type TableSchema = Record<string, ColumnType>;

/** The table and key a record belongs to, named in every error about it. */
export interface RecordLocation {
  table: string;
  key: string;
}

/** Version written with every record, so a later format can still read older records. */
export const RECORD_FORMAT_VERSION = 1;

interface StoredRecord {
  v: number;
  record: Record<string, JsonValue>;
}

/**
 * Encodes a record as `{"v":1,"record":{...}}`. Timestamp columns become ISO-8601 strings, jsonb
 * columns and unknown fields are stored as nested JSON (a Date inside them becomes its ISO
 * string), and fields whose value is undefined are left out.
 */
export function encodeRecord(
  schema: TableSchema,
  record: object,
  location: RecordLocation,
): string {
  const stored: StoredRecord = { v: RECORD_FORMAT_VERSION, record: {} };

  for (const [field, value] of Object.entries(record)) {
    if (value === undefined) continue;
    const encoded = encodeField(columnTypeOf(schema, field), value, { ...location, field });
    setOwnProperty(stored.record, field, encoded);
  }
  return JSON.stringify(stored);
}

/**
 * Decodes a record written by {@link encodeRecord}, reviving timestamp columns as Date. Text
 * that is not such a record throws CORRUPT_RECORD naming the table and key.
 */
export function decodeRecord<T>(schema: TableSchema, text: string, location: RecordLocation): T {
  const stored = parseStoredRecord(text, location);

  const record: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(stored.record)) {
    const revived =
      columnTypeOf(schema, field) === 'timestamp'
        ? reviveTimestamp(value, { ...location, field })
        : value;
    setOwnProperty(record, field, revived);
  }
  return record as T;
}

type FieldLocation = RecordLocation & { field: string };

function encodeField(
  columnType: ColumnType | undefined,
  value: unknown,
  location: FieldLocation,
): JsonValue {
  if (value === null) return null;
  if (columnType === 'timestamp') return encodeTimestamp(value, location);
  if (columnType === 'integer' || columnType === 'float') assertFiniteNumber(value, location);
  return toJsonValue(value, location);
}

function encodeTimestamp(value: unknown, location: FieldLocation): string {
  const date =
    value instanceof Date || typeof value === 'string' || typeof value === 'number'
      ? new Date(value)
      : undefined;
  if (date !== undefined && !Number.isNaN(date.getTime())) return date.toISOString();

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${location.field} of ${location.key} in ${location.table} is not a valid date: ` +
      `${describe(value)}.`,
    location,
  );
}

function assertFiniteNumber(value: unknown, location: FieldLocation): void {
  if (typeof value !== 'number' || Number.isFinite(value)) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${location.field} of ${location.key} in ${location.table} must be a finite number, ` +
      `got ${value}.`,
    location,
  );
}

function parseStoredRecord(text: string, location: RecordLocation): StoredRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw corruptRecord('is not valid JSON', location, error);
  }

  if (!isPlainObject(parsed) || !isPlainObject(parsed.record)) {
    throw corruptRecord('is not a cfkv record', location);
  }
  if (parsed.v !== RECORD_FORMAT_VERSION) {
    throw corruptRecord(`has format version ${String(parsed.v)}, expected 1`, location);
  }
  return parsed as unknown as StoredRecord;
}

function reviveTimestamp(value: JsonValue, location: FieldLocation): Date | null {
  if (value === null) return null;
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (date !== undefined && !Number.isNaN(date.getTime())) return date;

  throw new CfkvError(
    'CORRUPT_RECORD',
    `${location.field} of ${location.key} in ${location.table} is stored as ` +
      `${describe(value)}, not an ISO-8601 date.`,
    location,
  );
}

function corruptRecord(problem: string, location: RecordLocation, cause?: unknown): CfkvError {
  return new CfkvError(
    'CORRUPT_RECORD',
    `The stored value of ${location.key} in ${location.table} ${problem}.`,
    location,
    { cause },
  );
}

function columnTypeOf(schema: TableSchema, field: string): ColumnType | undefined {
  return Object.hasOwn(schema, field) ? schema[field] : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value instanceof Date) return 'an invalid Date';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'object' ? 'an object' : String(value);
}
