import { rm } from 'node:fs/promises';

import { escapeKeyPart } from '@cfkv/core';

import { DEFAULT_KEY_PREFIX } from '../src/env.js';
import { checkAgainstFixture, compareSnapshots } from './compare-conversation.js';
import {
  playConversation,
  readConversation,
  type ConversationSnapshot,
  type PlayedConversation,
} from './conversation.js';
import type { ConversationFixture } from './fixture.js';
import { startWorker, type WorkerBundle } from './worker-runner.js';

/** Options of runDemoFlow. */
export interface DemoFlowOptions {
  /** Folder for the persisted KV namespaces. It is wiped at the start. */
  persistDir: string;
  /** Variables for the Worker, such as KV_KEY_PREFIX. */
  vars?: Record<string, string>;
  /** Receives one line per step, for a script that shows progress. */
  onProgress?: (line: string) => void;
}

/** The outcome of playing a fixture, restarting the Worker and reading everything back. */
export interface DemoFlowResult {
  played: PlayedConversation;
  beforeRestart: ConversationSnapshot;
  afterRestart: ConversationSnapshot;
  /** Number of the store's keys in each KV namespace after the restart, by binding name. */
  keyCounts: Record<string, number>;
  /** Every difference found; empty when the flow passed. */
  problems: string[];
}

/**
 * Plays the fixture in a Worker over a wiped `persistDir`, reads it back, starts a fresh Worker
 * over the same folder, reads it again and compares both reads with each other and the fixture.
 */
export async function runDemoFlow(
  bundle: WorkerBundle,
  fixture: ConversationFixture,
  options: DemoFlowOptions,
): Promise<DemoFlowResult> {
  const report = options.onProgress ?? (() => {});
  await rm(options.persistDir, { recursive: true, force: true });

  report(`starting the Worker in Miniflare, KV persisted to ${options.persistDir}`);
  const first = await startWorker(bundle, options);
  let played: PlayedConversation;
  let beforeRestart: ConversationSnapshot;
  try {
    played = await playConversation(first, fixture);
    report(`played ${fixture.turns.length} turns over ${fixture.threads.length} threads`);
    beforeRestart = await readConversation(first, played);
  } finally {
    await first.dispose();
  }

  report('restarting: a fresh Miniflare over the same persisted folder');
  const second = await startWorker(bundle, options);
  let afterRestart: ConversationSnapshot;
  let keyCounts: Record<string, number>;
  try {
    afterRestart = await readConversation(second, played);
    // CloudflareStore escapes its key prefix like any other key part, so `demo:` is `demo%3A` in KV.
    const keyPrefix = options.vars?.KV_KEY_PREFIX ?? DEFAULT_KEY_PREFIX;
    keyCounts = await second.countKeys(escapeKeyPart(keyPrefix));
  } finally {
    await second.dispose();
  }

  const problems = [
    ...checkAgainstFixture(fixture, played, beforeRestart),
    ...compareSnapshots(beforeRestart, afterRestart).map((problem) => `after restart: ${problem}`),
  ];
  return { played, beforeRestart, afterRestart, keyCounts, problems };
}
