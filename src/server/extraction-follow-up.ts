import type { FollowUpJob, PendingMessage } from '../store/records.js';
import { EXTRACTION_JOB } from './extraction-job.js';

/**
 * The extraction job of messages about to be recorded: their user turns, by
 * conversation, named by id (ranges of extraction-job.ts); null when there are none,
 * as assistant turns hold nothing to extract. The routes give it to
 * `store.recordMessages` (`jobFor`), which queues it in the messages' transaction.
 */
export function extractionJobFor(messages: readonly PendingMessage[]): FollowUpJob | null {
  const byConversation = new Map<string, string[]>();
  for (const message of messages) {
    if (message.role !== 'user') continue;
    const ids = byConversation.get(message.conversationId);
    if (ids) ids.push(message.id);
    else byConversation.set(message.conversationId, [message.id]);
  }
  if (byConversation.size === 0) return null;
  return {
    kind: EXTRACTION_JOB,
    payload: {
      ranges: [...byConversation].map(([conversationId, ids]) => ({
        conversation_id: conversationId,
        // The ids say which: seq is not known before the insert, and need not be.
        after_seq: 0,
        through_seq: null,
        message_ids: ids,
      })),
    },
  };
}
