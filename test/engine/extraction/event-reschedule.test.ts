import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuleExtractor } from '../../../src/engine/index.js';
import { openStore } from '../../../src/store/index.js';
import type { Store } from '../../../src/store/store.js';
import { migratedPgliteDir } from '../../support/pglite-template.js';

describe('a rescheduled temporal event, with the real store', () => {
  let dataDir: string;
  let store: Store;
  const conversationId = '00000000-0000-4000-8000-0000000000ab';

  beforeAll(async () => {
    dataDir = migratedPgliteDir('foresight-reschedule-');
    store = await openStore({ dataDir });
    await store.upsertClient({ id: 'default', name: 'default', mode: 'b2c' });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const say = async (content: string) => {
    const [outcome] = await store.recordMessages('default', [
      {
        conversationId,
        userId: 'carol',
        customerId: '',
        sessionId: 's1',
        role: 'user',
        content,
        metadata: {},
        idempotencyKey: null,
      },
    ]);
    if (!outcome?.ok) throw new Error('message not recorded');
    const memories = await new RuleExtractor().extract({ messages: [outcome.message] });
    await store.insertMemories('default', memories);
    return memories;
  };

  const served = async () =>
    (
      await store.searchMemories('default', {
        userId: 'carol',
        customerId: '',
        conversationId: null,
        query: '',
        types: ['temporal_events', 'episodes'],
        limit: 10,
      })
    ).map((scored) => scored.memory);

  it('serves only the new date once the appointment is moved; the old one stays as history', async () => {
    await say('My dentist appointment is on Friday.');
    await say('My flight to Tokyo is next Tuesday.');
    const moved = await say('I moved my dentist appointment to Monday.');
    // The move is a plan, not something that happened: no episode comes of it.
    expect(moved.map((memory) => memory.memoryType)).toEqual(['temporal_events']);

    const current = await served();
    expect(current.map((memory) => memory.content).sort()).toEqual([
      'I moved my dentist appointment to Monday',
      'My flight to Tokyo is next Tuesday',
    ]);
    const monday = current.find((memory) => memory.subjectKey === 'event:dentist_appointment');
    expect(monday?.eventDate?.getUTCDay()).toBe(1);

    const all = await store.listMemories('default', { userId: 'carol', includeSuperseded: true });
    const friday = all.find((memory) => memory.content === 'My dentist appointment is on Friday');
    expect(friday?.supersededBy).toBe(monday?.id);
  });
});
