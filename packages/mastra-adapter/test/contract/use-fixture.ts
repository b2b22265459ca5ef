import { afterEach, beforeEach } from 'vitest';
import { newPrefix, type CreateStore, type StoreFixture } from './store-fixture.js';

/** Gives every test its own store with a random key prefix, disposed after the test. */
export function useStoreFixture(createStore: CreateStore): () => StoreFixture {
  let fixture: StoreFixture | undefined;
  beforeEach(async () => {
    fixture = await createStore({ keyPrefix: newPrefix() });
  });
  afterEach(async () => {
    await fixture?.dispose();
    fixture = undefined;
  });
  return () => {
    if (fixture === undefined) throw new Error('The store fixture is used outside a test.');
    return fixture;
  };
}
