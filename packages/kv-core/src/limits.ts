/** Cloudflare Workers KV limits, checked in core before any call reaches KV. */
export const MAX_KEY_BYTES = 512;
export const MAX_VALUE_BYTES = 25 * 1024 * 1024;
export const MAX_METADATA_BYTES = 1024;
export const MAX_LIST_LIMIT = 1000;
export const MAX_BULK_GET_KEYS = 100;
/** Total size of the values one bulk get may return; Miniflare 4 and the KV binding return 413 past it. */
export const MAX_BULK_GET_BYTES = 25 * 1024 * 1024;
export const MAX_BULK_WRITE_PAIRS = 10_000;
export const MAX_BULK_WRITE_BYTES = 100 * 1000 * 1000;
export const MAX_BULK_DELETE_KEYS = 10_000;
export const MIN_EXPIRATION_TTL_SECONDS = 60;
export const MIN_CACHE_TTL_SECONDS = 30;
/** Cloudflare returns 429 for more than about one write a second to the same key. */
export const MIN_MILLISECONDS_BETWEEN_WRITES_TO_ONE_KEY = 1000;
