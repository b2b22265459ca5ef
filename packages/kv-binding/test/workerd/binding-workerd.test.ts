import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { BindingTransport } from '../../src/index.js';

describe('binding in workerd: operations', () => {
  it('runtime: is workerd', () => {
    expect(navigator.userAgent).toBe('Cloudflare-Workers');
  });

  it('put: round-trips through get, getMany, list and delete', async () => {
    const transport = new BindingTransport({ namespaces: { threads: env.THREADS } });
    const prefix = `workerd-${crypto.randomUUID()}:`;

    await transport.putMany('threads', [
      { key: `${prefix}b`, value: 'B', metadata: { n: 2 } },
      { key: `${prefix}a`, value: 'A', metadata: { n: 1 } },
    ]);

    expect(await transport.get('threads', `${prefix}a`)).toBe('A');
    expect(await transport.getMany('threads', [`${prefix}b`, `${prefix}x`, `${prefix}a`])).toEqual([
      'B',
      null,
      'A',
    ]);
    const page = await transport.list('threads', { prefix });
    expect(page.complete).toBe(true);
    expect(page.keys).toEqual([
      { name: `${prefix}a`, metadata: { n: 1 } },
      { name: `${prefix}b`, metadata: { n: 2 } },
    ]);

    await transport.deleteMany('threads', [`${prefix}a`, `${prefix}b`]);

    expect(await transport.getMany('threads', [`${prefix}a`, `${prefix}b`])).toEqual([null, null]);
    expect((await transport.list('threads', { prefix })).keys).toEqual([]);
  });
});
