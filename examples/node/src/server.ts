import { DEFAULT_PORT, startService } from './service.js';
import { readStorageSettings } from './storage.js';

/** Starts the service with settings from the environment and stops it on SIGINT or SIGTERM. */
async function main(): Promise<void> {
  const port = readPort(process.env.PORT);
  const service = await startService({
    port,
    host: process.env.HOST,
    storage: readStorageSettings(process.env),
    model: { openAiApiKey: process.env.OPENAI_API_KEY, modelId: process.env.MODEL_ID },
  });
  console.log(`listening on ${service.url}`);

  const shutdown = (signal: string) => {
    console.log(`${signal} received, stopping`);
    service.close().then(
      () => console.log('stopped'),
      (error: unknown) => {
        console.error('stopping failed', error);
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

function readPort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PORT;

  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer from 0 to 65535; received "${raw}"`);
  }
  return port;
}

main().catch((error: unknown) => {
  console.error('the service failed to start', error);
  process.exitCode = 1;
});
