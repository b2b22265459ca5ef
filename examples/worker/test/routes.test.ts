import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import type { MessageView, ThreadView } from '../src/views.js';
import { startWorker, type RunningWorker } from '../scripts/worker-runner.js';
import { randomPrefix } from './random-prefix.js';

describe('miniflare: routes', () => {
  let worker: RunningWorker;

  beforeAll(async () => {
    worker = await startWorker(inject('workerBundle'), { vars: { KV_KEY_PREFIX: randomPrefix() } });
  });

  afterAll(() => worker?.dispose());

  async function createThread(resourceId: string, title = 'test'): Promise<ThreadView> {
    const response = await worker.fetch('/threads', {
      method: 'POST',
      body: { resourceId, title },
    });
    expect(response.status).toBe(201);
    return response.body as ThreadView;
  }

  async function send(thread: ThreadView, text: string) {
    const path = `/threads/${thread.id}/messages`;
    return worker.fetch(path, { method: 'POST', body: { resourceId: thread.resourceId, text } });
  }

  it('POST /threads: missing resourceId gives 400', async () => {
    const response = await worker.fetch('/threads', { method: 'POST', body: { title: 'x' } });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: expect.stringMatching(/^resourceId: /) });
  });

  it('POST /threads: blank resourceId gives 400', async () => {
    const response = await worker.fetch('/threads', { method: 'POST', body: { resourceId: '  ' } });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: expect.stringMatching(/^resourceId: /) });
  });

  it('POST /threads: resourceId over the key limit gives 400', async () => {
    const resourceId = 'r'.repeat(600);

    const response = await worker.fetch('/threads', { method: 'POST', body: { resourceId } });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: expect.stringMatching(/512 bytes/),
      id: expect.any(String),
    });
  });

  it('POST /threads: invalid JSON gives 400', async () => {
    const response = await worker.fetch('/threads', { method: 'POST', body: '{"resourceId": ' });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'request body must be valid JSON' });
  });

  it('POST /threads/:id/messages: missing text gives 400', async () => {
    const thread = await createThread('route-resource');

    const response = await worker.fetch(`/threads/${thread.id}/messages`, {
      method: 'POST',
      body: { resourceId: thread.resourceId },
    });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: expect.stringMatching(/^text: /) });
  });

  it('POST /threads/:id/messages: unknown thread gives 404', async () => {
    const response = await worker.fetch('/threads/no-such-thread/messages', {
      method: 'POST',
      body: { resourceId: 'route-resource', text: 'hello' },
    });

    expect(response.status).toBe(404);
  });

  it('POST /threads/:id/messages: other resource gives 403', async () => {
    const thread = await createThread('owner');

    const response = await worker.fetch(`/threads/${thread.id}/messages`, {
      method: 'POST',
      body: { resourceId: 'intruder', text: 'hello' },
    });

    expect(response.status).toBe(403);
  });

  it.each(['0', '-1', '1.5', 'ten', '101'])(
    'GET /threads/:id/messages: last=%s gives 400',
    async (last) => {
      const thread = await createThread('route-resource');

      const response = await worker.fetch(`/threads/${thread.id}/messages?last=${last}`);

      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: expect.stringMatching(/^last must be an integer/) });
    },
  );

  it('GET /threads/:id/messages: last=3 returns the newest three, oldest first', async () => {
    const thread = await createThread('route-resource');
    for (const text of ['m1', 'm2', 'm3', 'm4'])
      expect((await send(thread, text)).status).toBe(200);

    const response = await worker.fetch(`/threads/${thread.id}/messages?last=3`);
    const { messages } = response.body as { messages: MessageView[] };

    expect(response.status).toBe(200);
    expect(messages.map((message) => message.role)).toEqual(['assistant', 'user', 'assistant']);
    expect(messages[1]!.text).toBe('m4');
  });

  it('GET /resources/:id/threads: resource id with separators', async () => {
    const resourceId = 'team:a/b%c?d#e';
    const thread = await createThread(resourceId, 'separators');

    const response = await worker.fetch(`/resources/${encodeURIComponent(resourceId)}/threads`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ resourceId, threads: [thread] });
  });

  it('GET /unknown: gives 404', async () => {
    const response = await worker.fetch('/unknown');

    expect(response.status).toBe(404);
  });

  it('DELETE /threads: gives 405', async () => {
    const response = await worker.fetch('/threads', { method: 'DELETE' });

    expect(response.status).toBe(405);
  });
});
