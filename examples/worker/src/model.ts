import type { MastraModelConfig } from '@mastra/core/llm';

import type { Env } from './env.js';
import { createOfflineModel } from './offline-model.js';

const DEFAULT_MODEL_ID = 'openai/gpt-4o-mini';

/**
 * Chooses the agent's model: a real model through Mastra's model router when `OPENAI_API_KEY` is
 * set, otherwise the offline model, which needs no key and makes no request.
 */
export function selectModel(env: Env): MastraModelConfig {
  if (!env.OPENAI_API_KEY) return createOfflineModel();

  const id = (env.MODEL_ID ?? DEFAULT_MODEL_ID) as `${string}/${string}`;
  return { id, apiKey: env.OPENAI_API_KEY };
}
