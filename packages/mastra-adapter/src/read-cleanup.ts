import type { StoreContext } from './store-context.js';

/**
 * Runs the index clean-up a read does on the way. When it fails, as with a token that may only
 * read or a spent daily write quota, the failure is logged and the read goes on: readers skip
 * the entries it would have fixed.
 */
export async function cleanUpWhileReading(
  context: StoreContext,
  cleanUp: string,
  details: Record<string, unknown>,
  action: () => Promise<void>,
): Promise<void> {
  try {
    await action();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    context.warn(`cloudflare-kv ${cleanUp} failed; the read goes on without it`, {
      ...details,
      error: reason,
    });
  }
}
