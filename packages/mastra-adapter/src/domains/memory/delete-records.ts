import { TABLE_THREADS } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';
import type { MessageOrder } from './message-order.js';
import { deleteMessageRecords, readMessages, type StoredMessage } from './message-records.js';
import type { ThreadIndex } from './thread-index.js';
import { readThread, threadKey } from './thread-records.js';
import { threadStampKey } from './thread-stamp-key.js';
import { setThreadsUpdatedAt } from './thread-timestamps.js';

/**
 * Deletes messages by id: order entries first, then records, then the updatedAt of their
 * threads is set to now. Ids that do not exist are ignored.
 */
export async function deleteMessages(
  context: StoreContext,
  order: MessageOrder,
  threadIndex: ThreadIndex,
  messageIds: readonly string[],
): Promise<void> {
  if (messageIds.length === 0) return;
  const ids = [...new Set(messageIds)];
  const records = await readMessages(context, ids);
  const existing = records.filter((record): record is StoredMessage => record !== null);

  await order.remove(existing);
  await deleteMessageRecords(context, ids);
  const now = new Date();
  const threads = new Map(existing.map((message) => [message.threadId, now]));
  await setThreadsUpdatedAt(context, threadIndex, threads);
}

/**
 * Deletes a thread with every message and index key of it: order entries first, then the
 * messages whose records still name the thread, then the thread's index entries, stamp and
 * record. Records are read after their order entries are gone, so a message moved to another
 * thread meanwhile keeps its record, and one saved meanwhile is deleted whole or kept whole. A
 * missing thread still loses any messages filed under its id.
 */
export async function deleteThread(
  context: StoreContext,
  order: MessageOrder,
  threadIndex: ThreadIndex,
  threadId: string,
): Promise<void> {
  const thread = await readThread(context, threadId);
  const removedIds = await order.removeThread(threadId);
  const ownIds = await messagesStillIn(context, threadId, removedIds);
  await deleteMessageRecords(context, ownIds);
  if (thread !== null) await threadIndex.removeThread(thread.resourceId, threadId);
  await context.transport.deleteMany(TABLE_THREADS, [
    threadStampKey(context, threadId),
    threadKey(context, threadId),
  ]);
}

/**
 * Returns the ids whose message record names `threadId` or is missing: a save whose order
 * entries were found may not have written its record yet.
 */
async function messagesStillIn(
  context: StoreContext,
  threadId: string,
  messageIds: readonly string[],
): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const records = await readMessages(context, messageIds);
  return messageIds.filter((_id, index) => {
    const record = records[index] ?? null;
    return record === null || record.threadId === threadId;
  });
}
