import type { KeySchema, Transport } from '@cfkv/core';

/** What every domain of one CloudflareStore shares: its transport and its key schema. */
export interface StoreContext {
  readonly transport: Transport;
  readonly keys: KeySchema;
  /** Least milliseconds between two updatedAt writes of one thread caused by message writes. */
  readonly threadTouchIntervalMs: number;
}
