import { getManyInBatches } from './batching.js';
import { assertWritableEntry } from './entry-validation.js';
import { CfkvError } from './errors.js';
import { assertKeySize } from './key-schema.js';
import { MAX_BULK_GET_BYTES, MAX_VALUE_BYTES } from './limits.js';
import { collectAllKeys } from './list-all-keys.js';
import type { KvEntry, PutOptions, Transport } from './transport.js';

/** Default chunk size: 1 MiB under the 25 MiB KV value limit, leaving room for encoding slack. */
export const DEFAULT_CHUNK_BYTES = MAX_VALUE_BYTES - 1024 * 1024;

/** Smallest chunk size; a chunk must hold the longest UTF-8 sequence (4 bytes). */
export const MIN_CHUNK_BYTES = 4;

/**
 * First line of a manifest. A value that itself starts with it is always stored in chunks, so a
 * main key whose value starts with it always contains a manifest.
 */
const MANIFEST_MARKER = 'cfkv-chunked-value:1\n';

/** `%c` never appears in an escaped key part, so no record key has this part. */
const CHUNK_KEY_PART = '%chunk';

/** Reads of a manifest and its chunks before a read whose chunks keep vanishing gives up. */
const MAX_READ_ATTEMPTS = 3;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

export interface LargeValueOptions extends PutOptions {
  /** Largest chunk in UTF-8 bytes, from 4 to 25 MiB. Default {@link DEFAULT_CHUNK_BYTES}. */
  chunkBytes?: number;
}

interface ChunkManifest {
  writeId: string;
  chunkCount: number;
  /** Largest chunk in UTF-8 bytes, which bounds how many chunks one bulk get may return. */
  chunkBytes: number;
  /** Length of the whole value in UTF-16 code units, checked when the chunks are joined. */
  length: number;
}

/** Returns the prefix of every chunk key of `key`, for listing them. */
export function chunkKeyPrefix(key: string): string {
  return `${key}:${CHUNK_KEY_PART}:`;
}

/** Tells whether a listed key name is a chunk of a large value rather than a record. */
export function isChunkKey(name: string): boolean {
  return name.includes(`:${CHUNK_KEY_PART}:`);
}

/**
 * Writes a value of any size under `key`. A value up to `chunkBytes` is stored as is. A larger
 * one is split into chunks, which are written before the manifest that names them, so a reader
 * never sees a manifest whose chunks are missing. Chunk keys carry a random write id, so two
 * concurrent writes never mix chunks. The chunks of the value being replaced are deleted after
 * the new value is in place. `metadata` applies to `key`, and `expirationTtl` to every key.
 */
export async function putLargeValue(
  transport: Transport,
  table: string,
  key: string,
  value: string,
  options: LargeValueOptions = {},
): Promise<void> {
  const { chunkBytes = DEFAULT_CHUNK_BYTES, ...putOptions } = options;
  assertChunkBytes(chunkBytes);
  assertKeySize(key, { table });
  const bytes = textEncoder.encode(value);
  const isInline = bytes.byteLength <= chunkBytes && !value.startsWith(MANIFEST_MARKER);
  const write = isInline
    ? { mainValue: value, chunks: [] }
    : buildChunkedWrite(table, key, value, bytes, chunkBytes, putOptions.expirationTtl);
  assertWritableEntry(table, key, write.mainValue, putOptions);

  const previous = await readManifest(transport, table, key);
  if (write.chunks.length > 0) await transport.putMany(table, write.chunks);
  await transport.put(table, key, write.mainValue, putOptions);

  if (previous !== undefined) await transport.deleteMany(table, chunkKeys(key, previous));
}

/**
 * Reads a value written by {@link putLargeValue}, joining its chunks; null when `key` is
 * missing. When chunks vanish because a concurrent write replaced them, it reads the manifest
 * again; chunks still missing after three reads reject with CORRUPT_RECORD.
 */
export async function getLargeValue(
  transport: Transport,
  table: string,
  key: string,
): Promise<string | null> {
  for (let attempt = 1; attempt <= MAX_READ_ATTEMPTS; attempt += 1) {
    const stored = await transport.get(table, key);
    if (stored === null || !stored.startsWith(MANIFEST_MARKER)) return stored;

    const manifest = parseManifest(stored, table, key);
    const keysPerCall = Math.max(1, Math.floor(MAX_BULK_GET_BYTES / manifest.chunkBytes));
    const chunks = await getManyInBatches(transport, table, chunkKeys(key, manifest), {
      keysPerCall,
    });
    if (chunks.every((chunk) => chunk !== null)) return joinChunks(chunks, manifest, table, key);
  }
  throw new CfkvError(
    'CORRUPT_RECORD',
    `The value of ${key} in ${table} names chunks that are missing after ` +
      `${MAX_READ_ATTEMPTS} reads.`,
    { table, key },
  );
}

