import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KeySchema,
  MAX_KEY_BYTES,
  escapeKeyPart,
  unescapeKeyPart,
  utf8ByteLength,
} from '../src/index.js';
import { captureError } from './support/capture-error.js';

/** Strings rich in the characters that escaping must handle and in the text of escapes. */
const trickyPart = fc.oneof(
  fc.string({ unit: fc.constantFrom(':', '%', '3', 'A', '2', '5', 'a', '/', '€', '\u{1F600}') }),
  fc.string({ unit: 'binary' }),
);
const tricky = fc.string({ unit: fc.constantFrom(':', '%', '3', 'A', '2', '5', 'a') });
const table = 'mastra_threads';

describe('core: key schema', () => {
  it('escapeKeyPart: round-trips any string', () => {
    fc.assert(
      fc.property(trickyPart, (part) => {
        expect(unescapeKeyPart(escapeKeyPart(part))).toBe(part);
      }),
    );
  });

  it('escapeKeyPart: leaves no separator in a part', () => {
    fc.assert(
      fc.property(trickyPart, (part) => {
        expect(escapeKeyPart(part)).not.toContain(':');
      }),
    );
  });

  it('escapeKeyPart: leaves no control character in a part', () => {
    const controls = [...Array.from({ length: 32 }, (_, code) => code), 127];
    for (const code of controls) {
      const part = `a${String.fromCharCode(code)}b`;
      const escaped = escapeKeyPart(part);
      expect(escaped, `U+${code.toString(16).padStart(4, '0')}`).not.toMatch(
        /[\u0000-\u001f\u007f]/,
      );
      expect(unescapeKeyPart(escaped)).toBe(part);
    }
  });

  it('escapeKeyPart: maps different parts to different text', () => {
    fc.assert(
      fc.property(tricky, tricky, (first, second) => {
        fc.pre(first !== second);
        expect(escapeKeyPart(first)).not.toBe(escapeKeyPart(second));
      }),
    );
  });

  it('parse: returns the parts a key was built from', () => {
    const keys = new KeySchema('app:1/');
    fc.assert(
      fc.property(fc.array(trickyPart, { minLength: 1, maxLength: 5 }), (parts) => {
        fc.pre(parts.every((part) => utf8ByteLength(part) < 80));
        expect(keys.parse(table, keys.key(table, parts))).toEqual(parts);
      }),
    );
  });

  it('prefix: one id never prefixes the keys of another', () => {
    const keys = new KeySchema('p');
    fc.assert(
      fc.property(tricky, tricky, fc.array(tricky, { maxLength: 3 }), (first, second, rest) => {
        fc.pre(first !== second);
        const prefix = keys.prefix(table, [first]);
        expect(keys.key(table, [second, ...rest]).startsWith(prefix)).toBe(false);
        expect(keys.prefix(table, [second, ...rest]).startsWith(prefix)).toBe(false);
      }),
    );
  });

  it('prefix: covers every key of its own id', () => {
    const keys = new KeySchema('p');
    fc.assert(
      fc.property(tricky, fc.array(tricky, { minLength: 1, maxLength: 3 }), (id, rest) => {
        expect(keys.key(table, [id, ...rest]).startsWith(keys.prefix(table, [id]))).toBe(true);
      }),
    );
  });

  it('prefix: two key prefixes never see each other', () => {
    fc.assert(
      fc.property(tricky, tricky, fc.array(tricky, { maxLength: 3 }), (first, second, parts) => {
        fc.pre(first !== second);
        const tablePrefix = new KeySchema(first).prefix(table);
        expect(new KeySchema(second).key(table, parts).startsWith(tablePrefix)).toBe(false);
      }),
    );
  });

  it('key: escapes the key prefix like a part', () => {
    expect(new KeySchema('a:b').key(table, ['x'])).toBe(`a%3Ab${table}:x`);
  });

  it('key: counts UTF-8 bytes, not characters', () => {
    const euros = '€'.repeat(170);
    expect(utf8ByteLength(euros)).toBe(510);

    const error = captureError(() => new KeySchema('p-').key(table, [euros], 'threadId'));
    expect(error.code).toBe('KEY_TOO_LARGE');
    expect(error.field).toBe('threadId');
    expect(error.limit).toBe(MAX_KEY_BYTES);
    expect(error.actual).toBe(utf8ByteLength(`p-${table}:`) + 510);
    expect(error.message).toContain('threadId');
    expect(error.message).toContain('512 bytes');
  });

  it('key: accepts exactly 512 bytes and rejects 513', () => {
    const keys = new KeySchema();
    const room = MAX_KEY_BYTES - utf8ByteLength(`${table}:`);

    expect(utf8ByteLength(keys.key(table, ['x'.repeat(room)]))).toBe(MAX_KEY_BYTES);
    expect(captureError(() => keys.key(table, ['x'.repeat(room + 1)])).code).toBe('KEY_TOO_LARGE');
  });

  it('key: counts an escape as three bytes', () => {
    const keys = new KeySchema();
    const room = MAX_KEY_BYTES - utf8ByteLength(`${table}:`);

    expect(captureError(() => keys.key(table, [':'.repeat(Math.ceil(room / 3) + 1)])).code).toBe(
      'KEY_TOO_LARGE',
    );
  });

  it('key: names the field of a part with a lone surrogate', () => {
    const error = captureError(() =>
      new KeySchema('prefix:').key(table, ['record', 'a\ud800'], 'threadId'),
    );

    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('threadId');
    expect(error.message).toContain('threadId in mastra_threads');
    expect(error.message).toContain('U+D800 at index 1');
  });

  it('key: rejects a table name with a separator', () => {
    const error = captureError(() => new KeySchema().key('a:b', ['x']));
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.field).toBe('table');
  });

  it('parse: rejects a key of another table', () => {
    const keys = new KeySchema();
    const error = captureError(() => keys.parse(table, keys.key('other', ['x'])));
    expect(error.code).toBe('CORRUPT_RECORD');
  });
});
