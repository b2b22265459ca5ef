import path from 'node:path';

import { runDemoFlow } from './demo-flow.js';
import { loadFixture } from './fixture.js';
import { formatRereadSummary, formatSnapshot } from './print-conversation.js';
import { buildWorkerBundle, WORKER_DIR } from './worker-runner.js';
import { runWorkflowFlow } from './workflow-flow.js';

const PERSIST_DIR = path.join(WORKER_DIR, '.demo-state', 'kv');
const WORKFLOW_PERSIST_DIR = path.join(WORKER_DIR, '.demo-state', 'workflow-kv');

async function main(): Promise<number> {
  const fixture = await loadFixture();

  console.log('building the Worker bundle with wrangler (offline dry run)');
  const bundle = await buildWorkerBundle();

  const result = await runDemoFlow(bundle, fixture, {
    persistDir: PERSIST_DIR,
    onProgress: (line) => console.log(line),
  });

  console.log('\n== read back before restart ==\n');
  console.log(formatSnapshot(result.beforeRestart));
  console.log('\n== read back after restart ==\n');
  console.log(formatRereadSummary(result.beforeRestart, result.afterRestart));

  const counts = Object.entries(result.keyCounts).map(([binding, count]) => `${binding} ${count}`);
  console.log(`\nKV keys after restart: ${counts.join(', ')}`);

  console.log('\n== workflow suspended, restarted and resumed ==\n');
  const workflow = await runWorkflowFlow(bundle, {
    persistDir: WORKFLOW_PERSIST_DIR,
    onProgress: (line) => console.log(line),
  });

  const problems = [
    ...result.problems,
    ...workflow.problems.map((problem) => `workflow: ${problem}`),
  ];
  if (problems.length > 0) {
    console.error(`\nFAILED: ${problems.length} differences`);
    for (const problem of problems) console.error(`  - ${problem}`);
    return 1;
  }

  const messageCount = result.afterRestart.threads.reduce((sum, t) => sum + t.messages.length, 0);
  console.log(
    `\nOK: ${messageCount} messages in ${result.afterRestart.threads.length} threads survived the ` +
      'restart and match the fixture; the approval run resumed after the restart',
  );
  return 0;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error('FAILED:', error);
  return 1;
});
