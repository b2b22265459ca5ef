import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { WORKER_DIR } from './worker-runner.js';

/** A thread the fixture creates; `key` names it inside the fixture only. */
export interface FixtureThread {
  key: string;
  resourceId: string;
  title: string;
}

/** One user message, sent to the thread named by `thread`. */
export interface FixtureTurn {
  thread: string;
  text: string;
}

/** A scripted conversation: threads to create, then turns to play in order. */
export interface ConversationFixture {
  threads: FixtureThread[];
  turns: FixtureTurn[];
}

/** The fixture `pnpm demo` plays. */
export const DEFAULT_FIXTURE_PATH = path.join(WORKER_DIR, 'fixtures', 'conversation.json');

/** Reads a fixture and checks that every turn names a thread of the fixture. */
export async function loadFixture(
  fixturePath = DEFAULT_FIXTURE_PATH,
): Promise<ConversationFixture> {
  const fixture = JSON.parse(await readFile(fixturePath, 'utf8')) as ConversationFixture;

  const keys = new Set(fixture.threads.map((thread) => thread.key));
  const stray = fixture.turns.find((turn) => !keys.has(turn.thread));
  if (stray) {
    throw new Error(`${fixturePath}: turn "${stray.text}" names unknown thread "${stray.thread}"`);
  }
  return fixture;
}

/** Returns the user texts the fixture sends to one thread, in order. */
export function userTextsOf(fixture: ConversationFixture, threadKey: string): string[] {
  return fixture.turns.filter((turn) => turn.thread === threadKey).map((turn) => turn.text);
}
