// B2B: several users of one customer (your customer "acme", its employees erin and
// femi) on a tenant in B2B mode, where every user id comes with its customer id. One
// wrapped model serves both users; each call says whose it is through `providerOptions`.
// Erin told an earlier conversation that she flies aisle seats: her call gets that
// context, and femi's call, of the same customer, does not. Prints both calls' context.
//
// Run: npm run example -- b2b-customer   (the embedded server gets a B2B tenant for it)
import { generateText, stepCountIs, tool, wrapLanguageModel } from 'ai';
import { foresightMiddleware } from 'foresight/ai-sdk';
import { z } from 'zod';
import { exampleModel } from './support/ai-sdk-model.js';
import { rememberEarlierConversation } from './support/remember.js';
import { printStats } from './support/report.js';
import { bookFlight, earlierTrip, REQUEST, SYSTEM_PROMPT } from './support/travel.js';

await rememberEarlierConversation(earlierTrip('erin', 'acme'));
const yourModel = await exampleModel([
  { toolCall: { name: 'book_flight', input: { destination: 'Lisbon' } } },
  { answer: 'Booked your flight to Lisbon.' },
]);
const tools = {
  book_flight: tool({
    description: 'Books a flight for the user.',
    inputSchema: z.object({ destination: z.string(), seat: z.string().optional() }),
    execute: bookFlight,
  }),
};

// #region snippet
const middleware = foresightMiddleware(); // FORESIGHT_API_KEY: a key of a B2B tenant
const model = wrapLanguageModel({ model: yourModel, middleware });

for (const userId of ['erin', 'femi']) {
  console.log(`--- ${userId} (customer acme)`);
  const { text } = await generateText({
    model,
    system: SYSTEM_PROMPT,
    prompt: REQUEST,
    tools,
    stopWhen: stepCountIs(4),
    providerOptions: { foresight: { customerId: 'acme', userId, threadId: `${userId}-trip` } },
  });
  console.log(`${userId}'s answer: ${text}`);
}
// #endregion

await middleware.tracker.flush();
printStats(middleware.tracker.stats());
