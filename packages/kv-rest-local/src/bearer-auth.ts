import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError, ErrorCode } from './api-error.js';

/**
 * Checks an `Authorization: Bearer` header against the token. Both sides are hashed first, so the
 * comparison takes the same time whatever the length or content of the guess.
 */
export function assertBearerToken(header: string | undefined, expectedToken: string): void {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (match === null) {
    throw authenticationError('Missing "Authorization: Bearer <token>" header.');
  }
  const presentedDigest = createHash('sha256')
    .update(match[1]?.trim() ?? '')
    .digest();
  const expectedDigest = createHash('sha256').update(expectedToken).digest();
  if (!timingSafeEqual(presentedDigest, expectedDigest)) {
    throw authenticationError('Invalid API token.');
  }
}

function authenticationError(detail: string): ApiError {
  return new ApiError(401, ErrorCode.AUTHENTICATION, `Authentication error: ${detail}`);
}
