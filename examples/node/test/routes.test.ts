import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { MessageView, ThreadView } from '../src/views.js';
import {
  createTestIsolation,
  startTestService,
  type TestIsolation,
  type TestService,
} from './test-service.js';

describe('rest-local: routes', () => {
  let isolation: TestIsolation;
  let running: TestService;

  beforeAll(async () => {
    isolation = createTestIsolation();
    running = await startTestService(isolation);
  });

  afterAll(async () => {
    await running?.service.close();
    await isolation?.dispose();
  });

  async function createThread(resourceId: string, title = 'test'): Promise<ThreadView> {
    const response = await running.client.fetch('/threads', {
      method: 'POST',
      body: { resourceId, title },
    });
    expect(response.status).toBe(201);
    return response.body as ThreadView;
  }

  function send(thread: ThreadView, text: string) {
    return running.client.fetch(`/threads/${thread.id}/messages`, {
      method: 'POST',
      body: { resourceId: thread.resourceId, text },
    });
  }

  it('POST /threads: missing resourceId gives 400', async () => {
    const response = await running.client.fetch('/threads', {
      method: 'POST',
      body: { title: 'x' },
    });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: expect.stringMatching(/^resourceId: /) });
  });

  it('POST /threads: blank resourceId gives 400', async () => {
    const response = await running.client.fetch('/threads', {
      method: 'POST',
      body: { resourceId: '  ' },
    });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: expect.stringMatching(/^resourceId: /) });
  });

  it('POST /threads: invalid JSON gives 400', async () => {
    const response = await running.client.fetch('/threads', {
      method: 'POST',
      body: '{"resourceId": ',
    });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'request body must be valid JSON' });
  });

  it('POST /threads: body that is not an object gives 400', async () => {
    const response = await running.client.fetch('/threads', { method: 'POST', body: '[1, 2]' });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: expect.stringMatching(/^body: /) });
  });

  it('POST /threads/:id/messages: missing text gives 400', async () => {
    const thread = await createThread('route-resource');

    const response = await running.client.fetch(`/threads/${thread.id}/messages`, {
      method: 'POST',
      body: { resourceId: thread.resourceId },
    });

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: expect.stringMatching(/^text: /) });
  });

  it('POST /threads/:id/messages: unknown thread gives 404', async () => {
    const response = await running.client.fetch('/threads/no-such-thread/messages', {
      method: 'POST',
      body: { resourceId: 'route-resource', text: 'hello' },
    });

    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: 'thread "no-such-thread" not found' });
  });

  it('POST /threads/:id/messages: other resource gives 403', async () => {
    const thread = await createThread('owner');

    const response = await running.client.fetch(`/threads/${thread.id}/messages`, {
      method: 'POST',
      body: { resourceId: 'intruder', text: 'hello' },
    });

    expect(response.status).toBe(403);
  });

  it('GET /threads/:id/messages: malformed percent-encoding gives 400', async () => {
    const response = await running.client.fetch('/threads/%E0%A4%A/messages');

    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: expect.stringMatching(/not valid percent-encoding/) });
  });

  it.each(['0', '-1', '1.5', 'ten', '101'])(
    'GET /threads/:id/messages: last=%s gives 400',
    async (last) => {
      const thread = await createThread('route-resource');

      const response = await running.client.fetch(`/threads/${thread.id}/messages?last=${last}`);

      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: expect.stringMatching(/^last must be an integer/) });
    },
  );

  it('GET /threads/:id/messages: last=3 returns the newest three, oldest first', async () => {
    const thread = await createThread('route-resource');
    for (const text of ['m1', 'm2', 'm3', 'm4']) {
      expect((await send(thread, text)).status).toBe(200);
    }

    const response = await running.client.fetch(`/threads/${thread.id}/messages?last=3`);
    const { messages } = response.body as { messages: MessageView[] };

    expect(response.status).toBe(200);
    expect(messages.map((message) => message.role)).toEqual(['assistant', 'user', 'assistant']);
    expect(messages[1]!.text).toBe('m4');
  });

  it('GET /resources/:id/threads: resource id with separators', async () => {
    const resourceId = 'team:a/b%c?d#e';
    const thread = await createThread(resourceId, 'separators');

    const response = await running.client.fetch(
      `/resources/${encodeURIComponent(resourceId)}/threads`,
    );

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ resourceId, threads: [thread] });
  });

  it('GET /unknown: gives 404', async () => {
    const response = await running.client.fetch('/unknown');

    expect(response.status).toBe(404);
  });

  it('DELETE /threads: gives 405', async () => {
    const response = await running.client.fetch('/threads', { method: 'DELETE' });

    expect(response.status).toBe(405);
  });
});
