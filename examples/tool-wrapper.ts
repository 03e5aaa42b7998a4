// The tool wrapper alone, for an agent loop you wrote yourself (no AI SDK call, no
// LangChain agent): `withForesight(tool, { identity })` sends the tool call with
// its exact arguments before the tool runs and the result after, without waiting on the
// network. The context the service pushed back for it is then in the client's local
// cache, ready for your next model call. Prints the tool result and the cached context.
//
// Run: npm run example -- tool-wrapper
import { tool } from 'ai';
import { conversationIdFrom, defaultClient } from 'foresight';
import { withForesight } from 'foresight/tools';
import { z } from 'zod';
import { cachedContext } from './support/cached-context.js';
import { rememberEarlierConversation } from './support/remember.js';
import { bookFlight, earlierTrip } from './support/travel.js';

await rememberEarlierConversation(earlierTrip('gus'));
const bookFlightTool = tool({
  description: 'Books a flight for the user.',
  inputSchema: z.object({ destination: z.string(), seat: z.string().optional() }),
  execute: bookFlight,
});

// #region snippet
const identity = { userId: 'gus', threadId: 'hand-rolled-1' };
// On the default client (FORESIGHT_URL, FORESIGHT_API_KEY), which connects by itself.
const bookFlightWithForesight = withForesight(bookFlightTool, { identity });

// Your loop: your model asked for book_flight, so you run it.
const booked = await bookFlightWithForesight.execute?.(
  { destination: 'Lisbon' },
  { toolCallId: 'call-1', messages: [], context: {} },
);

// Before your next model call: the anticipated context, from the local cache (no network).
const key = { conversationId: conversationIdFrom(identity.threadId), userId: identity.userId };
const cached = await cachedContext(defaultClient(), key);
const memories = Object.values(cached?.bundle.itemsByType ?? {}).flat();
// #endregion

console.log(`tool result: ${JSON.stringify(booked)}`);
if (memories.length === 0) console.log('no context cached yet');
for (const item of memories) console.log(`cached context (${item.contextType}): ${item.content}`);
