import type { KeySchema, Transport } from '@cfkv/core';

/** State shared by every domain of one CloudflareStore: its transport and its key schema. */
export interface StoreContext {
  readonly transport: Transport;
  readonly keys: KeySchema;
  /** Minimum milliseconds between two updatedAt writes of one thread caused by message writes. */
  readonly threadTouchIntervalMs: number;
  /** Logs a warning through the store's Mastra logger, for a failure a call recovers from. */
  readonly warn: (message: string, details: Record<string, unknown>) => void;
}
