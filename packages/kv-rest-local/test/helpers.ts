import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { startLocalKvServer, type LocalKvServer, type LocalKvServerOptions } from '../src/index.js';

export const TOKEN = 'test-token';

export function randomPrefix(): string {
  return `t${randomBytes(6).toString('hex')}/`;
}

export async function startTestServer(
  options: Partial<LocalKvServerOptions> = {},
): Promise<LocalKvServer> {
  return startLocalKvServer({ apiToken: TOKEN, ...options });
}

/** Cloudflare's JSON envelope as the tests read it. */
export interface Envelope<T = unknown> {
  success: boolean;
  errors: { code: number; message: string }[];
  messages: unknown[];
  result: T;
  result_info?: Record<string, unknown>;
}

/** Fetch helper bound to one server's namespaces URL, sending the bearer token. */
export class ApiClient {
  readonly namespacesUrl: string;

  constructor(
    readonly server: LocalKvServer,
    readonly token: string = TOKEN,
  ) {
    this.namespacesUrl = `${server.baseUrl}/accounts/${server.accountId}/storage/kv/namespaces`;
  }

  request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.token}`);
    return fetch(`${this.namespacesUrl}${path}`, { ...init, headers });
  }

  async json<T = unknown>(path: string, init: RequestInit = {}): Promise<Envelope<T>> {
    const response = await this.request(path, init);
    return (await response.json()) as Envelope<T>;
  }

  sendJson(method: string, path: string, body: unknown): Promise<Response> {
    return this.request(path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async createNamespace(title = `ns-${randomBytes(6).toString('hex')}`): Promise<string> {
    const response = await this.sendJson('POST', '', { title });
    const envelope = (await response.json()) as Envelope<{ id: string }>;
    if (!envelope.success) {
      throw new Error(`creating namespace ${title} failed: ${JSON.stringify(envelope.errors)}`);
    }
    return envelope.result.id;
  }

  putValue(
    namespaceId: string,
    key: string,
    value: RequestInit['body'],
    query = '',
  ): Promise<Response> {
    return this.request(`/${namespaceId}/values/${encodeURIComponent(key)}${query}`, {
      method: 'PUT',
      body: value,
    });
  }

  putWithMetadata(namespaceId: string, key: string, value: string, metadata: unknown) {
    const form = new FormData();
    form.set('value', value);
    form.set('metadata', JSON.stringify(metadata));
    return this.request(`/${namespaceId}/values/${encodeURIComponent(key)}`, {
      method: 'PUT',
      body: form,
    });
  }

  getValue(namespaceId: string, key: string): Promise<Response> {
    return this.request(`/${namespaceId}/values/${encodeURIComponent(key)}`);
  }

  /** Follows the cursor until it is "", returning every page. */
  async listAllPages(namespaceId: string, prefix: string, limit: number) {
    const pages: { name: string; metadata?: unknown; expiration?: number }[][] = [];
    let cursor = '';
    do {
      const query = new URLSearchParams({ prefix, limit: String(limit) });
      if (cursor !== '') {
        query.set('cursor', cursor);
      }
      const envelope = await this.json<{ name: string }[]>(`/${namespaceId}/keys?${query}`);
      if (!envelope.success) {
        throw new Error(`list failed: ${JSON.stringify(envelope.errors)}`);
      }
      pages.push(envelope.result);
      cursor = String(envelope.result_info?.cursor);
    } while (cursor !== '');
    return pages;
  }
}

/** Sorts strings by their UTF-8 bytes, the order KV lists keys in. */
export function sortByUtf8(names: string[]): string[] {
  return [...names].sort((left, right) => Buffer.compare(Buffer.from(left), Buffer.from(right)));
}

export const SPECIAL_KEYS = [
  'a/b',
  'q?x#y',
  '50%',
  'sp ace',
  'ünï',
  '日本語',
  '/lead',
  'dots...',
  'a+b',
  '^caret',
  'a\u001fb',
  '%2F',
];

/**
 * Sends a request with the path exactly as given. WHATWG URLs (and so fetch) turn `%2E` and
 * `%2E%2E` segments into dot segments and remove them, so only a raw request can send them.
 */
export function sendRawRequest(
  api: ApiClient,
  method: string,
  pathAfterNamespaces: string,
  body = '',
): Promise<{ status: number; text: string }> {
  const url = new URL(api.namespacesUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: `${url.pathname}${pathAfterNamespaces}`,
        headers: { authorization: `Bearer ${api.token}` },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}
