// AI SDK `generateText` with a tool loop, wrapped with Foresight's language-model
// middleware. The user told an earlier conversation that she flies aisle seats; when the
// model asks for `book_flight`, Foresight sends the tool call to the context service as
// it happens, and the next model call gets her preference in its system prompt from the
// local cache. Prints the context each model call received, the answer, and what was
// recorded.
//
// Run: npm run example -- ai-sdk-generate-text   (starts an embedded server unless FORESIGHT_URL is set)
import { generateText, stepCountIs, tool, wrapLanguageModel } from 'ai';
import { foresightMiddleware } from 'foresight/ai-sdk';
import { z } from 'zod';
import { exampleModel } from './support/ai-sdk-model.js';
import { rememberEarlierConversation } from './support/remember.js';
import { printStats } from './support/report.js';
import { bookFlight, earlierTrip, REQUEST, SYSTEM_PROMPT } from './support/travel.js';

await rememberEarlierConversation(earlierTrip('alice'));
const yourModel = await exampleModel([
  { toolCall: { name: 'book_flight', input: { destination: 'Lisbon' } } },
  { answer: 'Booked your flight to Lisbon.' },
]);

// #region snippet
// The client comes from FORESIGHT_URL and FORESIGHT_API_KEY; it connects by itself.
const middleware = foresightMiddleware({ identity: { userId: 'alice', threadId: 'chat-42' } });
const model = wrapLanguageModel({ model: yourModel, middleware });

const { text } = await generateText({
  model,
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
});
// #endregion

console.log(`answer: ${text}`);
await middleware.tracker.flush();
printStats(middleware.tracker.stats());
// No close(): the default client flushes when the process ends.
