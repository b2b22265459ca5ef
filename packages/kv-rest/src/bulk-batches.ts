import { utf8ByteLength } from '@cfkv/core';

/** One item of a REST bulk write (`PUT .../bulk`). */
export interface BulkWriteItem {
  key: string;
  value: string;
  metadata?: unknown;
  expiration_ttl?: number;
}

/**
 * Splits bulk write items into request bodies of at most `maxItems` items and `maxBytes` bytes
 * of JSON each (Cloudflare takes 10,000 pairs and 100 MB a request). Each body is a JSON array.
 */
export function splitBulkWrite(
  items: readonly BulkWriteItem[],
  maxItems: number,
  maxBytes: number,
): BulkWriteItem[][] {
  const batches: BulkWriteItem[][] = [];
  let batch: BulkWriteItem[] = [];
  // The brackets of the array, then one comma before every item after the first.
  let batchBytes = 2;

  for (const item of items) {
    const itemBytes = utf8ByteLength(JSON.stringify(item)) + 1;
    const isFull = batch.length >= maxItems || batchBytes + itemBytes > maxBytes;
    if (batch.length > 0 && isFull) {
      batches.push(batch);
      batch = [];
      batchBytes = 2;
    }
    batch.push(item);
    batchBytes += itemBytes;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
