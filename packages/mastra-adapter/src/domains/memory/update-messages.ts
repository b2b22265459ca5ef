import type { MastraDBMessage } from '@mastra/core/memory';
import { TABLE_MESSAGES } from '@mastra/core/storage';
import { assertEntryKeyFits } from '../../entry-key-check.js';
import type { StoreContext } from '../../store-context.js';
import { assertId } from './input-validation.js';
import { MESSAGE_ORDER_INDEX, type MessageOrder } from './message-order.js';
import { normalizeMessage, readMessages, type StoredMessage } from './message-records.js';
import { runWriteStep, writeMessageChanges } from './message-writes.js';
import { reserveTiebreaks } from './order-tiebreak.js';
import type { ThreadIndex } from './thread-index.js';
import type { StoredThread } from './thread-records.js';
import { readThreadMap, touchThread } from './thread-timestamps.js';

export type MessageUpdate = Partial<Omit<MastraDBMessage, 'createdAt'>> & {
  id: string;
  createdAt?: Date;
};

/**
 * Applies partial updates the way Mastra's stores do: content is merged one level deep (and
 * content.metadata merged too), a new threadId moves the message, and each update advances
 * the updatedAt of the threads it touches by at least one millisecond. Missing ids are
 * skipped.
 */
export async function updateMessages(
  context: StoreContext,
  order: MessageOrder,
  threadIndex: ThreadIndex,
  updates: readonly MessageUpdate[],
): Promise<MastraDBMessage[]> {
  if (updates.length === 0) return [];
  for (const update of updates) assertWritableUpdate(context, update);
  const ids = [...new Set(updates.map((update) => update.id))];
  const records = await readMessages(context, ids);
  const originals = new Map(
    records.filter((record): record is StoredMessage => record !== null).map((m) => [m.id, m]),
  );
  const threadIds = [...originals.values()].map((message) => message.threadId);
  for (const update of updates) if (update.threadId) threadIds.push(update.threadId);
  const threads = await readThreadMap(context, [...new Set(threadIds)]);
  const originalThreads = new Map(threads);

  const current = new Map(originals);
  const results: MastraDBMessage[] = [];
  for (const update of updates) {
    const message = current.get(update.id);
    if (message === undefined) continue;
    const next = applyUpdate(message, update);
    advanceThreads(threads, message.threadId, next.threadId);
    current.set(next.id, next);
    results.push(toUpdateResult(next));
  }

  const writeStamp = reserveTiebreaks(1);
  const changes = [...current.values()].map((next) => ({
    previous: originals.get(next.id) ?? null,
    next: normalizeMessage(context, { ...next, writeStamp }),
  }));
  await writeMessageChanges(context, order, changes);
  const updated = changes.map((change) => change.next);
  await runWriteStep('thread-timestamps', updated, () =>
    writeChangedThreads(context, threadIndex, originalThreads, threads),
  );
  return results;
}

function assertWritableUpdate(context: StoreContext, update: MessageUpdate): void {
  assertId(update.id, 'message.id');
  // Like Mastra's in-memory store, an empty or absent threadId leaves the message where it is.
  if (update.threadId === undefined || update.threadId === null || update.threadId === '') return;
  assertId(update.threadId, 'threadId');
  assertEntryKeyFits(context.keys, {
    table: TABLE_MESSAGES,
    index: MESSAGE_ORDER_INDEX,
    owner: update.threadId,
    member: update.id,
    ownerField: 'threadId',
    memberField: 'messageId',
  });
}

function applyUpdate(message: StoredMessage, update: MessageUpdate): StoredMessage {
  const next: StoredMessage = { ...message };
  if (update.role !== undefined) next.role = update.role;
  if (update.type !== undefined) next.type = update.type;
  if (update.createdAt !== undefined) next.createdAt = update.createdAt;
  if (update.resourceId !== undefined) next.resourceId = update.resourceId;
  if (update.content !== undefined) next.content = mergeContent(message.content, update.content);
  if (update.threadId) next.threadId = update.threadId;
  return next;
}

function mergeContent(previous: unknown, update: unknown): unknown {
  if (!isObject(previous) || !isObject(update)) return update;
  const merged: Record<string, unknown> = { ...previous, ...update };
  if (previous.metadata && merged.metadata) {
    merged.metadata = { ...(previous.metadata as object), ...(merged.metadata as object) };
  }
  return merged;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Moves thread timestamps forward as Mastra's in-memory store does: a move stamps the old
 * thread, then the new one at least a millisecond later; an in-place update stamps its thread.
 */
function advanceThreads(
  threads: Map<string, StoredThread>,
  previousThreadId: string,
  nextThreadId: string,
): void {
  const now = Date.now();
  if (previousThreadId === nextThreadId) {
    stampThread(threads, previousThreadId, now);
    return;
  }
  const oldTime = stampThread(threads, previousThreadId, now);
  stampThread(threads, nextThreadId, Math.max(now + 1, (oldTime ?? -Infinity) + 1));
}

function stampThread(
  threads: Map<string, StoredThread>,
  threadId: string,
  earliest: number,
): number | undefined {
  const thread = threads.get(threadId);
  if (thread === undefined) return undefined;
  const time = Math.max(earliest, new Date(thread.updatedAt).getTime() + 1);
  threads.set(threadId, { ...thread, updatedAt: new Date(time) });
  return time;
}

async function writeChangedThreads(
  context: StoreContext,
  threadIndex: ThreadIndex,
  originals: ReadonlyMap<string, StoredThread>,
  threads: ReadonlyMap<string, StoredThread>,
): Promise<void> {
  await Promise.all(
    [...threads.values()]
      .filter((thread) => thread !== originals.get(thread.id))
      .map((thread) => touchThread(context, threadIndex, originals.get(thread.id)!, thread)),
  );
}

function toUpdateResult(message: StoredMessage): MastraDBMessage {
  const role = message.role === 'user' || message.role === 'assistant' ? message.role : 'user';
  return {
    id: message.id,
    threadId: message.threadId,
    content: message.content,
    role,
    type: message.type,
    createdAt: message.createdAt,
    resourceId: message.resourceId ?? undefined,
  } as MastraDBMessage;
}
