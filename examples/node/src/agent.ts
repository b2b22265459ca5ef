import { Agent } from '@mastra/core/agent';
import type { MastraModelConfig } from '@mastra/core/llm';
import type { MastraCompositeStore } from '@mastra/core/storage';
import { Memory } from '@mastra/memory';

import { createOfflineModel } from './offline-model.js';

/** Number of earlier messages of a thread that memory gives the model with each new message. */
export const LAST_MESSAGES = 10;

const DEFAULT_MODEL_ID = 'openai/gpt-4o-mini';

/** Settings that choose the agent's model. */
export interface ModelSettings {
  /** OpenAI API key. When set, the agent uses a real model instead of the offline one. */
  openAiApiKey?: string;
  /** Real model in Mastra's "provider/model" form. Default: "openai/gpt-4o-mini". */
  modelId?: string;
}

/** Creates the assistant agent, whose conversation memory is kept in `storage`. */
export function createAgent(storage: MastraCompositeStore, settings: ModelSettings = {}): Agent {
  const memory = new Memory({
    storage,
    options: { lastMessages: LAST_MESSAGES, semanticRecall: false, generateTitle: false },
  });

  return new Agent({
    id: 'assistant',
    name: 'Assistant',
    instructions:
      'You are a concise assistant. Use the earlier messages of the thread when relevant.',
    model: selectModel(settings),
    memory,
  });
}

// The offline model needs no key and makes no request, so the demo and tests run anywhere.
function selectModel(settings: ModelSettings): MastraModelConfig {
  if (!settings.openAiApiKey) return createOfflineModel();

  const id = (settings.modelId ?? DEFAULT_MODEL_ID) as `${string}/${string}`;
  return { id, apiKey: settings.openAiApiKey };
}
