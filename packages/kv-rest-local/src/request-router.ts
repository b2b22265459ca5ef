import { ApiError, ErrorCode } from './api-error.js';
import type { ApiResponse } from './api-response.js';
import { bulkDelete, bulkGet, bulkWrite } from './bulk-routes.js';
import { decodeKeyFromPath } from './key-validation.js';
import {
  createNamespace,
  deleteNamespace,
  getNamespace,
  listNamespaces,
  renameNamespace,
} from './namespace-routes.js';
import { assertNamespaceId } from './namespace-store.js';
import type { RequestContext } from './request-context.js';
import { deleteValue, getMetadata, getValue, listKeys, putValue } from './value-routes.js';

type Handler = (context: RequestContext) => ApiResponse | Promise<ApiResponse>;
type MethodTable = Partial<Record<string, Handler>>;

/**
 * Finds the handler for a path relative to `/accounts/{account}/storage/kv/namespaces`, given as
 * raw (still percent-encoded) segments. The key is everything after `values/` or `metadata/`,
 * decoded once, so both an encoded `%2F` and a raw `/` become a `/` inside the key.
 */
export function routeNamespacesRequest(method: string, segments: string[]): Handler {
  return selectMethod(method, findMethodTable(segments));
}

function findMethodTable(segments: string[]): MethodTable {
  const [namespaceId, resource, ...rest] = segments;
  if (namespaceId === undefined) {
    return { GET: listNamespaces, POST: createNamespace };
  }

  assertNamespaceId(namespaceId);
  if (resource === undefined) {
    return {
      GET: (context) => getNamespace(context, namespaceId),
      PUT: (context) => renameNamespace(context, namespaceId),
      DELETE: (context) => deleteNamespace(context, namespaceId),
    };
  }
  if ((resource === 'values' || resource === 'metadata') && rest.length > 0) {
    return keyMethodTable(resource, namespaceId, decodeKeyFromPath(rest.join('/')));
  }
  return collectionMethodTable(namespaceId, [resource, ...rest].join('/'));
}

function keyMethodTable(resource: string, namespaceId: string, key: string): MethodTable {
  if (resource === 'metadata') {
    return { GET: (context) => getMetadata(context, namespaceId, key) };
  }
  return {
    GET: (context) => getValue(context, namespaceId, key),
    PUT: (context) => putValue(context, namespaceId, key),
    DELETE: (context) => deleteValue(context, namespaceId, key),
  };
}

function collectionMethodTable(namespaceId: string, path: string): MethodTable {
  switch (path) {
    case 'keys':
      return { GET: (context) => listKeys(context, namespaceId) };
    case 'bulk':
      return {
        PUT: (context) => bulkWrite(context, namespaceId),
        DELETE: (context) => bulkDelete(context, namespaceId),
      };
    case 'bulk/delete':
      return { POST: (context) => bulkDelete(context, namespaceId) };
    case 'bulk/get':
      return { POST: (context) => bulkGet(context, namespaceId) };
    default:
      throw noRoute();
  }
}

function selectMethod(method: string, table: MethodTable): Handler {
  const handler = table[method];
  if (handler === undefined) {
    throw new ApiError(
      405,
      ErrorCode.METHOD_NOT_ALLOWED,
      `Method ${method} is not allowed here; allowed: ${Object.keys(table).join(', ')}.`,
    );
  }
  return handler;
}

export function noRoute(): ApiError {
  return new ApiError(404, ErrorCode.NO_ROUTE, 'No route for that URI');
}
