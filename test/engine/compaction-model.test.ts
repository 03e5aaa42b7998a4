import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BaselineCompactor,
  estimateTokens,
  formatCompaction,
  ModelCompactor,
} from '../../src/engine/index.js';
import { COMPACTION_JOB, compactionJobHandler } from '../../src/server/compaction-job.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { migratedPgliteDir } from '../support/pglite-template.js';
import { scriptedModel } from './extraction/scripted-model.js';
import { userTurn } from './extraction/user-turn.js';

const answer = {
  summary: 'The user is planning a trip to Lisbon.',
  facts: ['Lives in Porto'],
  decisions: ['Flight to Lisbon on December 3'],
  preferences: ['Aisle seats'],
  current_state: { status: 'active', open_questions: [], next_steps: ['Book a hotel'] },
};

describe('ModelCompactor', () => {
  it('answers the model compaction with token counts measured, not taken from the model', async () => {
    const model = scriptedModel(() => ({ ...answer }));
    const messages = [userTurn('I live in Porto and I want to fly to Lisbon on December 3.')];
    const result = await new ModelCompactor({ model }).compact({
      previous: null,
      messages,
      targetTokens: 300,
    });
    expect(result).toMatchObject({
      summary: answer.summary,
      facts: answer.facts,
      decisions: answer.decisions,
      preferences: answer.preferences,
      currentState: answer.current_state,
      originalTokenCount: estimateTokens(messages[0]?.content ?? ''),
    });
    expect(result.compactedTokenCount).toBe(estimateTokens(formatCompaction(result)));
    expect(JSON.stringify(model.doGenerateCalls[0]?.prompt)).toContain(
      'Token target for the whole compaction: 300',
    );
  });

  it('refuses an answer that breaks the schema as a whole', async () => {
    for (const broken of [
      { ...answer, facts: 'Lives in Porto' },
      { ...answer, summary: '' },
      { ...answer, extra: true },
      { ...answer, current_state: { status: 'active' } },
    ]) {
      const model = scriptedModel(() => broken);
      await expect(
        new ModelCompactor({ model }).compact({
          previous: null,
          messages: [userTurn('hello')],
          targetTokens: null,
        }),
      ).rejects.toThrow(/No object generated/);
    }
  });
});

describe('compactionJobHandler with a failing model, with the real store', () => {
  let dataDir: string;
  let store: Store;

  beforeAll(async () => {
    dataDir = migratedPgliteDir('foresight-compaction-model-');
    store = await openStore({ dataDir });
    await store.upsertClient({ id: 'default', name: 'default', mode: 'b2c' });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves the compaction queued while the job is retried, then the baseline compacts it', async () => {
    const conversationId = randomUUID();
    const [outcome] = await store.recordMessages('default', [
      {
        conversationId,
        userId: 'max',
        customerId: '',
        sessionId: 's1',
        role: 'user',
        content: 'I prefer trains over planes.',
        metadata: {},
        idempotencyKey: null,
      },
    ]);
    expect(outcome?.ok).toBe(true);
    const started = await store.startCompaction('default', {
      id: randomUUID(),
      conversationId,
      strategy: 'adaptive',
      targetTokens: null,
    });
    if (!started) throw new Error('compaction not started');
    await store.enqueueJob('default', COMPACTION_JOB, { compaction_id: started.id });
    const model = scriptedModel(() => {
      throw new Error('provider outage (503)');
    });
    const handler = compactionJobHandler(store, new ModelCompactor({ model }), {
      fallback: new BaselineCompactor(),
      fallbackAfterAttempts: 2,
    });

    const [first] = await store.claimJobs([COMPACTION_JOB], 1, 60_000);
    if (!first) throw new Error('no job');
    await expect(handler(first)).rejects.toThrow('provider outage');
    expect((await store.getCompaction('default', started.id))?.status).toBe('queued');
    await store.failJob(first.id, 'provider outage', 0, 5);

    const [second] = await store.claimJobs([COMPACTION_JOB], 1, 60_000);
    if (!second) throw new Error('no retry');
    expect(second.attempts).toBe(2);
    await handler(second);
    const done = await store.getCompaction('default', started.id);
    expect(done).toMatchObject({
      status: 'completed',
      preferences: ['I prefer trains over planes.'],
      compactedMessageCount: 1,
      error: null,
    });
    expect(model.doGenerateCalls).toHaveLength(2);
  });

  it('marks the compaction failed when there is no fallback, freeing the conversation', async () => {
    const conversationId = randomUUID();
    await store.recordMessages('default', [
      {
        conversationId,
        userId: 'max',
        customerId: '',
        sessionId: 's1',
        role: 'user',
        content: 'hello',
        metadata: {},
        idempotencyKey: null,
      },
    ]);
    const started = await store.startCompaction('default', {
      id: randomUUID(),
      conversationId,
      strategy: 'adaptive',
      targetTokens: null,
    });
    if (!started) throw new Error('compaction not started');
    const model = scriptedModel(() => 'no JSON here');
    const handler = compactionJobHandler(store, new ModelCompactor({ model }));
    await expect(
      handler({
        id: 0,
        clientId: 'default',
        kind: COMPACTION_JOB,
        payload: { compaction_id: started.id },
        attempts: 1,
      }),
    ).rejects.toThrow(/No object generated/);
    const failed = await store.getCompaction('default', started.id);
    expect(failed?.status).toBe('failed');
    expect(failed?.error).toMatch(/No object generated/);
    const again = await store.startCompaction('default', {
      id: randomUUID(),
      conversationId,
      strategy: 'adaptive',
      targetTokens: null,
    });
    expect(again).not.toBeNull();
  });
});
