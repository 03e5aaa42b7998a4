import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuleExtractor } from '../../../src/engine/index.js';
import { openStore } from '../../../src/store/index.js';
import type { Store } from '../../../src/store/store.js';
import { migratedPgliteDir } from '../../support/pglite-template.js';

describe('RuleExtractor with the real store', () => {
  let dataDir: string;
  let store: Store;
  const conversationId = '00000000-0000-4000-8000-0000000000aa';

  beforeAll(async () => {
    dataDir = migratedPgliteDir('foresight-extraction-');
    store = await openStore({ dataDir });
    await store.upsertClient({ id: 'default', name: 'default', mode: 'b2c' });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves only the latest home city and keeps the old one with valid_until', async () => {
    const extractor = new RuleExtractor();
    const turn = (content: string) => ({
      conversationId,
      userId: 'alice',
      customerId: '',
      sessionId: 's1',
      role: 'user' as const,
      content,
      metadata: {},
      idempotencyKey: null,
    });
    for (const content of ['I live in Porto.', 'I moved to Lisbon, I live in Lisbon now.']) {
      const [outcome] = await store.recordMessages('default', [turn(content)]);
      if (!outcome?.ok) throw new Error('message not recorded');
      const memories = await extractor.extract({ messages: [outcome.message] });
      await store.insertMemories('default', memories);
    }

    const served = await store.searchMemories('default', {
      userId: 'alice',
      customerId: '',
      conversationId: null,
      query: '',
      types: ['facts'],
      limit: 10,
    });
    expect(served.map((scored) => scored.memory.content)).toEqual(['Lives in Lisbon']);

    const all = await store.listMemories('default', { userId: 'alice', includeSuperseded: true });
    const porto = all.find((memory) => memory.content === 'Lives in Porto');
    expect(porto?.supersededBy).toBe(served[0]?.memory.id);
    expect(porto?.validUntil).toBeInstanceOf(Date);
  });
});
