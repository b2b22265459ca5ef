import { ApiError, ErrorCode, validationError } from './api-error.js';
import { jsonSuccess, rawValue, type ApiResponse } from './api-response.js';
import { parseExpirationQuery, parseIntegerParameter, parseMetadata } from './key-validation.js';
import {
  MAX_LIST_LIMIT,
  MAX_VALUE_BYTES,
  MAX_VALUE_REQUEST_BYTES,
  MIN_LIST_LIMIT,
} from './limits.js';
import type { RequestContext } from './request-context.js';
import { readRequestBody } from './request-body.js';

export async function getValue(
  { store }: RequestContext,
  namespaceId: string,
  key: string,
): Promise<ApiResponse> {
  const value = await store.withBinding(namespaceId, (binding) => binding.get(key, 'arrayBuffer'));
  if (value === null) {
    throw keyNotFound(key);
  }
  return rawValue(new Uint8Array(value));
}

export async function getMetadata(
  { store }: RequestContext,
  namespaceId: string,
  key: string,
): Promise<ApiResponse> {
  const entry = await store.withBinding(namespaceId, (binding) =>
    binding.getWithMetadata(key, 'arrayBuffer'),
  );
  if (entry.value === null) {
    throw keyNotFound(key);
  }
  return jsonSuccess(entry.metadata ?? null);
}

/** PUT a value: a raw body, or multipart/form-data with a `value` part and a `metadata` part. */
export async function putValue(
  context: RequestContext,
  namespaceId: string,
  key: string,
): Promise<ApiResponse> {
  const { request, query, store } = context;
  const expiration = parseExpirationQuery(query);
  store.get(namespaceId);
  const body = await readRequestBody(request, MAX_VALUE_REQUEST_BYTES);
  const { value, metadata } = await decodeValueBody(body, request.headers['content-type']);
  if (value.byteLength > MAX_VALUE_BYTES) {
    throw validationError(
      `Value length of ${value.byteLength} exceeds limit of ${MAX_VALUE_BYTES}.`,
      413,
    );
  }

  await store.withBinding(namespaceId, (binding) =>
    binding.put(key, value, { ...expiration, metadata }),
  );
  return jsonSuccess({});
}

export async function deleteValue(
  { store }: RequestContext,
  namespaceId: string,
  key: string,
): Promise<ApiResponse> {
  await store.withBinding(namespaceId, (binding) => binding.delete(key));
  return jsonSuccess({});
}

/** GET keys: one page in UTF-8 byte order; `result_info.cursor` is "" on the last page. */
export async function listKeys({ query, store }: RequestContext, namespaceId: string) {
  const limit = parseIntegerParameter(query.get('limit'), 'limit') ?? MAX_LIST_LIMIT;
  if (limit < MIN_LIST_LIMIT || limit > MAX_LIST_LIMIT) {
    throw validationError(
      `Invalid limit of ${limit}. Please specify an integer from ${MIN_LIST_LIMIT} to ` +
        `${MAX_LIST_LIMIT}.`,
    );
  }
  const prefix = query.get('prefix') ?? undefined;
  const cursor = query.get('cursor') || undefined;

  const page = await store.withBinding(namespaceId, (binding) =>
    binding.list({ prefix, cursor, limit }),
  );
  const keys = page.keys.map(({ name, expiration, metadata }) => ({
    name,
    ...(expiration === undefined ? {} : { expiration }),
    ...(metadata === undefined || metadata === null ? {} : { metadata }),
  }));
  const nextCursor = page.list_complete ? '' : (page.cursor ?? '');
  return jsonSuccess(keys, { count: keys.length, cursor: nextCursor });
}

async function decodeValueBody(
  body: Buffer,
  contentType: string | undefined,
): Promise<{ value: Uint8Array; metadata: unknown }> {
  if (!contentType?.toLowerCase().startsWith('multipart/form-data')) {
    return { value: body, metadata: undefined };
  }

  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw validationError('The multipart/form-data body could not be parsed.');
  }
  const valuePart = form.get('value');
  if (valuePart === null) {
    throw validationError('The multipart/form-data body has no "value" part.');
  }
  const value =
    typeof valuePart === 'string'
      ? Buffer.from(valuePart, 'utf8')
      : new Uint8Array(await valuePart.arrayBuffer());
  const metadataPart = form.get('metadata');
  const metadataText =
    metadataPart === null || typeof metadataPart === 'string'
      ? metadataPart
      : await metadataPart.text();
  return { value, metadata: metadataText === null ? undefined : parseMetadata(metadataText) };
}

function keyNotFound(key: string): ApiError {
  return new ApiError(
    404,
    ErrorCode.KEY_NOT_FOUND,
    `get: 'key not found' (${JSON.stringify(key)})`,
  );
}
