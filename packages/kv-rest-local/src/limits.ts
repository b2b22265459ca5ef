/** Cloudflare Workers KV REST API limits that this server enforces, with the unit in each name. */
export const MAX_KEY_BYTES = 512;
export const MAX_VALUE_BYTES = 25 * 1024 * 1024;
export const MAX_METADATA_BYTES = 1024;
export const MIN_EXPIRATION_TTL_SECONDS = 60;
/**
 * Maximum `expiration` (seconds since the UNIX epoch, 2038-01-19T03:14:07Z) and `expiration_ttl`
 * (seconds). workerd's KV binding takes both as 32-bit signed integers and raises "Value out of
 * range" above this (Miniflare 4.20260730). Cloudflare documents no upper limit for the REST API.
 */
export const MAX_EXPIRATION_SECONDS = 2_147_483_647;
export const MIN_LIST_LIMIT = 10;
export const MAX_LIST_LIMIT = 1000;
export const MAX_BULK_GET_KEYS = 100;
export const MAX_BULK_WRITE_PAIRS = 10_000;
export const MAX_BULK_WRITE_BYTES = 100 * 1000 * 1000;
export const MAX_BULK_DELETE_KEYS = 10_000;
export const MIN_NAMESPACES_PER_PAGE = 5;
export const MAX_NAMESPACES_PER_PAGE = 1000;
export const DEFAULT_NAMESPACES_PER_PAGE = 20;
export const MAX_NAMESPACE_TITLE_BYTES = 512;
/** Room for multipart boundaries and the metadata part around a value of MAX_VALUE_BYTES. */
export const MAX_VALUE_REQUEST_BYTES = MAX_VALUE_BYTES + 64 * 1024;
/** Bodies of JSON requests other than bulk writes (namespace create, bulk get, bulk delete). */
export const MAX_JSON_REQUEST_BYTES = 8 * 1024 * 1024;
