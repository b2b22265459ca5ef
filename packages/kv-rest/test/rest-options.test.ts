import { isCfkvError } from '@cfkv/core';
import { describe, expect, it } from 'vitest';
import { RestTransport, type RestTransportOptions } from '../src/index.js';

const VALID: RestTransportOptions = { accountId: 'account', apiToken: 'secret-token-value' };

function constructionError(options: Partial<RestTransportOptions>): unknown {
  try {
    new RestTransport({ ...VALID, ...options } as RestTransportOptions);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('rest: options', () => {
  it('constructor: accepts account id and token alone', () => {
    expect(new RestTransport(VALID).name).toBe('rest');
  });

  it('constructor: rejects a missing token without echoing it', () => {
    const error = constructionError({ apiToken: '' });

    expect(isCfkvError(error, 'INVALID_ARGUMENT')).toBe(true);
    expect(error).toMatchObject({ field: 'apiToken' });
  });

  it('constructor: rejects a missing account id', () => {
    expect(constructionError({ accountId: undefined })).toMatchObject({ field: 'accountId' });
  });

  it('constructor: rejects an invalid base URL', () => {
    expect(constructionError({ baseUrl: 'not a url' })).toMatchObject({ field: 'baseUrl' });
    expect(constructionError({ baseUrl: 'ftp://example.test' })).toMatchObject({
      field: 'baseUrl',
    });
  });

  it('constructor: rejects invalid numbers naming the option', () => {
    for (const [field, value] of [
      ['maxRetries', -1],
      ['timeoutMs', 0],
      ['deadlineMs', 1.5],
      ['maxConcurrency', 0],
      ['retryBaseDelayMs', -5],
    ] as const) {
      expect(constructionError({ [field]: value }), field).toMatchObject({
        code: 'INVALID_ARGUMENT',
        field,
      });
    }
  });
});
