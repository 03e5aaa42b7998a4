import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KEY_EXTRACTION_CONFIDENCE } from '../../src/protocol/index.js';
import { promptText, scriptedModel } from '../engine/extraction/scripted-model.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';

interface Compacted {
  summary: string;
  facts: string[];
  decisions: string[];
  preferences: string[];
}

/**
 * A scripted model that compacts like an LLM would: it merges the previous compaction
 * it is given with a line per new message, so what it returns shows what it was sent.
 */
const model = scriptedModel((messages, options) => {
  if (down) throw new Error('provider outage (503)');
  const previousLine = promptText(options)
    .split('\n')
    .find((line) => line.startsWith('Previous compaction: '));
  const previousJson = previousLine?.slice('Previous compaction: '.length) ?? 'none';
  const previous: Compacted =
    previousJson === 'none'
      ? { summary: '', facts: [], decisions: [], preferences: [] }
      : JSON.parse(previousJson);
  const user = messages.filter((message) => message.role === 'user');
  return {
    summary: [previous.summary, `The user asked ${user.length} more time(s).`]
      .filter(Boolean)
      .join(' '),
    facts: [
      ...previous.facts,
      ...user.filter((m) => m.content.includes('live')).map((m) => `Fact: ${m.content}`),
    ],
    decisions: [
      ...previous.decisions,
      ...messages.filter((m) => m.content.includes('booked')).map((m) => `Done: ${m.content}`),
    ],
    preferences: [
      ...previous.preferences,
      ...user.filter((m) => m.content.includes('prefer')).map((m) => `Likes: ${m.content}`),
    ],
    current_state: { status: 'active', open_questions: [], next_steps: ['Find a hotel'] },
  };
});
let down = false;

describe('compaction by a plugged-in model, through the server', () => {
  let t: TestServer;
  let url: string;

  beforeAll(async () => {
    t = await startTestServer('pglite', { compaction: { model, fallbackAfterAttempts: 1 } });
    url = t.server.restUrl;
  });
  afterAll(() => t?.close());

  const say = async (conversation: string, role: 'user' | 'assistant', content: string) => {
    const response = await call(url, 'POST', '/v1/conversations/messages', {
      key: t.tenant.key,
      body: { conversation_id: conversation, user_id: 'lee', role, content },
    });
    expect(response.status).toBe(200);
  };

  const compact = async (conversation: string) => {
    const started = await call(url, 'POST', '/v1/conversations/compact', {
      key: t.tenant.key,
      body: { conversation_id: conversation },
    });
    expect(started.status).toBe(200);
    await vi.waitFor(
      async () => {
        const status = await call(
          url,
          'GET',
          `/v1/conversations/${conversation}/compaction/status`,
          { key: t.tenant.key },
        );
        expect(status.body.status).toBe('completed');
        expect(status.body.compaction_id).toBe(started.body.compaction_id);
      },
      { timeout: 10_000, interval: 50 },
    );
    const compacted = await call(url, 'GET', `/v1/conversations/${conversation}/compacted`, {
      key: t.tenant.key,
    });
    expect(compacted.body.compaction_id).toBe(started.body.compaction_id);
    return compacted.body;
  };

  it('compacts with the model, then folds only the later turns into the previous result', async () => {
    const conversation = randomUUID();
    await say(conversation, 'user', 'I live in Porto. I prefer aisle seats.');
    await say(conversation, 'assistant', 'I booked you an aisle seat to Lisbon.');
    const first = await compact(conversation);
    expect(first).toMatchObject({
      summary: 'The user asked 1 more time(s).',
      facts: [{ content: 'Fact: I live in Porto. I prefer aisle seats.' }],
      preferences: [{ content: 'Likes: I live in Porto. I prefer aisle seats.' }],
      decisions: [{ content: 'Done: I booked you an aisle seat to Lisbon.' }],
      current_state: { status: 'active', next_steps: ['Find a hotel'] },
      compacted_message_count: 2,
    });
    expect(Number(first.compacted_token_count)).toBeGreaterThan(0);
    expect(first.compression_ratio).toBe(
      Math.round(
        (Number(first.compacted_token_count) / Number(first.original_token_count)) * 1000,
      ) / 1000,
    );
    const firstPrompt = promptText(model.doGenerateCalls.at(-1) as never);
    expect(firstPrompt).toContain('Previous compaction: none');

    await say(conversation, 'user', 'Now find me a quiet hotel near the river.');
    const second = await compact(conversation);
    const secondPrompt = promptText(model.doGenerateCalls.at(-1) as never);
    // Only the turn after the cut was sent, with the previous result to build on.
    expect(secondPrompt).toContain('Now find me a quiet hotel');
    expect(secondPrompt).not.toContain('I live in Porto. I prefer aisle seats.","recorded_at');
    expect(secondPrompt).toContain('"summary":"The user asked 1 more time(s)."');
    expect(second).toMatchObject({
      summary: 'The user asked 1 more time(s). The user asked 1 more time(s).',
      facts: [{ content: 'Fact: I live in Porto. I prefer aisle seats.' }],
      compacted_message_count: 3,
    });
    expect(Number(second.original_token_count)).toBeGreaterThan(Number(first.original_token_count));

    // The prompt-ready context: the model's compaction plus the turns after its cut.
    await say(conversation, 'user', 'Is breakfast included?');
    const forPrompt = await call(
      url,
      'GET',
      `/v1/conversations/${conversation}/context-for-prompt`,
      {
        key: t.tenant.key,
      },
    );
    expect(forPrompt.body).toMatchObject({
      available: true,
      compaction_id: second.compaction_id,
      compacted_message_count: 3,
      total_message_count: 4,
      recent_message_count: 1,
      recent_messages: [{ role: 'user', content: 'Is breakfast included?' }],
    });
    expect(String(forPrompt.body.formatted_context)).toContain(
      'Fact: I live in Porto. I prefer aisle seats.',
    );
  });

  it('falls back to the deterministic compactor when the model fails', async () => {
    const conversation = randomUUID();
    await say(conversation, 'user', 'I prefer morning flights.');
    down = true;
    try {
      const compacted = await compact(conversation);
      expect(compacted.preferences).toEqual([
        { content: 'I prefer morning flights.', confidence: KEY_EXTRACTION_CONFIDENCE },
      ]);
      expect(compacted.summary).toBe('User: I prefer morning flights.');
    } finally {
      down = false;
    }
  });
});
