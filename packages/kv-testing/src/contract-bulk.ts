import { describe, expect, it } from 'vitest';
import { chunk } from './chunk.js';
import {
  listAllPages,
  listedNames,
  useTransportFixture,
  type CreateTransportFixture,
} from './contract-fixture.js';
import { randomPrefix } from './random-prefix.js';
import { compareUtf8 } from './utf8-order.js';

/** More than one bulk get (100), one list page (1000) and one binding-concurrency wave. */
const BULK_KEY_COUNT = 1200;
const BULK_TEST_TIMEOUT_MS = 120_000;
/** Three values of this size exceed the 25 MB that one KV bulk get may return. */
const LARGE_VALUE_BYTES = 9 * 1024 * 1024;

export function describeBulkContract(name: string, createFixture: CreateTransportFixture) {
  describe(`${name}: bulk writes`, () => {
    const fixture = useTransportFixture(createFixture);

    it(
      'putMany: writes 1200 keys with values and metadata',
      { timeout: BULK_TEST_TIMEOUT_MS },
      async () => {
        const { transport, table } = fixture();
        const prefix = randomPrefix();
        const keys = bulkKeys(prefix);

        await transport.putMany(
          table,
          keys.map((key, index) => ({ key, value: `value ${index}`, metadata: { index } })),
        );

        const values = [];
        for (const batch of chunk(keys, 100))
          values.push(...(await transport.getMany(table, batch)));
        expect(values).toEqual(keys.map((_, index) => `value ${index}`));
        const listedKeys = (await listAllPages(transport, table, { prefix })).flatMap(
          (page) => page.keys,
        );
        expect(listedKeys.map((key) => key.name)).toEqual([...keys].sort(compareUtf8));
        expect(listedKeys.find((key) => key.name === keys[7])?.metadata).toEqual({ index: 7 });
      },
    );

    it(
      'list: pages 1200 keys at the default limit',
      { timeout: BULK_TEST_TIMEOUT_MS },
      async () => {
        const { transport, table } = fixture();
        const prefix = randomPrefix();
        const keys = bulkKeys(prefix);
        await transport.putMany(
          table,
          keys.map((key) => ({ key, value: 'v' })),
        );

        const pages = await listAllPages(transport, table, { prefix });

        expect(pages.length).toBeGreaterThanOrEqual(2);
        expect(pages.every((page) => page.keys.length <= 1000)).toBe(true);
        expect(listedNames(pages)).toEqual([...keys].sort(compareUtf8));
      },
    );

    it(
      'deleteMany: removes 1200 keys and nothing else',
      { timeout: BULK_TEST_TIMEOUT_MS },
      async () => {
        const { transport, table } = fixture();
        const prefix = randomPrefix();
        const keys = bulkKeys(prefix);
        const survivor = `${prefix}survivor`;
        await transport.putMany(
          table,
          [...keys, survivor].map((key) => ({ key, value: 'v' })),
        );

        await transport.deleteMany(table, keys);

        expect(listedNames(await listAllPages(transport, table, { prefix }))).toEqual([survivor]);
        expect(await transport.getMany(table, keys.slice(0, 100))).toEqual(
          Array.from({ length: 100 }, () => null),
        );
      },
    );

    it(
      'getMany: returns values totalling over 25 MB',
      { timeout: BULK_TEST_TIMEOUT_MS },
      async () => {
        const { transport, table } = fixture();
        const prefix = randomPrefix();
        const keys = ['a', 'b', 'c'].map((letter) => `${prefix}large-${letter}`);
        const values = ['a', 'b', 'c'].map((letter) => letter.repeat(LARGE_VALUE_BYTES));
        for (const [index, key] of keys.entries()) {
          await transport.put(table, key, values[index] as string);
        }

        const read = await transport.getMany(table, [...keys, `${prefix}missing`]);

        expect(read.map((value) => value?.length)).toEqual([
          LARGE_VALUE_BYTES,
          LARGE_VALUE_BYTES,
          LARGE_VALUE_BYTES,
          undefined,
        ]);
        expect(read.slice(0, 3).map((value) => value?.[0])).toEqual(['a', 'b', 'c']);
        expect(read.slice(0, 3).every((value, index) => value === values[index])).toBe(true);
        await transport.deleteMany(table, keys);
      },
    );

    it('putMany: accepts an empty list', async () => {
      const { transport, table } = fixture();

      await expect(transport.putMany(table, [])).resolves.toBeUndefined();
    });

    it('deleteMany: ignores missing keys', async () => {
      const { transport, table } = fixture();
      const prefix = randomPrefix();
      await transport.put(table, `${prefix}present`, 'v');

      await transport.deleteMany(table, [`${prefix}present`, `${prefix}missing`]);

      expect(await transport.get(table, `${prefix}present`)).toBeNull();
    });
  });
}

function bulkKeys(prefix: string): string[] {
  return Array.from({ length: BULK_KEY_COUNT }, (_, index) => `${prefix}key-${index}`);
}
