import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  bundleFailures,
  findRestClientMarkers,
  REST_CLIENT_MARKERS,
  type BundleReport,
} from '../src/bundle-sizes.js';

function readBuild(folder: string): string {
  const file = fileURLToPath(new URL(`../../${folder}/dist/index.js`, import.meta.url));
  return readFileSync(file, 'utf8');
}

const CLEAN_REPORT: BundleReport = {
  worker: undefined,
  restClientMarkersInWorker: [],
  markersMissingFromRestBuild: [],
  packages: [],
};

describe('bundle: REST client detection', () => {
  it("findRestClientMarkers: finds every marker in @cfkv/rest's build", () => {
    expect(findRestClientMarkers(readBuild('kv-rest'))).toEqual(REST_CLIENT_MARKERS);
  });

  it("findRestClientMarkers: finds none in @cfkv/binding's and @cfkv/core's builds", () => {
    expect(findRestClientMarkers(readBuild('kv-binding'))).toEqual([]);
    expect(findRestClientMarkers(readBuild('kv-core'))).toEqual([]);
  });

  it('bundleFailures: reports a Worker bundle holding the REST client', () => {
    const failures = bundleFailures({ ...CLEAN_REPORT, restClientMarkersInWorker: ['/bulk/get'] });
    expect(failures).toEqual([
      'bundle: the bindings-mode Worker bundle contains the REST client (found /bulk/get)',
    ]);
  });

  it('bundleFailures: reports markers missing from the REST build', () => {
    const failures = bundleFailures({
      ...CLEAN_REPORT,
      markersMissingFromRestBuild: ['/bulk/get'],
    });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('lacks the REST client markers /bulk/get');
  });

  it('bundleFailures: reports a Worker that could not be built', () => {
    const failures = bundleFailures({
      ...CLEAN_REPORT,
      restClientMarkersInWorker: undefined,
      workerError: 'wrangler exited with status 1',
    });
    expect(failures).toEqual([
      'bundle: the Worker example could not be built: wrangler exited with status 1',
    ]);
  });

  it('bundleFailures: passes a clean report', () => {
    expect(bundleFailures(CLEAN_REPORT)).toEqual([]);
  });
});