/**
 * Deletes `key` and every chunk key under it. The main key goes first, so a concurrent reader
 * sees a missing value rather than a manifest without chunks. Chunks are found by listing, which
 * also removes chunks left behind by concurrent rewrites.
 */
export async function deleteLargeValue(
  transport: Transport,
  table: string,
  key: string,
): Promise<void> {
  await transport.delete(table, key);

  const chunks = await collectAllKeys(transport, table, chunkKeyPrefix(key));
  if (chunks.length > 0)
    await transport.deleteMany(
      table,
      chunks.map((chunk) => chunk.name),
    );
}

function buildChunkedWrite(
  table: string,
  key: string,
  value: string,
  bytes: Uint8Array,
  chunkBytes: number,
  expirationTtl: number | undefined,
): { mainValue: string; chunks: KvEntry[] } {
  const chunkValues = splitUtf8(bytes, chunkBytes);
  const manifest: ChunkManifest = {
    writeId: createWriteId(),
    chunkCount: chunkValues.length,
    chunkBytes,
    length: value.length,
  };
  const keys = chunkKeys(key, manifest);

  const chunks = chunkValues.map((chunkValue, index) => {
    const entry: KvEntry = { key: keys[index] as string, value: chunkValue };
    if (expirationTtl !== undefined) entry.expirationTtl = expirationTtl;
    assertWritableEntry(table, entry.key, entry.value, entry);
    return entry;
  });
  return { mainValue: MANIFEST_MARKER + JSON.stringify(manifest), chunks };
}

/** Splits UTF-8 bytes into strings of at most `chunkBytes` bytes, never inside a character. */
function splitUtf8(bytes: Uint8Array, chunkBytes: number): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < bytes.byteLength) {
    let end = Math.min(start + chunkBytes, bytes.byteLength);
    while (end < bytes.byteLength && isContinuationByte(bytes[end] as number)) end -= 1;
    chunks.push(textDecoder.decode(bytes.subarray(start, end)));
    start = end;
  }
  return chunks;
}

function isContinuationByte(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

async function readManifest(
  transport: Transport,
  table: string,
  key: string,
): Promise<ChunkManifest | undefined> {
  const stored = await transport.get(table, key);
  if (stored === null || !stored.startsWith(MANIFEST_MARKER)) return undefined;
  return parseManifest(stored, table, key);
}

function parseManifest(stored: string, table: string, key: string): ChunkManifest {
  let manifest: Partial<ChunkManifest> | null = null;
  try {
    manifest = JSON.parse(stored.slice(MANIFEST_MARKER.length)) as Partial<ChunkManifest> | null;
  } catch (error) {
    throw corruptManifest(table, key, error);
  }

  const isValid =
    typeof manifest?.writeId === 'string' &&
    /^[0-9a-f]+$/.test(manifest.writeId) &&
    Number.isSafeInteger(manifest.chunkCount) &&
    Number.isSafeInteger(manifest.chunkBytes) &&
    (manifest.chunkBytes as number) >= MIN_CHUNK_BYTES &&
    Number.isSafeInteger(manifest.length);
  if (!isValid) throw corruptManifest(table, key);
  return manifest as ChunkManifest;
}

function joinChunks(
  chunks: (string | null)[],
  manifest: ChunkManifest,
  table: string,
  key: string,
): string {
  const value = chunks.join('');
  if (value.length === manifest.length) return value;

  throw new CfkvError(
    'CORRUPT_RECORD',
    `The chunks of ${key} in ${table} join to ${value.length} characters; ` +
      `the manifest expects ${manifest.length}.`,
    { table, key, limit: manifest.length, actual: value.length },
  );
}

function chunkKeys(key: string, manifest: ChunkManifest): string[] {
  return Array.from(
    { length: manifest.chunkCount },
    (_unused, index) => `${chunkKeyPrefix(key)}${manifest.writeId}:${index}`,
  );
}

function createWriteId(): string {
  const random = crypto.getRandomValues(new Uint8Array(8));
  return Array.from(random, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function corruptManifest(table: string, key: string, cause?: unknown): CfkvError {
  return new CfkvError(
    'CORRUPT_RECORD',
    `The chunk manifest stored under ${key} in ${table} is malformed.`,
    { table, key },
    { cause },
  );
}

function assertChunkBytes(chunkBytes: number): void {
  const isValid =
    Number.isInteger(chunkBytes) && chunkBytes >= MIN_CHUNK_BYTES && chunkBytes <= MAX_VALUE_BYTES;
  if (isValid) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `chunkBytes must be an integer from ${MIN_CHUNK_BYTES} to ${MAX_VALUE_BYTES}, got ${chunkBytes}.`,
    { field: 'chunkBytes', limit: MAX_VALUE_BYTES, actual: chunkBytes },
  );
}
