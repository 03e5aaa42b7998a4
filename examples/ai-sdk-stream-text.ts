// AI SDK `streamText` with a tool loop: the same middleware observes the stream, sends the
// tool call the moment its part completes (before the tool runs), records the streamed
// answer once it ends, and injects the anticipated context into the next step. Prints the
// context each model call received, the streamed answer, and what was recorded.
//
// Run: npm run example -- ai-sdk-stream-text
import { stepCountIs, streamText, tool, wrapLanguageModel } from 'ai';
import { foresightMiddleware } from 'foresight/ai-sdk';
import { z } from 'zod';
import { exampleModel } from './support/ai-sdk-model.js';
import { rememberEarlierConversation } from './support/remember.js';
import { printStats } from './support/report.js';
import { bookFlight, earlierTrip, REQUEST, SYSTEM_PROMPT } from './support/travel.js';

await rememberEarlierConversation(earlierTrip('bruno'));
const yourModel = await exampleModel([
  { toolCall: { name: 'book_flight', input: { destination: 'Lisbon' } } },
  { answer: 'Booked your flight to Lisbon.' },
]);

// #region snippet
const middleware = foresightMiddleware(); // FORESIGHT_URL, FORESIGHT_API_KEY

const result = streamText({
  model: wrapLanguageModel({ model: yourModel, middleware }),
  system: SYSTEM_PROMPT,
  prompt: REQUEST,
  tools: {
    book_flight: tool({
      description: 'Books a flight for the user.',
      inputSchema: z.object({ destination: z.string(), seat: z.string().optional() }),
      execute: bookFlight,
    }),
  },
  stopWhen: stepCountIs(4),
  // Per-call identity: one wrapped model can serve every user and thread.
  providerOptions: { foresight: { userId: 'bruno', threadId: 'chat-7' } },
});
let text = '';
for await (const delta of result.textStream) text += delta;
// #endregion

console.log(`streamed answer: ${text}`);
await middleware.tracker.flush();
printStats(middleware.tracker.stats());
