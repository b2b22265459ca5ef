import { decodeRecord, encodeRecord, type TableSchema } from '@cfkv/core';
import { TABLE_RESOURCES, type StorageResourceType } from '@mastra/core/storage';
import type { StoreContext } from '../../store-context.js';

const RESOURCE_SCHEMA: TableSchema = {
  id: 'text',
  workingMemory: 'text',
  metadata: 'jsonb',
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
};

export interface ResourceUpdate {
  resourceId: string;
  workingMemory?: string;
  metadata?: Record<string, unknown>;
}

function resourceKey(context: StoreContext, resourceId: string): string {
  return context.keys.key(TABLE_RESOURCES, ['record', resourceId], 'resourceId');
}

export async function getResource(
  context: StoreContext,
  resourceId: string,
): Promise<StorageResourceType | null> {
  const key = resourceKey(context, resourceId);
  const text = await context.transport.get(TABLE_RESOURCES, key);
  if (text === null) return null;
  return decodeRecord<StorageResourceType>(RESOURCE_SCHEMA, text, { table: TABLE_RESOURCES, key });
}

/** Writes the resource and returns it as a later read will return it. */
export async function saveResource(
  context: StoreContext,
  resource: StorageResourceType,
): Promise<StorageResourceType> {
  const key = resourceKey(context, resource.id);
  const text = encodeRecord(RESOURCE_SCHEMA, resource, { table: TABLE_RESOURCES, key });
  await context.transport.put(TABLE_RESOURCES, key, text);
  return decodeRecord<StorageResourceType>(RESOURCE_SCHEMA, text, { table: TABLE_RESOURCES, key });
}

/**
 * Creates the resource when missing, else replaces working memory when given and merges
 * metadata, as Mastra's stores do. Two concurrent updates of one resource can overwrite each
 * other's metadata keys, because KV has no compare-and-set.
 */
export async function updateResource(
  context: StoreContext,
  update: ResourceUpdate,
): Promise<StorageResourceType> {
  const existing = await getResource(context, update.resourceId);
  const now = new Date();
  const next: StorageResourceType =
    existing === null
      ? {
          id: update.resourceId,
          workingMemory: update.workingMemory,
          metadata: update.metadata ?? {},
          createdAt: now,
          updatedAt: now,
        }
      : {
          ...existing,
          workingMemory: update.workingMemory ?? existing.workingMemory,
          metadata: { ...existing.metadata, ...update.metadata },
          updatedAt: now,
        };
  return saveResource(context, next);
}
