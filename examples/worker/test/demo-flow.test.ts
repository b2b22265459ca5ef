import { rm } from 'node:fs/promises';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { checkAgainstFixture, compareSnapshots } from '../scripts/compare-conversation.js';
import type { ConversationSnapshot } from '../scripts/conversation.js';
import { runDemoFlow, type DemoFlowResult } from '../scripts/demo-flow.js';
import { loadFixture, type ConversationFixture } from '../scripts/fixture.js';
import { WORKER_DIR } from '../scripts/worker-runner.js';
import { randomPrefix } from './random-prefix.js';

describe('miniflare: demo flow', () => {
  let fixture: ConversationFixture;
  let result: DemoFlowResult;
  const prefix = randomPrefix();
  const persistDir = path.join(WORKER_DIR, '.demo-state', prefix.slice(0, -1));

  beforeAll(async () => {
    fixture = await loadFixture();

    result = await runDemoFlow(inject('workerBundle'), fixture, {
      persistDir,
      vars: { KV_KEY_PREFIX: prefix },
    });
  });

  afterAll(() => rm(persistDir, { recursive: true, force: true }));

  it('runDemoFlow: finds no difference', () => {
    expect(result.problems).toEqual([]);
  });

  it('readConversation: returns every message after restart', () => {
    const counts = result.afterRestart.threads.map((thread) => thread.messages.length);

    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(fixture.turns.length * 2);
    expect(result.afterRestart).toEqual(result.beforeRestart);
  });

  it('countKeys: conversation is stored in KV', () => {
    expect(result.keyCounts.THREADS).toBeGreaterThanOrEqual(fixture.threads.length);
    expect(result.keyCounts.MESSAGES).toBeGreaterThanOrEqual(fixture.turns.length * 2);
  });

  it('checkAgainstFixture: reports a lost message', () => {
    const damaged = structuredClone(result.afterRestart);
    damaged.threads[0]!.messages.splice(2, 1);

    const problems = checkAgainstFixture(fixture, result.played, damaged);

    expect(problems).toContainEqual(
      expect.stringMatching(/^thread lisbon: \d+ messages, expected/),
    );
  });

  it('checkAgainstFixture: reports user texts out of order', () => {
    const damaged = structuredClone(result.afterRestart);
    const messages = damaged.threads[0]!.messages;
    [messages[0], messages[2]] = [messages[2]!, messages[0]!];

    const problems = checkAgainstFixture(fixture, result.played, damaged);

    expect(problems).toContainEqual(expect.stringMatching(/^thread lisbon: user texts/));
  });

  it('compareSnapshots: reports a changed message', () => {
    const changed: ConversationSnapshot = structuredClone(result.afterRestart);
    changed.threads[1]!.messages[0]!.text = 'edited';

    const problems = compareSnapshots(result.beforeRestart, changed);

    expect(problems).toEqual([expect.stringMatching(/^thread garden: message 1 was /)]);
  });
});
