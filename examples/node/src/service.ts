import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createAgent, type ModelSettings } from './agent.js';
import { createRequestListener } from './request-listener.js';
import { createStorage, type StorageSettings } from './storage.js';

/** Options of startService. */
export interface ServiceOptions {
  /** TCP port. Default: 8787; 0 picks a free port. */
  port?: number;
  /** Address to listen on. Default: '127.0.0.1'. */
  host?: string;
  storage?: StorageSettings;
  model?: ModelSettings;
}

/** A running service. */
export interface RunningService {
  /** Base URL of the HTTP routes, such as 'http://127.0.0.1:8787'. */
  url: string;
  /** Stops the HTTP server, then the storage. */
  close(): Promise<void>;
}

export const DEFAULT_PORT = 8787;

/** Starts the storage, the agent and the HTTP server. */
export async function startService(options: ServiceOptions = {}): Promise<RunningService> {
  const { storage, close: closeStorage } = await createStorage(options.storage);
  const agent = createAgent(storage, options.model);

  const server = createServer(createRequestListener({ storage, agent }));
  try {
    await listen(server, options.port ?? DEFAULT_PORT, options.host ?? '127.0.0.1');
  } catch (error) {
    await closeStorage();
    throw error;
  }

  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    close: async () => {
      await stop(server);
      await closeStorage();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

// Idle keep-alive connections would hold close() open, so they are dropped.
function stop(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
