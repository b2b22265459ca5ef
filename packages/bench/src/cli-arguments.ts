import { parseArgs } from 'node:util';

export const DEFAULT_SCALES = [1, 4, 16];
const TRANSPORTS = ['binding', 'rest'] as const;

export type TransportName = (typeof TRANSPORTS)[number];

export interface CliArguments {
  json: boolean;
  /** Ascending, without repeats. */
  scales: number[];
  transports: TransportName[];
  /** Module paths of other Mastra storages to run the workload on. */
  stores: string[];
  skipBundle: boolean;
  help: boolean;
}

export const USAGE = `Usage: pnpm bench [-- options]

Runs a fixed Mastra workload on CloudflareStore over Workers KV bindings (Miniflare) and the
REST API (@cfkv/rest-local), counts KV operations per step and checks them against budgets.
Exits with status 1 when a budget is exceeded, a step fails or the bindings-mode Worker
bundle contains the REST client.

Options:
  --scale LIST       data scales to run, comma-separated positive integers (default 1,4,16)
  --transport LIST   CloudflareStore transports: binding, rest (default both)
  --store PATH       also run the workload on the Mastra storage that the module at PATH
                     creates (default export: a function returning the store); repeatable
  --json             print the result as JSON instead of tables
  --skip-bundle      do not build the Worker example or measure bundle sizes
  --help             print this message`;

export function parseCliArguments(argv: readonly string[]): CliArguments {
  const { values } = parseArgs({
    args: argv.filter((argument) => argument !== '--'),
    options: {
      json: { type: 'boolean', default: false },
      scale: { type: 'string', multiple: true },
      transport: { type: 'string', multiple: true },
      store: { type: 'string', multiple: true, default: [] },
      'skip-bundle': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });

  return {
    json: values.json ?? false,
    scales: values.scale === undefined ? DEFAULT_SCALES : parseScales(values.scale),
    transports:
      values.transport === undefined ? [...TRANSPORTS] : parseTransports(values.transport),
    stores: values.store ?? [],
    skipBundle: values['skip-bundle'] ?? false,
    help: values.help ?? false,
  };
}

function parseScales(values: readonly string[]): number[] {
  const scales = splitList(values).map((text) => {
    const scale = Number(text);
    if (Number.isInteger(scale) && scale >= 1) return scale;
    throw new Error(`--scale ${text} is invalid; use positive integers such as 1,4,16.`);
  });
  return [...new Set(scales)].sort((left, right) => left - right);
}

function parseTransports(values: readonly string[]): TransportName[] {
  return [...new Set(splitList(values))].map((text) => {
    if ((TRANSPORTS as readonly string[]).includes(text)) return text as TransportName;
    throw new Error(`--transport ${text} is invalid; use ${TRANSPORTS.join(' or ')}.`);
  });
}

function splitList(values: readonly string[]): string[] {
  return values
    .flatMap((value) => value.split(','))
    .map((text) => text.trim())
    .filter(Boolean);
}
