import type { Transport } from '@cfkv/core';
import { afterAll, beforeAll } from 'vitest';

export interface TransportFixture {
  transport: Transport;
  /** A table the transport can read and write; tests scope their keys with a random prefix. */
  table: string;
  dispose(): Promise<void>;
}

export type CreateTransportFixture = () => Promise<TransportFixture>;

/** Creates one fixture for the enclosing suite and disposes of it after the suite's last test. */
export function useTransportFixture(createFixture: CreateTransportFixture): () => TransportFixture {
  let fixture: TransportFixture | undefined;

  beforeAll(async () => {
    fixture = await createFixture();
  });
  afterAll(async () => {
    await fixture?.dispose();
  });

  return () => {
    if (fixture === undefined) throw new Error('The transport fixture was used before beforeAll.');
    return fixture;
  };
}

/** More pages than any contract listing needs, even at one key a page, so reaching it means a loop. */
const MAX_PAGES = 10_000;

/** Follows list cursors from the first page to the last and returns every page. */
export async function listAllPages(
  transport: Transport,
  table: string,
  options: { prefix: string; limit?: number },
) {
  const pages = [];
  let cursor: string | undefined;
  do {
    const page = await transport.list(table, { ...options, cursor });
    pages.push(page);
    cursor = page.complete ? undefined : page.cursor;
    if (!page.complete && !cursor)
      throw new Error('A list page that is not complete has no cursor.');
    if (pages.length > MAX_PAGES)
      throw new Error(`The listing did not end after ${MAX_PAGES} pages.`);
  } while (cursor !== undefined);
  return pages;
}

export function listedNames(pages: { keys: { name: string }[] }[]): string[] {
  return pages.flatMap((page) => page.keys.map((key) => key.name));
}
