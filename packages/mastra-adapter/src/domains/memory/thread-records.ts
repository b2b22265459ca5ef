import {
  decodeRecord,
  encodeRecord,
  getManyInBatches,
  type KvEntry,
  type TableSchema,
} from '@cfkv/core';
import type { StorageThreadType } from '@mastra/core/memory';
import { TABLE_THREADS } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';

const THREAD_SCHEMA: TableSchema = {
  id: 'text',
  resourceId: 'text',
  title: 'text',
  metadata: 'jsonb',
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
  orderTiebreak: 'integer',
};

/** A thread as stored: Mastra's thread plus the tiebreak of its index entries. */
export interface StoredThread extends StorageThreadType {
  orderTiebreak: number;
}

export function threadKey(context: StoreContext, threadId: string): string {
  return context.keys.key(TABLE_THREADS, ['record', threadId], 'threadId');
}

export async function readThread(
  context: StoreContext,
  threadId: string,
): Promise<StoredThread | null> {
  const key = threadKey(context, threadId);
  const text = await context.transport.get(TABLE_THREADS, key);
  return text === null ? null : decodeThread(text, key);
}

export async function readThreads(
  context: StoreContext,
  threadIds: readonly string[],
): Promise<(StoredThread | null)[]> {
  const keys = threadIds.map((threadId) => threadKey(context, threadId));
  const texts = await getManyInBatches(context.transport, TABLE_THREADS, keys);
  return texts.map((text, index) => (text === null ? null : decodeThread(text, keys[index]!)));
}

/** Encodes a thread record as a KV entry, for a `putMany` that also carries its index entries. */
export function toThreadRecordEntry(context: StoreContext, thread: StoredThread): KvEntry {
  const key = threadKey(context, thread.id);
  return { key, value: encodeRecord(THREAD_SCHEMA, thread, { table: TABLE_THREADS, key }) };
}

export function decodeThread(text: string, key: string): StoredThread {
  return decodeRecord<StoredThread>(THREAD_SCHEMA, text, { table: TABLE_THREADS, key });
}

/** The thread as Mastra sees it: the stored record without the index tiebreak. */
export function toThread(stored: StoredThread): StorageThreadType {
  const { orderTiebreak: _orderTiebreak, ...thread } = stored;
  return thread;
}

/** Round-trips a thread through the codec, so callers see what a later read returns. */
export function normalizeThread(context: StoreContext, stored: StoredThread): StoredThread {
  const key = threadKey(context, stored.id);
  return decodeThread(encodeRecord(THREAD_SCHEMA, stored, { table: TABLE_THREADS, key }), key);
}
