import { CfkvError } from '@cfkv/core';
import type { MastraDBMessage, StorageThreadType } from '@mastra/core/memory';
import {
  MemoryStorage,
  TABLE_MESSAGES,
  TABLE_RESOURCES,
  TABLE_THREADS,
  type StorageListMessagesInput,
  type StorageListMessagesOutput,
  type StorageListThreadsInput,
  type StorageListThreadsOutput,
  type StorageResourceType,
} from '@mastra/core/storage';
import { clearTables } from '../../clear-tables.js';
import type { StoreContext } from '../../store-context.js';
import { MEMORY_DOMAIN, runStoreOperation, type ErrorDetails } from '../../store-errors.js';
import { deleteMessages, deleteThread } from './delete-records.js';
import {
  assertArguments,
  assertArray,
  assertDateRange,
  assertIncludeItems,
  assertId,
  assertOptionalRecord,
  assertOptionalText,
  assertPage,
  assertPerPage,
  assertTimestamp,
  threadIdList,
} from './input-validation.js';
import { listMessages } from './list-messages.js';
import { listThreads } from './list-threads.js';
import { MessageOrder } from './message-order.js';
import { OwnWritesTransport } from './own-writes-transport.js';
import { readMessages, toMastraMessage, type StoredMessage } from './message-records.js';
import { getResource, saveResource, updateResource, type ResourceUpdate } from './resources.js';
import { saveMessages } from './save-messages.js';
import { ThreadIndex } from './thread-index.js';
import { getThread, saveThread, updateThread, type ThreadUpdate } from './thread-operations.js';
import { updateMessages, type MessageUpdate } from './update-messages.js';

const MEMORY_TABLES = [TABLE_THREADS, TABLE_MESSAGES, TABLE_RESOURCES] as const;

/**
 * Mastra's memory domain (threads, messages, resources) over Workers KV. Each method is one
 * operation at the boundary: failures become a MastraError with a stable id.
 */
export class CloudflareMemoryStorage extends MemoryStorage {
  override readonly supportsPartialThreadUpdate = true;
  readonly #context: StoreContext;
  readonly #ownWrites: OwnWritesTransport;
  readonly #order: MessageOrder;
  readonly #threadIndex: ThreadIndex;

