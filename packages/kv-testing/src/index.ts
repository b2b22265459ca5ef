export * from './contract.js';
export { createMiniflareKv, type MiniflareKv, type MiniflareKvOptions } from './miniflare-kv.js';
