import {
  decodeRecord,
  encodeRecord,
  getManyInBatches,
  type KvEntry,
  type TableSchema,
} from '@cfkv/core';
import type { MastraDBMessage } from '@mastra/core/memory';
import { TABLE_MESSAGES } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';

const MESSAGE_SCHEMA: TableSchema = {
  id: 'text',
  threadId: 'text',
  resourceId: 'text',
  role: 'text',
  type: 'text',
  content: 'jsonb',
  createdAt: 'timestamp',
  orderTiebreak: 'integer',
  writeStamp: 'integer',
};

/** A message as stored; its key is its id alone, so finding a message's thread is one read. */
export interface StoredMessage {
  id: string;
  threadId: string;
  resourceId: string | null;
  role: string;
  type: string;
  content: unknown;
  createdAt: Date;
  orderTiebreak: number;
  /**
   * When the save that wrote this version started, from `reserveTiebreaks`: readers
   * compare it with the stamp of an order entry to tell an entry a later save superseded from
   * one whose save is still in flight. Absent on records written before stamps existed.
   */
  writeStamp?: number;
  [field: string]: unknown;
}

export function messageKey(context: StoreContext, messageId: string): string {
  return context.keys.key(TABLE_MESSAGES, ['record', messageId], 'messageId');
}

/** Reads message records by id, aligned with `messageIds`, null where missing. */
export async function readMessages(
  context: StoreContext,
  messageIds: readonly string[],
): Promise<(StoredMessage | null)[]> {
  const keys = messageIds.map((messageId) => messageKey(context, messageId));
  const texts = await getManyInBatches(context.transport, TABLE_MESSAGES, keys);
  return texts.map((text, index) => (text === null ? null : decodeMessage(text, keys[index]!)));
}

/** Encodes message records as KV entries, for a `putMany` that also carries their order entries. */
export function toRecordEntries(
  context: StoreContext,
  messages: readonly StoredMessage[],
): KvEntry[] {
  return messages.map((message) => {
    const key = messageKey(context, message.id);
    return { key, value: encodeRecord(MESSAGE_SCHEMA, message, { table: TABLE_MESSAGES, key }) };
  });
}

export async function deleteMessageRecords(
  context: StoreContext,
  messageIds: readonly string[],
): Promise<void> {
  if (messageIds.length === 0) return;
  const keys = messageIds.map((messageId) => messageKey(context, messageId));
  await context.transport.deleteMany(TABLE_MESSAGES, keys);
}

function decodeMessage(text: string, key: string): StoredMessage {
  return decodeRecord<StoredMessage>(MESSAGE_SCHEMA, text, { table: TABLE_MESSAGES, key });
}

/** Round-trips a message through the codec, so callers see what a later read returns. */
export function normalizeMessage(context: StoreContext, message: StoredMessage): StoredMessage {
  const key = messageKey(context, message.id);
  return decodeMessage(encodeRecord(MESSAGE_SCHEMA, message, { table: TABLE_MESSAGES, key }), key);
}

/** Builds the stored form of a message being saved, with Mastra's defaults for role and type. */
export function toStoredMessage(
  message: MastraDBMessage,
  orderTiebreak: number,
  writeStamp: number,
): StoredMessage {
  return {
    id: message.id,
    threadId: message.threadId ?? '',
    resourceId: message.resourceId || null,
    role: message.role || 'user',
    type: message.type || 'text',
    content: message.content,
    createdAt: message.createdAt,
    orderTiebreak,
    writeStamp,
  };
}

/**
 * The message as Mastra returns it. Content saved as a plain string comes back in Mastra's
 * format-2 shape, as Mastra's own stores return it.
 */
export function toMastraMessage(stored: StoredMessage): MastraDBMessage {
  const message: Record<string, unknown> = {
    id: stored.id,
    type: stored.type,
    createdAt: stored.createdAt,
    threadId: stored.threadId,
    content: formatContent(stored.content),
    role: stored.role,
  };
  if (stored.resourceId) message.resourceId = stored.resourceId;
  return message as unknown as MastraDBMessage;
}

function formatContent(content: unknown): unknown {
  if (typeof content !== 'string') return content;
  return { format: 2, content, parts: [{ type: 'text', text: content }] };
}
