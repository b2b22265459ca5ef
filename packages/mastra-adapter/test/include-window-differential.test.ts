import { createMiniflareKv, randomPrefix, type MiniflareKv } from '@cfkv/testing';
import type { MastraDBMessage } from '@mastra/core/memory';
import {
  InMemoryStore,
  type MemoryStorage,
  type StorageListMessagesInput,
} from '@mastra/core/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareStore, STORE_TABLES } from '../src/index.js';
import { createRandom } from './differential/random-operations.js';

/** Messages per saveMessages call while seeding. */
const SAVE_BATCH_SIZE = 100;
const SECOND_MS = 1_000;
const MINUTE_MS = 60 * SECOND_MS;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Key separator, escape and non-ASCII characters, in the thread id and so in its message ids. */
const SHORT_THREAD_ID = 'short:50%/é';
/** Order entries in one KV list page: messages older than this take the deep window search. */
const LIST_PAGE_SIZE = 1000;

interface SeedMessage {
  id: string;
  resourceId: string;
  createdAtMs: number;
}

interface SeedThread {
  id: string;
  resourceId: string;
  /** Messages in save order, which is not always createdAt order. */
  messages: SeedMessage[];
}

type IncludeItem = NonNullable<StorageListMessagesInput['include']>[number];

/**
 * Builds 1,700 messages, oldest first. 100 run from 1906 to just after the epoch, crossing 0 ms.
 * After a 3-day gap, 300 share one createdAt and 50 follow a second apart. Then 250 are saved
 * alternating between two adjacent milliseconds. After a 10-day gap, 1,000 follow a minute
 * apart, so every older message is deeper than the first list page.
 */
function longThread(): SeedThread {
  const times: number[] = [Date.UTC(1906, 3, 18)];
  for (let n = 1; n < 100; n++) times.push((n - 50) * MINUTE_MS);
  times[49] = -1;
  times[51] = 1;
  const equalBurstMs = 3 * DAY_MS + 5 * MINUTE_MS;
  for (let n = 0; n < 300; n++) times.push(equalBurstMs);
  for (let n = 0; n < 50; n++) times.push(equalBurstMs + (n + 1) * SECOND_MS);
  const splitBurstMs = equalBurstMs + 2 * MINUTE_MS;
  for (let n = 0; n < 250; n++) times.push(splitBurstMs + (n % 2));
  const tailStartMs = splitBurstMs + 10 * DAY_MS;
  for (let n = 0; n < 1000; n++) times.push(tailStartMs + n * MINUTE_MS);

  return {
    id: 'long',
    resourceId: 'ra',
    messages: times.map((createdAtMs, n) => ({
      id: idOf('long', n),
      resourceId: 'ra',
      createdAtMs,
    })),
  };
}

/**
 * Builds 1,400 messages. 100 are a year apart from 1850, every third of resource r2 and the rest
 * r1. A run of 150 r2 messages a second apart follows, then 50 alternating like the first 100.
 * The last 1,100 share one createdAt, and every 50th of them is r1, the rest r2. So the newest
 * 1,000 have equal timestamps, and their spacing gives no estimate for the older messages.
 */
function mixedThread(): SeedThread {
  const sparseStartMs = Date.UTC(1850, 0, 1);
  const runStartMs = Date.UTC(1951, 0, 1);
  const burstMs = Date.UTC(2025, 5, 1);
  const messages = Array.from({ length: 1400 }, (_, n) => {
    let createdAtMs = runStartMs + n * SECOND_MS;
    let resourceId = n % 3 === 1 ? 'r2' : 'r1';
    if (n < 100) createdAtMs = sparseStartMs + n * 365 * DAY_MS;
    if (n >= 100 && n < 250) resourceId = 'r2';
    if (n >= 300) {
      createdAtMs = burstMs;
      resourceId = n % 50 === 0 ? 'r1' : 'r2';
    }
    return { id: idOf('mixed', n), resourceId, createdAtMs };
  });
  return { id: 'mixed', resourceId: 'r1', messages };
}

