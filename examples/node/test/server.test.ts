import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EXAMPLE_DIR } from '../src/storage.js';
import type { ThreadView } from '../src/views.js';
import { ServiceClient } from '../scripts/service-client.js';
import { createTestIsolation, type TestIsolation } from './test-service.js';

const LISTENING = 'listening on ';

/** The entry point running as a child process, with the lines it printed up to "listening on". */
interface ServerProcess {
  child: ChildProcess;
  startLines: string[];
  client: ServiceClient;
}

async function startServerProcess(isolation: TestIsolation): Promise<ServerProcess> {
  // Without Cloudflare credentials the entry must start its own local KV server.
  const { CLOUDFLARE_ACCOUNT_ID: _account, CLOUDFLARE_API_TOKEN: _token, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', 'server.ts')], {
    cwd: EXAMPLE_DIR,
    env: {
      ...env,
      PORT: '0',
      CFKV_PERSIST_DIR: isolation.persistDir,
      CFKV_KEY_PREFIX: isolation.keyPrefix,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });

  const startLines = await readLinesUntil(child, LISTENING);
  const url = startLines.at(-1)!.slice(LISTENING.length);
  return { child, startLines, client: new ServiceClient(url) };
}

async function readLinesUntil(child: ChildProcess, prefix: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of createInterface({ input: child.stdout! })) {
    lines.push(line);
    if (line.startsWith(prefix)) return lines;
  }
  throw new Error(`the service exited before printing "${prefix}"; output: ${lines.join('\n')}`);
}

async function stopServerProcess(server: ServerProcess | undefined): Promise<number | null> {
  if (!server || server.child.exitCode !== null) return server?.child.exitCode ?? null;

  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  return code;
}

describe('rest-local: server entry', () => {
  let isolation: TestIsolation;
  let first: ServerProcess | undefined;
  let second: ServerProcess | undefined;

  beforeAll(async () => {
    isolation = createTestIsolation();
    first = await startServerProcess(isolation);
  });

  afterAll(async () => {
    await stopServerProcess(first);
    await stopServerProcess(second);
    await isolation?.dispose();
  });

  it('server.ts: first line names the local storage', () => {
    expect(first!.startLines[0]).toMatch(
      /^storage: local KV REST server at http:\/\/127\.0\.0\.1:\d+\/client\/v4/,
    );
  });

  it('server.ts: keeps data across a SIGTERM restart', async () => {
    const created = await first!.client.fetch('/threads', {
      method: 'POST',
      body: { resourceId: 'entry', title: 'kept' },
    });
    expect(created.status).toBe(201);

    // 143 is 128 + SIGTERM: Miniflare's exit hook ends the process after stopping workerd.
    expect([0, 143]).toContain(await stopServerProcess(first));
    second = await startServerProcess(isolation);
    const listed = await second.client.fetch('/resources/entry/threads');

    expect(listed.status).toBe(200);
    const { threads } = listed.body as { threads: ThreadView[] };
    expect(threads).toEqual([created.body]);
  });
});
