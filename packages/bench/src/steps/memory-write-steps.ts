import { mapWithConcurrency } from '@cfkv/core';
import type { MastraDBMessage } from '@mastra/core/memory';
import { requireDomain, type WorkloadStep } from '../workload-step.js';
import { FIXED_SIZES } from '../workload-sizes.js';
import { nextDate, type WorkloadState } from '../workload-state.js';
import { buildMessage, buildThread } from './message-builder.js';

const LONG_THREAD_RESOURCE = 'resource-long';

/** Threads saved at once while seeding; the step measures counts, not one call's latency. */
const SEED_CONCURRENCY = 4;

export const seedThreads: WorkloadStep = {
  name: 'seed-threads',
  summary:
    'saveThread of every thread of every resource and of the long thread, ' +
    `${SEED_CONCURRENCY} calls at a time`,
  domain: 'memory',
  async run(state) {
    const memory = requireDomain(state, 'memory');
    const threads = [buildThread(state.longThreadId, LONG_THREAD_RESOURCE, nextDate(state))];
    for (let resource = 0; resource < state.sizes.resources; resource += 1) {
      const resourceId = `resource-${resource}`;
      const threadIds: string[] = [];
      for (let thread = 0; thread < state.sizes.threadsPerResource; thread += 1) {
        const threadId = `thread-${resource}-${thread}`;
        threads.push(buildThread(threadId, resourceId, nextDate(state)));
        threadIds.push(threadId);
      }
      state.resourceIds.push(resourceId);
      state.threadIdsByResource.set(resourceId, threadIds);
    }

    await mapWithConcurrency(threads, SEED_CONCURRENCY, (thread) => memory.saveThread({ thread }));
    return { threads: threads.length };
  },
};

export const growThread: WorkloadStep = {
  name: 'grow-thread',
  summary: 'saveMessages in batches until the long thread is full',
  domain: 'memory',
  requires: 'seed-threads',
  async run(state) {
    let batches = 0;
    while (state.longThreadMessageIds.length < state.sizes.longThreadMessages) {
      const size = Math.min(
        state.sizes.growBatchSize,
        state.sizes.longThreadMessages - state.longThreadMessageIds.length,
      );
      await saveLongThreadBatch(state, size);
      batches += 1;
    }
    return { B: state.sizes.growBatchSize, batches };
  },
};

export const saveBatch: WorkloadStep = {
  name: 'save-batch',
  summary: `saveMessages of ${FIXED_SIZES.saveBatch} new messages into the full long thread`,
  domain: 'memory',
  requires: 'grow-thread',
  async run(state) {
    await saveLongThreadBatch(state, FIXED_SIZES.saveBatch);
    return { B: FIXED_SIZES.saveBatch, batches: 1 };
  },
};

export const equalTimestamps: WorkloadStep = {
  name: 'equal-timestamps',
  summary:
    `saveMessages of ${FIXED_SIZES.equalTimestampMessages} messages sharing one createdAt ` +
    'into a new thread, then listMessages checks they keep input order',
  domain: 'memory',
  async run(state) {
    const memory = requireDomain(state, 'memory');
    const thread = buildThread(state.equalTimestampThreadId, LONG_THREAD_RESOURCE, nextDate(state));
    await memory.saveThread({ thread });
    const createdAt = nextDate(state);
    const messages = Array.from({ length: FIXED_SIZES.equalTimestampMessages }, (_, index) =>
      buildMessage(`message-equal-${index}`, thread, createdAt),
    );
    await memory.saveMessages({ messages });

    const listed = await memory.listMessages({
      threadId: thread.id,
      perPage: messages.length,
      page: 0,
      orderBy: { field: 'createdAt', direction: 'ASC' },
      includeTotal: false,
    });
    assertSameOrder(
      listed.messages.map((message) => message.id),
      messages.map((message) => message.id),
    );
    return { B: messages.length, batches: 1 };
  },
};

async function saveLongThreadBatch(state: WorkloadState, size: number): Promise<void> {
  const memory = requireDomain(state, 'memory');
  const thread = { id: state.longThreadId, resourceId: LONG_THREAD_RESOURCE };
  const messages: MastraDBMessage[] = [];
  for (let index = 0; index < size; index += 1) {
    const id = `message-long-${String(state.longThreadMessageIds.length + index).padStart(6, '0')}`;
    messages.push(buildMessage(id, thread, nextDate(state)));
  }

  await memory.saveMessages({ messages });
  state.longThreadMessageIds.push(...messages.map((message) => message.id));
}

function assertSameOrder(actual: readonly string[], expected: readonly string[]): void {
  if (actual.join('\n') === expected.join('\n')) return;
  throw new Error(
    `listMessages returned messages with equal createdAt as [${actual.join(', ')}]; ` +
      `expected the input order [${expected.join(', ')}].`,
  );
}
