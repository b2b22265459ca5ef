import { CfkvError } from '../../src/index.js';

/** Runs `run` and returns the CfkvError it throws; fails the test if it throws nothing. */
export function captureError(run: () => unknown): CfkvError {
  try {
    run();
  } catch (error) {
    if (error instanceof CfkvError) return error;
    throw error;
  }
  throw new Error('expected a CfkvError, but nothing was thrown');
}

/** Awaits `promise` and returns the CfkvError it rejects with; fails the test if it resolves. */
export async function captureRejection(promise: Promise<unknown>): Promise<CfkvError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CfkvError) return error;
    throw error;
  }
  throw new Error('expected a CfkvError, but the promise resolved');
}
