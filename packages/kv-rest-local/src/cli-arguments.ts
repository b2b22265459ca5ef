import { parseArgs } from 'node:util';
import { describeInvalidAccountId, isValidAccountId } from './account-id.js';
import { isLoopbackHost } from './loopback-host.js';
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
  --account-id ID      account id expected in request paths: 32 hexadecimal characters or a
                       name of letters, digits, "-" and "_" (default local-account)
  -h, --help           print this text
  --version            print the version of cfkv-local
`;

/** The parsed command line: server options, or a request for help or the version. */
export type CliCommand =
  { help: true } | { version: true } | { help: false; options: LocalKvServerOptions };

/** Invalid command-line arguments; the message has one line for each problem found. */
export class CliArgumentError extends Error {
  override readonly name = 'CliArgumentError';
}

const DEFAULT_PORT = 8788;
const DEFAULT_PERSIST_FOLDER = '.cfkv';
const MAX_PORT = 65535;

const OPTIONS = {
  token: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  persist: { type: 'string' },
  'in-memory': { type: 'boolean' },
  'account-id': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

type ParsedValues = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

export function parseCliArguments(argv: string[], env: NodeJS.ProcessEnv): CliCommand {
  const values = parseValues(argv);
  if (values.help === true) return { help: true };
  if (values.version === true) return { version: true };

  const problems: string[] = [];
  const port = parsePort(values.port, problems);
  checkHost(values.host, problems);
  const persist = parsePersist(values, problems);
  const accountId = values['account-id'];
  if (accountId !== undefined && !isValidAccountId(accountId)) {
    problems.push(describeInvalidAccountId(accountId));
  }
  const apiToken = values.token ?? env.CFKV_LOCAL_TOKEN;
  if (apiToken === undefined || apiToken === '') {
    problems.push('Missing --token (or CFKV_LOCAL_TOKEN).');
  }
  if (problems.length > 0 || apiToken === undefined) {
    throw new CliArgumentError(problems.join('\n'));
  }

  return { help: false, options: { apiToken, port, host: values.host, persist, accountId } };
}

function parseValues(argv: string[]): ParsedValues {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true }).values;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliArgumentError(`${message}\nRun cfkv-local --help for the options.`);
  }
}

function parsePort(text: string | undefined, problems: string[]): number {
  if (text === undefined) return DEFAULT_PORT;

  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isInteger(port) && port <= MAX_PORT) return port;
  problems.push(`Invalid --port ${JSON.stringify(text)}; use an integer 0-${MAX_PORT}.`);
  return DEFAULT_PORT;
}

// The server checks the host at start too, but only this check reports it with the other errors.
function checkHost(host: string | undefined, problems: string[]): void {
  if (host !== undefined && !isLoopbackHost(host)) {
    problems.push(
      `Invalid --host ${JSON.stringify(host)}. Use a loopback address: 127.0.0.1 (or another ` +
        '127.x.x.x), ::1 or localhost.',
    );
  }
}

function parsePersist(values: ParsedValues, problems: string[]): string | false {
  if (values['in-memory'] === true) {
    if (values.persist !== undefined) {
      problems.push('--in-memory and --persist conflict; pass one of them.');
    }
    return false;
  }
  if (values.persist === '') {
    problems.push('Invalid --persist ""; pass a folder path.');
  }
  return values.persist ?? DEFAULT_PERSIST_FOLDER;
}
