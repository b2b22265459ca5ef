import { describe, expect, it } from 'vitest';
import {
  listAllPages,
  listedNames,
  useTransportFixture,
  type CreateTransportFixture,
} from './contract-fixture.js';
import { randomPrefix } from './random-prefix.js';
import { compareUtf8 } from './utf8-order.js';

/**
 * Suffixes whose UTF-16 order differs from their UTF-8 order: U+FF61 sorts before U+1F600 in
 * UTF-8 bytes but after its surrogate pair in UTF-16 code units.
 */
const ORDER_SUFFIXES = ['\u{1F600}', '\uFF61', 'é', 'Z', 'a', '~', 'a b', 'ab', '0', '\u007F'];

export function describeListContract(name: string, createFixture: CreateTransportFixture) {
  describe(`${name}: list`, () => {
    const fixture = useTransportFixture(createFixture);

    it('list: returns keys in ascending UTF-8 byte order', async () => {
      const { transport, table } = fixture();
      const prefix = randomPrefix();
      const keys = ORDER_SUFFIXES.map((suffix) => `${prefix}${suffix}`);
      await transport.putMany(
        table,
        keys.map((key) => ({ key, value: 'v' })),
      );

      const names = listedNames(await listAllPages(transport, table, { prefix }));

      expect(names).toEqual([...keys].sort(compareUtf8));
      expect(names.indexOf(`${prefix}\uFF61`)).toBeLessThan(names.indexOf(`${prefix}\u{1F600}`));
    });

    it('list: follows cursors at limit 10 without duplicates', async () => {
      const { transport, table } = fixture();
      const prefix = randomPrefix();
      const keys = Array.from(
        { length: 35 },
        (_, index) => `${prefix}${String(index).padStart(2, '0')}`,
      );
      await transport.putMany(
        table,
        keys.map((key) => ({ key, value: 'v' })),
      );

      const pages = await listAllPages(transport, table, { prefix, limit: 10 });

      expect(pages.length).toBeGreaterThanOrEqual(4);
      expect(pages.every((page) => page.keys.length <= 10)).toBe(true);
      expect(pages.at(-1)?.complete).toBe(true);
      expect(listedNames(pages)).toEqual(keys);
    });

    it('list: a complete page needs no cursor', async () => {
      const { transport, table } = fixture();
      const prefix = randomPrefix();
      await transport.put(table, `${prefix}only`, 'v');

      const page = await transport.list(table, { prefix });

      expect(page.complete).toBe(true);
      expect(page.cursor ?? '').toBe('');
      expect(page.keys.map((key) => key.name)).toEqual([`${prefix}only`]);
    });

    it('list: returns an empty complete page for an unused prefix', async () => {
      const { transport, table } = fixture();

      const page = await transport.list(table, { prefix: randomPrefix() });

      expect(page.keys).toEqual([]);
      expect(page.complete).toBe(true);
    });

    it('list: prefix scopes the keys', async () => {
      const { transport, table } = fixture();
      const prefix = randomPrefix();
      const inside = [`${prefix}a:1`, `${prefix}a:2`];
      const outside = [`${prefix}a`, `${prefix}ab:1`, `${prefix}b:1`];
      await transport.putMany(
        table,
        [...inside, ...outside].map((key) => ({ key, value: 'v' })),
      );

      const names = listedNames(await listAllPages(transport, table, { prefix: `${prefix}a:` }));

      expect(names).toEqual(inside);
    });

    it('list: returns metadata with each key', async () => {
      const { transport, table } = fixture();
      const prefix = randomPrefix();
      const metadata = { title: 'Thread ü', createdAt: '2024-03-10T01:59:59.999Z', n: 1.5 };
      await transport.put(table, `${prefix}with`, 'v', { metadata });
      await transport.put(table, `${prefix}without`, 'v');

      const [page] = await listAllPages(transport, table, { prefix });

      const byName = new Map(page?.keys.map((key) => [key.name, key]));
      expect(byName.get(`${prefix}with`)?.metadata).toEqual(metadata);
      expect(byName.get(`${prefix}without`)?.metadata ?? null).toBeNull();
    });

    it('list: reports the expiration of a key written with expirationTtl', async () => {
      const { transport, table } = fixture();
      const prefix = randomPrefix();
      const writtenAtSeconds = Math.floor(Date.now() / 1000);
      await transport.put(table, `${prefix}expiring`, 'v', { expirationTtl: 3600 });

      const [page] = await listAllPages(transport, table, { prefix });

      const expiration = page?.keys[0]?.expiration;
      expect(expiration).toBeGreaterThanOrEqual(writtenAtSeconds + 3600 - 5);
      expect(expiration).toBeLessThanOrEqual(writtenAtSeconds + 3600 + 60);
    });

    it('list: no longer returns a deleted key', async () => {
      const { transport, table } = fixture();
      const prefix = randomPrefix();
      await transport.putMany(table, [
        { key: `${prefix}kept`, value: 'v' },
        { key: `${prefix}deleted`, value: 'v' },
      ]);

      await transport.delete(table, `${prefix}deleted`);

      expect(listedNames(await listAllPages(transport, table, { prefix }))).toEqual([
        `${prefix}kept`,
      ]);
    });
  });
}
