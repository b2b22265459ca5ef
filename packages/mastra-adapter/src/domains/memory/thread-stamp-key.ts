import { CfkvError, type KvEntry } from '@cfkv/core';
import { TABLE_THREADS } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';

/**
 * Returns the key of a thread's latest updatedAt stamp from a message write. The stamp is kept
 * apart from the thread record, so stamping never rewrites a title or metadata just stored.
 */
export function threadStampKey(context: StoreContext, threadId: string): string {
  return context.keys.key(TABLE_THREADS, ['stamp', threadId], 'threadId');
}

export function toThreadStampEntry(
  context: StoreContext,
  threadId: string,
  updatedAt: Date,
): KvEntry {
  return { key: threadStampKey(context, threadId), value: String(updatedAt.getTime()) };
}

/** Reads a stamp value: milliseconds since 1970 as decimal text. */
export function decodeThreadStamp(text: string, key: string): Date {
  const time = /^-?\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(time) || Number.isNaN(new Date(time).getTime())) {
    const shown = JSON.stringify(text.slice(0, 40));
    const message = `${key} contains ${shown}, not a thread updatedAt stamp in milliseconds.`;
    throw new CfkvError('CORRUPT_RECORD', message, {
      table: TABLE_THREADS,
      key,
    });
  }
  return new Date(time);
}
