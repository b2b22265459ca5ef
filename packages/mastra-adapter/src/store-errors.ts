import { isCfkvError } from '@cfkv/core';
import { ErrorCategory, ErrorDomain, MastraError } from '@mastra/core/error';
import type { IMastraLogger } from '@mastra/core/logger';

export type ErrorDetails = Record<string, string | number | boolean | null>;

export interface StoreOperation {
  /** Upper-case operation name, such as `LIST_MESSAGES`; the error id is derived from it. */
  name: Uppercase<string>;
  domain: `${ErrorDomain}`;
  /** Scalar ids (threadId, table, counts) added to the error and to the debug log. */
  details?: ErrorDetails;
  logger?: IMastraLogger;
}

/**
 * Runs one domain method and turns any failure into a MastraError with the stable id
 * `CLOUDFLARE_KV_{name}_FAILED`, keeping the original error as its cause. Bad input
 * (a CfkvError with a user code) gets category USER, everything else SYSTEM.
 */
export async function runStoreOperation<T>(
  operation: StoreOperation,
  action: () => Promise<T>,
): Promise<T> {
  operation.logger?.debug(`cloudflare-kv ${operation.name}`, operation.details);
  try {
    return await action();
  } catch (error) {
    const mastraError = toMastraError(operation, error);
    operation.logger?.debug(`cloudflare-kv ${operation.name} failed`, {
      id: mastraError.id,
      ...mastraError.details,
    });
    throw mastraError;
  }
}

export function toMastraError(operation: StoreOperation, error: unknown): MastraError {
  if (error instanceof MastraError) return error;

  const userError = isCfkvError(error) && error.isUserError;
  const reason = error instanceof Error ? error.message : String(error);
  return new MastraError(
    {
      id: errorId(operation.name),
      domain: operation.domain,
      category: userError ? ErrorCategory.USER : ErrorCategory.SYSTEM,
      text: `cloudflare-kv ${operation.name} failed: ${reason}`,
      details: { ...operation.details, ...errorFields(error) },
    },
    error,
  );
}

function errorFields(error: unknown): ErrorDetails {
  if (!isCfkvError(error)) return {};
  const fields: ErrorDetails = { code: error.code };
  if (error.table !== undefined) fields.table = error.table;
  if (error.key !== undefined) fields.key = error.key;
  if (error.field !== undefined) fields.field = error.field;
  return fields;
}

export const MEMORY_DOMAIN = ErrorDomain.STORAGE;

/** The stable MastraError id of an operation, such as `CLOUDFLARE_KV_LIST_MESSAGES_FAILED`. */
export function errorId(name: Uppercase<string>): Uppercase<string> {
  return `CLOUDFLARE_KV_${name}_FAILED` as Uppercase<string>;
}
