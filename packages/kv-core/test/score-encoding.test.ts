import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeDescendingScore,
  decodeDescendingSequence,
  decodeScore,
  decodeSequence,
  encodeDescendingScore,
  encodeDescendingSequence,
  encodeScore,
  encodeSequence,
} from '../src/index.js';
import { captureError } from './support/capture-error.js';

const finiteScore = fc.double({ noNaN: true, noDefaultInfinity: true });
/** Every millisecond a JavaScript Date can hold, 271,821 BC to 275,760 AD. */
const dateMs = fc.integer({ min: -8.64e15, max: 8.64e15 });
const sequence = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

describe('core: score encoding', () => {
  it('encodeScore: sorts like the numbers', () => {
    fc.assert(
      fc.property(fc.oneof(finiteScore, dateMs), fc.oneof(finiteScore, dateMs), (first, second) => {
        expect(compareText(encodeScore(first), encodeScore(second))).toBe(
          compareNumbers(first, second),
        );
      }),
    );
  });

  it('encodeDescendingScore: sorts in reverse', () => {
    fc.assert(
      fc.property(fc.oneof(finiteScore, dateMs), fc.oneof(finiteScore, dateMs), (first, second) => {
        expect(compareText(encodeDescendingScore(first), encodeDescendingScore(second))).toBe(
          compareNumbers(second, first),
        );
      }),
    );
  });

  it('encodeScore: has one width', () => {
    fc.assert(
      fc.property(finiteScore, (score) => {
        expect(encodeScore(score)).toHaveLength(16);
        expect(encodeDescendingScore(score)).toHaveLength(16);
      }),
    );
  });

  it('decodeScore: round-trips both encodings', () => {
    fc.assert(
      fc.property(fc.oneof(finiteScore, dateMs), (score) => {
        const expected = score === 0 ? 0 : score;
        expect(decodeScore(encodeScore(score))).toBe(expected);
        expect(decodeDescendingScore(encodeDescendingScore(score))).toBe(expected);
      }),
    );
  });

  it('encodeScore: orders dates around 1970', () => {
    const dates = ['1899-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z'];
    const encoded = [...dates, '2400-01-01T00:00:00Z'].map((iso) => encodeScore(Date.parse(iso)));

    expect([...encoded].sort()).toEqual(encoded);
  });

  it('encodeScore: treats -0 as 0', () => {
    expect(encodeScore(-0)).toBe(encodeScore(0));
    expect(encodeDescendingScore(-0)).toBe(encodeDescendingScore(0));
  });

  it('encodeScore: rejects NaN and infinities', () => {
    for (const score of [NaN, Infinity, -Infinity]) {
      expect(captureError(() => encodeScore(score)).code).toBe('INVALID_ARGUMENT');
      expect(captureError(() => encodeDescendingScore(score)).code).toBe('INVALID_ARGUMENT');
    }
  });

  it('decodeScore: rejects text that is no score', () => {
    for (const text of ['', '123', 'zzzzzzzzzzzzzzzz', '7ff8000000000000'.replace('7', 'f')]) {
      expect(captureError(() => decodeScore(text)).code).toBe('CORRUPT_RECORD');
    }
  });
});

describe('core: sequence encoding', () => {
  it('encodeSequence: sorts like the numbers', () => {
    fc.assert(
      fc.property(sequence, sequence, (first, second) => {
        expect(compareText(encodeSequence(first), encodeSequence(second))).toBe(
          compareNumbers(first, second),
        );
      }),
    );
  });

  it('encodeDescendingSequence: sorts in reverse', () => {
    fc.assert(
      fc.property(sequence, sequence, (first, second) => {
        const order = compareText(
          encodeDescendingSequence(first),
          encodeDescendingSequence(second),
        );
        expect(order).toBe(compareNumbers(second, first));
      }),
    );
  });

  it('decodeSequence: round-trips both encodings', () => {
    fc.assert(
      fc.property(sequence, (value) => {
        expect(encodeSequence(value)).toHaveLength(11);
        expect(decodeSequence(encodeSequence(value))).toBe(value);
        expect(decodeDescendingSequence(encodeDescendingSequence(value))).toBe(value);
      }),
    );
  });

  it('encodeSequence: rejects what is no safe non-negative integer', () => {
    for (const value of [-1, 1.5, Number.MAX_SAFE_INTEGER + 1, NaN, Infinity]) {
      const error = captureError(() => encodeSequence(value));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.field).toBe('tiebreak');
    }
  });

  it('decodeSequence: rejects text that is no sequence', () => {
    for (const text of ['', '0', 'zzzzzzzzzzz', 'vvvvvvvvvvv']) {
      expect(captureError(() => decodeSequence(text)).code).toBe('CORRUPT_RECORD');
    }
  });
});

function compareText(first: string, second: string): number {
  if (first === second) return 0;
  return first < second ? -1 : 1;
}

function compareNumbers(first: number, second: number): number {
  if (first === second) return 0;
  return first < second ? -1 : 1;
}
