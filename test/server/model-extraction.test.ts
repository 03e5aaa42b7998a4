import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createJobHandlers } from '../../src/server/model-plugins.js';
import { scriptedModel } from '../engine/extraction/scripted-model.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';

/** What the scripted model "understands": a line of the prompt → the memories it states. */
function memoriesFor(content: string): Record<string, unknown>[] {
  const preference = (wording: string) => ({
    memory_type: 'preferences',
    content: wording,
    confidence: 0.9,
    scope: 'user',
    subject_key: 'preference:seat_position',
    entity: 'seat',
    category: 'travel',
    strength: 0.8,
  });
  if (content.includes('aisle')) return [preference('Wants an aisle seat on every flight')];
  if (content.includes('window')) return [preference('Now wants a window seat on every flight')];
  if (content.includes('Porto'))
    return [
      {
        memory_type: 'facts',
        content: 'Home is the city of Porto',
        confidence: 0.95,
        scope: 'user',
        subject_key: 'home_city',
        entity: 'Porto',
      },
      // Invalid (no category, no strength): dropped, the fact above is kept.
      { memory_type: 'preferences', content: 'Likes Porto', confidence: 0.5, scope: 'user' },
    ];
  return [];
}

describe('extraction by a plugged-in model, through the server', () => {
  let t: TestServer;
  let down = false;
  const model = scriptedModel((messages) => {
    if (down) throw new Error('provider outage (503)');
    return {
      memories: messages.flatMap((message) =>
        memoriesFor(message.content).map((memory) => ({
          subject_key: '',
          ...memory,
          source_message_ids: [message.id],
        })),
      ),
    };
  });

  beforeAll(async () => {
    // Falls back at the first failure, so the outage case needs no backoff wait.
    t = await startTestServer('pglite', { extraction: { model, fallbackAfterAttempts: 1 } });
  });
  afterAll(() => t?.close());

  const say = async (userId: string, content: string) => {
    const response = await call(t.server.restUrl, 'POST', '/v1/conversations/messages', {
      key: t.tenant.key,
      body: { conversation_id: randomUUID(), user_id: userId, role: 'user', content },
    });
    expect(response.status).toBe(200);
  };

  /** Polls the fetch route until `done` holds for the served contents of `type`. */
  const servedUntil = async (
    userId: string,
    type: string,
    done: (contents: string[]) => boolean,
  ): Promise<string[]> => {
    let contents: string[] = [];
    try {
      await vi.waitFor(
        async () => {
          const fetched = await call(t.server.restUrl, 'POST', '/v1/context/user/fetch', {
            key: t.tenant.key,
            body: { user_id: userId, types: [type] },
          });
          const context = fetched.body.context as Record<string, { content: string }[]>;
          contents = (context[type] ?? []).map((item) => item.content);
          if (!done(contents)) throw new Error(`not there yet: ${contents.join(', ')}`);
        },
        { timeout: 10_000, interval: 50 },
      );
    } catch {
      // The caller's assertion on what was served says what is missing.
    }
    return contents;
  };

  it("stores the model's memories, and serves a changed preference in its new form only", async () => {
    await say('dana', 'I always ask for an aisle seat when I fly.');
    expect(await servedUntil('dana', 'preferences', (served) => served.length > 0)).toEqual([
      'Wants an aisle seat on every flight',
    ]);

    await say('dana', 'Actually, from now on give me a window seat.');
    expect(
      await servedUntil('dana', 'preferences', (served) => served[0]?.startsWith('Now') ?? false),
    ).toEqual(['Now wants a window seat on every flight']);

    const all = await t.server.store.listMemories(t.tenant.clientId, {
      userId: 'dana',
      includeSuperseded: true,
    });
    const old = all.find((memory) => memory.content === 'Wants an aisle seat on every flight');
    const current = all.find((memory) => memory.content.startsWith('Now wants'));
    expect(old?.supersededBy).toBe(current?.id);
    expect(current?.metadata).toMatchObject({ extractor: 'model' });
    expect(current?.sourceMessageIds).toHaveLength(1);
  });

  it('keeps the valid items of an answer that also holds an invalid one', async () => {
    await say('erin', 'I live in Porto, I like it a lot.');
    expect(await servedUntil('erin', 'facts', (served) => served.length > 0)).toEqual([
      'Home is the city of Porto',
    ]);
    const all = await t.server.store.listMemories(t.tenant.clientId, { userId: 'erin' });
    expect(all.map((memory) => memory.content)).toEqual(['Home is the city of Porto']);
  });

  it('falls back to the rule-based extractor when the model fails', async () => {
    down = true;
    const callsBefore = model.doGenerateCalls.length;
    await say('finn', 'I live in Lisbon and I prefer aisle seats.');
    const served = await servedUntil('finn', 'facts', (contents) => contents.length > 0);
    expect(served).toEqual(['Lives in Lisbon']);
    expect(model.doGenerateCalls.length).toBeGreaterThan(callsBefore);
    const all = await t.server.store.listMemories(t.tenant.clientId, { userId: 'finn' });
    expect(all.map((memory) => memory.content).sort()).toEqual([
      'Lives in Lisbon',
      'Prefers aisle seats',
    ]);
    down = false;
  });

  it('refuses settings the queue cannot honour, naming the option', () => {
    const { store } = t.server;
    const logger = pino({ level: 'silent' });
    expect(() =>
      createJobHandlers(store, logger, { extraction: { model, fallbackAfterAttempts: 9 } }),
    ).toThrow('extraction.fallbackAfterAttempts: must be an integer from 1 to 5, got 9');
    expect(() =>
      createJobHandlers(store, logger, { compaction: { model, timeoutMs: -1 } }),
    ).toThrow('compaction.timeoutMs: must be an integer from 1 to 50000, got -1');
    expect(() =>
      createJobHandlers(store, logger, { extraction: { model, timeoutMs: 120_000 } }),
    ).toThrow('extraction.timeoutMs: must be an integer from 1 to 50000, got 120000');
    expect(() => createJobHandlers(store, logger, { extraction: {} as never })).toThrow(
      'extraction.model: must be an AI SDK LanguageModel, got undefined',
    );
  });
});
