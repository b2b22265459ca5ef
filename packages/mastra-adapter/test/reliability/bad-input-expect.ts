import { isCfkvError, type CfkvErrorCode } from '@cfkv/core';
import { ErrorCategory, MastraError } from '@mastra/core/error';
import { expect } from 'vitest';
import type { Backend } from './reliability-fixture.js';

/** A rejection Mastra's callers can act on: a USER MastraError caused by a cfkv error code. */
export interface ExpectedRejection {
  code: CfkvErrorCode;
  /** The option or argument the error names, when it names one. */
  field?: string;
}

/**
 * Runs `call`, expects it to reject with the given code, and checks that the store's keys are
 * the same before and after: a rejected call writes nothing.
 */
export async function expectRejectedWithoutWrites(
  backend: Backend,
  keyPrefix: string,
  call: () => Promise<unknown>,
  expected: ExpectedRejection,
): Promise<MastraError> {
  const before = await backend.rawKeys(keyPrefix);

  const error = await call().then(
    () => undefined,
    (caught: unknown) => caught,
  );

  expect(error, 'the call resolved').toBeInstanceOf(MastraError);
  const mastraError = error as MastraError;
  expect(mastraError.category).toBe(ErrorCategory.USER);
  expect(isCfkvError(mastraError.cause, expected.code), String(mastraError.cause)).toBe(true);
  if (expected.field !== undefined) {
    expect(mastraError.details).toMatchObject({ field: expected.field });
  }
  expect(await backend.rawKeys(keyPrefix)).toEqual(before);
  return mastraError;
}
