import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { checkAgainstFixture, compareSnapshots } from '../scripts/compare-conversation.js';
import type { ConversationSnapshot } from '../scripts/conversation.js';
import { runDemoFlow, type DemoFlowResult } from '../scripts/demo-flow.js';
import { loadFixture, type ConversationFixture } from '../scripts/fixture.js';
import { createTestIsolation, type TestIsolation } from './test-service.js';

describe('rest-local: demo flow', () => {
  let isolation: TestIsolation;
  let fixture: ConversationFixture;
  let result: DemoFlowResult;

  beforeAll(async () => {
    isolation = createTestIsolation();
    fixture = await loadFixture();

    result = await runDemoFlow(fixture, {
      persistDir: isolation.persistDir,
      keyPrefix: isolation.keyPrefix,
    });
  });

  afterAll(() => isolation?.dispose());

  it('runDemoFlow: finds no difference', () => {
    expect(result.problems).toEqual([]);
  });

  it('readConversation: returns every message after restart', () => {
    const counts = result.afterRestart.threads.map((thread) => thread.messages.length);

    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(fixture.turns.length * 2);
    expect(result.afterRestart).toEqual(result.beforeRestart);
  });

  it('readConversation: lists each resource after restart', () => {
    const resourceIds = new Set(fixture.threads.map((thread) => thread.resourceId));

    expect(Object.keys(result.afterRestart.threadsByResource).sort()).toEqual(
      [...resourceIds].sort(),
    );
    expect(result.afterRestart.threadsByResource).toEqual(result.beforeRestart.threadsByResource);
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

  it('compareSnapshots: reports a thread missing after restart', () => {
    const changed: ConversationSnapshot = structuredClone(result.afterRestart);
    changed.threads.splice(2, 1);

    const problems = compareSnapshots(result.beforeRestart, changed);

    expect(problems).toEqual(['thread reading: missing after restart']);
  });
});
