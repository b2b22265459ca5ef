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
import { assertId, threadIdList } from './input-validation.js';
import { listMessages } from './list-messages.js';
import { listThreads } from './list-threads.js';
import { MessageOrder } from './message-order.js';
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
  readonly #order: MessageOrder;
  readonly #threadIndex: ThreadIndex;

  constructor(context: StoreContext) {
    super();
    this.#context = context;
    this.#order = new MessageOrder(context);
    this.#threadIndex = new ThreadIndex(context);
  }

  override async dangerouslyClearAll(): Promise<void> {
    await this.#run('CLEAR_MEMORY', {}, () => clearTables(this.#context, MEMORY_TABLES));
  }

  override async getThreadById(args: {
    threadId: string;
    resourceId?: string;
  }): Promise<StorageThreadType | null> {
    return this.#run('GET_THREAD_BY_ID', { threadId: args.threadId }, () => {
      assertId(args.threadId, 'threadId');
      return getThread(this.#context, args.threadId, args.resourceId);
    });
  }

  override async saveThread({ thread }: { thread: StorageThreadType }): Promise<StorageThreadType> {
    return this.#run('SAVE_THREAD', { threadId: thread?.id ?? null }, () =>
      saveThread(this.#context, this.#threadIndex, thread),
    );
  }

  override async updateThread(update: ThreadUpdate): Promise<StorageThreadType> {
    return this.#run('UPDATE_THREAD', { threadId: update.id }, () => {
      assertId(update.id, 'id');
      return updateThread(this.#context, this.#threadIndex, update);
    });
  }

  override async deleteThread({ threadId }: { threadId: string }): Promise<void> {
    await this.#run('DELETE_THREAD', { threadId }, () => {
      assertId(threadId, 'threadId');
      return deleteThread(this.#context, this.#order, this.#threadIndex, threadId);
    });
  }

  override async listThreads(args: StorageListThreadsInput): Promise<StorageListThreadsOutput> {
    const details = { resourceId: args.filter?.resourceId ?? null, page: args.page ?? 0 };
    return this.#run('LIST_THREADS', details, async () => {
      const { field, direction } = this.parseOrderBy(args.orderBy);
      this.validatePaginationInput(args.page ?? 0, args.perPage ?? 100);
      this.validateMetadataKeys(args.filter?.metadata);
      const listing = { field, direction: direction === 'ASC' ? 'asc' : 'desc' } as const;
      return listThreads(this.#context, this.#threadIndex, args, listing);
    });
  }

  override async listMessages(args: StorageListMessagesInput): Promise<StorageListMessagesOutput> {
    const details = {
      threadId: Array.isArray(args.threadId) ? args.threadId.join(',') : (args.threadId ?? null),
      page: args.page ?? 0,
    };
    return this.#run('LIST_MESSAGES', details, () => {
      threadIdList(args.threadId);
      return listMessages(this.#context, this.#order, args);
    });
  }

  override async listMessagesById({
    messageIds,
  }: {
    messageIds: string[];
  }): Promise<{ messages: MastraDBMessage[] }> {
    return this.#run('LIST_MESSAGES_BY_ID', { count: messageIds.length }, async () => {
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
    return this.#run('SAVE_MESSAGES', { count: args.messages.length }, async () => ({
      messages: await saveMessages(this.#context, this.#order, this.#threadIndex, args.messages),
    }));
  }

  override async updateMessages(args: { messages: MessageUpdate[] }): Promise<MastraDBMessage[]> {
    return this.#run('UPDATE_MESSAGES', { count: args.messages.length }, () =>
      updateMessages(this.#context, this.#order, this.#threadIndex, args.messages),
    );
  }

  override async deleteMessages(messageIds: string[]): Promise<void> {
    await this.#run('DELETE_MESSAGES', { count: messageIds?.length ?? 0 }, () =>
      deleteMessages(this.#context, this.#order, this.#threadIndex, messageIds ?? []),
    );
  }

  override async getResourceById({
    resourceId,
  }: {
    resourceId: string;
  }): Promise<StorageResourceType | null> {
    return this.#run('GET_RESOURCE_BY_ID', { resourceId }, () => {
      assertId(resourceId, 'resourceId');
      return getResource(this.#context, resourceId);
    });
  }

  override async saveResource({
    resource,
  }: {
    resource: StorageResourceType;
  }): Promise<StorageResourceType> {
    return this.#run('SAVE_RESOURCE', { resourceId: resource?.id ?? null }, () => {
      assertId(resource?.id, 'resource.id');
      return saveResource(this.#context, resource);
    });
  }

  override async updateResource(update: ResourceUpdate): Promise<StorageResourceType> {
    return this.#run('UPDATE_RESOURCE', { resourceId: update.resourceId }, () => {
      assertId(update.resourceId, 'resourceId');
      return updateResource(this.#context, update);
    });
  }

  #run<T>(name: Uppercase<string>, details: ErrorDetails, action: () => Promise<T>): Promise<T> {
    return runStoreOperation({ name, domain: MEMORY_DOMAIN, details, logger: this.logger }, action);
  }
}
