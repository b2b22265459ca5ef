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
import { decodeThreadStamp, threadStampKey } from './thread-stamp-key.js';

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

/** Reads a thread: its record, with updatedAt moved to its stamp when the stamp is later. */
export async function readThread(
  context: StoreContext,
  threadId: string,
): Promise<StoredThread | null> {
  const [thread] = await readThreads(context, [threadId]);
  return thread ?? null;
}

/** Reads threads by id, each as {@link readThread} does, in bulk gets of records and stamps. */
export async function readThreads(
  context: StoreContext,
  threadIds: readonly string[],
): Promise<(StoredThread | null)[]> {
  const recordKeys = threadIds.map((threadId) => threadKey(context, threadId));
  const stampKeys = threadIds.map((threadId) => threadStampKey(context, threadId));
  const texts = await getManyInBatches(context.transport, TABLE_THREADS, [
    ...recordKeys,
    ...stampKeys,
  ]);
  return recordKeys.map((key, index) => {
    const text = texts[index] ?? null;
    if (text === null) return null;
    const stamp = texts[recordKeys.length + index] ?? null;
    return withStamp(decodeThread(text, key), stamp, stampKeys[index]!);
  });
}

/** Adds the stamps of threads whose records were read by another path, such as a key listing. */
export async function applyThreadStamps(
  context: StoreContext,
  threads: readonly StoredThread[],
): Promise<StoredThread[]> {
  const stampKeys = threads.map((thread) => threadStampKey(context, thread.id));
  const stamps = await getManyInBatches(context.transport, TABLE_THREADS, stampKeys);
  return threads.map((thread, index) =>
    withStamp(thread, stamps[index] ?? null, stampKeys[index]!),
  );
}

function withStamp(thread: StoredThread, stamp: string | null, stampKey: string): StoredThread {
  if (stamp === null) return thread;
  const stampedAt = decodeThreadStamp(stamp, stampKey);
  return stampedAt > new Date(thread.updatedAt) ? { ...thread, updatedAt: stampedAt } : thread;
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
