import { trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import * as ai from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { foresightMiddleware } from '../../adapters/ai-sdk/index.js';
import { conversationIdFrom, createClient, type ForesightClient } from '../../src/index.js';
import type { NewEvent } from '../../src/store/records.js';
import { memory } from '../support/memories.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { logStoredEvents } from '../tracker/event-log.js';

const USAGE = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
};
const SECRET_TEXT = 'Zanzibar';

let env: TestServer;
let client: ForesightClient;
let stored: NewEvent[];

beforeAll(async () => {
  env = await startTestServer('pglite');
  stored = logStoredEvents(env);
  await env.server.store.insertMemories(env.tenant.clientId, [
    memory({
      content: `Alice always books an aisle seat to ${SECRET_TEXT}.`,
      memoryType: 'preferences',
    }),
  ]);
  client = createClient({
    url: env.server.restUrl,
    grpcTarget: env.server.grpcTarget,
    apiKey: env.tenant.key,
    env: {},
  });
  await client.instance.listen();
});
afterAll(async () => {
  trace.disable();
  await client?.close();
  await env?.close();
});

/** One generateText tool loop through the AI SDK adapter: book_flight, then the answer. */
async function toolLoop(threadId: string): Promise<void> {
  const model = new MockLanguageModelV4({
    doGenerate: async (options) => {
      const afterTool = options.prompt.at(-1)?.role === 'tool';
      return {
        content: afterTool
          ? [{ type: 'text' as const, text: 'Booked.' }]
          : [
              {
                type: 'tool-call' as const,
                toolCallId: 'call-1',
                toolName: 'book_flight',
                input: JSON.stringify({ destination: SECRET_TEXT }),
              },
            ],
        finishReason: {
          unified: afterTool ? ('stop' as const) : ('tool-calls' as const),
          raw: undefined,
        },
        usage: USAGE,
        warnings: [],
      };
    },
  });
  const middleware = foresightMiddleware(client, { awaitContextMs: 5_000 });
  await ai.generateText({
    model: ai.wrapLanguageModel({ model, middleware }),
    prompt: `Book me a flight to ${SECRET_TEXT}.`,
    tools: {
      book_flight: ai.tool({
        inputSchema: z.object({ destination: z.string() }),
        execute: async () => ({ booked: true }),
      }),
    },
    stopWhen: ai.stepCountIs(2),
    providerOptions: { foresight: { threadId, userId: 'alice' } },
  });
  await middleware.tracker.flush();
}

describe('tracing without an OpenTelemetry SDK', () => {
  it('adds nothing to the events it sends', async () => {
    await toolLoop('untraced-thread');
    const conversationId = conversationIdFrom('untraced-thread');
    await expect
      .poll(() => stored.filter((event) => event.conversationId === conversationId).length)
      .toBe(3);
    for (const event of stored.filter((row) => row.conversationId === conversationId)) {
      expect(Object.keys(event.metadata)).not.toContain('traceparent');
    }
  });
});

describe('tracing with an in-memory span exporter', () => {
  const exporter = new InMemorySpanExporter();

  beforeAll(() => {
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    expect(trace.setGlobalTracerProvider(provider)).toBe(true);
  });

  it('links the adapter spans of a tool loop to the server spans of the same events', async () => {
    await toolLoop('traced-thread');
    const conversationId = conversationIdFrom('traced-thread');
    const spans = () => exporter.getFinishedSpans();
    const named = (name: string) =>
      spans().filter(
        (span) =>
          span.attributes['gen_ai.conversation.id'] === conversationId && span.name === name,
      );
    // Server spans end after the bundle is pushed; wait for the three events'.
    await expect.poll(() => named('foresight.event').length, { timeout: 10_000 }).toBe(3);

    // One adapter span per model call: the tool call, then the answer with its context.
    const calls = named('foresight.model_call');
    expect(calls).toHaveLength(2);
    const second = calls[1] as ReadableSpan;
    expect(second.attributes).toMatchObject({
      'foresight.context.injected': true,
      'foresight.context.source': expect.stringMatching(/^(cache|waited)$/),
      'foresight.context.wait_ms': expect.any(Number),
      'foresight.bundle.id': expect.any(String),
      'foresight.event.id': expect.any(String),
    });

    // Each event the adapter sent is a PRODUCER span; the server's span of that event is its child.
    const sends = named('foresight.event.send');
    expect(sends.map((span) => span.attributes['foresight.event.type']).sort()).toEqual([
      'tool_call',
      'tool_result',
      'user_message',
    ]);
    for (const send of sends) {
      const received = named('foresight.event').find(
        (span) => span.attributes['foresight.event.id'] === send.attributes['foresight.event.id'],
      );
      expect(received, `server span of ${send.attributes['foresight.event.type']}`).toBeDefined();
      expect(received?.spanContext().traceId).toBe(send.spanContext().traceId);
      expect(received?.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
      expect(received?.parentSpanContext?.isRemote).toBe(true);
    }

    // event → retrieval → bundle pushed, under the server's span of the tool call.
    const toolCall = named('foresight.event').find(
      (span) => span.attributes['foresight.event.type'] === 'tool_call',
    ) as ReadableSpan;
    expect(toolCall.attributes['gen_ai.tool.name']).toBe('book_flight');
    const children = spans().filter(
      (span) => span.parentSpanContext?.spanId === toolCall.spanContext().spanId,
    );
    expect(children.map((span) => span.name).sort()).toEqual([
      'foresight.bundle.push',
      'foresight.retrieval',
    ]);
    const retrieval = children.find((span) => span.name === 'foresight.retrieval');
    expect(retrieval?.attributes['foresight.bundle.items']).toBeGreaterThan(0);
    // The adapter's second call injected the bundle the tool call's retrieval built.
    expect(second.attributes['foresight.bundle.id']).toBe(
      retrieval?.attributes['foresight.bundle.id'],
    );

    // Recording and extraction are spans too.
    await expect.poll(() => spans().some((span) => span.name === 'foresight.record')).toBe(true);
    await expect
      .poll(() => spans().some((span) => span.name === 'foresight.extraction'), { timeout: 20_000 })
      .toBe(true);

    // Like the logs: ids and counts, never content or tool arguments.
    for (const span of spans()) {
      for (const value of Object.values(span.attributes)) {
        expect(String(value)).not.toContain(SECRET_TEXT);
      }
    }
    // The events carried their trace context to the server.
    const traced = stored.filter((event) => event.conversationId === conversationId);
    expect(
      traced.every((event) =>
        /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/.test(String(event.metadata.traceparent)),
      ),
    ).toBe(true);
  });
});
