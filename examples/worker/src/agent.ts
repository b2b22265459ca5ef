import { Agent } from '@mastra/core/agent';
import type { MastraCompositeStore } from '@mastra/core/storage';
import { Memory } from '@mastra/memory';

import type { Env } from './env.js';
import { LAST_MESSAGES } from './memory-options.js';
import { selectModel } from './model.js';

/** Creates the assistant agent, whose conversation memory is kept in `storage`. */
export function createAgent(env: Env, storage: MastraCompositeStore): Agent {
  const memory = new Memory({
    storage,
    options: { lastMessages: LAST_MESSAGES, semanticRecall: false, generateTitle: false },
  });

  return new Agent({
    id: 'assistant',
    name: 'Assistant',
    instructions:
      'You are a concise assistant. Use the earlier messages of the thread when relevant.',
    model: selectModel(env),
    memory,
  });
}
