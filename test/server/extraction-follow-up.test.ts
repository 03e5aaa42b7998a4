import { describe, expect, it } from 'vitest';
import { extractionJobFor } from '../../src/server/extraction-follow-up.js';
import { EXTRACTION_JOB } from '../../src/server/extraction-job.js';
import type { PendingMessage } from '../../src/store/records.js';

function pending(id: string, conversationId: string, role: 'user' | 'assistant'): PendingMessage {
  return {
    id,
    conversationId,
    userId: 'user-1',
    customerId: '',
    sessionId: conversationId,
    role,
    content: `turn ${id}`,
    metadata: {},
    idempotencyKey: null,
  };
}

describe('extractionJobFor', () => {
  it('names the user turns of each conversation, in order, and skips the assistant', () => {
    const job = extractionJobFor([
      pending('m1', 'c1', 'user'),
      pending('m2', 'c1', 'assistant'),
      pending('m3', 'c2', 'user'),
      pending('m4', 'c1', 'user'),
    ]);
    expect(job).toEqual({
      kind: EXTRACTION_JOB,
      payload: {
        ranges: [
          { conversation_id: 'c1', after_seq: 0, through_seq: null, message_ids: ['m1', 'm4'] },
          { conversation_id: 'c2', after_seq: 0, through_seq: null, message_ids: ['m3'] },
        ],
      },
    });
  });

  it('queues nothing for assistant turns alone', () => {
    expect(extractionJobFor([pending('m1', 'c1', 'assistant')])).toBeNull();
    expect(extractionJobFor([])).toBeNull();
  });
});
