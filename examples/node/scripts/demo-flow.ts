import { rm } from 'node:fs/promises';

import { startService } from '../src/service.js';
import { checkAgainstFixture, compareSnapshots } from './compare-conversation.js';
import {
  playConversation,
  readConversation,
  type ConversationSnapshot,
  type PlayedConversation,
} from './conversation.js';
import type { ConversationFixture } from './fixture.js';
import { ServiceClient } from './service-client.js';

/** Options of runDemoFlow. */
export interface DemoFlowOptions {
  /** Folder of the local KV server's data. It is deleted at the start. */
  persistDir: string;
  /** Prefix of every KV key the store writes. Default: none. */
  keyPrefix?: string;
  /** Receives one line per step, for a script that shows progress. */
  onProgress?: (line: string) => void;
}

/** The outcome of playing a fixture, restarting the service and reading everything back. */
export interface DemoFlowResult {
  played: PlayedConversation;
  beforeRestart: ConversationSnapshot;
  afterRestart: ConversationSnapshot;
  /** Every difference found; empty when the flow passed. */
  problems: string[];
}

/**
 * Plays the fixture through the service over a fresh local KV folder and reads it back. Then it
 * stops the service and its local KV server, starts both again over the same folder and reads
 * everything again. Both reads are compared with each other and with the fixture.
 */
export async function runDemoFlow(
  fixture: ConversationFixture,
  options: DemoFlowOptions,
): Promise<DemoFlowResult> {
  const report = options.onProgress ?? (() => {});
  await rm(options.persistDir, { recursive: true, force: true });

  let played: PlayedConversation | undefined;
  const beforeRestart = await withService(options, async (client) => {
    played = await playConversation(client, fixture);
    report(`played ${fixture.turns.length} turns over ${fixture.threads.length} threads`);
    return readConversation(client, played);
  });

  report('restarting the service and the local KV server over the same folder');
  const afterRestart = await withService(options, (client) => readConversation(client, played!));

  const problems = [
    ...checkAgainstFixture(fixture, played!, beforeRestart),
    ...compareSnapshots(beforeRestart, afterRestart).map((problem) => `after restart: ${problem}`),
  ];
  return { played: played!, beforeRestart, afterRestart, problems };
}

// No Cloudflare settings are passed, so the flow uses the local server even if credentials are set.
async function withService<Result>(
  options: DemoFlowOptions,
  use: (client: ServiceClient) => Promise<Result>,
): Promise<Result> {
  const service = await startService({
    port: 0,
    storage: {
      persistDir: options.persistDir,
      keyPrefix: options.keyPrefix,
      log: options.onProgress ?? (() => {}),
    },
  });

  try {
    return await use(new ServiceClient(service.url));
  } finally {
    await service.close();
  }
}
