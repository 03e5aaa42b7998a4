import type { BaseMessage } from '@langchain/core/messages';
import { tool } from 'langchain';
import { z } from 'zod';
import { conversationIdFrom, createClient, type ForesightClient } from '../../../src/index.js';
import type { NewEvent } from '../../../src/store/records.js';
import { memory } from '../../support/memories.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { logStoredEvents } from '../../tracker/event-log.js';
import type { ScriptedStep } from './scripted-chat-model.js';

export const SYSTEM_PROMPT = 'You are a travel agent.';

/** The model asks for one flight, then answers. */
export const TOOL_STEPS: ScriptedStep[] = [
  {
    toolCalls: [
      { id: 'call-1', name: 'book_flight', args: { destination: 'Lisbon', seat: 'aisle' } },
    ],
  },
  { text: 'Booked your aisle seat to Lisbon.' },
];

/**
 * A `book_flight` tool that books (or, with `fail`, throws `no seats`), recording its
 * inputs; `onRun` runs first, to look at what was sent before the tool ran.
 */
export function bookFlight(options: { fail?: boolean; onRun?: () => Promise<void> } = {}) {
  const inputs: unknown[] = [];
  const bookFlightTool = tool(
    async (input) => {
      await options.onRun?.();
      inputs.push(input);
      if (options.fail) throw new Error('no seats');
      return { booked: true };
    },
    {
      name: 'book_flight',
      description: 'Books a flight',
      schema: z.object({ destination: z.string(), seat: z.string() }),
    },
  );
  return { tool: bookFlightTool, inputs };
}

/** The text of the system message a model call received ('' when none). */
export function systemText(messages: readonly BaseMessage[] | undefined): string {
  const system = messages?.find((message) => message.type === 'system');
  return system?.text ?? '';
}

/** A real server with Alice's aisle-seat preference, a listening client, and readers. */
export interface LangChainServer {
  t: TestServer;
  client: ForesightClient;
  /** What the client's logger warned (the server down, a stream dropped), kept off the console. */
  warnings: string[];
  /** The events of a thread the server stored, in order. */
  eventsOf(threadId: string): NewEvent[];
  /** The messages of a thread the server stored, as `[role, content]`. */
  stored(threadId: string): Promise<string[][]>;
  close(): Promise<void>;
}

export async function startLangChainServer(): Promise<LangChainServer> {
  const t = await startTestServer('pglite');
  const events = logStoredEvents(t);
  await t.server.store.insertMemories(t.tenant.clientId, [
    memory({ content: 'Alice always flies aisle seats', memoryType: 'preferences' }),
  ]);
  const warnings: string[] = [];
  const client = createClient({
    url: t.server.restUrl,
    grpcTarget: t.server.grpcTarget,
    apiKey: t.tenant.key,
    env: {},
    logger: { warn: (_details, message) => warnings.push(message) },
  });
  await client.instance.listen();
  return {
    t,
    client,
    warnings,
    eventsOf: (threadId) =>
      events.filter((event) => event.conversationId === conversationIdFrom(threadId)),
    stored: async (threadId) =>
      (await t.server.store.listMessages(t.tenant.clientId, conversationIdFrom(threadId))).map(
        (row) => [row.role, row.content],
      ),
    async close() {
      await client.close();
      await t.close();
    },
  };
}

/** Counts of each event type, and the tool_call events' names and args. */
export function summarize(events: readonly NewEvent[]) {
  const count = (type: string) => events.filter((event) => event.eventType === type).length;
  return {
    userMessages: count('user_message'),
    toolCalls: events
      .filter((event) => event.eventType === 'tool_call')
      .map((event) => [event.toolName, event.toolArgs]),
    toolResults: events
      .filter((event) => event.eventType === 'tool_result')
      .map((event) => [event.toolName, event.content]),
  };
}

export const NO_FAILURES = { record: 0, event: 0, context: 0, input: 0, adapter: 0 };
