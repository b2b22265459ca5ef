import { describe, expect, it } from 'vitest';
import { startLocalKvServer } from '../src/index.js';
import { isLoopbackHost } from '../src/loopback-host.js';

describe('isLoopbackHost', () => {
  it.each(['localhost', '127.0.0.1', '127.1.2.3', '::1'])('accepts %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each(['0.0.0.0', '10.0.0.1', '::', '[::1]', '128.0.0.1', 'localhost.'])(
    'rejects %s',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );

  it('startLocalKvServer: a bracketed IPv6 host is rejected before binding', async () => {
    await expect(startLocalKvServer({ apiToken: 'token', host: '[::1]' })).rejects.toThrow(
      /not a loopback address/,
    );
  });
});
