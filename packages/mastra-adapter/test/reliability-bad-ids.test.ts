import type { MastraDBMessage, StorageThreadType } from '@mastra/core/memory';
import { randomPrefix } from '@cfkv/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { at, ids, makeMessage, makeThread } from './contract/store-fixture.js';
import { expectRejectedWithoutWrites } from './reliability/bad-input-expect.js';
import { startBindingBackend, type Backend } from './reliability/reliability-fixture.js';

const ID_OF_600_BYTES = 'x'.repeat(600);

/** Ids with characters that are separators, escapes or unusual in keys; each must round-trip. */
const SPECIAL_IDS: [string, string][] = [
  ['a colon', 'a:b'],
  ['a percent sign', 'a%3Ab'],
  ['a slash', 'a/b'],
  ['a dot-dot segment', '..'],
  ['a newline', 'a\nb'],
  ['a NUL', 'a\u0000b'],
  ['an emoji', 'a\u{1F600}b'],
];

describe('binding: bad ids', () => {
  let backend: Backend;
  let keyPrefix: string;
  let memory: ReturnType<Backend['openStore']>['stores']['memory'];
  beforeAll(async () => {
    backend = await startBindingBackend();
  });
  afterAll(async () => {
    await backend.dispose();
  });
  function freshStore() {
    keyPrefix = randomPrefix('rel');
    memory = backend.openStore({ keyPrefix }).stores.memory;
    return memory;
  }
  const rejects = (
    call: () => Promise<unknown>,
    expected: Parameters<typeof expectRejectedWithoutWrites>[3],
  ) => expectRejectedWithoutWrites(backend, keyPrefix, call, expected);

  it('saveThread: rejects an empty thread id', async () => {
    freshStore();
    await rejects(() => memory.saveThread({ thread: makeThread('', 'r1', at(0)) }), {
      code: 'INVALID_ARGUMENT',
      field: 'threadId',
    });
  });

  it('saveThread: rejects a missing thread id', async () => {
    freshStore();
    const thread = {
      ...makeThread('x', 'r1', at(0)),
      id: undefined,
    } as unknown as StorageThreadType;
    await rejects(() => memory.saveThread({ thread }), {
      code: 'INVALID_ARGUMENT',
      field: 'threadId',
    });
  });

  it('saveThread: rejects a blank resource id', async () => {
    freshStore();
    await rejects(() => memory.saveThread({ thread: makeThread('t1', ' ', at(0)) }), {
      code: 'INVALID_ARGUMENT',
      field: 'resourceId',
    });
  });

  it('saveThread: rejects a thread id of 600 bytes', async () => {
    freshStore();
    await rejects(() => memory.saveThread({ thread: makeThread(ID_OF_600_BYTES, 'r1', at(0)) }), {
      code: 'KEY_TOO_LARGE',
    });
  });

  it('saveThread: rejects a resource id of 600 bytes', async () => {
    freshStore();
    await rejects(() => memory.saveThread({ thread: makeThread('t1', ID_OF_600_BYTES, at(0)) }), {
      code: 'KEY_TOO_LARGE',
    });
  });

  it('saveMessages: a message id of 600 bytes rejects the whole batch', async () => {
    freshStore();
    await memory.saveThread({ thread: makeThread('t1', 'r1', at(0)) });
    const messages = [makeMessage('ok-1', 't1', at(1)), makeMessage(ID_OF_600_BYTES, 't1', at(2))];
    await rejects(() => memory.saveMessages({ messages }), { code: 'KEY_TOO_LARGE' });
  });

  it('saveMessages: rejects an empty message id', async () => {
    freshStore();
    await rejects(() => memory.saveMessages({ messages: [makeMessage('', 't1', at(1))] }), {
      code: 'INVALID_ARGUMENT',
      field: 'message.id',
    });
  });

  it('saveMessages: rejects a message without a thread id', async () => {
    freshStore();
    const message = { ...makeMessage('m1', 't1', at(1)), threadId: undefined } as MastraDBMessage;
    await rejects(() => memory.saveMessages({ messages: [message] }), {
      code: 'INVALID_ARGUMENT',
      field: 'threadId',
    });
  });

  it('getThreadById: rejects an empty thread id', async () => {
    freshStore();
    await rejects(() => memory.getThreadById({ threadId: '' }), {
      code: 'INVALID_ARGUMENT',
      field: 'threadId',
    });
  });

  it('listMessages: rejects an empty list of thread ids', async () => {
    freshStore();
    await rejects(() => memory.listMessages({ threadId: [] }), {
      code: 'INVALID_ARGUMENT',
      field: 'threadId',
    });
  });

  it('listMessagesById: rejects an empty message id', async () => {
    freshStore();
    await rejects(() => memory.listMessagesById({ messageIds: ['m1', ''] }), {
      code: 'INVALID_ARGUMENT',
      field: 'messageIds',
    });
  });

  for (const [label, id] of SPECIAL_IDS) {
    it(`saveThread and saveMessages: ids with ${label} round-trip`, async () => {
      freshStore();
      const threadId = `t-${id}`;
      await memory.saveThread({ thread: makeThread(threadId, `r-${id}`, at(0)) });
      await memory.saveThread({ thread: makeThread('t-plain', `r-${id}`, at(1)) });
      await memory.saveMessages({
        messages: [
          makeMessage(`m-${id}`, threadId, at(2)),
          makeMessage('m-plain', 't-plain', at(3)),
        ],
      });

      expect((await memory.getThreadById({ threadId }))?.resourceId).toBe(`r-${id}`);
      const listed = await memory.listMessages({ threadId });
      expect(ids(listed.messages)).toEqual([`m-${id}`]);
      const threads = await memory.listThreads({ filter: { resourceId: `r-${id}` } });
      expect(ids(threads.threads).sort()).toEqual([threadId, 't-plain'].sort());

      await memory.deleteThread({ threadId });
      const keys = await backend.rawKeys(keyPrefix);
      expect(keys.filter((key) => key.includes('m-plain'))).toHaveLength(3);
      expect(await memory.getThreadById({ threadId })).toBeNull();
      expect(ids((await memory.listMessages({ threadId: 't-plain' })).messages)).toEqual([
        'm-plain',
      ]);
    });
  }

  it('listMessages and deleteThread: thread ids that are prefixes of others stay apart', async () => {
    freshStore();
    const threadIds = ['a', 'a:b', 'ab', 'a%3Ab', 'a:'];
    for (const [index, threadId] of threadIds.entries()) {
      await memory.saveThread({ thread: makeThread(threadId, 'r1', at(index)) });
      await memory.saveMessages({
        messages: [makeMessage(`m-of-${threadId}`, threadId, at(index))],
      });
    }

    for (const threadId of threadIds) {
      const listed = await memory.listMessages({ threadId });
      expect(ids(listed.messages), threadId).toEqual([`m-of-${threadId}`]);
    }
    await memory.deleteThread({ threadId: 'a' });

    const remaining = await memory.listThreads({ filter: { resourceId: 'r1' }, perPage: false });
    expect(ids(remaining.threads).sort()).toEqual(threadIds.filter((id) => id !== 'a').sort());
    for (const threadId of threadIds.slice(1)) {
      expect(ids((await memory.listMessages({ threadId })).messages)).toEqual([`m-of-${threadId}`]);
    }
  });
});
