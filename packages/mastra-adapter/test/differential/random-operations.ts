import type { MastraDBMessage, StorageThreadType } from '@mastra/core/memory';
import type { StorageListMessagesInput, StorageListThreadsInput } from '@mastra/core/storage';

/** Mulberry32: a small seeded PRNG, so a failing sequence can be replayed from its seed. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
  const integer = (max: number): number => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[integer(items.length)]!;
  return { next, integer, pick, chance: (probability: number) => next() < probability };
}

export type Random = ReturnType<typeof createRandom>;

export type Operation =
  | { kind: 'saveThread'; thread: StorageThreadType }
  | { kind: 'updateThread'; id: string; title?: string; metadata?: Record<string, unknown> }
  | { kind: 'deleteThread'; threadId: string }
  | { kind: 'saveMessages'; messages: MastraDBMessage[] }
  | { kind: 'updateMessages'; messages: { id: string; [field: string]: unknown }[] }
  | { kind: 'deleteMessages'; ids: string[] }
  | { kind: 'listMessages'; input: StorageListMessagesInput }
  | { kind: 'listThreads'; input: StorageListThreadsInput }
  | { kind: 'listMessagesById'; ids: string[] }
  | { kind: 'getThreadById'; threadId: string; resourceId?: string };

const THREADS = ['t0', 't1', 't2', 't0:x', 'thread-order'];
const RESOURCES = ['r0', 'r1'];
const MESSAGES = Array.from({ length: 24 }, (_, index) => `m${index}`);
const BASE = Date.UTC(2025, 0, 1);

/** A createdAt from a few values, so equal timestamps are common. */
function time(random: Random): Date {
  return new Date(BASE + random.integer(5) * 1000);
}

function perPage(random: Random): number | false {
  return random.pick([1, 2, 3, 5, 40, false] as const);
}

export function randomOperation(random: Random): Operation {
  const roll = random.integer(100);
  if (roll < 10) return saveThread(random);
  if (roll < 14) {
    return {
      kind: 'updateThread',
      id: random.pick(THREADS),
      title: `title ${random.integer(9)}`,
      metadata: { n: random.integer(3) },
    };
  }
  if (roll < 16) return { kind: 'deleteThread', threadId: random.pick(THREADS) };
  if (roll < 38) return saveMessages(random);
  if (roll < 46) return updateMessages(random);
  if (roll < 50)
    return { kind: 'deleteMessages', ids: [random.pick(MESSAGES), random.pick(MESSAGES)] };
  if (roll < 80) return { kind: 'listMessages', input: listMessagesInput(random) };
  if (roll < 92) return { kind: 'listThreads', input: listThreadsInput(random) };
  if (roll < 96)
    return {
      kind: 'listMessagesById',
      ids: [random.pick(MESSAGES), random.pick(MESSAGES), 'missing'],
    };
  return {
    kind: 'getThreadById',
    threadId: random.pick(THREADS),
    resourceId: random.chance(0.3) ? random.pick(RESOURCES) : undefined,
  };
}

function saveThread(random: Random): Operation {
  const createdAt = time(random);
  return {
    kind: 'saveThread',
    thread: {
      id: random.pick(THREADS),
      resourceId: random.pick(RESOURCES),
      title: `thread ${random.integer(9)}`,
      metadata: { tag: random.pick(['a', 'b']) },
      createdAt,
      updatedAt: new Date(createdAt.getTime() + random.integer(3) * 500),
    },
  };
}

function saveMessages(random: Random): Operation {
  const count = 1 + random.integer(4);
  const threadId = random.pick(THREADS);
  const messages = Array.from({ length: count }, () => ({
    id: random.pick(MESSAGES),
    threadId: random.chance(0.8) ? threadId : random.pick(THREADS),
    resourceId: random.pick(RESOURCES),
    role: random.pick(['user', 'assistant'] as const),
    type: 'text',
    createdAt: time(random),
    content: {
      format: 2,
      parts: [{ type: 'text', text: `text ${random.integer(100)}` }],
      metadata: { kind: random.pick(['x', 'y']) },
    },
  })) as MastraDBMessage[];
  return { kind: 'saveMessages', messages };
}

function updateMessages(random: Random): Operation {
  const update: { id: string; [field: string]: unknown } = { id: random.pick(MESSAGES) };
  if (random.chance(0.4)) update.threadId = random.pick(THREADS);
  if (random.chance(0.3)) update.role = random.pick(['user', 'assistant']);
  if (random.chance(0.3)) update.content = { metadata: { edited: random.integer(3) } };
  if (random.chance(0.2)) update.createdAt = time(random);
  return { kind: 'updateMessages', messages: [update] };
}

function listMessagesInput(random: Random): StorageListMessagesInput {
  const input: StorageListMessagesInput = {
    threadId: random.chance(0.2)
      ? [random.pick(THREADS), random.pick(THREADS)]
      : random.pick(THREADS),
    perPage: perPage(random),
    page: random.integer(4),
    orderBy: { field: 'createdAt', direction: random.pick(['ASC', 'DESC'] as const) },
  };
  if (input.perPage === false) input.page = 0;
  if (random.chance(0.2)) input.resourceId = random.pick(RESOURCES);
  if (random.chance(0.25)) {
    input.filter = {
      dateRange: {
        start: random.chance(0.7) ? time(random) : undefined,
        end: random.chance(0.7) ? time(random) : undefined,
        startExclusive: random.chance(0.5),
        endExclusive: random.chance(0.5),
      },
    };
  }
  if (random.chance(0.1))
    input.filter = { ...input.filter, metadata: { kind: random.pick(['x', 'y']) } };
  if (!Array.isArray(input.threadId) && random.chance(0.25)) {
    input.include = [
      {
        id: random.pick(MESSAGES),
        withPreviousMessages: random.integer(3),
        withNextMessages: random.integer(3),
      },
    ];
  }
  return input;
}

function listThreadsInput(random: Random): StorageListThreadsInput {
  const input: StorageListThreadsInput = {
    perPage: perPage(random),
    page: random.integer(3),
    orderBy: {
      field: random.pick(['createdAt', 'updatedAt'] as const),
      direction: random.pick(['ASC', 'DESC'] as const),
    },
  };
  if (input.perPage === false) input.page = 0;
  if (random.chance(0.85)) input.filter = { resourceId: random.pick(RESOURCES) };
  if (random.chance(0.15))
    input.filter = { ...input.filter, metadata: { tag: random.pick(['a', 'b']) } };
  return input;
}
