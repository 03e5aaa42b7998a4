import type { Logger } from 'pino';
import type { CompactionInput, Compactor } from '../engine/index.js';
import type { JobRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { JobHandler } from './job-runner.js';

export const COMPACTION_JOB = 'compaction';

/** Turns read after the last cut in one compaction; the rest waits for the next one. */
const MAX_MESSAGES = 10_000;

export interface CompactionJobOptions {
  /**
   * The compactor to use once `compactor` has failed `fallbackAfterAttempts` times on
   * a job (the baseline one, when a model is configured). None: a failure marks the
   * compaction failed at once.
   */
  fallback?: Compactor;
  /** Job attempts given to `compactor` before `fallback` takes over. Default 3. */
  fallbackAfterAttempts?: number;
  /** Told about every fallback. */
  logger?: Logger;
}

/**
 * Runs one queued compaction: the turns after the last completed compaction are folded
 * into it (incremental), and the result is stored with its token counts.
 *
 * A failure that a retry may still fix (a fallback exists, attempts remain) leaves the
 * compaction queued and fails the job, so the queue retries it with backoff; on attempt
 * `fallbackAfterAttempts` the fallback compacts instead. Without a fallback, or when the
 * fallback fails too, the compaction is marked failed, which frees the conversation
 * for a new one.
 */
export function compactionJobHandler(
  store: Store,
  compactor: Compactor,
  options: CompactionJobOptions = {},
): JobHandler {
  const fallbackAfterAttempts = options.fallbackAfterAttempts ?? 3;
  return async (job: JobRecord) => {
    const compactionId = String(job.payload.compaction_id ?? '');
    const compaction = await store.getCompaction(job.clientId, compactionId);
    if (!compaction || compaction.status === 'completed') return;
    const previous = await store.latestCompaction(job.clientId, compaction.conversationId, {
      status: 'completed',
    });
    const messages = await store.listMessages(job.clientId, compaction.conversationId, {
      afterSeq: previous?.throughSeq ?? 0,
      limit: MAX_MESSAGES,
    });
    const input: CompactionInput = { previous, messages, targetTokens: compaction.targetTokens };
    try {
      const result = await compactWithFallback(compactor, input, job, {
        ...options,
        fallbackAfterAttempts,
      });
      await store.finishCompaction(job.clientId, {
        ...compaction,
        ...result,
        status: 'completed',
        previousId: previous?.id ?? null,
        throughSeq: messages.at(-1)?.seq ?? previous?.throughSeq ?? 0,
        compactedMessageCount: (previous?.compactedMessageCount ?? 0) + messages.length,
        completedAt: store.clock.now(),
        error: null,
      });
    } catch (error) {
      if (!(error instanceof RetryLater)) {
        await store.finishCompaction(job.clientId, {
          ...compaction,
          status: 'failed',
          error: String(error),
          completedAt: store.clock.now(),
        });
      }
      throw error instanceof RetryLater ? error.cause : error;
    }
  };
}

/** The compactor failed and a retry may still succeed: the compaction stays queued. */
class RetryLater extends Error {
  override readonly name = 'RetryLater';
}

async function compactWithFallback(
  compactor: Compactor,
  input: CompactionInput,
  job: JobRecord,
  options: CompactionJobOptions & { fallbackAfterAttempts: number },
) {
  try {
    return await compactor.compact(input);
  } catch (error) {
    if (!options.fallback) throw error;
    if (job.attempts < options.fallbackAfterAttempts)
      throw new RetryLater('compactor failed; the job will be retried', { cause: error });
    options.logger?.warn(
      { err: error, jobId: job.id, attempts: job.attempts },
      'compaction: the compactor failed; the fallback compactor runs instead',
    );
    return options.fallback.compact(input);
  }
}
