export { BindingTransport } from './binding-transport.js';
export { DEFAULT_MAX_CONCURRENCY, type BindingTransportOptions } from './binding-options.js';