/** Builds 30 messages of resource r1, a minute apart, to include across threads. */
function shortThread(): SeedThread {
  const startMs = Date.UTC(2024, 0, 1);
  const messages = Array.from({ length: 30 }, (_, n) => ({
    id: idOf(SHORT_THREAD_ID, n),
    resourceId: 'r1',
    createdAtMs: startMs + n * MINUTE_MS,
  }));
  return { id: SHORT_THREAD_ID, resourceId: 'r1', messages };
}

function idOf(threadId: string, index: number): string {
  return `${threadId}-${String(index).padStart(4, '0')}`;
}

function toMessage(threadId: string, seed: SeedMessage): MastraDBMessage {
  return {
    id: seed.id,
    threadId,
    resourceId: seed.resourceId,
    role: 'user',
    type: 'text',
    createdAt: new Date(seed.createdAtMs),
    content: { format: 2, parts: [{ type: 'text', text: seed.id }] },
  } as MastraDBMessage;
}

async function seedThread(memory: MemoryStorage, thread: SeedThread): Promise<void> {
  const createdAt = new Date(Date.UTC(2026, 0, 1));
  await memory.saveThread({
    thread: { id: thread.id, resourceId: thread.resourceId, createdAt, updatedAt: createdAt },
  });
  for (let start = 0; start < thread.messages.length; start += SAVE_BATCH_SIZE) {
    const batch = thread.messages.slice(start, start + SAVE_BATCH_SIZE);
    await memory.saveMessages({ messages: batch.map((seed) => toMessage(thread.id, seed)) });
  }
}

/**
 * Moves, re-tags and deletes a few seeded messages the same way in both stores, so windows also
 * pass messages that changed place after they were saved.
 */
async function changeSeededMessages(memory: MemoryStorage, long: SeedThread): Promise<void> {
  const createdAtOf = (index: number) => new Date(long.messages[index]!.createdAtMs);
  await memory.updateMessages({
    messages: [
      // Into the equal burst, from the split burst and from another thread.
      { id: idOf('long', 500), createdAt: createdAtOf(100) },
      { id: idOf(SHORT_THREAD_ID, 5), threadId: 'long', createdAt: createdAtOf(100) },
      // From the equal burst to the oldest createdAt, and from the newest to -1 ms.
      { id: idOf('long', 150), createdAt: createdAtOf(0) },
      { id: idOf('long', 1699), createdAt: createdAtOf(49) },
      // From the oldest place to the newest.
      { id: idOf('long', 10), createdAt: new Date(long.messages[1699]!.createdAtMs + DAY_MS) },
      // Resources swapped in the mixed thread, where windows filter by resource.
      { id: idOf('mixed', 350), resourceId: 'r2' },
      { id: idOf('mixed', 325), resourceId: 'r1' },
      { id: idOf('mixed', 97), resourceId: 'r1' },
    ] as never,
  });
  await memory.deleteMessages([idOf('long', 120), idOf('long', 121), idOf('long', 452)]);
}

/**
 * Lists messages and returns total, hasMore and the ids sorted by id, because the two stores
 * order equal createdAt differently in a result.
 */
async function listIds(memory: MemoryStorage, input: StorageListMessagesInput) {
  const result = await memory.listMessages(structuredClone(input));
  return {
    ids: result.messages.map((message) => message.id).sort(),
    total: result.total,
    hasMore: result.hasMore,
  };
}

function include(id: string, withPreviousMessages: number, withNextMessages: number): IncludeItem {
  return { id, withPreviousMessages, withNextMessages };
}

