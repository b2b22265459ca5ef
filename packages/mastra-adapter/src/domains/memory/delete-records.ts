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
 * messages that still belong to the thread, then the thread's index entries, stamp and record. A
 * missing thread still loses any messages filed under its id. A message saved between the
 * listing of the order entries and their deletion loses its entries, so its record is deleted
 * too, and no message is left that no listing reaches.
 */
export async function deleteThread(
  context: StoreContext,
  order: MessageOrder,
  threadIndex: ThreadIndex,
  threadId: string,
): Promise<void> {
  const thread = await readThread(context, threadId);
  const entries = await order.set.range(threadId, { direction: 'asc' });
  const listedIds = entries.map((entry) => entry.member);
  const ownIds = await messagesStillIn(context, threadId, listedIds);

  const removedIds = await order.removeThread(threadId);
  const listed = new Set(listedIds);
  const savedMeanwhile = removedIds.filter((id) => !listed.has(id));
  const lateIds = await messagesStillIn(context, threadId, savedMeanwhile, { orMissing: true });
  await deleteMessageRecords(context, [...ownIds, ...lateIds]);
  if (thread !== null) await threadIndex.removeThread(thread.resourceId, threadId);
  await context.transport.deleteMany(TABLE_THREADS, [
    threadStampKey(context, threadId),
    threadKey(context, threadId),
  ]);
}

/**
 * Returns the ids whose message record still names `threadId`. With `orMissing`, ids without a
 * record are returned too, for a save whose record may land after its order entries.
 */
async function messagesStillIn(
  context: StoreContext,
  threadId: string,
  messageIds: readonly string[],
  { orMissing = false } = {},
): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const records = await readMessages(context, messageIds);
  return messageIds.filter((_id, index) => {
    const record = records[index] ?? null;
    return record === null ? orMissing : record.threadId === threadId;
  });
}
