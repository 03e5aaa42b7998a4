import { randomUUID } from 'node:crypto';
import { HumanMessage } from '@langchain/core/messages';
import { createAgent } from 'langchain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ForesightCallbackHandler,
  foresightMiddleware,
} from '../../../adapters/langchain/index.js';
import {
  bookFlight,
  type LangChainServer,
  SYSTEM_PROMPT,
  startLangChainServer,
  TOOL_STEPS,
} from './langchain-harness.js';
import { ScriptedChatModel } from './scripted-chat-model.js';

describe('foresight/langchain with the server down', () => {
  let s: LangChainServer;
  beforeAll(async () => {
    s = await startLangChainServer();
    await s.t.close();
  });
  afterAll(async () => {
    await s?.client.close();
  });

  it('lets agents and chains complete, counting what failed', async () => {
    const warnings: string[] = [];
    const awaitContextMs = 50;
    const middleware = foresightMiddleware(s.client, {
      awaitContextMs,
      identity: { threadId: `chat-${randomUUID()}`, userId: 'alice' },
      logger: { warn: (_details, message) => warnings.push(message) },
    });
    const handler = new ForesightCallbackHandler(s.client, { tracker: middleware.tracker });
    const model = new ScriptedChatModel([...TOOL_STEPS, { text: 'Anything else?' }]);
    const agent = createAgent({
      model,
      tools: [bookFlight().tool],
      systemPrompt: SYSTEM_PROMPT,
      middleware: [middleware],
    });
    const started = Date.now();
    const result = await agent.invoke(
      { messages: [new HumanMessage('Book me a flight to Lisbon')] },
      { callbacks: [handler] },
    );
    expect(result.messages.at(-1)?.text).toBe('Booked your aisle seat to Lisbon.');
    const chained = await model.invoke([new HumanMessage('Hello')], { callbacks: [handler] });
    expect(chained.text).toBe('Anything else?');
    // Bounded by awaitContextMs a model call (a generous multiple of it, for a loaded
    // machine), not by the dead server.
    const modelCalls = TOOL_STEPS.length + 1;
    expect(Date.now() - started).toBeLessThan(30 * modelCalls * awaitContextMs);

    await middleware.tracker.flush({ timeoutMs: 1000 });
    const { failures, undelivered } = middleware.tracker.stats();
    // Turns wait in the outbox for the service; events to a dead stream fail.
    expect(undelivered + failures.event).toBeGreaterThan(0);
    expect(failures.adapter).toBe(0);
    expect(warnings.length).toBeGreaterThan(0);
    // The handler shares the tracker, so both report the same degraded status.
    expect(middleware.stats().status).toBe('degraded');
    expect(handler.stats().status).toBe('degraded');
    expect(warnings.filter((message) => message.includes('degraded'))).toHaveLength(1);
  });
});