describe('binding: include windows match InMemoryStore', () => {
  let kv: MiniflareKv;
  let oracle: MemoryStorage;
  let subject: MemoryStorage;
  const long = longThread();
  const mixed = mixedThread();
  const short = shortThread();

  beforeAll(async () => {
    kv = await createMiniflareKv(STORE_TABLES);
    oracle = (await new InMemoryStore().getStore('memory'))!;
    const store = new CloudflareStore({
      bindings: kv.namespaces,
      keyPrefix: randomPrefix('window'),
      // Seeding then stamps each thread once, not once per batch.
      threadTouchIntervalMs: 60_000,
    });
    subject = store.stores.memory;
    for (const memory of [oracle, subject]) {
      for (const thread of [long, mixed, short]) await seedThread(memory, thread);
      await changeSeededMessages(memory, long);
    }
  }, 120_000);

  afterAll(async () => {
    await kv?.dispose();
  });

  /** Compares both stores' results and returns the expected ids. */
  async function expectSameIds(input: StorageListMessagesInput): Promise<string[]> {
    const expected = await listIds(oracle, input);
    const actual = await listIds(subject, input);
    expect(actual.ids, JSON.stringify(input)).toEqual(expected.ids);
    expect(actual.total, 'total').toBe(expected.total);
    expect(actual.hasMore, 'hasMore').toBe(expected.hasMore);
    return expected.ids;
  }

  it('seed: page boundaries match labels', async () => {
    const { messages: longMessages } = await oracle.listMessages({
      threadId: 'long',
      perPage: false,
    });
    expect(longMessages.at(-LIST_PAGE_SIZE)!.id).toBe(idOf('long', 700));
    expect(longMessages.at(-LIST_PAGE_SIZE - 1)!.id).toBe(idOf('long', 699));
    const { messages: mixedMessages } = await oracle.listMessages({
      threadId: 'mixed',
      perPage: false,
    });
    expect(mixedMessages.at(-LIST_PAGE_SIZE)!.id).toBe(idOf('mixed', 400));
    expect(mixedMessages.at(-LIST_PAGE_SIZE - 1)!.id).toBe(idOf('mixed', 399));
  });

  /** withPreviousMessages and withNextMessages of each target's requests. */
  const windowSizes: [number, number][] = [
    [0, 0],
    [1, 5],
    [50, 50],
    [0, 50],
    [50, 0],
  ];
  const longTargets: [string, string][] = [
    ['first message (1906)', idOf('long', 0)],
    ['message moved to 1906', idOf('long', 150)],
    ['last message before 1970', idOf('long', 48)],
    ['message at -1 ms', idOf('long', 49)],
    ['message moved to -1 ms', idOf('long', 1699)],
    ['message at the epoch', idOf('long', 50)],
    ['message before the equal burst', idOf('long', 99)],
    ['first of the equal burst', idOf('long', 100)],
    ['message before a deleted pair', idOf('long', 119)],
    ['deleted message', idOf('long', 120)],
    ['middle of the equal burst', idOf('long', 250)],
    ['last seeded in the equal burst', idOf('long', 399)],
    ['message moved into the burst', idOf('long', 500)],
    ['message moved from another thread', idOf(SHORT_THREAD_ID, 5)],
    ['message after the equal burst', idOf('long', 400)],
    ['last before the split burst', idOf('long', 449)],
    ['first of the split burst', idOf('long', 450)],
    ['middle of the split burst', idOf('long', 575)],
    ['second-to-last of the split burst', idOf('long', 698)],
    ['1,001st from the newest, before the gap', idOf('long', 699)],
    ['1,000th from the newest, after the gap', idOf('long', 700)],
    ['999th from the newest', idOf('long', 701)],
    ['message moved to the newest', idOf('long', 10)],
  ];

  for (const [label, id] of longTargets) {
    it(`listMessages perPage 0: ${label}`, async () => {
      for (const [previous, next] of windowSizes) {
        const ids = await expectSameIds({
          threadId: 'long',
          perPage: 0,
          include: [include(id, previous, next)],
        });
        // Guards against a vacuous case: only the deleted message has an empty window.
        expect(ids.includes(id), 'target listed').toBe(id !== idOf('long', 120));
      }
    });
  }

  it('listMessages perPage 0: several items in one call', async () => {
    await expectSameIds({
      threadId: 'long',
      perPage: 0,
      include: [
        include(idOf('long', 99), 5, 50),
        include(idOf('long', 130), 50, 1),
        include(idOf('long', 699), 1, 5),
        include(idOf('long', 1699), 50, 50),
        include(idOf(SHORT_THREAD_ID, 10), 5, 5),
        include('missing-message', 5, 5),
      ],
    });
  });

  it('listMessages perPage 0: one id in several items', async () => {
    await expectSameIds({
      threadId: 'long',
      perPage: 0,
      include: [
        include(idOf('long', 300), 5, 0),
        include(idOf('long', 300), 0, 5),
        { id: idOf('long', 300), threadId: SHORT_THREAD_ID, withNextMessages: 50 },
      ],
    });
  });

  it('listMessages perPage 0: items in other threads only', async () => {
    await expectSameIds({
      threadId: SHORT_THREAD_ID,
      perPage: 0,
      include: [include(idOf('long', 300), 50, 50), include(idOf('mixed', 150), 5, 5)],
    });
  });

  it('listMessages perPage 0: overlapping windows count once', async () => {
    await expectSameIds({
      threadId: 'long',
      perPage: 0,
      include: [include(idOf('long', 440), 50, 50), include(idOf('long', 460), 50, 50)],
    });
  });

  it('listMessages perPage 10: first page plus deep items', async () => {
    await expectSameIds({
      threadId: 'long',
      perPage: 10,
      include: [include(idOf('long', 250), 5, 5), include(idOf('long', 5), 50, 1)],
    });
  });

  it('listMessages perPage 40: later page plus neighbours', async () => {
    await expectSameIds({
      threadId: 'long',
      perPage: 40,
      page: 3,
      include: [include(idOf('long', 100), 50, 50), include(idOf('long', 170), 0, 5)],
    });
  });

  it('listMessages perPage false: items in other threads', async () => {
    await expectSameIds({
      threadId: SHORT_THREAD_ID,
      perPage: false,
      include: [include(idOf('long', 130), 50, 50), include(idOf('mixed', 320), 5, 5)],
    });
  });

  it('listMessages dateRange: outside items keep windows', async () => {
    const equalBurstMs = long.messages[100]!.createdAtMs;
    await expectSameIds({
      threadId: 'long',
      perPage: 10,
      filter: {
        dateRange: { start: new Date(equalBurstMs), end: new Date(equalBurstMs + DAY_MS) },
      },
      include: [include(idOf('long', 40), 50, 50), include(idOf('long', 260), 50, 50)],
    });
  });

  it('listMessages two threads: page plus deep items', async () => {
    const input: StorageListMessagesInput = {
      threadId: ['long', 'mixed'],
      perPage: 30,
      page: 1,
      include: [include(idOf('long', 600), 50, 50), include(idOf('mixed', 330), 5, 5)],
    };
    const expected = await listIds(oracle, input);
    const actual = await listIds(subject, input);
    expect(actual.ids).toEqual(expected.ids);
    expect(actual.total).toBe(expected.total);
    // hasMore is left out: Mastra's InMemoryStore (1.71) counts result messages whose threadId
    // equals the threadId input, which never holds for a list of threads.
  });

  it('listMessages descending: newest page plus deep items', async () => {
    await expectSameIds({
      threadId: 'long',
      perPage: 5,
      orderBy: { field: 'createdAt', direction: 'DESC' },
      include: [include(idOf('long', 450), 50, 50), include(idOf(SHORT_THREAD_ID, 0), 1, 1)],
    });
  });

  it('listMessages perPage 0: random deep windows', async () => {
    const random = createRandom(11);
    const deepMessages = long.messages.length - LIST_PAGE_SIZE;
    for (let n = 0; n < 25; n++) {
      await expectSameIds({
        threadId: 'long',
        perPage: 0,
        include: [
          include(
            idOf('long', random.integer(deepMessages + 20)),
            random.integer(120),
            random.integer(120),
          ),
        ],
      });
    }
  });

  /** Label, resourceId filter, message index, and whether the target passes the filter. */
  const mixedTargets: [string, string | undefined, number, boolean][] = [
    ['first message (1850)', 'r1', 0, true],
    ['r1 message before the r2 run', 'r1', 99, true],
    ['r2 message in the run', 'r1', 180, false],
    ['r1 message after the r2 run', 'r1', 251, true],
    ['last before the burst', 'r1', 299, true],
    ['first of the burst', 'r1', 300, true],
    ['message re-tagged r2 to r1 before the run', 'r1', 97, true],
    ['message re-tagged r2 to r1 in the burst', 'r1', 325, true],
    ['message re-tagged r1 to r2 in the burst', 'r1', 350, false],
    ['r1 message 1,000th from the newest', 'r1', 400, true],
    ['newest r1 message', 'r1', 1350, true],
    ['r2 message before the run', 'r2', 94, true],
    ['message re-tagged r1 to r2 in the burst', 'r2', 350, true],
    ['r2 message in the run', 'r2', 180, true],
    ['r2 message deep in the burst', 'r2', 301, true],
    ['r2 message 1,001st from the newest', 'r2', 399, true],
    ['newest message', 'r2', 1399, true],
    ['message deep in the burst', undefined, 320, true],
    ['message 1,001st from the newest', undefined, 399, true],
    ['message 1,000th from the newest', undefined, 400, true],
  ];

  for (const [label, resourceId, index, kept] of mixedTargets) {
    it(`listMessages resourceId ${resourceId ?? 'unset'}: ${label}`, async () => {
      for (const [previous, next] of windowSizes) {
        const ids = await expectSameIds({
          threadId: 'mixed',
          resourceId,
          perPage: 0,
          include: [include(idOf('mixed', index), previous, next)],
        });
        expect(ids.includes(idOf('mixed', index)), 'target listed').toBe(kept);
      }
    });
  }

  it('listMessages random resources: random deep windows', async () => {
    const random = createRandom(23);
    const deepMessages = mixed.messages.length - LIST_PAGE_SIZE;
    for (let n = 0; n < 25; n++) {
      await expectSameIds({
        threadId: 'mixed',
        resourceId: random.pick(['r1', 'r2', undefined]),
        perPage: 0,
        include: [
          include(
            idOf('mixed', random.integer(deepMessages + 20)),
            random.integer(60),
            random.integer(60),
          ),
        ],
      });
    }
  });

  it('listMessages resourceId r2: windows keep only r2', async () => {
    await expectSameIds({
      threadId: 'mixed',
      resourceId: 'r2',
      perPage: 0,
      include: [
        include(idOf('mixed', 1), 50, 50),
        include(idOf('mixed', 180), 50, 50),
        include(idOf('mixed', 302), 5, 50),
      ],
    });
  });

  it('listMessages resourceId r1: foreign threads and resources', async () => {
    await expectSameIds({
      threadId: 'mixed',
      resourceId: 'r1',
      perPage: 0,
      include: [
        include(idOf('long', 300), 5, 5),
        include(idOf(SHORT_THREAD_ID, 29), 50, 0),
        include(idOf('mixed', 130), 5, 5),
      ],
    });
  });

  it('listMessages resourceId r1 perPage 20: page plus deep items', async () => {
    await expectSameIds({
      threadId: 'mixed',
      resourceId: 'r1',
      perPage: 20,
      page: 2,
      include: [include(idOf('mixed', 251), 50, 5), include(idOf('mixed', 350), 5, 50)],
    });
  });
});