  constructor(context: StoreContext) {
    super();
    this.#ownWrites = new OwnWritesTransport(
      context.transport,
      (table, key) =>
        key.startsWith(context.keys.prefix(table, ['record'])) ||
        key.startsWith(context.keys.prefix(table, ['stamp'])),
    );
    this.#context = { ...context, transport: this.#ownWrites };
    this.#order = new MessageOrder(context);
    this.#threadIndex = new ThreadIndex(context);
  }

  override async dangerouslyClearAll(): Promise<void> {
    await this.#run('CLEAR_MEMORY', {}, async () => {
      await clearTables(this.#context, MEMORY_TABLES);
      this.#ownWrites.forget();
    });
  }

  /**
   * Forgets the record writes this object remembers to read its own writes. Call it after the
   * memory tables were cleared by another path, such as `CloudflareStore.dangerouslyClearAll`.
   */
  forgetOwnWrites(): void {
    this.#ownWrites.forget();
  }

  override async getThreadById(args: {
    threadId: string;
    resourceId?: string;
  }): Promise<StorageThreadType | null> {
    return this.#run('GET_THREAD_BY_ID', { threadId: detail(args?.threadId) }, () => {
      assertArguments(args, 'args');
      assertId(args.threadId, 'threadId');
      return getThread(this.#context, args.threadId, args.resourceId);
    });
  }

  override async saveThread(args: { thread: StorageThreadType }): Promise<StorageThreadType> {
    return this.#run('SAVE_THREAD', { threadId: detail(args?.thread?.id) }, () => {
      assertArguments(args, 'args');
      assertArguments(args.thread, 'thread');
      assertTimestamp(args.thread.createdAt, 'createdAt');
      assertTimestamp(args.thread.updatedAt, 'updatedAt');
      assertOptionalText(args.thread.title, 'title');
      assertOptionalRecord(args.thread.metadata, 'metadata');
      return saveThread(this.#context, this.#threadIndex, args.thread);
    });
  }

  override async updateThread(update: ThreadUpdate): Promise<StorageThreadType> {
    return this.#run('UPDATE_THREAD', { threadId: detail(update?.id) }, () => {
      assertArguments(update, 'args');
      assertId(update.id, 'id');
      assertOptionalText(update.title, 'title');
      assertOptionalRecord(update.metadata, 'metadata');
      return updateThread(this.#context, this.#threadIndex, update);
    });
  }

  override async deleteThread(args: { threadId: string }): Promise<void> {
    await this.#run('DELETE_THREAD', { threadId: detail(args?.threadId) }, () => {
      assertArguments(args, 'args');
      assertId(args.threadId, 'threadId');
      return deleteThread(this.#context, this.#order, this.#threadIndex, args.threadId);
    });
  }

  override async listThreads(args: StorageListThreadsInput): Promise<StorageListThreadsOutput> {
    const details = { resourceId: detail(args?.filter?.resourceId), page: detail(args?.page) };
    return this.#run('LIST_THREADS', details, async () => {
      assertArguments(args, 'args');
      const { field, direction } = this.parseOrderBy(args.orderBy);
      assertPage(args.page ?? 0);
      assertPerPage(args.perPage);
      this.#validateThreadPagination(args.page ?? 0, args.perPage ?? 100);
      if (args.filter?.resourceId !== undefined) {
        assertId(args.filter.resourceId, 'filter.resourceId');
      }
      this.#validateThreadMetadataFilter(args.filter?.metadata);
      const listing = { field, direction: direction === 'ASC' ? 'asc' : 'desc' } as const;
      return listThreads(this.#context, this.#threadIndex, args, listing);
    });
  }

  override async listMessages(args: StorageListMessagesInput): Promise<StorageListMessagesOutput> {
    const threadId = args?.threadId;
    const details = {
      threadId: Array.isArray(threadId) ? detail(threadId.join(',')) : detail(threadId),
      page: detail(args?.page),
    };
    return this.#run('LIST_MESSAGES', details, () => {
      assertArguments(args, 'args');
      threadIdList(args.threadId);
      assertPage(args.page ?? 0);
      assertPerPage(args.perPage);
      assertIncludeItems(args.include);
      assertDateRange(args.filter?.dateRange);
      return listMessages(this.#context, this.#order, args);
    });
  }

  override async listMessagesById(args: {
    messageIds: string[];
  }): Promise<{ messages: MastraDBMessage[] }> {
    return this.#run('LIST_MESSAGES_BY_ID', { count: countOf(args?.messageIds) }, async () => {
      assertArguments(args, 'args');
      const messageIds = args.messageIds;
      assertArray(messageIds, 'messageIds');
      for (const messageId of messageIds) assertId(messageId, 'messageIds');
      const records = await readMessages(this.#context, [...new Set(messageIds)]);
      const messages = records
        .filter((record): record is StoredMessage => record !== null)
        .sort(
          (left, right) =>
            new Date(left.createdAt).getTime() - new Date(right.createdAt).getTime() ||
            left.orderTiebreak - right.orderTiebreak,
        );
      return { messages: messages.map(toMastraMessage) };
    });
  }

  override async saveMessages(args: {
    messages: MastraDBMessage[];
  }): Promise<{ messages: MastraDBMessage[] }> {
    return this.#run('SAVE_MESSAGES', { count: countOf(args?.messages) }, async () => {
      assertArguments(args, 'args');
      assertArray(args.messages, 'messages');
      for (const message of args.messages) {
        assertArguments(message, 'messages[]');
        assertTimestamp(message.createdAt, 'createdAt');
        assertOptionalText(message.resourceId, 'resourceId');
      }
      return {
        messages: await saveMessages(this.#context, this.#order, this.#threadIndex, args.messages),
      };
    });
  }

  override async updateMessages(args: { messages: MessageUpdate[] }): Promise<MastraDBMessage[]> {
    return this.#run('UPDATE_MESSAGES', { count: countOf(args?.messages) }, () => {
      assertArguments(args, 'args');
      assertArray(args.messages, 'messages');
      for (const message of args.messages) assertArguments(message, 'messages[]');
      return updateMessages(this.#context, this.#order, this.#threadIndex, args.messages);
    });
  }

  override async deleteMessages(messageIds: string[]): Promise<void> {
    await this.#run('DELETE_MESSAGES', { count: countOf(messageIds) }, () => {
      assertArray(messageIds, 'messageIds');
      for (const messageId of messageIds) assertId(messageId, 'messageIds');
      return deleteMessages(this.#context, this.#order, this.#threadIndex, messageIds);
    });
  }

  override async getResourceById(args: {
    resourceId: string;
  }): Promise<StorageResourceType | null> {
    return this.#run('GET_RESOURCE_BY_ID', { resourceId: detail(args?.resourceId) }, () => {
      assertArguments(args, 'args');
      assertId(args.resourceId, 'resourceId');
      return getResource(this.#context, args.resourceId);
    });
  }

  override async saveResource(args: {
    resource: StorageResourceType;
  }): Promise<StorageResourceType> {
    return this.#run('SAVE_RESOURCE', { resourceId: detail(args?.resource?.id) }, () => {
      assertArguments(args, 'args');
      assertArguments(args.resource, 'resource');
      assertId(args.resource.id, 'resource.id');
      assertOptionalText(args.resource.workingMemory, 'workingMemory');
      assertOptionalRecord(args.resource.metadata, 'metadata');
      return saveResource(this.#context, args.resource);
    });
  }

  override async updateResource(update: ResourceUpdate): Promise<StorageResourceType> {
    return this.#run('UPDATE_RESOURCE', { resourceId: detail(update?.resourceId) }, () => {
      assertArguments(update, 'args');
      assertId(update.resourceId, 'resourceId');
      assertOptionalText(update.workingMemory, 'workingMemory');
      assertOptionalRecord(update.metadata, 'metadata');
      return updateResource(this.#context, update);
    });
  }

  /**
   * Applies Mastra's checks of metadata filter keys and rejects values JSON cannot hold (BigInt,
   * cycles), which no stored thread can equal, as USER errors.
   */
  #validateThreadMetadataFilter(metadata: Record<string, unknown> | undefined): void {
    const field = 'filter.metadata';
    rethrowAsInvalidArgument(field, () => this.validateMetadataKeys(metadata));
    rethrowAsInvalidArgument(field, () => JSON.stringify(metadata));
  }

  /** Applies Mastra's page limits, rejecting a page or perPage past them as a USER error. */
  #validateThreadPagination(page: number, perPage: number | false): void {
    if (typeof perPage === 'number' && !Number.isSafeInteger(perPage)) {
      throw new CfkvError('INVALID_ARGUMENT', `perPage must be a safe integer, got ${perPage}.`, {
        field: 'perPage',
      });
    }
    rethrowAsInvalidArgument('page', () => this.validatePaginationInput(page, perPage));
  }

  #run<T>(name: Uppercase<string>, details: ErrorDetails, action: () => Promise<T>): Promise<T> {
    return runStoreOperation({ name, domain: MEMORY_DOMAIN, details, logger: this.logger }, action);
  }
}

/** Runs a check of Mastra's and turns the plain Error it throws into INVALID_ARGUMENT. */
function rethrowAsInvalidArgument(field: string, check: () => unknown): void {
  try {
    check();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CfkvError('INVALID_ARGUMENT', `${field}: ${reason}`, { field });
  }
}

/** Converts caller input of any type to a scalar error detail. */
function detail(value: unknown): string | number | null {
  if (typeof value === 'string' || typeof value === 'number') return value;
  return value === undefined || value === null ? null : String(value);
}

function countOf(list: unknown): number | null {
  return Array.isArray(list) ? list.length : null;
}
