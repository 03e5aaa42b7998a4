import { randomUUID } from 'node:crypto';
import * as ai7 from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foresightMiddleware } from '../../../adapters/ai-sdk/index.js';
import { conversationIdFrom, createClient, type ForesightClient } from '../../../src/index.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';

const AWAIT_CONTEXT_MS = 50;
/**
 * How many times (the bare call time + the context wait), both measured or set in the
 * same test, a call may take with the server gone: room for a 2-core machine running
 * the whole suite. It guards against a call held by the outage (the client's timeout,
 * seconds); the tight figure (a few ms over the context wait) is a benchmark's.
 */
const GENEROUS = 10;

/** A model that answers each call with the text of its turn, in order. */
function scriptedModel(answers: string[]): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doGenerate: answers.map((text) => ({
      content: [{ type: 'text' as const, text }],
      finishReason: { unified: 'stop' as const, raw: undefined },
      usage: {
        inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
        outputTokens: { total: 5, text: 5, reasoning: undefined },
      },
      warnings: [],
    })),
  });
}

const QUESTIONS = ['Book me a flight to Lisbon', 'And a hotel?', 'And a car?', 'Thanks!'];
const ANSWERS = ['Flight booked.', 'Hotel booked.', 'Car booked.', 'You are welcome.'];

describe('the ai-sdk middleware when the server stops mid-conversation (ai@7)', () => {
  let t: TestServer;
  let client: ForesightClient;
  beforeAll(async () => {
    t = await startTestServer('pglite');
    client = createClient({
      url: t.server.restUrl,
      grpcTarget: t.server.grpcTarget,
      apiKey: t.tenant.key,
      env: {},
      // Quiet: the client's own outage warnings are not what this test is about.
      logger: { warn: () => undefined },
    });
    await client.instance.listen();
    // A cold server's first anticipation can take longer than the bound: warm it up.
    const conversationId = conversationIdFrom(`warm-up-${randomUUID()}`);
    const afterEvent = await client.instance.sendMessage({
      eventType: 'user_message',
      conversationId,
      userId: 'alice',
      role: 'user',
      content: 'Hello',
    });
    await client.context.waitFor({ conversationId, afterEvent, timeoutMs: 10_000 });
  });
  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  it('completes the next calls within a multiple of the bare call time + awaitContextMs and reports degraded', async () => {
    const threadId = `chat-${randomUUID()}`;
    const warnings: string[] = [];
    const middleware = foresightMiddleware(client, {
      awaitContextMs: AWAIT_CONTEXT_MS,
      logger: { warn: (_details, message) => warnings.push(message) },
    });
    const wrapped = ai7.wrapLanguageModel({ model: scriptedModel(ANSWERS), middleware });
    const providerOptions = { foresight: { threadId, userId: 'alice' } };
    const history: ai7.ModelMessage[] = [];
    const turn = async (model: ai7.LanguageModel, at: number, messages: ai7.ModelMessage[]) => {
      const started = performance.now();
      const result = await ai7.generateText({
        model,
        system: 'You are a travel agent.',
        messages: [...messages, { role: 'user', content: QUESTIONS[at] ?? '' }],
        providerOptions,
      });
      return { result, ms: performance.now() - started };
    };

    // Turn 1 with the server up: recorded.
    const first = await turn(wrapped, 0, history);
    expect(first.result.text).toBe(ANSWERS[0]);
    history.push({ role: 'user', content: QUESTIONS[0] ?? '' }, ...first.result.response.messages);
    await middleware.tracker.flush();
    const rows = await t.server.store.listMessages(t.tenant.clientId, conversationIdFrom(threadId));
    expect(rows.map((row) => [row.role, row.content])).toEqual([
      ['user', QUESTIONS[0]],
      ['assistant', ANSWERS[0]],
    ]);
    const up = middleware.stats();
    expect(up.failures).toEqual({ record: 0, event: 0, context: 0, input: 0, adapter: 0 });
    // Up: ok, unless this loaded machine made the first bundle later than the bound.
    expect(up.status === 'ok' || up.degradedReason === 'context').toBe(true);

    // The bare call time: the same calls on an unwrapped model (the slowest, warmed up).
    const bare = scriptedModel([...ANSWERS, ...ANSWERS]);
    const bareMs: number[] = [];
    for (let at = 0; at < ANSWERS.length * 2; at++) {
      bareMs.push((await turn(bare, at % QUESTIONS.length, history)).ms);
    }
    const bareMax = Math.max(...bareMs);

    await t.close();

    for (let at = 1; at < QUESTIONS.length; at++) {
      const next = await turn(wrapped, at, history);
      expect(next.result.text).toBe(ANSWERS[at]);
      // Reported at once: the call that went on without its context says so.
      expect(middleware.stats().status).toBe('degraded');
      expect(next.ms, `turn ${at + 1} (bare ${bareMax.toFixed(1)} ms)`).toBeLessThan(
        GENEROUS * (bareMax + AWAIT_CONTEXT_MS),
      );
      history.push(
        { role: 'user', content: QUESTIONS[at] ?? '' },
        ...next.result.response.messages,
      );
    }

    await middleware.tracker.flush({ timeoutMs: 10_000 });
    const stats = middleware.stats();
    // The turns recorded after the stop wait in the client's outbox, retried, not lost;
    // nothing threw.
    expect(stats.undelivered).toBeGreaterThan(0);
    expect(stats.recorded).toBeGreaterThan(2);
    expect(stats.failures.adapter).toBe(0);
    expect(stats.pending).toBe(0);
    expect(stats.status).toBe('degraded');
    expect(stats.degradedReason).toBeDefined();
    expect(stats.modelCalls).toBe(QUESTIONS.length);
    // Each user turn after the stop went out as an event whose bundle never came.
    expect(stats.contextTimeouts).toBeGreaterThan(0);
    expect(stats.contextWaits).toBeGreaterThanOrEqual(stats.contextTimeouts);
    // The transition was logged once, however many calls failed after it.
    expect(warnings.filter((message) => message.includes('degraded'))).toHaveLength(1);
  });
});
