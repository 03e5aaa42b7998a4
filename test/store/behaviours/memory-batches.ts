import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MemoryRecord } from '../../../src/store/records.js';
import { clientId, newMemory } from '../fixtures.js';
import type { SuiteContext } from '../suite-context.js';

// A batch is inserted in a few statements (sql-memory-insert.ts); these pin that its
// outcome is that of inserting its memories one after the other.
export function memoryBatchBehaviours(context: SuiteContext): void {
  describe('memory batches', () => {
    const history = async (tenant: string): Promise<Map<string, MemoryRecord>> => {
      const all = await context
        .store()
        .listMemories(tenant, { userId: 'user-1', includeSuperseded: true });
      return new Map(all.map((memory) => [memory.content, memory]));
    };

    it('chains a subject through the batch: stored → first → second, the last current', async () => {
      const store = context.store();
      const tenant = clientId();
      const [stored] = await store.insertMemories(tenant, [
        newMemory({ subjectKey: 'home', content: 'Lives in Lisbon' }),
      ]);
      const [first, second] = await store.insertMemories(tenant, [
        newMemory({ subjectKey: 'home', content: 'Lives in Porto' }),
        newMemory({ subjectKey: 'home', content: 'Lives in Braga' }),
      ]);
      // What a batch answers is what it stored: the first already replaced by the second.
      expect(first).toMatchObject({ supersededBy: second?.id });
      expect(first?.validUntil).toBeInstanceOf(Date);
      expect(second).toMatchObject({ supersededBy: null, validUntil: null });
      const byContent = await history(tenant);
      expect(byContent.get('Lives in Lisbon')?.supersededBy).toBe(first?.id);
      expect(byContent.get('Lives in Porto')?.supersededBy).toBe(second?.id);
      expect(byContent.get('Lives in Braga')?.supersededBy).toBeNull();
      expect(stored?.id).toBeDefined();
      const current = await store.listMemories(tenant, { userId: 'user-1' });
      expect(current.map((memory) => memory.content)).toEqual(['Lives in Braga']);
    });

    it('leaves a stored memory with whichever memory of the batch replaced it first', async () => {
      const store = context.store();
      const tenant = clientId();
      const subject = { subjectKey: 'bank' };
      const [northbank, southbank] = await store.insertMemories(tenant, [
        newMemory({ ...subject, content: 'Banks with Northbank' }),
        newMemory({ content: 'Banks with Southbank too' }),
      ]);
      // Named first, then by subject: the naming memory keeps it.
      const [named, bySubject, namedAgain] = await store.insertMemories(tenant, [
        newMemory({ content: 'Closed the Northbank account', supersedes: [northbank?.id ?? ''] }),
        newMemory({ ...subject, content: 'Banks with Eastbank' }),
        newMemory({
          content: 'Left both banks',
          supersedes: [northbank?.id ?? '', southbank?.id ?? ''],
        }),
      ]);
      const byContent = await history(tenant);
      expect(byContent.get('Banks with Northbank')?.supersededBy).toBe(named?.id);
      // The third names both: only the one still current is its.
      expect(byContent.get('Banks with Southbank too')?.supersededBy).toBe(namedAgain?.id);
      expect(bySubject?.supersededBy).toBeNull();

      // By subject first, then named: the subject's new memory keeps it.
      const [eastbank] = [bySubject];
      const [replacement, laterName] = await store.insertMemories(tenant, [
        newMemory({ ...subject, content: 'Banks with Westbank' }),
        newMemory({ content: 'Westbank, not Eastbank', supersedes: [eastbank?.id ?? ''] }),
      ]);
      const after = await history(tenant);
      expect(after.get('Banks with Eastbank')?.supersededBy).toBe(replacement?.id);
      expect(laterName?.supersededBy).toBeNull();
    });

    it('keeps lists, nulls and metadata of every row as given', async () => {
      const store = context.store();
      const tenant = clientId();
      const conversationId = randomUUID();
      const [episode, plain] = await store.insertMemories(tenant, [
        newMemory({
          memoryType: 'episodes',
          scope: 'conversation',
          conversationId,
          content: 'Planned the "big" trip, with commas, {braces} and \\ slashes',
          participants: ['Ann "the boss"', 'Bo, Jr.', '{x}', ''],
          significance: 0.7,
          sourceMessageIds: ['m-1', 'm-2'],
          metadata: { source: 'test', nested: { list: [1, 2] } },
        }),
        newMemory({ content: 'Plain fact', participants: [], sourceMessageIds: [] }),
      ]);
      expect(episode).toMatchObject({
        memoryType: 'episodes',
        scope: 'conversation',
        conversationId,
        participants: ['Ann "the boss"', 'Bo, Jr.', '{x}', ''],
        significance: 0.7,
        sourceMessageIds: ['m-1', 'm-2'],
        metadata: { source: 'test', nested: { list: [1, 2] } },
        category: null,
        eventDate: null,
      });
      expect(plain).toMatchObject({ participants: [], sourceMessageIds: [], strength: null });
      const listed = await store.listMemories(tenant, { conversationId });
      expect(listed[0]).toEqual(episode);
    });
  });
}
