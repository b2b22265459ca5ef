import { validationError } from './api-error.js';
import {
  MAX_EXPIRATION_SECONDS,
  MAX_KEY_BYTES,
  MAX_METADATA_BYTES,
  MIN_EXPIRATION_TTL_SECONDS,
} from './limits.js';

/** Expiration settings of one write, as the REST API takes them (seconds). */
export interface ExpirationInput {
  expiration?: number;
  expirationTtl?: number;
}

/**
 * Decodes a key taken from the URL path once, as Cloudflare does for namespaces with
 * `supports_url_encoding`, and validates it.
 */
export function decodeKeyFromPath(encodedKey: string): string {
  let key: string;
  try {
    key = decodeURIComponent(encodedKey);
  } catch {
    throw validationError(`Could not URL-decode the key name ${JSON.stringify(encodedKey)}.`);
  }
  assertValidKey(key);
  return key;
}

/** In Unicode mode a surrogate pair is one code point, so this matches only lone surrogates. */
const LONE_SURROGATE = /\p{Surrogate}/u;

export function assertValidKey(key: unknown): asserts key is string {
  if (typeof key !== 'string') {
    throw validationError(`Key names must be strings, got ${typeof key}.`);
  }
  if (key === '') {
    throw validationError('Key names must not be empty.');
  }
  // Cloudflare rejects these two names because URL path normalisation would change them.
  if (key === '.' || key === '..') {
    throw validationError(`Illegal key name "${key}". Please use a different name.`);
  }

  const keyBytes = Buffer.byteLength(key);
  if (keyBytes > MAX_KEY_BYTES) {
    throw validationError(
      `UTF-8 encoded length of ${keyBytes} exceeds key length limit of ${MAX_KEY_BYTES}.`,
    );
  }
  // A lone surrogate has no UTF-8 encoding, so KV would store the key with U+FFFD in its place,
  // under another name.
  if (LONE_SURROGATE.test(key)) {
    throw validationError(
      `Key name ${JSON.stringify(key)} contains a lone UTF-16 surrogate, so it is not valid ` +
        'Unicode and cannot be encoded as UTF-8.',
    );
  }
}

/** Parses metadata given as a JSON string and checks its serialized size. */
export function parseMetadata(text: string): unknown {
  let metadata: unknown;
  try {
    metadata = JSON.parse(text);
  } catch {
    throw validationError('The metadata part must be a valid JSON string.');
  }
  assertMetadataSize(metadata);
  return metadata;
}

export function assertMetadataSize(metadata: unknown): void {
  const metadataBytes = Buffer.byteLength(JSON.stringify(metadata));
  if (metadataBytes > MAX_METADATA_BYTES) {
    throw validationError(
      `Metadata length of ${metadataBytes} exceeds limit of ${MAX_METADATA_BYTES}.`,
    );
  }
}

/** Reads `expiration` and `expiration_ttl` from a query string. */
export function parseExpirationQuery(query: URLSearchParams): ExpirationInput {
  return checkExpiration(
    parseIntegerParameter(query.get('expiration'), 'expiration'),
    parseIntegerParameter(query.get('expiration_ttl'), 'expiration_ttl'),
  );
}

/** Checks expiration fields given as JSON numbers, as in a bulk write item. */
export function checkExpiration(expiration: unknown, expirationTtl: unknown): ExpirationInput {
  const input: ExpirationInput = {};
  if (expirationTtl !== undefined && expirationTtl !== null) {
    input.expirationTtl = checkExpirationTtl(expirationTtl);
  }
  if (expiration !== undefined && expiration !== null) {
    input.expiration = checkExpirationTime(expiration);
  }
  return input;
}

function checkExpirationTtl(expirationTtl: unknown): number {
  if (!Number.isInteger(expirationTtl) || (expirationTtl as number) <= 0) {
    throw validationError(
      `Invalid expiration_ttl of ${String(expirationTtl)}. Please specify integer greater than 0.`,
    );
  }
  const seconds = expirationTtl as number;
  if (seconds < MIN_EXPIRATION_TTL_SECONDS) {
    throw validationError(
      `Invalid expiration_ttl of ${seconds}. ` +
        `Expiration TTL must be at least ${MIN_EXPIRATION_TTL_SECONDS}.`,
    );
  }
  if (seconds > MAX_EXPIRATION_SECONDS) {
    throw validationError(
      `Invalid expiration_ttl of ${seconds}. ` +
        `Expiration TTL must be at most ${MAX_EXPIRATION_SECONDS}.`,
    );
  }
  return seconds;
}

function checkExpirationTime(expiration: unknown): number {
  if (!Number.isInteger(expiration) || (expiration as number) <= 0) {
    throw validationError(
      `Invalid expiration of ${String(expiration)}. Please specify integer greater than the ` +
        'current number of seconds since the UNIX epoch.',
    );
  }
  const seconds = expiration as number;
  const nowSeconds = Math.floor(Date.now() / 1000);
  if (seconds < nowSeconds + MIN_EXPIRATION_TTL_SECONDS) {
    throw validationError(
      `Invalid expiration of ${seconds}. Expiration times must be at least ` +
        `${MIN_EXPIRATION_TTL_SECONDS} seconds in the future.`,
    );
  }
  if (seconds > MAX_EXPIRATION_SECONDS) {
    throw validationError(
      `Invalid expiration of ${seconds}. Expiration times must be at most ` +
        `${MAX_EXPIRATION_SECONDS} seconds since the UNIX epoch (2038-01-19T03:14:07Z).`,
    );
  }
  return seconds;
}

export function parseIntegerParameter(text: string | null, name: string): number | undefined {
  if (text === null || text === '') {
    return undefined;
  }
  if (!/^-?\d+$/.test(text)) {
    throw validationError(`Invalid ${name} of ${JSON.stringify(text)}. Please specify an integer.`);
  }
  return Number(text);
}
