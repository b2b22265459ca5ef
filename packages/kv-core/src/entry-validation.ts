import { CfkvError } from './errors.js';
import { assertKeySize, utf8ByteLength } from './key-schema.js';
import { assertWellFormedText } from './well-formed-text.js';
import {
  MAX_METADATA_BYTES,
  MAX_VALUE_BYTES,
  MIN_CACHE_TTL_SECONDS,
  MIN_EXPIRATION_TTL_SECONDS,
} from './limits.js';
import type { PutOptions } from './transport.js';

/** Key names KV rejects whatever their size: `.` and `..` are path segments in its REST API. */
const RESERVED_KEY_NAMES = new Set(['', '.', '..']);

/**
 * Rejects a key KV cannot store (not well-formed Unicode, empty, `.`, `..` or over 512 bytes)
 * before any call. A lone surrogate has no UTF-8 form: a binding would store U+FFFD in its place
 * and a REST path could not be percent-encoded.
 */
export function assertValidKey(table: string, key: string): void {
  assertWellFormedText(key, { table, key, field: 'key' });
  assertKeySize(key, { table });
  if (!RESERVED_KEY_NAMES.has(key)) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `Key ${JSON.stringify(key)} in ${table} is invalid; KV keys cannot be empty, "." or "..".`,
    { table, key, field: 'key' },
  );
}

/**
 * Checks one write against Cloudflare's limits before any call, so a bad entry fails with a
 * typed error naming the limit instead of a late 400 from KV.
 */
export function assertWritableEntry(
  table: string,
  key: string,
  value: string,
  options: PutOptions = {},
): void {
  assertKeySize(key, { table });
  assertValueSize(table, key, value);
  if (options.metadata !== undefined) assertMetadataSize(table, key, options.metadata);
  if (options.expirationTtl !== undefined)
    assertExpirationTtl(options.expirationTtl, { table, key });
}

export function assertValueSize(table: string, key: string, value: string): void {
  const bytes = utf8ByteLength(value);
  if (bytes <= MAX_VALUE_BYTES) return;

  throw new CfkvError(
    'VALUE_TOO_LARGE',
    `The value of ${key} in ${table} is ${bytes} bytes; KV values are at most ${MAX_VALUE_BYTES} bytes.`,
    { table, key, field: 'value', limit: MAX_VALUE_BYTES, actual: bytes },
  );
}

export function assertMetadataSize(table: string, key: string, metadata: unknown): void {
  const serialized = serializeMetadata(table, key, metadata);
  const bytes = utf8ByteLength(serialized);
  if (bytes <= MAX_METADATA_BYTES) return;

  throw new CfkvError(
    'METADATA_TOO_LARGE',
    `The metadata of ${key} in ${table} is ${bytes} bytes as JSON; ` +
      `KV metadata is at most ${MAX_METADATA_BYTES} bytes.`,
    { table, key, field: 'metadata', limit: MAX_METADATA_BYTES, actual: bytes },
  );
}

/** Rejects a TTL under Cloudflare's 60-second minimum, or one that is not a whole second count. */
export function assertExpirationTtl(
  seconds: number,
  context: { table?: string; key?: string; field?: string } = {},
): void {
  const field = context.field ?? 'expirationTtl';
  if (!Number.isInteger(seconds)) {
    throw new CfkvError(
      'INVALID_ARGUMENT',
      `${field} must be a whole number of seconds, got ${seconds}.`,
      {
        ...context,
        field,
      },
    );
  }
  if (seconds >= MIN_EXPIRATION_TTL_SECONDS) return;

  throw new CfkvError(
    'EXPIRATION_TOO_SHORT',
    `${field} is ${seconds} seconds; KV expirations are at least ${MIN_EXPIRATION_TTL_SECONDS} seconds.`,
    { ...context, field, limit: MIN_EXPIRATION_TTL_SECONDS, actual: seconds },
  );
}

/** Rejects a read cacheTtl under Cloudflare's 30-second minimum. */
export function assertCacheTtl(seconds: number, field = 'cacheTtl'): void {
  if (Number.isInteger(seconds) && seconds >= MIN_CACHE_TTL_SECONDS) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `${field} is ${seconds} seconds; KV read cacheTtl is a whole number of at least ` +
      `${MIN_CACHE_TTL_SECONDS} seconds.`,
    { field, limit: MIN_CACHE_TTL_SECONDS, actual: seconds },
  );
}

function serializeMetadata(table: string, key: string, metadata: unknown): string {
  try {
    const serialized = JSON.stringify(metadata);
    if (serialized !== undefined) return serialized;
  } catch (error) {
    throw new CfkvError(
      'INVALID_ARGUMENT',
      `The metadata of ${key} in ${table} is not JSON-serializable.`,
      { table, key, field: 'metadata' },
      { cause: error },
    );
  }
  throw new CfkvError(
    'INVALID_ARGUMENT',
    `The metadata of ${key} in ${table} is not JSON-serializable.`,
    {
      table,
      key,
      field: 'metadata',
    },
  );
}
