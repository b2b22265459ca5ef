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
 * Key names that break naive URL building or path normalisation. `.` and `..` follow a random
 * prefix because a whole key of `.` or `..` is invalid in Cloudflare's REST API.
 */
export const SPECIAL_KEY_NAMES = [
  '/lead',
  'sp ace',
  'a/b',
  '50%',
  'q?x#y',
  'dots...',
  '^caret',
  'a\u001Fb',
  'ünï',
  'a+b',
  '.',
  '..',
] as const;

export function describeSpecialKeysContract(name: string, createFixture: CreateTransportFixture) {
  describe(`${name}: special keys`, () => {
    const fixture = useTransportFixture(createFixture);

    for (const keyName of SPECIAL_KEY_NAMES) {
      it(`put: ${JSON.stringify(keyName)} round-trips, lists once and deletes`, async () => {
        const { transport, table } = fixture();
        const prefix = randomPrefix();
        const key = `${prefix}${keyName}`;
        const value = `value of ${keyName}`;

        await transport.put(table, key, value, { metadata: { keyName } });

        expect(await transport.get(table, key)).toBe(value);
        expect(await transport.getMany(table, [key])).toEqual([value]);
        const [page] = await listAllPages(transport, table, { prefix });
        expect(page?.keys.map((listed) => listed.name.slice(prefix.length))).toEqual([keyName]);
        expect(page?.keys[0]?.metadata).toEqual({ keyName });

        await transport.delete(table, key);

        expect(await transport.get(table, key)).toBeNull();
        expect(listedNames(await listAllPages(transport, table, { prefix }))).toEqual([]);
      });
    }

    it('list: lists every special key once, in order', async () => {
      const { transport, table } = fixture();
      const prefix = randomPrefix();
      const keys = SPECIAL_KEY_NAMES.map((keyName) => `${prefix}${keyName}`);
      await transport.putMany(
        table,
        keys.map((key) => ({ key, value: key })),
      );

      const names = listedNames(await listAllPages(transport, table, { prefix, limit: 10 }));

      expect(names).toEqual([...keys].sort(compareUtf8));
      expect(await transport.getMany(table, keys)).toEqual(keys);
    });
  });
}
