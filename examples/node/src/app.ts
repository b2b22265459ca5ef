import type { Agent } from '@mastra/core/agent';
import type { MastraCompositeStore } from '@mastra/core/storage';

/** The objects a request needs: the storage and the agent whose memory lives in it. */
export interface App {
  storage: MastraCompositeStore;
  agent: Agent;
}
