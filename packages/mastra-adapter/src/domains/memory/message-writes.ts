import { CfkvError, isCfkvError } from '@cfkv/core';
import { TABLE_MESSAGES } from '@mastra/core/storage';
import { putBackNeededKeys } from '../../put-back-needed-keys.js';
import type { StoreContext } from '../../store-context.js';
import { entryKeyChanged, type MessageOrder } from './message-order.js';
import { readMessages, toRecordEntries, type StoredMessage } from './message-records.js';

export interface MessageChange {
  previous: StoredMessage | null;
  next: StoredMessage;
}

/**
 * Writes message records and their order entries in one `putMany` (one REST bulk write per
 * 10,000 pairs), then deletes the order entries of messages that moved. A concurrent write of a
 * moved message may have written those entries again and won, so the moved records are read
 * again and their needed entries put back. KV has no multi-key transaction, so a failed write
 * may leave some keys written: readers skip an order entry whose record does not describe it,
 * and saving the same messages again writes the missing keys. A failure names what was and was
 * not written.
 */
export async function writeMessageChanges(
  context: StoreContext,
  order: MessageOrder,
  changes: readonly MessageChange[],
): Promise<void> {
  const messages = changes.map((change) => change.next);
  if (messages.length === 0) return;
  const entries = [...toRecordEntries(context, messages), ...order.toKvEntries(messages)];

  await runWriteStep('records', messages, () => context.transport.putMany(TABLE_MESSAGES, entries));

  const moved = changes.flatMap((change) =>
    change.previous !== null && entryKeyChanged(change.previous, change.next)
      ? [change.previous]
      : [],
  );
  await runWriteStep('moved-entries', moved, () => order.remove(moved));
  await runWriteStep('raced-entries', moved, () =>
    putBackNeededKeys(context.transport, TABLE_MESSAGES, order.entryKeys(moved), async () => {
      const current = await readMessages(
        context,
        moved.map((message) => message.id),
      );
      // A read that returns the moved version comes from a cache older than this write.
      const movedStamps = new Map(moved.map((message) => [message.id, message.writeStamp]));
      return order.toKvEntries(
        current.filter(
          (message): message is StoredMessage =>
            message !== null && message.writeStamp !== movedStamps.get(message.id),
        ),
      );
    }),
  );
}

/** A step of a message write, named in the error when it fails. */
export type WriteStep = 'records' | 'moved-entries' | 'raced-entries' | 'thread-timestamps';

/** Runs one step of a message write; its error names what the write had done so far. */
export async function runWriteStep(
  step: WriteStep,
  messages: readonly StoredMessage[],
  action: () => Promise<void>,
): Promise<void> {
  try {
    await action();
  } catch (error) {
    throw describeFailedWrite(error, messages, step);
  }
}

const OUTCOMES: Record<WriteStep, (ids: string) => string> = {
  records: (ids) =>
    `Messages ${ids} may be partly written: a message whose record and order entries were ` +
    'not all written is not listed yet. Nothing else was written; saving the same messages ' +
    'again is safe and completes the write.',
  'moved-entries': (ids) =>
    `Messages ${ids} were written and are listed at their new place, but their old order ` +
    'entries were not deleted. Readers skip those entries and delete them when they meet them.',
  'raced-entries': (ids) =>
    `Messages ${ids} were written and are listed at their new place, and their old order ` +
    'entries were deleted. Reading them again, to put back an old entry that a concurrent ' +
    'save still needs, failed: a message another store saved at its old place meanwhile is ' +
    'not listed until it is saved again.',
  'thread-timestamps': (ids) =>
    `Messages ${ids} were written and are listed, but the updatedAt of their threads was not ` +
    'set.',
};

/**
 * Wraps a transport failure in a CfkvError with the same code. Its message names the messages
 * stored and listed so far, so a caller can tell that retrying the same call is safe and needed.
 */
function describeFailedWrite(
  error: unknown,
  messages: readonly StoredMessage[],
  step: WriteStep,
): unknown {
  if (!isCfkvError(error) || error.isUserError) return error;

  const outcome = OUTCOMES[step](describeIds(messages));
  const cause = /[.!?]$/.test(error.message) ? error.message : `${error.message}.`;
  return new CfkvError(
    error.code,
    `${cause} ${outcome}`,
    {
      table: error.table,
      key: error.key,
      status: error.status,
      cloudflareCode: error.cloudflareCode,
      operation: error.operation,
      writtenKeys: error.writtenKeys,
      unwrittenKeys: error.unwrittenKeys,
    },
    { cause: error },
  );
}

/** At most this many ids are named in an error message; the rest are counted. */
const MAX_IDS_IN_MESSAGE = 5;

function describeIds(messages: readonly StoredMessage[]): string {
  const named = messages.slice(0, MAX_IDS_IN_MESSAGE).map((message) => JSON.stringify(message.id));
  const rest = messages.length - named.length;
  return rest > 0 ? `${named.join(', ')} and ${rest} more` : named.join(', ');
}
