import type { IncomingMessage } from 'node:http';
import type { NamespaceStore } from './namespace-store.js';

/** Input of a route handler: the request, its parsed query and the namespace store. */
export interface RequestContext {
  request: IncomingMessage;
  query: URLSearchParams;
  store: NamespaceStore;
}
