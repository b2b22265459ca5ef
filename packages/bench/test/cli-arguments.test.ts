import { describe, expect, it } from 'vitest';
import { DEFAULT_SCALES, parseCliArguments } from '../src/cli-arguments.js';

describe('cli: arguments', () => {
  it('parseCliArguments: runs every scale on both transports by default', () => {
    const options = parseCliArguments([]);
    expect(options.scales).toEqual(DEFAULT_SCALES);
    expect(DEFAULT_SCALES).toEqual([1, 4, 16]);
    expect(options.transports).toEqual(['binding', 'rest']);
    expect(options.stores).toEqual([]);
    expect(options.json).toBe(false);
  });

  it('parseCliArguments: sorts and deduplicates scales from lists and repeats', () => {
    expect(parseCliArguments(['--scale', '16,1', '--scale', '4', '--scale=1']).scales).toEqual([
      1, 4, 16,
    ]);
  });

  it('parseCliArguments: rejects a scale that is not a positive integer', () => {
    expect(() => parseCliArguments(['--scale', '0'])).toThrow('--scale 0 is invalid');
    expect(() => parseCliArguments(['--scale', '1.5'])).toThrow('--scale 1.5 is invalid');
  });

  it('parseCliArguments: selects one transport', () => {
    expect(parseCliArguments(['--transport', 'rest']).transports).toEqual(['rest']);
    expect(() => parseCliArguments(['--transport', 'http'])).toThrow('--transport http is invalid');
  });

  it('parseCliArguments: collects repeated stores after a bare --', () => {
    const options = parseCliArguments(['--', '--store', './a.mjs', '--store', './b.mjs', '--json']);
    expect(options.stores).toEqual(['./a.mjs', './b.mjs']);
    expect(options.json).toBe(true);
  });

  it('parseCliArguments: rejects an unknown option', () => {
    expect(() => parseCliArguments(['--scales', '1'])).toThrow();
  });
});
