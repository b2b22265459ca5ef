import { CfkvError } from '@cfkv/core';
import type { StorageThreadType } from '@mastra/core/memory';
import { TABLE_THREADS } from '@mastra/core/storage';
import { assertEntryKeyFits } from '../../entry-key-check.js';
import type { StoreContext } from '../../store-context.js';
import { assertId } from './input-validation.js';
import { dropIfSuperseded } from './thread-timestamps.js';
import { reserveTiebreaks } from './order-tiebreak.js';
import { THREAD_INDEXES, type ThreadIndex } from './thread-index.js';
import {
  normalizeThread,
  readThread,
  threadKey,
  toThread,
  type StoredThread,
} from './thread-records.js';
import { writeThreadAndIndex } from './thread-writes.js';

export interface ThreadUpdate {
  id: string;
  title?: string;
  metadata?: Record<string, unknown>;
}

export async function getThread(
  context: StoreContext,
  threadId: string,
  resourceId: string | undefined,
): Promise<StorageThreadType | null> {
  const thread = await readThread(context, threadId);
  if (thread === null) return null;
  if (resourceId !== undefined && thread.resourceId !== resourceId) return null;
  return toThread(thread);
}

/**
 * Upserts a thread: the record and its new index entries are written together, then entries
 * replaced by a new resource or timestamps are deleted. A saved thread keeps its tiebreak. Returns the thread as reads will.
 */
export async function saveThread(
  context: StoreContext,
  threadIndex: ThreadIndex,
  thread: StorageThreadType,
): Promise<StorageThreadType> {
  assertWritableThread(context, thread);
  const previous = await readThread(context, thread.id);
  const next = normalizeThread(context, {
    ...thread,
    orderTiebreak: previous?.orderTiebreak ?? reserveTiebreaks(1),
  });

  await writeThreadAndIndex(context, threadIndex, previous, next);
  return toThread(next);
}

/** Sets the title when given, merges metadata and stamps updatedAt; rejects a missing thread. */
export async function updateThread(
  context: StoreContext,
  threadIndex: ThreadIndex,
  update: ThreadUpdate,
): Promise<StorageThreadType> {
  const previous = await readThread(context, update.id);
  if (previous === null) {
    throw new CfkvError('INVALID_ARGUMENT', `Thread ${update.id} was not found.`, {
      table: TABLE_THREADS,
      field: 'id',
    });
  }
  const next: StoredThread = normalizeThread(context, {
    ...previous,
    title: update.title ?? previous.title,
    metadata: { ...previous.metadata, ...update.metadata },
    updatedAt: new Date(),
  });

  await writeThreadAndIndex(context, threadIndex, previous, next);
  await dropIfSuperseded(context, threadIndex, next);
  return toThread(next);
}

function assertWritableThread(context: StoreContext, thread: StorageThreadType): void {
  assertId(thread.id, 'threadId');
  assertId(thread.resourceId, 'resourceId');
  threadKey(context, thread.id);
  for (const index of Object.values(THREAD_INDEXES)) {
    assertEntryKeyFits(context.keys, {
      table: TABLE_THREADS,
      index,
      owner: thread.resourceId,
      member: thread.id,
      ownerField: 'resourceId',
      memberField: 'threadId',
    });
  }
}
