import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationOwners } from '../../src/engine/conversation-owners.js';
import { ConversationStates } from '../../src/engine/conversation-states.js';
import type { Store } from '../../src/store/store.js';
import { clientId, newMessage } from '../store/fixtures.js';
import { pgliteBackend } from '../store/store-backends.js';
import { holdReads } from '../support/held-reads.js';

const backend = pgliteBackend();
let store: Store;

beforeAll(async () => {
  store = await backend.open();
});

afterAll(async () => {
  await store.close();
  await backend.destroy();
});

const turns = (state: { turns: { content: string }[] }) => state.turns.map((turn) => turn.content);

describe('ConversationStates', () => {
  it('holds the newest turns, and sees a recorded turn as soon as the record resolves', async () => {
    const tenant = clientId();
    const conversationId = randomUUID();
    const states = new ConversationStates({ store, recentTurns: 2 });
    await store.recordMessages(tenant, [
      newMessage({ conversationId, content: 'one' }),
      newMessage({ conversationId, content: 'two' }),
      newMessage({ conversationId, content: 'three' }),
    ]);
    expect(turns(await states.get(tenant, conversationId))).toEqual(['two', 'three']);
    const held = await states.get(tenant, conversationId);
    expect(await states.get(tenant, conversationId)).toBe(held);
    await store.recordMessages(tenant, [newMessage({ conversationId, content: 'four' })]);
    expect(turns(await states.get(tenant, conversationId))).toEqual(['three', 'four']);
    states.close();
  });

  it('sees a finished compaction', async () => {
    const tenant = clientId();
    const conversationId = randomUUID();
    await store.recordMessages(tenant, [newMessage({ conversationId, content: 'hello' })]);
    const states = new ConversationStates({ store, recentTurns: 6 });
    expect((await states.get(tenant, conversationId)).compaction).toBeNull();
    const started = await store.startCompaction(tenant, {
      id: randomUUID(),
      conversationId,
      strategy: 'baseline',
      targetTokens: null,
    });
    if (!started) throw new Error('the compaction did not start');
    await store.finishCompaction(tenant, { ...started, status: 'completed', summary: 'a summary' });
    expect((await states.get(tenant, conversationId)).compaction?.summary).toBe('a summary');
    states.close();
  });

  it('keeps no read that raced a record', async () => {
    const tenant = clientId();
    const conversationId = randomUUID();
    await store.recordMessages(tenant, [newMessage({ conversationId, content: 'early' })]);
    // Its read of the turns answers only after the record below has resolved.
    const slow = holdReads(store, ['listMessages']);
    const states = new ConversationStates({ store: slow.store, recentTurns: 6 });
    const racing = states.get(tenant, conversationId);
    await new Promise((resolve) => setImmediate(resolve));
    await store.recordMessages(tenant, [newMessage({ conversationId, content: 'late' })]);
    slow.release();
    expect(turns(await racing)).toEqual(['early']);
    expect(turns(await states.get(tenant, conversationId))).toEqual(['early', 'late']);
    states.close();
  });
});

describe('ConversationOwners', () => {
  it('remembers an absent conversation until a turn is recorded in it', async () => {
    const tenant = clientId();
    const conversationId = randomUUID();
    const owners = new ConversationOwners(store);
    expect(await owners.get(tenant, conversationId)).toBeNull();
    await store.recordMessages(tenant, [newMessage({ conversationId, userId: 'uma' })]);
    expect(await owners.get(tenant, conversationId)).toEqual({ userId: 'uma', customerId: '' });
  });
});
