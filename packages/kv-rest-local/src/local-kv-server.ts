import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { describeInvalidAccountId, isValidAccountId } from './account-id.js';
import { FaultInjector } from './fault-injector.js';
import { isLoopbackHost } from './loopback-host.js';
import { NamespaceStore } from './namespace-store.js';
import { handleRequest } from './request-handler.js';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_HOST,
  type LocalKvServer,
  type LocalKvServerOptions,
} from './server-options.js';

/**
 * Starts a server on a loopback address that speaks the Workers KV endpoints of Cloudflare's
 * REST API v4, backed by Miniflare's KV.
 */
export async function startLocalKvServer(options: LocalKvServerOptions): Promise<LocalKvServer> {
  const host = options.host ?? DEFAULT_HOST;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
  assertOptions(options, host, accountId);

  const persistFolder = options.persist ? resolve(options.persist) : undefined;
  const store = await NamespaceStore.open(persistFolder);
  const faults = new FaultInjector();
  const dependencies = {
    apiToken: options.apiToken,
    accountId,
    store,
    faults,
    onError: options.onError,
  };
  let requestCount = 0;
  const server = createServer((request, response) => {
    requestCount += 1;
    handleRequest(request, response, dependencies).catch((error: unknown) => {
      if (!request.socket.destroyed) {
        options.onError?.(error, { method: request.method ?? 'GET', url: request.url ?? '/' });
      }
      response.socket?.destroy();
    });
  });

  const port = await listen(server, options.port ?? 0, host).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    baseUrl: `http://${urlHost}:${port}/client/v4`,
    accountId,
    port,
    get requestCount() {
      return requestCount;
    },
    faults,
    close: async () => {
      await closeServer(server);
      await store.close();
    },
  };
}

function assertOptions(options: LocalKvServerOptions, host: string, accountId: string): void {
  if (typeof options.apiToken !== 'string' || options.apiToken === '') {
    throw new TypeError('apiToken is missing; pass the token clients will send as Bearer.');
  }
  if (!isLoopbackHost(host)) {
    throw new RangeError(
      `host ${JSON.stringify(host)} is not a loopback address; use 127.0.0.1, ::1 or localhost.`,
    );
  }
  if (typeof accountId !== 'string' || !isValidAccountId(accountId)) {
    throw new RangeError(describeInvalidAccountId(String(accountId)));
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose, reject) => {
    server.close((error) => (error ? reject(error) : resolveClose()));
    server.closeAllConnections();
  });
}
