import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuleExtractor } from '../../../src/engine/index.js';
import {
  EXTRACTION_JOB,
  ExtractionScheduler,
  extractionJobHandler,
} from '../../../src/server/extraction-job.js';
import { openStore } from '../../../src/store/index.js';
import type { MessageRecord } from '../../../src/store/records.js';
import type { Store } from '../../../src/store/store.js';
import { migratedPgliteDir } from '../../support/pglite-template.js';

const logger = pino({ level: 'silent' });

describe('ExtractionScheduler and extractionJobHandler', () => {
  let dataDir: string;
  let store: Store;

  beforeAll(async () => {
    dataDir = migratedPgliteDir('foresight-extraction-job-');
    store = await openStore({ dataDir });
    await store.upsertClient({ id: 'default', name: 'default', mode: 'b2c' });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const record = async (conversationId: string, role: 'user' | 'assistant', content: string) => {
    const [outcome] = await store.recordMessages('default', [
      {
        conversationId,
        userId: 'bob',
        customerId: '',
        sessionId: 's1',
        role,
        content,
        metadata: {},
        idempotencyKey: null,
      },
    ]);
    if (!outcome?.ok) throw new Error('message not recorded');
    return outcome.message;
  };

  it('queues one job per notice, runs it, and extracts only the noticed user turns', async () => {
    let wakes = 0;
    const scheduler = new ExtractionScheduler({ store, logger, wake: () => wakes++ });
    const first = randomUUID();
    const second = randomUUID();
    const earlier = await record(first, 'user', 'I work at Initech.');
    const messages: MessageRecord[] = [
      await record(first, 'user', 'I love jazz.'),
      await record(first, 'assistant', 'I love jazz too!'),
      await record(second, 'user', 'I hate queues.'),
    ];
    scheduler.messagesRecorded('default', messages);
    scheduler.messagesRecorded('default', [messages[1] as MessageRecord]);
    await scheduler.flush();
    expect(wakes).toBe(1);

    const jobs = await store.claimJobs([EXTRACTION_JOB], 10, 60_000);
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    if (!job) throw new Error('no job');
    await extractionJobHandler(store, new RuleExtractor())(job);
    await store.completeJob(job.id);

    const memories = await store.listMemories('default', { userId: 'bob' });
    expect(memories.map((memory) => memory.content).sort()).toEqual(['Hates queues', 'Loves jazz']);
    expect(memories.every((memory) => memory.sourceMessageIds[0] !== earlier.id)).toBe(true);
  });

  it('extracts a whole ingested conversation', async () => {
    const scheduler = new ExtractionScheduler({ store, logger, wake: () => {} });
    const conversation = randomUUID();
    await record(conversation, 'user', 'My name is Carol Diaz.');
    await record(conversation, 'user', 'I prefer email over phone calls.');
    scheduler.conversationIngested('default', conversation);
    await scheduler.flush();
    const [job] = await store.claimJobs([EXTRACTION_JOB], 10, 60_000);
    if (!job) throw new Error('no job');
    await extractionJobHandler(store, new RuleExtractor())(job);
    const contents = (await store.listMemories('default', { userId: 'bob' })).map(
      (memory) => memory.content,
    );
    expect(contents).toContain('Name is Carol Diaz');
    expect(contents).toContain('Prefers email over phone calls');
  });

  it("lets a change in a job's later conversation replace what an earlier one of the job said", async () => {
    const scheduler = new ExtractionScheduler({ store, logger, wake: () => {} });
    const [before, after] = [randomUUID(), randomUUID()];
    const messages = [
      await record(before, 'user', 'I keep my savings at Northbank.'),
      await record(after, 'user', 'I keep my savings at Eastbank now.'),
    ];
    scheduler.messagesRecorded('default', messages);
    await scheduler.flush();
    const [job] = await store.claimJobs([EXTRACTION_JOB], 10, 60_000);
    if (!job) throw new Error('no job');
    await extractionJobHandler(store, new RuleExtractor())(job);
    const all = await store.listMemories('default', { userId: 'bob', includeSuperseded: true });
    const northbank = all.find((memory) => memory.content.includes('Northbank'));
    const eastbank = all.find((memory) => memory.content.includes('Eastbank'));
    expect(eastbank?.supersededBy).toBeNull();
    expect(northbank?.supersededBy).toBe(eastbank?.id);
  });

  // Last: it closes the shared store (close is idempotent, so afterAll still works).
  it('counts a failed enqueue instead of throwing', async () => {
    await store.close();
    const scheduler = new ExtractionScheduler({ store, logger, wake: () => {} });
    expect(() => scheduler.conversationIngested('default', randomUUID())).not.toThrow();
    await scheduler.flush();
    expect(scheduler.failures).toBe(1);
  });
});
