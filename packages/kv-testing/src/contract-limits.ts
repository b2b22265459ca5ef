import { isCfkvError, MAX_KEY_BYTES, MAX_METADATA_BYTES, type CfkvError } from '@cfkv/core';
import { describe, expect, it } from 'vitest';
import {
  listAllPages,
  listedNames,
  useTransportFixture,
  type CreateTransportFixture,
} from './contract-fixture.js';
import { randomPrefix } from './random-prefix.js';

export function describeLimitsContract(name: string, createFixture: CreateTransportFixture) {
  describe(`${name}: limits`, () => {
    const fixture = useTransportFixture(createFixture);

    it('put: accepts expirationTtl of 60 seconds', async () => {
      const { transport, table } = fixture();
      const key = `${randomPrefix()}ttl-60`;

      await transport.put(table, key, 'v', { expirationTtl: 60 });

      expect(await transport.get(table, key)).toBe('v');
    });

    it('put: rejects expirationTtl of 59 seconds before writing', async () => {
      const { transport, table } = fixture();
      const key = `${randomPrefix()}ttl-59`;

      const error = await transport
        .put(table, key, 'v', { expirationTtl: 59 })
        .catch((caught: unknown) => caught);

      expect(isCfkvError(error, 'EXPIRATION_TOO_SHORT')).toBe(true);
      expect(error).toMatchObject({ field: 'expirationTtl', limit: 60, actual: 59 });
      expect(await transport.get(table, key)).toBeNull();
    });

    it('put: accepts a key of 512 bytes', async () => {
      const { transport, table } = fixture();
      const key = keyOfBytes(randomPrefix(), MAX_KEY_BYTES);

      await transport.put(table, key, 'v');

      expect(await transport.get(table, key)).toBe('v');
    });

    it('put: rejects a key of 513 bytes before writing', async () => {
      const { transport, table } = fixture();
      const prefix = randomPrefix();
      const key = keyOfBytes(prefix, MAX_KEY_BYTES + 1);

      const error = await transport.put(table, key, 'v').catch((caught: unknown) => caught);

      expect(isCfkvError(error, 'KEY_TOO_LARGE')).toBe(true);
      expect(error).toMatchObject({ limit: MAX_KEY_BYTES, actual: MAX_KEY_BYTES + 1 });
      expect(listedNames(await listAllPages(transport, table, { prefix }))).toEqual([]);
    });

    it('every key operation: rejects a key with a lone surrogate', async () => {
      const { transport, table } = fixture();
      const prefix = randomPrefix();
      const key = `${prefix}a\uD800b`;
      const calls: [string, () => Promise<unknown>][] = [
        ['get', () => transport.get(table, key)],
        ['getMany', () => transport.getMany(table, [`${prefix}fine`, key])],
        ['getWithMetadata', () => transport.getWithMetadata(table, key)],
        ['put', () => transport.put(table, key, 'v')],
        ['putMany', () => transport.putMany(table, [{ key, value: 'v' }])],
        ['delete', () => transport.delete(table, key)],
        ['deleteMany', () => transport.deleteMany(table, [key])],
      ];

      for (const [operation, call] of calls) {
        const error = await call().catch((caught: unknown) => caught);

        expect(isCfkvError(error, 'INVALID_ARGUMENT'), operation).toBe(true);
        expect(error, operation).toMatchObject({ table, field: 'key' });
      }
      expect(listedNames(await listAllPages(transport, table, { prefix }))).toEqual([]);
    });

    it('list: rejects a prefix with a lone surrogate', async () => {
      const { transport, table } = fixture();

      const error = await transport
        .list(table, { prefix: `${randomPrefix()}\uDC00` })
        .catch((caught: unknown) => caught);

      expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
      expect(error).toMatchObject({ table, field: 'prefix' });
    });

    it('put: accepts metadata of 1024 bytes', async () => {
      const { transport, table } = fixture();
      const key = `${randomPrefix()}metadata-1024`;
      const metadata = metadataOfBytes(MAX_METADATA_BYTES);

      await transport.put(table, key, 'v', { metadata });

      expect((await transport.getWithMetadata(table, key)).metadata).toEqual(metadata);
    });

    it('put: rejects metadata of 1025 bytes before writing', async () => {
      const { transport, table } = fixture();
      const key = `${randomPrefix()}metadata-1025`;

      const error = await transport
        .put(table, key, 'v', { metadata: metadataOfBytes(MAX_METADATA_BYTES + 1) })
        .catch((caught: unknown) => caught);

      expect(isCfkvError(error, 'METADATA_TOO_LARGE')).toBe(true);
      expect(error).toMatchObject({ limit: MAX_METADATA_BYTES, actual: MAX_METADATA_BYTES + 1 });
      expect(await transport.get(table, key)).toBeNull();
    });

    it('put: rejects empty, "." and ".." keys as user errors', async () => {
      const { transport, table } = fixture();

      for (const key of ['', '.', '..']) {
        const error = await transport.put(table, key, 'v').catch((caught: unknown) => caught);

        expect(isCfkvError(error), `key ${JSON.stringify(key)}`).toBe(true);
        expect((error as CfkvError).isUserError, `key ${JSON.stringify(key)}`).toBe(true);
      }
    });

    it('putMany: writes nothing when one entry is invalid', async () => {
      const { transport, table } = fixture();
      const prefix = randomPrefix();
      const entries = [
        { key: `${prefix}valid-1`, value: 'v' },
        { key: `${prefix}too-short`, value: 'v', expirationTtl: 59 },
        { key: `${prefix}valid-2`, value: 'v' },
      ];

      const error = await transport.putMany(table, entries).catch((caught: unknown) => caught);

      expect(isCfkvError(error, 'EXPIRATION_TOO_SHORT')).toBe(true);
      expect(listedNames(await listAllPages(transport, table, { prefix }))).toEqual([]);
    });
  });
}

/** Builds a key of exactly `bytes` UTF-8 bytes that starts with `prefix`. */
function keyOfBytes(prefix: string, bytes: number): string {
  const prefixBytes = new TextEncoder().encode(prefix).byteLength;
  return prefix + 'k'.repeat(bytes - prefixBytes);
}

/** Builds a metadata string whose JSON form, quotes included, is exactly `bytes` bytes. */
function metadataOfBytes(bytes: number): string {
  return 'm'.repeat(bytes - 2);
}
