import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaselineCompactor, estimateTokens, formatCompaction } from '../../src/engine/index.js';
import { COMPACTION_JOB, compactionJobHandler } from '../../src/server/compaction-job.js';
import { openStore } from '../../src/store/index.js';
import type { CompactionRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { migratedPgliteDir } from '../support/pglite-template.js';

describe('BaselineCompactor through the compaction job, with the real store', () => {
  let dataDir: string;
  let store: Store;
  const conversationId = randomUUID();

  beforeAll(async () => {
    dataDir = migratedPgliteDir('foresight-compaction-');
    store = await openStore({ dataDir });
    await store.upsertClient({ id: 'default', name: 'default', mode: 'b2c' });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const say = async (turns: [role: 'user' | 'assistant', content: string][]) => {
    for (const [role, content] of turns) {
      const [outcome] = await store.recordMessages('default', [
        {
          conversationId,
          userId: 'kim',
          customerId: '',
          sessionId: 's1',
          role,
          content,
          metadata: {},
          idempotencyKey: null,
        },
      ]);
      if (!outcome?.ok) throw new Error('message not recorded');
    }
  };

  const compact = async (): Promise<CompactionRecord> => {
    const started = await store.startCompaction('default', {
      id: randomUUID(),
      conversationId,
      strategy: 'adaptive',
      targetTokens: null,
    });
    if (!started) throw new Error('compaction not started');
    await store.enqueueJob('default', COMPACTION_JOB, { compaction_id: started.id });
    const [job] = await store.claimJobs([COMPACTION_JOB], 1, 60_000);
    if (!job) throw new Error('no compaction job');
    await compactionJobHandler(store, new BaselineCompactor())(job);
    await store.completeJob(job.id);
    const done = await store.getCompaction('default', started.id);
    if (done?.status !== 'completed') throw new Error(`compaction ${done?.status}`);
    return done;
  };

  it('builds the second compaction on the first: only the turns after the cut are read', async () => {
    await say([
      ['user', 'I live in Porto and I work at Acme. I prefer aisle seats.'],
      ['assistant', 'Noted. Where would you like to go?'],
      ['user', 'Book me a flight to Lisbon on December 3.'],
      ['assistant', 'I booked the 9:40 flight to Lisbon on December 3.'],
    ]);
    const first = await compact();
    expect(first).toMatchObject({ throughSeq: expect.any(Number), compactedMessageCount: 4 });
    expect(first.facts).toContain('I live in Porto and I work at Acme.');
    expect(first.preferences).toContain('I prefer aisle seats.');
    expect(first.decisions).toContain('I booked the 9:40 flight to Lisbon on December 3.');
    expect(first.compactedTokenCount).toBe(estimateTokens(formatCompaction(first)));

    await say([
      ['user', 'I also need a hotel near the river. I hate noisy rooms.'],
      ['assistant', "Let's go with the Riverside Hotel, then."],
    ]);
    const second = await compact();
    // Read: the two new turns only; covered: all six.
    expect(second.compactedMessageCount - first.compactedMessageCount).toBe(2);
    expect(second.compactedMessageCount).toBe(6);
    expect(second.previousId).toBe(first.id);
    expect(second.throughSeq).toBeGreaterThan(first.throughSeq);
    // The earlier extractions are kept, the new ones added.
    expect(second.facts).toContain('I live in Porto and I work at Acme.');
    expect(second.preferences).toEqual(['I prefer aisle seats.', 'I hate noisy rooms.']);
    expect(second.decisions).toContain("Let's go with the Riverside Hotel, then.");
    expect(second.summary).toContain('User: Book me a flight to Lisbon on December 3.');
    expect(second.summary).toContain('User: I also need a hotel near the river.');
    // Original tokens add up over both; the compacted text stays smaller.
    expect(second.originalTokenCount).toBeGreaterThan(first.originalTokenCount);
    expect(second.currentState).toMatchObject({ status: 'active' });
  });

  it('lets a restated subject replace the earlier statement, keeping the rest', async () => {
    await say([
      ['user', 'I live in Porto.'],
      ['user', 'I prefer aisle seats.'],
    ]);
    const before = await compact();
    expect(before.facts).toContain('I live in Porto.');
    await say([
      ['user', 'I moved to Lisbon last month.'],
      ['user', 'Actually I prefer window seats. I hate aisle seats now.'],
    ]);
    const after = await compact();
    expect(after.facts).not.toContain('I live in Porto.');
    expect(after.facts).toContain('I moved to Lisbon last month.');
    // A sentence with a subject the new turns do not restate stays.
    expect(after.facts).toContain('I live in Porto and I work at Acme.');
    expect(after.preferences).not.toContain('I prefer aisle seats.');
    expect(after.preferences).toContain('I hate aisle seats now.');
  });

  it('keeps the newest summary lines when an earlier summary no longer fits the target', async () => {
    const previous = {
      summary: Array.from({ length: 40 }, (_, i) => `User: request number ${i} about trains`).join(
        '\n',
      ),
      facts: [],
      decisions: [],
      preferences: [],
      originalTokenCount: 2000,
    } as unknown as CompactionRecord;
    const result = await new BaselineCompactor().compact({
      previous,
      messages: [],
      targetTokens: 100,
    });
    const lines = result.summary.split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThan(40);
    expect(lines.at(-1)).toBe('User: request number 39 about trains');
    expect(estimateTokens(result.summary)).toBeLessThanOrEqual(50);
  });
});
