import type { SynapError } from '../../../src/client/errors.js';

/** What a call rejected with, typed for assertions; a call that resolves fails the test. */
export async function rejection(
  call: Promise<unknown>,
): Promise<SynapError & { retryAfterMs?: number }> {
  try {
    await call;
  } catch (error) {
    return error as SynapError;
  }
  throw new Error('expected the call to reject');
}
