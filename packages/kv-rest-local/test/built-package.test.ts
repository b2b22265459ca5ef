import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

type Module = typeof import('../src/index.js');

describe('rest-local: built package', () => {
  it('esm: dist/index.js serves a request', async () => {
    const { startLocalKvServer } = (await import('../dist/index.js')) as Module;
    const server = await startLocalKvServer({ apiToken: 'esm-token' });
    try {
      const response = await fetch(
        `${server.baseUrl}/accounts/${server.accountId}/storage/kv/namespaces`,
        { headers: { authorization: 'Bearer esm-token' } },
      );

      expect(response.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('cjs: dist/index.cjs exports startLocalKvServer', () => {
    const required = createRequire(import.meta.url)('../dist/index.cjs') as Module;

    expect(typeof required.startLocalKvServer).toBe('function');
  });
});
