import { CfkvError } from './errors.js';

/** Characters an HTTP header value may hold without quoting: visible ASCII. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/**
 * Rejects an API token that cannot be sent as a bearer token: empty, or holding a space, a line
 * break, a control or a non-ASCII character, as a token copied with its surroundings does. The
 * token itself never appears in the error.
 */
export function assertApiTokenText(value: unknown, field = 'apiToken'): asserts value is string {
  if (typeof value === 'string' && HEADER_SAFE.test(value)) return;

  const reason =
    typeof value === 'string' && value !== ''
      ? 'contains a space, line break, control or non-ASCII character, which an HTTP header ' +
        'cannot carry; check that the whole token and nothing else was copied'
      : 'is missing or empty';
  throw new CfkvError('INVALID_ARGUMENT', `${field} ${reason}.`, { field });
}
