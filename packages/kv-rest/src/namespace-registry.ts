import { CfkvError, isCfkvError } from '@cfkv/core';
import type { RestClient } from './rest-client.js';
import { CloudflareCode } from './rest-errors.js';

/** Cloudflare's largest `per_page` when listing namespaces. */
const NAMESPACES_PER_PAGE = 100;
/** Far more pages than an account can fill, so reaching it means the listing does not end. */
const MAX_NAMESPACE_PAGES = 1000;

interface NamespaceSummary {
  id: string;
  title: string;
}

/**
 * Maps tables to namespace ids by title (`{namespacePrefix}{table}`), creating a namespace that
 * is missing. Ids are cached for the life of the transport, and concurrent first calls for one
 * table share a single lookup, so they create at most one namespace.
 */
export class NamespaceRegistry {
  readonly #client: RestClient;
  readonly #prefix: string;
  readonly #ids = new Map<string, string>();
  readonly #pending = new Map<string, Promise<string>>();
  #listing: Promise<Map<string, string>> | undefined;

  constructor(client: RestClient, namespacePrefix: string) {
    this.#client = client;
    this.#prefix = namespacePrefix;
  }

  title(table: string): string {
    return `${this.#prefix}${table}`;
  }

  resolve(table: string): Promise<string> {
    const cached = this.#ids.get(table);
    if (cached !== undefined) return Promise.resolve(cached);

    let pending = this.#pending.get(table);
    if (pending === undefined) {
      assertTableName(table);
      pending = this.#findOrCreate(table)
        .then((id) => {
          this.#ids.set(table, id);
          return id;
        })
        .finally(() => this.#pending.delete(table));
      this.#pending.set(table, pending);
    }
    return pending;
  }

  /** Drops a cached id after Cloudflare reported its namespace missing, so a later call looks again. */
  forget(table: string, namespaceId: string): void {
    if (this.#ids.get(table) === namespaceId) this.#ids.delete(table);
  }

  async #findOrCreate(table: string): Promise<string> {
    const title = this.title(table);
    const existing = (await this.#listTitles(false)).get(title);
    if (existing !== undefined) return existing;

    try {
      return await this.#create(title, table);
    } catch (error) {
      if (!isCfkvError(error) || error.cloudflareCode !== CloudflareCode.NAMESPACE_TITLE_EXISTS) {
        throw error;
      }
      // Another process created the namespace between our listing and our create, or a retried
      // create met the namespace its own lost first attempt made.
      return this.#findAfterConflict(title, table, error);
    }
  }

  async #findAfterConflict(title: string, table: string, conflict: CfkvError): Promise<string> {
    const id = (await this.#listTitles(true)).get(title);
    if (id !== undefined) return id;

    throw new CfkvError(
      'TRANSPORT_FAILED',
      `Creating KV namespace ${JSON.stringify(title)} for ${table} failed because the title ` +
        'exists (Cloudflare error 10014), but the namespace list does not contain it.',
      {
        table,
        operation: 'createNamespace',
        cloudflareCode: CloudflareCode.NAMESPACE_TITLE_EXISTS,
      },
      { cause: conflict },
    );
  }

  /** Lists every namespace once for all lookups in flight; `fresh` starts a new listing. */
  #listTitles(fresh: boolean): Promise<Map<string, string>> {
    if (!fresh && this.#listing !== undefined) return this.#listing;

    const listing = this.#listAllNamespaces().finally(() => {
      if (this.#listing === listing) this.#listing = undefined;
    });
    this.#listing = listing;
    return listing;
  }

  async #listAllNamespaces(): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for (let page = 1; page <= MAX_NAMESPACE_PAGES; page += 1) {
      const envelope = await this.#client.json<NamespaceSummary[]>({
        method: 'GET',
        path: this.#client.namespacesPath(),
        query: { page, per_page: NAMESPACES_PER_PAGE },
        operation: 'listNamespaces',
      });
      const namespaces = assertNamespaceArray(envelope.result);
      for (const namespace of namespaces) {
        if (!ids.has(namespace.title)) ids.set(namespace.title, namespace.id);
      }

      const totalPages = envelope.result_info?.total_pages;
      const isLastPage =
        namespaces.length < NAMESPACES_PER_PAGE ||
        (typeof totalPages === 'number' && page >= totalPages);
      if (isLastPage) return ids;
    }
    throw new CfkvError(
      'LIST_DID_NOT_END',
      `Listing KV namespaces did not end after ${MAX_NAMESPACE_PAGES} pages.`,
      { operation: 'listNamespaces', limit: MAX_NAMESPACE_PAGES },
    );
  }

  async #create(title: string, table: string): Promise<string> {
    const envelope = await this.#client.json<NamespaceSummary>({
      method: 'POST',
      path: this.#client.namespacesPath(),
      body: JSON.stringify({ title }),
      contentType: 'application/json',
      operation: 'createNamespace',
      table,
    });
    const id = envelope.result?.id;
    if (typeof id === 'string' && id !== '') return id;

    throw new CfkvError(
      'TRANSPORT_FAILED',
      `Creating KV namespace ${JSON.stringify(title)} for ${table} returned no namespace id.`,
      { table, operation: 'createNamespace' },
    );
  }
}

function assertNamespaceArray(result: unknown): NamespaceSummary[] {
  const isValid =
    Array.isArray(result) &&
    result.every(
      (item: Partial<NamespaceSummary> | null) =>
        typeof item?.id === 'string' && typeof item.title === 'string',
    );
  if (isValid) return result as NamespaceSummary[];

  throw new CfkvError(
    'TRANSPORT_FAILED',
    'Listing KV namespaces returned a result that is not an array of namespaces with id and title.',
    { operation: 'listNamespaces' },
  );
}

function assertTableName(table: string): void {
  if (typeof table === 'string' && table !== '') return;

  throw new CfkvError('INVALID_ARGUMENT', 'The table name is empty; a table names a namespace.', {
    field: 'table',
  });
}
