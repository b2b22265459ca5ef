import { requireDomain, type WorkloadStep } from '../workload-step.js';
import { FIXED_SIZES } from '../workload-sizes.js';
import type { WorkloadState } from '../workload-state.js';

const LONG_THREAD_RESOURCE = 'resource-long';

/** Reads the newest N messages the way Mastra's Memory recalls them. */
export function lastMessagesStep(count: number): WorkloadStep {
  return {
    name: `last-${count}`,
    summary: `listMessages of the newest ${count} messages of the long thread, without a total`,
    domain: 'memory',
    requires: 'grow-thread',
    async run(state) {
      const memory = requireDomain(state, 'memory');
      const result = await memory.listMessages({
        threadId: state.longThreadId,
        resourceId: LONG_THREAD_RESOURCE,
        perPage: count,
        page: 0,
        orderBy: { field: 'createdAt', direction: 'DESC' },
        includeTotal: false,
      });
      const newest = state.longThreadMessageIds.slice(-count).reverse();
      assertIds(
        'listMessages',
        'last messages',
        result.messages.map((message) => message.id),
        newest,
      );
      return { N: count };
    },
  };
}

export const includeContext: WorkloadStep = {
  name: 'include-context',
  summary:
    `listMessages with perPage 0 and include of the long thread's middle message with ` +
    `${FIXED_SIZES.includeContext} messages on each side, as semantic recall asks`,
  domain: 'memory',
  requires: 'grow-thread',
  async run(state) {
    const memory = requireDomain(state, 'memory');
    const context = FIXED_SIZES.includeContext;
    const ids = state.longThreadMessageIds;
    const middle = Math.floor(ids.length / 2);
    const result = await memory.listMessages({
      threadId: state.longThreadId,
      resourceId: LONG_THREAD_RESOURCE,
      perPage: 0,
      include: [
        {
          id: ids[middle]!,
          threadId: state.longThreadId,
          withPreviousMessages: context,
          withNextMessages: context,
        },
      ],
      includeTotal: false,
    });
    const window = ids.slice(middle - context, middle + context + 1);
    assertIds('listMessages', 'included messages', sortedIds(result.messages), [...window].sort());
    return { K: context };
  },
};

export const threadsFirstPage: WorkloadStep = {
  name: 'threads-first-page',
  summary: `listThreads of one resource, page 0 of ${FIXED_SIZES.threadsPerPage}`,
  domain: 'memory',
  requires: 'seed-threads',
  async run(state) {
    await readThreadPage(state, 0);
    return { P: FIXED_SIZES.threadsPerPage, pages: 1 };
  },
};

export const threadsAllPages: WorkloadStep = {
  name: 'threads-all-pages',
  summary: `listThreads of one resource page by page (${FIXED_SIZES.threadsPerPage} a page)`,
  domain: 'memory',
  requires: 'seed-threads',
  async run(state) {
    let pages = 0;
    const seen: string[] = [];
    for (let hasMore = true; hasMore; pages += 1) {
      const result = await readThreadPage(state, pages);
      seen.push(...result.threads.map((thread) => thread.id));
      hasMore = result.hasMore;
    }
    const expected = state.threadIdsByResource.get(state.resourceIds[0]!) ?? [];
    assertIds('listThreads', 'threads across pages', [...seen].sort(), [...expected].sort());
    return { P: FIXED_SIZES.threadsPerPage, pages };
  },
};

async function readThreadPage(state: WorkloadState, page: number) {
  const memory = requireDomain(state, 'memory');
  const resourceId = state.resourceIds[0]!;
  return memory.listThreads({
    filter: { resourceId },
    page,
    perPage: FIXED_SIZES.threadsPerPage,
    orderBy: { field: 'createdAt', direction: 'DESC' },
  });
}

function sortedIds(messages: readonly { id: string }[]): string[] {
  return messages.map((message) => message.id).sort();
}

function assertIds(
  call: string,
  what: string,
  actual: readonly string[],
  expected: readonly string[],
): void {
  if (actual.join('\n') === expected.join('\n')) return;
  throw new Error(
    `${call} returned ${what} [${actual.join(', ')}]; expected [${expected.join(', ')}].`,
  );
}
