import { parseArgs } from 'node:util';
import type { LocalKvServerOptions } from './server-options.js';

export const USAGE = `Usage: cfkv-local --token TOKEN [options]

Serves the Workers KV endpoints of Cloudflare's REST API v4 on a loopback address.

Options:
  --token TOKEN        API token clients send as "Authorization: Bearer TOKEN"
                       (or set CFKV_LOCAL_TOKEN, which keeps it out of the process list)
  --port PORT          TCP port (default 8788; 0 picks a free port)
  --host HOST          loopback address to bind (default 127.0.0.1)
  --persist DIR        folder for namespaces and values (default .cfkv)
  --in-memory          keep everything in memory instead of a folder
  --account-id ID      account id expected in request paths (default local-account)
  --help               print this text
`;

/** The parsed command line: server options, or a request for help. */
export type CliCommand = { help: true } | { help: false; options: LocalKvServerOptions };

const DEFAULT_PORT = 8788;
const DEFAULT_PERSIST_FOLDER = '.cfkv';

export function parseCliArguments(argv: string[], env: NodeJS.ProcessEnv): CliCommand {
  const { values } = parseArgs({
    args: argv,
    options: {
      token: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      persist: { type: 'string' },
      'in-memory': { type: 'boolean' },
      'account-id': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help === true) {
    return { help: true };
  }

  const apiToken = values.token ?? env.CFKV_LOCAL_TOKEN;
  if (apiToken === undefined || apiToken === '') {
    throw new Error('Missing --token (or CFKV_LOCAL_TOKEN).');
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid --port ${JSON.stringify(values.port)}; use an integer 0-65535.`);
  }
  const persist = values['in-memory'] === true ? false : (values.persist ?? DEFAULT_PERSIST_FOLDER);
  return {
    help: false,
    options: { apiToken, port, host: values.host, persist, accountId: values['account-id'] },
  };
}
