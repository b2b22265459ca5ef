import { isCfkvError, MAX_BULK_GET_KEYS } from '@cfkv/core';
import { describe, expect, it } from 'vitest';
import { useTransportFixture, type CreateTransportFixture } from './contract-fixture.js';
import { randomPrefix } from './random-prefix.js';

export function describeReadWriteContract(name: string, createFixture: CreateTransportFixture) {
  describe(`${name}: reads and writes`, () => {
    const fixture = useTransportFixture(createFixture);

    it('get: returns null for a missing key', async () => {
      const { transport, table } = fixture();

      expect(await transport.get(table, `${randomPrefix()}missing`)).toBeNull();
    });

    it('put: value round-trips through get', async () => {
      const { transport, table } = fixture();
      const key = `${randomPrefix()}greeting`;
      const value = JSON.stringify({ text: 'héllo wörld 😀', nested: { list: [1, 2] } });

      await transport.put(table, key, value);

      expect(await transport.get(table, key)).toBe(value);
    });

    it('put: empty string is stored, not missing', async () => {
      const { transport, table } = fixture();
      const key = `${randomPrefix()}empty`;

      await transport.put(table, key, '');

      expect(await transport.get(table, key)).toBe('');
    });

    it('put: a second put replaces the value', async () => {
      const { transport, table } = fixture();
      const key = `${randomPrefix()}replaced`;

      await transport.put(table, key, 'first');
      await transport.put(table, key, 'second');

      expect(await transport.get(table, key)).toBe('second');
    });

    it('getWithMetadata: returns value and metadata', async () => {
      const { transport, table } = fixture();
      const key = `${randomPrefix()}with-metadata`;
      const metadata = { createdAt: '2024-03-10T01:59:59.999Z', count: 3, tags: ['a', 'b'] };

      await transport.put(table, key, 'value', { metadata });

      expect(await transport.getWithMetadata(table, key)).toEqual({ value: 'value', metadata });
    });

    it('getWithMetadata: returns nulls for a missing key', async () => {
      const { transport, table } = fixture();

      const result = await transport.getWithMetadata(table, `${randomPrefix()}missing`);

      expect(result.value).toBeNull();
      expect(result.metadata).toBeNull();
    });

    it('getWithMetadata: returns null metadata for a key written without it', async () => {
      const { transport, table } = fixture();
      const key = `${randomPrefix()}plain`;

      await transport.put(table, key, 'value');

      expect(await transport.getWithMetadata(table, key)).toEqual({
        value: 'value',
        metadata: null,
      });
    });

    it('getMany: aligns values with keys and returns null for missing', async () => {
      const { transport, table } = fixture();
      const prefix = randomPrefix();
      await transport.putMany(table, [
        { key: `${prefix}b`, value: 'B' },
        { key: `${prefix}a`, value: 'A' },
      ]);

      const values = await transport.getMany(table, [
        `${prefix}a`,
        `${prefix}missing`,
        `${prefix}b`,
        `${prefix}a`,
      ]);

      expect(values).toEqual(['A', null, 'B', 'A']);
    });

    it('getMany: returns an empty array for no keys', async () => {
      const { transport, table } = fixture();

      expect(await transport.getMany(table, [])).toEqual([]);
    });

    it('getMany: reads 100 keys in one call', async () => {
      const { transport, table } = fixture();
      const prefix = randomPrefix();
      const keys = Array.from({ length: MAX_BULK_GET_KEYS }, (_, index) => `${prefix}${index}`);
      await transport.putMany(
        table,
        keys.map((key) => ({ key, value: `value of ${key}` })),
      );

      const values = await transport.getMany(table, keys);

      expect(values).toEqual(keys.map((key) => `value of ${key}`));
    });

    it('getMany: rejects more than 100 keys with BATCH_TOO_LARGE', async () => {
      const { transport, table } = fixture();
      const prefix = randomPrefix();
      const keys = Array.from({ length: MAX_BULK_GET_KEYS + 1 }, (_, index) => `${prefix}${index}`);

      const error = await transport.getMany(table, keys).catch((caught: unknown) => caught);

      expect(isCfkvError(error, 'BATCH_TOO_LARGE')).toBe(true);
    });

    it('delete: removes the key', async () => {
      const { transport, table } = fixture();
      const key = `${randomPrefix()}doomed`;
      await transport.put(table, key, 'value');

      await transport.delete(table, key);

      expect(await transport.get(table, key)).toBeNull();
    });

    it('delete: succeeds for a missing key', async () => {
      const { transport, table } = fixture();
      const key = `${randomPrefix()}never-written`;

      await expect(transport.delete(table, key)).resolves.toBeUndefined();
    });
  });
}
