import type { Compactor } from '../engine/index.js';
import type { JobRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { JobHandler } from './job-runner.js';

export const COMPACTION_JOB = 'compaction';

/**
 * Runs one queued compaction: the turns after the last completed compaction are folded
 * into it (incremental), and the result is stored with its token counts.
 */
export function compactionJobHandler(store: Store, compactor: Compactor): JobHandler {
  return async (job: JobRecord) => {
    const compactionId = String(job.payload.compaction_id ?? '');
    const compaction = await store.getCompaction(job.clientId, compactionId);
    if (!compaction || compaction.status === 'completed') return;
    const previous = await store.latestCompaction(job.clientId, compaction.conversationId, {
      status: 'completed',
    });
    const messages = await store.listMessages(job.clientId, compaction.conversationId, {
      afterSeq: previous?.throughSeq ?? 0,
      limit: 10_000,
    });
    try {
      const result = await compactor.compact({
        previous,
        messages,
        targetTokens: compaction.targetTokens,
      });
      await store.finishCompaction(job.clientId, {
        ...compaction,
        ...result,
        status: 'completed',
        previousId: previous?.id ?? null,
        throughSeq: messages.at(-1)?.seq ?? previous?.throughSeq ?? 0,
        compactedMessageCount: (previous?.compactedMessageCount ?? 0) + messages.length,
        completedAt: new Date(),
        error: null,
      });
    } catch (error) {
      await store.finishCompaction(job.clientId, {
        ...compaction,
        status: 'failed',
        error: String(error),
        completedAt: new Date(),
      });
      throw error;
    }
  };
}
