import { validationError } from './api-error.js';
import { jsonSuccess, type ApiResponse } from './api-response.js';
import type { BulkWorkerWrite } from './bulk-worker-script.js';
import type { KvPutOptions } from './kv-binding.js';
import { assertMetadataSize, assertValidKey, checkExpiration } from './key-validation.js';
import {
  MAX_BULK_DELETE_KEYS,
  MAX_BULK_GET_KEYS,
  MAX_BULK_WRITE_BYTES,
  MAX_BULK_WRITE_PAIRS,
  MAX_JSON_REQUEST_BYTES,
  MAX_VALUE_BYTES,
} from './limits.js';
import type { RequestContext } from './request-context.js';
import { readJsonBody } from './request-body.js';

/** PUT bulk: validates every item before writing any, then reports keys that failed to write. */
export async function bulkWrite(
  { request, store }: RequestContext,
  namespaceId: string,
): Promise<ApiResponse> {
  store.get(namespaceId);
  const body = await readJsonBody(request, MAX_BULK_WRITE_BYTES);
  if (!Array.isArray(body)) {
    throw validationError('The request body must be a JSON array of key-value pairs.');
  }
  if (body.length > MAX_BULK_WRITE_PAIRS) {
    throw validationError(
      `The request has ${body.length} pairs; bulk writes take at most ${MAX_BULK_WRITE_PAIRS}.`,
    );
  }
  const writes = body.map(parseBulkWrite);

  const unsuccessfulKeys = await store.runBulk(namespaceId, {
    operation: 'put',
    writes: lastWriteOfEachKey(writes),
  });
  return jsonSuccess({
    successful_key_count: writes.length - unsuccessfulKeys.length,
    unsuccessful_keys: unsuccessfulKeys,
  });
}

/** POST bulk/delete and the older DELETE bulk: a JSON array of key names. */
export async function bulkDelete(
  { request, store }: RequestContext,
  namespaceId: string,
): Promise<ApiResponse> {
  store.get(namespaceId);
  const keys = await readJsonBody(request, MAX_JSON_REQUEST_BYTES);
  if (!Array.isArray(keys)) {
    throw validationError('The request body must be a JSON array of key names.');
  }
  if (keys.length > MAX_BULK_DELETE_KEYS) {
    throw validationError(
      `The request has ${keys.length} keys; bulk deletes take at most ${MAX_BULK_DELETE_KEYS}.`,
    );
  }
  keys.forEach((key: unknown) => assertValidKey(key));

  const unsuccessfulKeys = await store.runBulk(namespaceId, {
    operation: 'delete',
    keys: [...new Set(keys as string[])],
  });
  return jsonSuccess({
    successful_key_count: keys.length - unsuccessfulKeys.length,
    unsuccessful_keys: unsuccessfulKeys,
  });
}

/** POST bulk/get: `{ keys, type?, withMetadata? }`; a missing key maps to null. */
export async function bulkGet(
  { request, store }: RequestContext,
  namespaceId: string,
): Promise<ApiResponse> {
  store.get(namespaceId);
  const body = (await readJsonBody(request, MAX_JSON_REQUEST_BYTES)) as Record<string, unknown>;
  const keys = body?.keys;
  if (!Array.isArray(keys) || keys.length < 1 || keys.length > MAX_BULK_GET_KEYS) {
    throw validationError(`"keys" must be an array of 1 to ${MAX_BULK_GET_KEYS} key names.`);
  }
  keys.forEach((key: unknown) => assertValidKey(key));
  const type = body.type ?? 'text';
  if (type !== 'text' && type !== 'json') {
    throw validationError(`${JSON.stringify(type)} is not a valid type. Use "json" or "text".`);
  }

  const values = await store.withBinding(namespaceId, async (binding) =>
    body.withMetadata === true
      ? binding.getWithMetadata(keys as string[], { type })
      : binding.get(keys as string[], { type }),
  );
  return jsonSuccess({ values: Object.fromEntries(mapMissingToNull(values)) });
}

function parseBulkWrite(item: unknown, index: number): BulkWorkerWrite {
  if (typeof item !== 'object' || item === null) {
    throw validationError(`Item ${index} of the bulk write must be an object.`);
  }
  const { key, value, metadata, expiration, expiration_ttl, base64 } = item as Record<
    string,
    unknown
  >;
  assertValidKey(key);
  if (typeof value !== 'string') {
    throw validationError(`Item ${index} (key ${JSON.stringify(key)}) needs a string "value".`);
  }
  if (base64 !== undefined && typeof base64 !== 'boolean') {
    throw validationError(`Item ${index} (key ${JSON.stringify(key)}): "base64" must be boolean.`);
  }
  const bytes = base64 === true ? decodeBase64(value, index) : value;
  const valueBytes = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength;
  if (valueBytes > MAX_VALUE_BYTES) {
    throw validationError(`Value length of ${valueBytes} exceeds limit of ${MAX_VALUE_BYTES}.`);
  }
  if (metadata !== undefined) {
    assertMetadataSize(metadata);
  }

  const options: KvPutOptions = { ...checkExpiration(expiration, expiration_ttl), metadata };
  return { key, value, base64: base64 === true, options };
}

function decodeBase64(text: string, index: number): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    throw validationError(`Item ${index} has "base64": true but its value is not valid base64.`);
  }
  return Buffer.from(text, 'base64');
}

// Only the last write of a key decides its final value, and writing just that one keeps the
// request's order for repeated keys while distinct keys are written concurrently.
function lastWriteOfEachKey(writes: BulkWorkerWrite[]): BulkWorkerWrite[] {
  return [...new Map(writes.map((write) => [write.key, write])).values()];
}

function mapMissingToNull(values: Map<string, unknown>): [string, unknown][] {
  return [...values].map(([key, value]) => {
    const isMissingWithMetadata =
      typeof value === 'object' && value !== null && 'value' in value && value.value === null;
    return [key, value === undefined || isMissingWithMetadata ? null : value];
  });
}
