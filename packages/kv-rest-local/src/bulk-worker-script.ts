/** One write of a bulk request as the worker script receives it. */
export interface BulkWorkerWrite {
  key: string;
  /** The value as sent by the client: text, or base64 when `base64` is true. */
  value: string;
  base64: boolean;
  options: { expiration?: number; expirationTtl?: number; metadata?: unknown };
}

/** A bulk write or delete for the worker script; the store adds the binding name to it. */
export type BulkOperation =
  { operation: 'put'; writes: BulkWorkerWrite[] } | { operation: 'delete'; keys: string[] };

/** Binding calls one bulk request keeps in flight at once inside workerd. */
export const BULK_WORKER_CONCURRENCY = 64;

/**
 * The worker that runs bulk writes and deletes inside workerd. Each binding call made from Node
 * is a round trip through Miniflare's proxy, so running a chunk of a bulk request in the worker
 * makes one round trip per chunk instead of one per key. For 10,000 puts on a loaded 2-core
 * machine this took 20 s against 49 s for calls from Node (Miniflare 4.20260730, one dispatch).
 * The response lists the keys whose call failed, as Cloudflare's `unsuccessful_keys`.
 */
export const BULK_WORKER_SCRIPT = `
function decodeBase64(text) {
  return Uint8Array.from(atob(text), (character) => character.charCodeAt(0));
}

async function runForEach(items, task) {
  const failedKeys = [];
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < items.length) {
      const item = items[nextIndex++];
      await task(item).catch(() => failedKeys.push(typeof item === 'string' ? item : item.key));
    }
  };
  const workers = Math.min(${BULK_WORKER_CONCURRENCY}, items.length);
  await Promise.all(Array.from({ length: workers }, worker));
  return failedKeys;
}

export default {
  async fetch(request, env) {
    if (request.method !== 'POST') return new Response(null, { status: 404 });
    const body = await request.json();
    const binding = env[body.binding];
    const failedKeys =
      body.operation === 'put'
        ? await runForEach(body.writes, (write) =>
            binding.put(
              write.key,
              write.base64 ? decodeBase64(write.value) : write.value,
              write.options,
            ),
          )
        : await runForEach(body.keys, (key) => binding.delete(key));
    return Response.json({ failedKeys });
  },
};
`;
