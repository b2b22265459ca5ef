// A `--store` module: its default export returns a new Mastra storage, called once per scale so
// each run starts empty. Run it with `pnpm bench -- --store ./examples/in-memory-store.mjs`.
import { InMemoryStore } from '@mastra/core/storage';

export default function createStore() {
  return new InMemoryStore();
}
