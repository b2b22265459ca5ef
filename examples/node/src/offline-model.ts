import type { MastraModelConfig } from '@mastra/core/llm';

/** An AI SDK v2 language model, the shape Mastra 1.x accepts as a model object. */
export type LanguageModelV2 = Extract<MastraModelConfig, { specificationVersion: 'v2' }>;

type CallOptions = Parameters<LanguageModelV2['doGenerate']>[0];
type PromptMessage = CallOptions['prompt'][number];
type StreamPart =
  Awaited<ReturnType<LanguageModelV2['doStream']>>['stream'] extends ReadableStream<infer Part>
    ? Part
    : never;

const TEXT_ID = 'offline-text';

/**
 * Creates a language model that needs no network and no API key. Its reply depends only on the
 * prompt: it counts the user and assistant messages it was given (recalled memory plus the new
 * message) and quotes the last user text, so a caller can check what memory recalled.
 */
export function createOfflineModel(): LanguageModelV2 {
  return {
    specificationVersion: 'v2',
    provider: 'cfkv-offline',
    modelId: 'echo-context',
    supportedUrls: {},
    async doGenerate(options) {
      const text = replyTo(options.prompt);
      return {
        content: [{ type: 'text', text }],
        finishReason: 'stop',
        usage: usageOf(options.prompt, text),
        warnings: [],
      };
    },
    async doStream(options) {
      const text = replyTo(options.prompt);
      return { stream: streamOf([...textParts(text), finishPart(options.prompt, text)]) };
    },
  };
}

/** Formats the offline model's reply, so a caller can compute the reply it expects. */
export function formatOfflineReply(messageCount: number, lastUserText: string): string {
  const noun = messageCount === 1 ? 'message' : 'messages';
  return `${messageCount} ${noun} in context; last user text: "${lastUserText}"`;
}

function replyTo(prompt: PromptMessage[]): string {
  const conversation = prompt.filter(
    (message) => message.role === 'user' || message.role === 'assistant',
  );
  const lastUser = conversation.findLast((message) => message.role === 'user');

  return formatOfflineReply(conversation.length, lastUser ? textOf(lastUser) : '');
}

function textOf(message: PromptMessage): string {
  if (typeof message.content === 'string') return message.content;

  return message.content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('')
    .trim();
}

function textParts(text: string): StreamPart[] {
  return [
    { type: 'stream-start', warnings: [] },
    { type: 'text-start', id: TEXT_ID },
    { type: 'text-delta', id: TEXT_ID, delta: text },
    { type: 'text-end', id: TEXT_ID },
  ];
}

function finishPart(prompt: PromptMessage[], text: string): StreamPart {
  return { type: 'finish', finishReason: 'stop', usage: usageOf(prompt, text) };
}

// Usage counts words, not real tokens: the numbers only need to be stable and plausible.
function usageOf(prompt: PromptMessage[], text: string) {
  const inputTokens = prompt.map(textOf).join(' ').split(/\s+/).filter(Boolean).length;
  const outputTokens = text.split(/\s+/).length;
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

function streamOf(parts: StreamPart[]): ReadableStream<StreamPart> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}
