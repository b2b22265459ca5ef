import type { Transport } from '@cfkv/core';
import { FaultTransport, randomPrefix, type FaultTransportOptions } from '@cfkv/testing';
import type { MastraDBMessage, StorageThreadType } from '@mastra/core/memory';
import { CloudflareStore } from '../../src/index.js';

/** One store over fresh namespaces, as each transport's test file provides it. */
export interface StoreFixture {
  store: CloudflareStore;
  /** The real transport under the store, for more stores over the same namespaces. */
  transport: Transport;
  /** Every key in every namespace. */
  rawKeys(): Promise<string[]>;
  dispose(): Promise<void>;
}

export type CreateStore = (options: { keyPrefix: string }) => Promise<StoreFixture>;

/** A second store over the fixture's namespaces, optionally behind a fault transport. */
export function openStore(
  fixture: StoreFixture,
  options: { keyPrefix?: string; faults?: FaultTransportOptions } = {},
): { store: CloudflareStore; faults: FaultTransport } {
  const faults = new FaultTransport(fixture.transport, options.faults ?? {});
  const store = new CloudflareStore({
    transport: faults,
    keyPrefix: options.keyPrefix ?? fixture.store.keyPrefix,
  });
  return { store, faults };
}

export function newPrefix(): string {
  return randomPrefix('mastra');
}

export function memoryOf(store: CloudflareStore) {
  return store.stores.memory;
}

export function makeThread(
  id: string,
  resourceId: string,
  createdAt: Date,
  extra: Partial<StorageThreadType> = {},
): StorageThreadType {
  return {
    id,
    resourceId,
    title: `title ${id}`,
    metadata: {},
    createdAt,
    updatedAt: createdAt,
    ...extra,
  };
}

export function makeMessage(
  id: string,
  threadId: string,
  createdAt: Date,
  extra: Partial<MastraDBMessage> = {},
): MastraDBMessage {
  return {
    id,
    threadId,
    resourceId: 'resource-1',
    role: 'user',
    type: 'text',
    createdAt,
    content: { format: 2, parts: [{ type: 'text', text: `text of ${id}` }] },
    ...extra,
  } as MastraDBMessage;
}

/** Milliseconds from a fixed base, so tests choose exact createdAt values. */
export function at(offsetMs: number): Date {
  return new Date(Date.UTC(2025, 0, 1) + offsetMs);
}

export function ids(items: readonly { id: string }[]): string[] {
  return items.map((item) => item.id);
}
