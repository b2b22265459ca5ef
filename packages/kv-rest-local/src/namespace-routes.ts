import { validationError } from './api-error.js';
import { jsonSuccess, type ApiResponse } from './api-response.js';
import { parseIntegerParameter } from './key-validation.js';
import {
  DEFAULT_NAMESPACES_PER_PAGE,
  MAX_JSON_REQUEST_BYTES,
  MAX_NAMESPACE_TITLE_BYTES,
  MAX_NAMESPACES_PER_PAGE,
  MIN_NAMESPACES_PER_PAGE,
} from './limits.js';
import type { NamespaceRecord } from './namespace-registry.js';
import type { RequestContext } from './request-context.js';
import { readJsonBody } from './request-body.js';

/** GET namespaces: pages of `per_page` in creation order unless `order` is `id` or `title`. */
export function listNamespaces({ query, store }: RequestContext): ApiResponse {
  const page = parseIntegerParameter(query.get('page'), 'page') ?? 1;
  const perPage =
    parseIntegerParameter(query.get('per_page'), 'per_page') ?? DEFAULT_NAMESPACES_PER_PAGE;
  if (page < 1) {
    throw validationError(`Invalid page of ${page}. Pages are numbered from 1.`);
  }
  if (perPage < MIN_NAMESPACES_PER_PAGE || perPage > MAX_NAMESPACES_PER_PAGE) {
    throw validationError(
      `Invalid per_page of ${perPage}. ` +
        `Please specify an integer from ${MIN_NAMESPACES_PER_PAGE} to ${MAX_NAMESPACES_PER_PAGE}.`,
    );
  }

  const namespaces = sortNamespaces(store.list(), query.get('order'), query.get('direction'));
  const pageItems = namespaces.slice((page - 1) * perPage, page * perPage);
  return jsonSuccess(pageItems.map(describeNamespace), {
    page,
    per_page: perPage,
    count: pageItems.length,
    total_count: namespaces.length,
    total_pages: Math.ceil(namespaces.length / perPage),
  });
}

export async function createNamespace({ request, store }: RequestContext): Promise<ApiResponse> {
  const title = await readTitle(request);
  return jsonSuccess(describeNamespace(await store.create(title)));
}

export function getNamespace({ store }: RequestContext, namespaceId: string): ApiResponse {
  return jsonSuccess(describeNamespace(store.get(namespaceId)));
}

export async function renameNamespace(
  { request, store }: RequestContext,
  namespaceId: string,
): Promise<ApiResponse> {
  store.get(namespaceId);
  const title = await readTitle(request);
  return jsonSuccess(describeNamespace(await store.rename(namespaceId, title)));
}

export async function deleteNamespace(
  { store }: RequestContext,
  namespaceId: string,
): Promise<ApiResponse> {
  await store.delete(namespaceId);
  return jsonSuccess({});
}

function describeNamespace(namespace: NamespaceRecord) {
  return { id: namespace.id, title: namespace.title, supports_url_encoding: true };
}

async function readTitle(request: RequestContext['request']): Promise<string> {
  const body = await readJsonBody(request, MAX_JSON_REQUEST_BYTES);
  const title = (body as { title?: unknown } | null)?.title;
  if (typeof title !== 'string' || title.trim() === '') {
    throw validationError('The request body must be a JSON object with a non-empty "title".');
  }
  if (Buffer.byteLength(title) > MAX_NAMESPACE_TITLE_BYTES) {
    throw validationError(
      `The title is ${Buffer.byteLength(title)} bytes; titles are at most ` +
        `${MAX_NAMESPACE_TITLE_BYTES} bytes.`,
    );
  }
  return title;
}

function sortNamespaces(
  namespaces: readonly NamespaceRecord[],
  order: string | null,
  direction: string | null,
): NamespaceRecord[] {
  if (order !== null && order !== 'id' && order !== 'title') {
    throw validationError(`Invalid order of ${JSON.stringify(order)}. Use "id" or "title".`);
  }
  if (direction !== null && direction !== 'asc' && direction !== 'desc') {
    throw validationError(
      `Invalid direction of ${JSON.stringify(direction)}. Use "asc" or "desc".`,
    );
  }

  const sorted = [...namespaces];
  if (order !== null) {
    sorted.sort((left, right) => (left[order] < right[order] ? -1 : 1));
  }
  if (direction === 'desc') {
    sorted.reverse();
  }
  return sorted;
}
