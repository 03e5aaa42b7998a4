import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelExtractor, RuleExtractor } from '../../../src/engine/index.js';
import {
  EXTRACTION_JOB,
  ExtractionScheduler,
  extractionJobHandler,
} from '../../../src/server/extraction-job.js';
import { openStore } from '../../../src/store/index.js';
import type { JobRecord } from '../../../src/store/records.js';
import type { Store } from '../../../src/store/store.js';
import { migratedPgliteDir } from '../../support/pglite-template.js';
import { scriptedModel } from './scripted-model.js';

const logger = pino({ level: 'silent' });

describe('extractionJobHandler with a failing model', () => {
  let dataDir: string;
  let store: Store;

  beforeAll(async () => {
    dataDir = migratedPgliteDir('foresight-extraction-fallback-');
    store = await openStore({ dataDir });
    await store.upsertClient({ id: 'default', name: 'default', mode: 'b2c' });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const record = async (userId: string, conversationId: string, content: string) => {
    const [outcome] = await store.recordMessages('default', [
      {
        conversationId,
        userId,
        customerId: '',
        sessionId: 's1',
        role: 'user',
        content,
        metadata: {},
        idempotencyKey: null,
      },
    ]);
    if (!outcome?.ok) throw new Error('message not recorded');
    return outcome.message;
  };

  const claimOne = async (): Promise<JobRecord> => {
    const [job] = await store.claimJobs([EXTRACTION_JOB], 1, 60_000);
    if (!job) throw new Error('no job to claim');
    return job;
  };

  it('fails the job while attempts remain, then the rules extract on attempt 3', async () => {
    const model = scriptedModel(() => {
      throw new Error('provider outage (503)');
    });
    const handler = extractionJobHandler(store, new ModelExtractor({ model }), {
      fallback: new RuleExtractor(),
      fallbackAfterAttempts: 3,
      logger,
    });
    const scheduler = new ExtractionScheduler({ store, logger, wake: () => {} });
    const message = await record('gus', randomUUID(), 'I work at Initech.');
    scheduler.messagesRecorded('default', [message]);
    await scheduler.flush();

    for (const attempt of [1, 2]) {
      const job = await claimOne();
      expect(job.attempts).toBe(attempt);
      await expect(handler(job)).rejects.toThrow('provider outage');
      // The queue's own retry path, without its backoff wait.
      await store.failJob(job.id, 'provider outage', 0, 5);
      expect(await store.listMemories('default', { userId: 'gus' })).toEqual([]);
    }
    const job = await claimOne();
    expect(job.attempts).toBe(3);
    await handler(job);
    await store.completeJob(job.id);
    const memories = await store.listMemories('default', { userId: 'gus' });
    expect(memories.map((memory) => memory.content)).toEqual(['Works at Initech']);
    expect(model.doGenerateCalls).toHaveLength(3);
  });

  it('falls back at once when an earlier range of the job was already inserted', async () => {
    const model = scriptedModel(([message]) => {
      if (message?.content.includes('Globex')) throw new Error('provider outage (503)');
      return {
        memories: [
          {
            memory_type: 'facts',
            content: 'Employed by Initrode',
            confidence: 0.9,
            scope: 'user',
            subject_key: 'employer',
            source_message_ids: [message?.id],
          },
        ],
      };
    });
    const handler = extractionJobHandler(store, new ModelExtractor({ model }), {
      fallback: new RuleExtractor(),
      logger,
    });
    const scheduler = new ExtractionScheduler({ store, logger, wake: () => {} });
    const first = await record('hal', randomUUID(), 'I work at Initrode.');
    const second = await record('ivy', randomUUID(), 'I work at Globex.');
    scheduler.messagesRecorded('default', [first, second]);
    await scheduler.flush();

    const job = await claimOne();
    expect(job.attempts).toBe(1);
    await handler(job);
    const contents = async (userId: string) =>
      (await store.listMemories('default', { userId })).map((memory) => memory.content);
    expect(await contents('hal')).toEqual(['Employed by Initrode']);
    expect(await contents('ivy')).toEqual(['Works at Globex']);
  });

  it('without a fallback, keeps failing so the queue retries until the job is dead', async () => {
    const model = scriptedModel(() => 'not JSON at all');
    const handler = extractionJobHandler(store, new ModelExtractor({ model }));
    await store.enqueueJob('default', EXTRACTION_JOB, {
      ranges: [
        {
          conversation_id: (await record('jo', randomUUID(), 'I live in Oslo.')).conversationId,
          after_seq: 0,
          through_seq: null,
          message_ids: null,
        },
      ],
    });
    const job = await claimOne();
    await expect(handler({ ...job, attempts: 5 })).rejects.toThrow(/No object generated/);
    await store.failJob(job.id, 'no object', 0, 1);
    expect(await store.claimJobs([EXTRACTION_JOB], 1, 60_000)).toEqual([]);
  });
});
