export { RestTransport, MIN_REST_LIST_LIMIT } from './rest-transport.js';
export {
  DEFAULT_BASE_URL,
  DEFAULT_DEADLINE_MS,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_RETRIES,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_RETRY_MAX_DELAY_MS,
  DEFAULT_TIMEOUT_MS,
  type RestRequestEvent,
  type RestTransportOptions,
} from './rest-options.js';
