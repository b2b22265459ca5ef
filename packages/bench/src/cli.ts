import { fileURLToPath } from 'node:url';
import { failedRules, failedSteps, runBenchmark } from './benchmark.js';
import { bundleFailures, measureBundles } from './bundle-sizes.js';
import { parseCliArguments, USAGE, type CliArguments } from './cli-arguments.js';
import { formatJsonReport } from './report-json.js';
import { formatReport } from './report-table.js';
import { bindingTarget, moduleTarget, restTarget, type StoreTarget } from './store-targets.js';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function main(): Promise<number> {
  const options = parseCliArguments(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  const results = await runBenchmark({
    targets: selectTargets(options),
    scales: options.scales,
    onRun: (target, scale) => process.stderr.write(`bench: ${target} at scale ${scale}\n`),
  });
  const bundles = options.skipBundle ? undefined : measureBundles(REPOSITORY_ROOT);
  const failures = [...failedRules(results), ...failedSteps(results), ...bundleFailures(bundles)];

  const report = options.json
    ? formatJsonReport(results, bundles, failures)
    : formatReport(results, bundles, failures);
  process.stdout.write(`${report}\n`);
  return failures.length === 0 ? 0 : 1;
}

function selectTargets(options: CliArguments): StoreTarget[] {
  const byName = { binding: bindingTarget, rest: restTarget };
  // pnpm runs the script in this package's folder with INIT_CWD set to where the command was
  // typed. Under the root's `pnpm bench`, turbo starts the script from this folder again, so a
  // path typed at the root is found relative to the repository root.
  const baseDirectories = [process.env.INIT_CWD ?? process.cwd(), REPOSITORY_ROOT];
  return [
    ...options.transports.map((name) => byName[name]),
    ...options.stores.map((path) => moduleTarget(path, baseDirectories)),
  ];
}

main().then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
