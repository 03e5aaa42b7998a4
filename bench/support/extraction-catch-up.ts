import { EXTRACTION_JOB } from '../../src/server/extraction-job.js';
import type { Store } from '../../src/store/store.js';

export interface CatchUpOutcome {
  /** From `since` until no extraction job was pending (or the budget ran out). */
  seconds: number;
  caughtUp: boolean;
  pendingAtStart: number;
  pendingAtEnd: number;
}

/**
 * How long extraction trails a bulk ingest: polls the queue every `pollMs` until no
 * extraction job is queued or running, counting from `since` (a `performance.now()`
 * value: the last batch's answer). Gives up after `budgetMs` and says so.
 */
export async function measureCatchUp(
  store: Store,
  since: number,
  options: { pollMs?: number; budgetMs?: number } = {},
): Promise<CatchUpOutcome> {
  const pollMs = options.pollMs ?? 50;
  const deadline = since + (options.budgetMs ?? 60_000);
  const pendingAtStart = await store.countPendingJobs([EXTRACTION_JOB]);
  let pending = pendingAtStart;
  while (pending > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    pending = await store.countPendingJobs([EXTRACTION_JOB]);
  }
  return {
    seconds: (performance.now() - since) / 1000,
    caughtUp: pending === 0,
    pendingAtStart,
    pendingAtEnd: pending,
  };
}
