import path from 'node:path';

import { EXAMPLE_DIR } from '../src/storage.js';
import { runDemoFlow } from './demo-flow.js';
import { loadFixture } from './fixture.js';
import { formatSnapshot } from './print-conversation.js';

const PERSIST_DIR = path.join(EXAMPLE_DIR, '.cfkv', 'demo');

async function main(): Promise<number> {
  const fixture = await loadFixture();

  const result = await runDemoFlow(fixture, {
    persistDir: PERSIST_DIR,
    onProgress: (line) => console.log(line),
  });

  console.log('\n== read back before restart ==\n');
  console.log(formatSnapshot(result.beforeRestart));
  console.log('\n== read back after restart ==\n');
  console.log(formatSnapshot(result.afterRestart));

  if (result.problems.length > 0) {
    console.error(`\nFAILED: ${result.problems.length} differences`);
    for (const problem of result.problems) console.error(`  - ${problem}`);
    return 1;
  }

  const threads = result.afterRestart.threads;
  const messageCount = threads.reduce((sum, thread) => sum + thread.messages.length, 0);
  console.log(
    `\nOK: ${messageCount} messages in ${threads.length} threads survived the restart ` +
      'and match the fixture',
  );
  return 0;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error('FAILED:', error);
  return 1;
});
