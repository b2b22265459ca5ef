import { CfkvError } from './errors.js';

const SCORE_HEX_DIGITS = 16;
const SCORE_PATTERN = /^[0-9a-f]{16}$/;
const ALL_BITS = (1n << 64n) - 1n;
const SIGN_BIT = 1n << 63n;

/** Base-32 digits of Number.MAX_SAFE_INTEGER (2^53 - 1), so every sequence has the same width. */
const SEQUENCE_DIGITS = Number.MAX_SAFE_INTEGER.toString(32).length;
const SEQUENCE_PATTERN = new RegExp(`^[0-9a-v]{${SEQUENCE_DIGITS}}$`);

/**
 * Encodes a score (usually milliseconds since the epoch) as 16 hex digits whose lexicographic
 * order is the numeric order. Works for every finite double, including negative values (dates
 * before 1970) and fractions, because it maps the IEEE-754 bits to an order-preserving integer.
 */
export function encodeScore(ms: number): string {
  return toHex(orderedBits(ms, 'score'));
}

/** Encodes a score so that lexicographic order is the reverse of numeric order. */
export function encodeDescendingScore(ms: number): string {
  return toHex(~orderedBits(ms, 'score') & ALL_BITS);
}

/** Returns the score encoded by {@link encodeScore}; -0 comes back as 0. */
export function decodeScore(text: string): number {
  return fromOrderedBits(parseHex(text), text);
}

/** Returns the score encoded by {@link encodeDescendingScore}. */
export function decodeDescendingScore(text: string): number {
  return fromOrderedBits(~parseHex(text) & ALL_BITS, text);
}

/**
 * Encodes a non-negative safe integer as fixed-width base 32 (digits `0-9a-v`, which sort in
 * ASCII order), so that equal scores keep the order of their sequence numbers.
 */
export function encodeSequence(n: number): string {
  assertSequence(n);
  return n.toString(32).padStart(SEQUENCE_DIGITS, '0');
}

/** Encodes a sequence number so that lexicographic order is the reverse of numeric order. */
export function encodeDescendingSequence(n: number): string {
  assertSequence(n);
  return encodeSequence(Number.MAX_SAFE_INTEGER - n);
}

export function decodeSequence(text: string): number {
  if (!SEQUENCE_PATTERN.test(text)) throw invalidEncoding('sequence', text);
  const sequence = parseInt(text, 32);
  if (sequence > Number.MAX_SAFE_INTEGER) throw invalidEncoding('sequence', text);
  return sequence;
}

export function decodeDescendingSequence(text: string): number {
  return Number.MAX_SAFE_INTEGER - decodeSequence(text);
}

function orderedBits(value: number, field: string): bigint {
  if (!Number.isFinite(value)) {
    throw new CfkvError('INVALID_ARGUMENT', `${field} must be a finite number, got ${value}.`, {
      field,
    });
  }
  const bits = float64Bits(value === 0 ? 0 : value);
  // The bits of positive doubles sort like the numbers, and setting the sign bit puts them above
  // every negative one. The bits of negative doubles sort in reverse, so all of them are flipped.
  return bits & SIGN_BIT ? ~bits & ALL_BITS : bits | SIGN_BIT;
}

function fromOrderedBits(ordered: bigint, text: string): number {
  const bits = ordered & SIGN_BIT ? ordered & ~SIGN_BIT : ~ordered & ALL_BITS;
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, bits);
  const score = view.getFloat64(0);
  if (!Number.isFinite(score)) throw invalidEncoding('score', text);
  return score;
}

function float64Bits(value: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0);
}

function toHex(bits: bigint): string {
  return bits.toString(16).padStart(SCORE_HEX_DIGITS, '0');
}

function parseHex(text: string): bigint {
  if (!SCORE_PATTERN.test(text)) throw invalidEncoding('score', text);
  return BigInt(`0x${text}`);
}

function assertSequence(n: number): void {
  if (Number.isSafeInteger(n) && n >= 0) return;

  throw new CfkvError(
    'INVALID_ARGUMENT',
    `tiebreak must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}, got ${n}.`,
    { field: 'tiebreak', limit: Number.MAX_SAFE_INTEGER, actual: n },
  );
}

function invalidEncoding(kind: string, text: string): CfkvError {
  return new CfkvError('CORRUPT_RECORD', `"${text}" is not an encoded ${kind}.`, { field: kind });
}
