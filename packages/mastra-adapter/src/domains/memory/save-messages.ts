import type { MastraDBMessage } from '@mastra/core/memory';
import { TABLE_MESSAGES } from '@mastra/core/storage';
import { assertEntryKeyFits } from '../../entry-key-check.js';
import type { StoreContext } from '../../store-context.js';
import { assertId } from './input-validation.js';
import { MESSAGE_ORDER_INDEX, type MessageOrder } from './message-order.js';
import {
  messageKey,
  normalizeMessage,
  readMessages,
  toMastraMessage,
  toStoredMessage,
} from './message-records.js';
import { runWriteStep, writeMessageChanges } from './message-writes.js';
import { reserveTiebreaks } from './order-tiebreak.js';
import type { ThreadIndex } from './thread-index.js';
import { setThreadsUpdatedAt } from './thread-timestamps.js';

/**
 * Upserts messages by id. A new message gets a tiebreak after every earlier save, so equal
 * createdAt keeps input order; a saved one keeps its tiebreak. Records and order entries are
 * written together, then old entries of moved messages are deleted, then the threads'
 * updatedAt is set.
 */
export async function saveMessages(
  context: StoreContext,
  order: MessageOrder,
  threadIndex: ThreadIndex,
  messages: readonly MastraDBMessage[],
): Promise<MastraDBMessage[]> {
  const latest = latestById(messages);
  for (const message of latest) assertWritableMessage(context, message);
  if (latest.length === 0) return [];

  const existing = await readMessages(
    context,
    latest.map((message) => message.id),
  );
  const firstTiebreak = reserveTiebreaks(latest.length);
  const writeStamp = reserveTiebreaks(1);
  const changes = latest.map((message, index) => {
    const previous = existing[index] ?? null;
    const tiebreak = previous?.orderTiebreak ?? firstTiebreak + index;
    return {
      previous,
      next: normalizeMessage(context, toStoredMessage(message, tiebreak, writeStamp)),
    };
  });

  await writeMessageChanges(context, order, changes);
  const now = new Date();
  const touched = new Map(latest.map((message) => [message.threadId!, now]));
  const saved = changes.map((change) => change.next);
  await runWriteStep('thread-timestamps', saved, () =>
    setThreadsUpdatedAt(context, threadIndex, touched),
  );

  return changes.map((change) => toMastraMessage(change.next));
}

/** Keeps the last version of each id at the position of its first one, as an upsert would. */
function latestById(messages: readonly MastraDBMessage[]): MastraDBMessage[] {
  const byId = new Map<string, MastraDBMessage>();
  for (const message of messages) byId.set(message.id, message);
  return [...byId.values()];
}

function assertWritableMessage(context: StoreContext, message: MastraDBMessage): void {
  assertId(message.id, 'message.id');
  assertId(message.threadId, 'threadId');
  messageKey(context, message.id);
  assertEntryKeyFits(context.keys, {
    table: TABLE_MESSAGES,
    index: MESSAGE_ORDER_INDEX,
    owner: message.threadId,
    member: message.id,
    ownerField: 'threadId',
    memberField: 'messageId',
  });
}
