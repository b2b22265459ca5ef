import type { FaultControl } from './fault-injector.js';

/** Options of `startLocalKvServer`. */
export interface LocalKvServerOptions {
  /** Token clients must send as `Authorization: Bearer <token>` (Cloudflare API token). */
  apiToken: string;
  /** TCP port. Default: 0, a free port chosen by the system. */
  port?: number;
  /** Loopback address to bind. Default: '127.0.0.1'. Other hosts are rejected. */
  host?: string;
  /**
   * Folder for the namespace registry and Miniflare's KV data, kept across restarts.
   * Default: false, everything in memory and gone on close.
   */
  persist?: string | false;
  /** Account id expected in request paths (Cloudflare account id). Default: 'local-account'. */
  accountId?: string;
  /**
   * Called with failures that became a 500 response or a destroyed socket. The server itself
   * logs nothing. Default: none.
   */
  onError?: (error: unknown, request: FailedRequest) => void;
}

/** Method and raw URL (path and query, still percent-encoded) of a request that failed. */
export interface FailedRequest {
  method: string;
  url: string;
}

/** A running server, as returned by `startLocalKvServer`. */
export interface LocalKvServer {
  /** API base to pass as a client's base URL, such as 'http://127.0.0.1:8788/client/v4'. */
  readonly baseUrl: string;
  readonly accountId: string;
  readonly port: number;
  /** Number of HTTP requests received, including rejected and faulted ones. */
  readonly requestCount: number;
  /** Faults injected into later requests. */
  readonly faults: FaultControl;
  /** Stops accepting requests, drops open connections and shuts Miniflare down. */
  close(): Promise<void>;
}

export const DEFAULT_ACCOUNT_ID = 'local-account';
export const DEFAULT_HOST = '127.0.0.1';
