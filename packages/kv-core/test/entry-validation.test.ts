import { describe, expect, it } from 'vitest';
import { assertValidKey } from '../src/entry-validation.js';
import { assertWellFormedText } from '../src/well-formed-text.js';
import { captureError } from './support/capture-error.js';

describe('core: entry validation', () => {
  it.each([
    ['lone high surrogate', 'a\uD800b', 1],
    ['lone low surrogate', '\uDC00', 0],
    ['reversed pair', 'x\uDE00\uD83D', 1],
    ['high surrogate at end', 'emoji \uD83D', 6],
  ])('assertValidKey: rejects a %s', (_case, key, index) => {
    const error = captureError(() => assertValidKey('mastra_threads', key));

    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('key');
    expect(error.table).toBe('mastra_threads');
    expect(error.message).toContain('not well-formed Unicode');
    expect(error.message).toContain(`at index ${index}`);
  });

  it('assertValidKey: accepts surrogate pairs and other Unicode', () => {
    expect(() => assertValidKey('t', 'emoji \uD83D\uDE00 ü 日本')).not.toThrow();
  });

  it.each(['', '.', '..'])('assertValidKey: rejects the reserved key %j', (key) => {
    const error = captureError(() => assertValidKey('t', key));

    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('key');
  });

  it('assertValidKey: rejects a key over 512 bytes', () => {
    expect(captureError(() => assertValidKey('t', 'k'.repeat(513))).code).toBe('KEY_TOO_LARGE');
  });

  it('assertWellFormedText: names the field it checks', () => {
    const error = captureError(() => assertWellFormedText('p\uD800', { field: 'prefix' }));

    expect(error.field).toBe('prefix');
    expect(error.message).toMatch(/^prefix is not well-formed Unicode/);
  });
});
