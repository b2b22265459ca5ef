export * from './errors.js';
export * from './key-schema.js';
export * from './kv-namespace.js';
export * from './limits.js';
export * from './transport.js';
