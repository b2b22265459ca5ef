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

  it('constructor: rejects a token no HTTP header can carry, without echoing it', () => {
    for (const apiToken of ['Zq81\nX-Injected: 1', 'Zq81 with spaces', 'Zq81é', 'Zq81\tbed']) {
      const error = constructionError({ apiToken });

      expect(isCfkvError(error, 'INVALID_ARGUMENT'), JSON.stringify(apiToken)).toBe(true);
      expect(error).toMatchObject({ field: 'apiToken' });
      expect(String((error as Error).message)).not.toContain('Zq81');
    }
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

  it('constructor: rejects credentials in the base URL without echoing them', () => {
    for (const baseUrl of [
      'http://user:hunter2-secret@127.0.0.1:9/client/v4',
      'https://hunter2-secret@api.example.test/client/v4',
      'http://user:hunter2-secret@[invalid/client/v4',
      'http://user:hunter2/secret@127.0.0.1:9/client/v4',
    ]) {
      const error = constructionError({ baseUrl });

      expect(isCfkvError(error, 'INVALID_ARGUMENT'), baseUrl).toBe(true);
      expect(error, baseUrl).toMatchObject({ field: 'baseUrl' });
      expect(JSON.stringify(error), baseUrl).not.toContain('hunter2');
      expect(String((error as Error).message), baseUrl).not.toContain('hunter2');
      expect(String((error as Error).stack), baseUrl).not.toContain('hunter2');
    }
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
