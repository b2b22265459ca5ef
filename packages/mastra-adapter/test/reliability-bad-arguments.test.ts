import type { CfkvErrorCode } from '@cfkv/core';
import { randomPrefix } from '@cfkv/testing';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { at, makeMessage, makeThread } from './contract/store-fixture.js';
import { expectRejectedWithoutWrites } from './reliability/bad-input-expect.js';
import { startBindingBackend, type Backend } from './reliability/reliability-fixture.js';

type Memory = ReturnType<Backend['openStore']>['stores']['memory'];

/** Calls made the way untyped JavaScript callers make them: arguments missing or of the wrong type. */
const MALFORMED_CALLS: [string, (memory: Memory) => Promise<unknown>, string, CfkvErrorCode?][] = [
  ['getThreadById without arguments', (m) => m.getThreadById(undefined as never), 'args'],
  ['saveThread without arguments', (m) => m.saveThread(undefined as never), 'args'],
  ['saveThread without a thread', (m) => m.saveThread({ thread: undefined as never }), 'thread'],
  ['updateThread without arguments', (m) => m.updateThread(undefined as never), 'args'],
  ['deleteThread without arguments', (m) => m.deleteThread(undefined as never), 'args'],
  ['deleteThread with a number id', (m) => m.deleteThread({ threadId: 42 as never }), 'threadId'],
  ['listThreads without arguments', (m) => m.listThreads(undefined as never), 'args'],
  [
    'saveThread with a number title',
    (m) => m.saveThread({ thread: makeThread('t2', 'r1', at(0), { title: 5 as never }) }),
    'title',
  ],
  [
    'saveThread with string metadata',
    (m) => m.saveThread({ thread: makeThread('t2', 'r1', at(0), { metadata: 'x' as never }) }),
    'metadata',
  ],
  [
    'updateThread with a number title',
    (m) => m.updateThread({ id: 't1', title: 5 as never, metadata: {} }),
    'title',
  ],
  [
    'saveMessages with a number resourceId',
    (m) =>
      m.saveMessages({ messages: [makeMessage('m2', 't1', at(2), { resourceId: 5 as never })] }),
    'resourceId',
  ],
  [
    'listThreads with a number resourceId',
    (m) => m.listThreads({ filter: { resourceId: 5 as never } }),
    'filter.resourceId',
  ],
  [
    'listThreads with a dotted metadata key',
    (m) => m.listThreads({ filter: { resourceId: 'r1', metadata: { 'a.b': 1 } } }),
    'filter.metadata',
  ],
  ['listMessages without arguments', (m) => m.listMessages(undefined as never), 'args'],
  [
    'listMessages with a BigInt thread id',
    (m) => m.listMessages({ threadId: 10n as never }),
    'threadId',
  ],
  [
    'listMessagesById without ids',
    (m) => m.listMessagesById({ messageIds: undefined as never }),
    'messageIds',
  ],
  [
    'listMessagesById with a string',
    (m) => m.listMessagesById({ messageIds: 'm1' as never }),
    'messageIds',
  ],
  [
    'saveMessages without messages',
    (m) => m.saveMessages({ messages: undefined as never }),
    'messages',
  ],
  [
    'saveMessages with a null message',
    (m) => m.saveMessages({ messages: [null as never] }),
    'messages[]',
  ],
  [
    'updateMessages without messages',
    (m) => m.updateMessages({ messages: undefined as never }),
    'messages',
  ],
  [
    'updateMessages moving a message to a number thread id',
    (m) => m.updateMessages({ messages: [{ id: 'm1', threadId: 42 as never }] }),
    'threadId',
  ],
  [
    'updateMessages moving a message to a blank thread id',
    (m) => m.updateMessages({ messages: [{ id: 'm1', threadId: '   ' }] }),
    'threadId',
  ],
  ['deleteMessages without ids', (m) => m.deleteMessages(undefined as never), 'messageIds'],
  [
    'deleteMessages with an undefined id',
    (m) => m.deleteMessages([undefined as never]),
    'messageIds',
  ],
  ['deleteMessages with a number id', (m) => m.deleteMessages([42 as never]), 'messageIds'],
  ['deleteMessages with a blank id', (m) => m.deleteMessages(['']), 'messageIds'],
  [
    'saveThread without createdAt',
    (m) =>
      m.saveThread({ thread: { ...makeThread('t2', 'r1', at(0)), createdAt: undefined as never } }),
    'createdAt',
  ],
  [
    'saveThread with a null createdAt',
    (m) => m.saveThread({ thread: { ...makeThread('t2', 'r1', at(0)), createdAt: null as never } }),
    'createdAt',
  ],
  [
    'saveMessages without createdAt',
    (m) =>
      m.saveMessages({
        messages: [{ ...makeMessage('m2', 't1', at(2)), createdAt: undefined as never }],
      }),
    'createdAt',
  ],
  [
    'saveMessages with an invalid createdAt',
    (m) =>
      m.saveMessages({
        messages: [{ ...makeMessage('m2', 't1', at(2)), createdAt: 'yesterday' as never }],
      }),
    'createdAt',
  ],
  [
    'listMessages with a 500-byte thread id',
    (m) => m.listMessages({ threadId: 'x'.repeat(500) }),
    'threadId',
    'KEY_TOO_LARGE',
  ],
  [
    'listThreads with a 500-byte resource id',
    (m) => m.listThreads({ filter: { resourceId: 'x'.repeat(500) } }),
    'resourceId',
    'KEY_TOO_LARGE',
  ],
  [
    'listMessages with a NaN include window',
    (m) => m.listMessages({ threadId: 't1', include: [{ id: 'm1', withNextMessages: NaN }] }),
    'include[].withNextMessages',
  ],
  [
    'listMessages with a negative include window',
    (m) => m.listMessages({ threadId: 't1', include: [{ id: 'm1', withPreviousMessages: -1 }] }),
    'include[].withPreviousMessages',
  ],
  [
    'listMessages with an include without id',
    (m) => m.listMessages({ threadId: 't1', include: [{ id: '' }] }),
    'include[].id',
  ],
  [
    'listMessages with an invalid start date',
    (m) => m.listMessages({ threadId: 't1', filter: { dateRange: { start: new Date('x') } } }),
    'filter.dateRange.start',
  ],
  [
    'listMessages with a text end date',
    (m) => m.listMessages({ threadId: 't1', filter: { dateRange: { end: 'yesterday' as never } } }),
    'filter.dateRange.end',
  ],
  [
    'saveThread without updatedAt',
    (m) =>
      m.saveThread({ thread: { ...makeThread('t2', 'r1', at(0)), updatedAt: undefined as never } }),
    'updatedAt',
  ],
  [
    'listThreads with perPage 1e308',
    (m) => m.listThreads({ filter: { resourceId: 'r1' }, perPage: 1e308 }),
    'perPage',
  ],
  [
    'listThreads with the largest safe page',
    (m) => m.listThreads({ filter: { resourceId: 'r1' }, page: Number.MAX_SAFE_INTEGER }),
    'page',
  ],
  [
    'listThreads with a BigInt metadata filter',
    (m) => m.listThreads({ filter: { resourceId: 'r1', metadata: { n: 1n } } }),
    'filter.metadata',
  ],
  [
    'listThreads with a cyclic metadata filter',
    (m) => {
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      return m.listThreads({ filter: { resourceId: 'r1', metadata: { cyclic } } });
    },
    'filter.metadata',
  ],
  [
    'saveResource with a number workingMemory',
    (m) =>
      m.saveResource({
        resource: {
          id: 'res',
          workingMemory: 5 as never,
          metadata: {},
          createdAt: at(0),
          updatedAt: at(0),
        },
      }),
    'workingMemory',
  ],
  [
    'updateResource with string metadata',
    (m) => m.updateResource({ resourceId: 'res', metadata: 'x' as never }),
    'metadata',
  ],
  ['getResourceById without arguments', (m) => m.getResourceById(undefined as never), 'args'],
  [
    'saveResource without a resource',
    (m) => m.saveResource({ resource: undefined as never }),
    'resource',
  ],
  ['updateResource without arguments', (m) => m.updateResource(undefined as never), 'args'],
];

describe('binding: malformed arguments', () => {
  let backend: Backend;
  let keyPrefix: string;
  let memory: Memory;
  beforeAll(async () => {
    backend = await startBindingBackend();
    keyPrefix = randomPrefix('rel');
    memory = backend.openStore({ keyPrefix }).stores.memory;
    await memory.saveThread({ thread: makeThread('t1', 'r1', at(0)) });
    await memory.saveMessages({ messages: [makeMessage('m1', 't1', at(1))] });
  });
  afterAll(async () => {
    await backend?.dispose();
  });

  for (const [name, call, field, code = 'INVALID_ARGUMENT'] of MALFORMED_CALLS) {
    it(`${name}: rejected, naming ${field}`, async () => {
      await expectRejectedWithoutWrites(backend, keyPrefix, () => call(memory), {
        code,
        field,
      });
    });
  }
});
