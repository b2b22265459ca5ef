#!/usr/bin/env node
import { parseCliArguments, USAGE } from './cli-arguments.js';
import { startLocalKvServer } from './local-kv-server.js';
import { version } from '../package.json';
import type { FailedRequest } from './server-options.js';

async function main(): Promise<void> {
  const command = parseCliArguments(process.argv.slice(2), process.env);
  if ('version' in command) {
    process.stdout.write(`${version}\n`);
    return;
  }
  if (command.help) {
    process.stdout.write(USAGE);
    return;
  }

  const server = await startLocalKvServer({ ...command.options, onError: logRequestError });
  const persist = command.options.persist === false ? 'in memory' : command.options.persist;
  // The token is never printed: this line often ends up in CI logs.
  process.stdout.write(
    `cfkv-local listening on ${server.baseUrl} (account ${server.accountId}, data ${persist})\n`,
  );

  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function logRequestError(error: unknown, request: FailedRequest): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`cfkv-local: ${request.method} ${request.url} failed: ${message}\n`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  for (const line of message.split('\n')) process.stderr.write(`cfkv-local: ${line}\n`);
  process.exitCode = 1;
});
